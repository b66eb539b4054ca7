// The one background-work idiom: the latest job wins, exceptions reach failed(), cancel() drops
// the result and raises the flag the work polls.

#include "normad/ui/BackgroundJob.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

using namespace normad;

namespace {
/// Shared between a test and its job's work (which runs on another thread and may outlive it).
struct Gate {
    std::atomic<bool> open{false};
    std::atomic<bool> entered{false};
    std::atomic<bool> sawCancel{false};
    std::atomic<bool> returned{false};
};

/// Work that waits until the gate opens (or its cancel flag is raised, when `untilCancelled`),
/// records what it saw and returns `value`. A 20 s guard keeps a broken test from hanging.
auto gatedWork(std::shared_ptr<Gate> gate, int value, bool untilCancelled = false)
{
    return [gate, value, untilCancelled](const CancelFlag& cancel) {
        gate->entered = true;
        const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!gate->open && !(untilCancelled && cancel.load()) && std::chrono::steady_clock::now() < giveUp)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        gate->sawCancel = cancel.load();
        gate->returned = true;
        return value;
    };
}
} // namespace

class TestBackgroundJob : public QObject {
    Q_OBJECT

private slots:
    void deliversResultOnOwnerThread();
    void latestJobWins();
    void exceptionReachesFailed_data();
    void exceptionReachesFailed();
    void cancelDropsResultAndRaisesFlag();
    void destroyingTheOwnerCancels();
};

void TestBackgroundJob::deliversResultOnOwnerThread()
{
    ui::BackgroundJob<int> job;
    QSignalSpy finished(&job, &ui::BackgroundJobBase::finished);
    QThread* deliveryThread = nullptr;
    std::atomic<QThread*> seen{nullptr};
    int delivered = 0;
    job.start(
        [&seen](const CancelFlag&) {
            seen = QThread::currentThread();
            return 42;
        },
        [&](int v) {
            delivered = v;
            deliveryThread = QThread::currentThread();
        });
    QVERIFY(job.isRunning());
    QVERIFY(finished.wait(10000));
    QCOMPARE(delivered, 42);
    QVERIFY(!job.isRunning());
    QCOMPARE(deliveryThread, QThread::currentThread());
    QVERIFY(seen.load() != nullptr);
    QVERIFY(seen.load() != QThread::currentThread()); // the work left the GUI thread
}

void TestBackgroundJob::latestJobWins()
{
    ui::BackgroundJob<int> job;
    QSignalSpy finished(&job, &ui::BackgroundJobBase::finished);
    QSignalSpy failed(&job, &ui::BackgroundJobBase::failed);
    QList<int> delivered;
    auto record = [&delivered](int v) { delivered << v; };
    auto first = std::make_shared<Gate>();
    job.start(gatedWork(first, 1), record);
    QTRY_VERIFY(first->entered.load());
    auto second = std::make_shared<Gate>();
    second->open = true;
    job.start(gatedWork(second, 2), record); // supersedes the first, which is still working
    QVERIFY(finished.wait(10000));
    QCOMPARE(delivered, QList<int>{2});
    // Let the first job finish now, after the second: its result must still not arrive. A third
    // job's delivery is queued behind any wake-up the first one could have posted.
    first->open = true;
    QTRY_VERIFY(first->returned.load());
    QVERIFY(first->sawCancel.load()); // its cancel flag was raised for the engine to poll
    auto third = std::make_shared<Gate>();
    third->open = true;
    job.start(gatedWork(third, 3), record);
    QVERIFY(finished.wait(10000));
    QCOMPARE(delivered, (QList<int>{2, 3}));
    QCOMPARE(finished.size(), 2);
    QVERIFY(failed.isEmpty());
}

void TestBackgroundJob::exceptionReachesFailed_data()
{
    QTest::addColumn<bool>("standard");
    QTest::addColumn<QString>("message");
    QTest::newRow("std::invalid_argument") << true << QStringLiteral("pattern 7 does not exist");
    QTest::newRow("anything else") << false << QStringLiteral("unknown error");
}

void TestBackgroundJob::exceptionReachesFailed()
{
    QFETCH(bool, standard);
    QFETCH(QString, message);
    ui::BackgroundJob<int> job;
    QSignalSpy failed(&job, &ui::BackgroundJobBase::failed);
    QSignalSpy finished(&job, &ui::BackgroundJobBase::finished);
    bool delivered = false;
    job.start(
        [standard](const CancelFlag&) -> int {
            if (standard)
                throw std::invalid_argument("pattern 7 does not exist");
            throw 7;
        },
        [&delivered](int) { delivered = true; });
    QVERIFY(finished.wait(10000));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().first().toString(), message);
    QVERIFY(!delivered);
    QVERIFY(!job.isRunning());
}

void TestBackgroundJob::cancelDropsResultAndRaisesFlag()
{
    ui::BackgroundJob<int> job;
    QSignalSpy finished(&job, &ui::BackgroundJobBase::finished);
    QSignalSpy failed(&job, &ui::BackgroundJobBase::failed);
    QList<int> delivered;
    auto record = [&delivered](int v) { delivered << v; };
    auto gate = std::make_shared<Gate>();
    job.start(gatedWork(gate, 1, true), record);
    QTRY_VERIFY(gate->entered.load());
    job.cancel();
    QVERIFY(!job.isRunning());
    // The work polls the flag and returns early (long before its 20 s guard) ...
    QTRY_VERIFY_WITH_TIMEOUT(gate->returned.load(), 5000);
    QVERIFY(gate->sawCancel.load());
    // ... and what it returned is never delivered (a later job's delivery is queued behind it).
    auto next = std::make_shared<Gate>();
    next->open = true;
    job.start(gatedWork(next, 2), record);
    QVERIFY(finished.wait(10000));
    QCOMPARE(delivered, QList<int>{2});
    QCOMPARE(finished.size(), 1);
    QVERIFY(failed.isEmpty());
}

void TestBackgroundJob::destroyingTheOwnerCancels()
{
    auto gate = std::make_shared<Gate>();
    bool delivered = false;
    {
        ui::BackgroundJob<int> job;
        job.start(gatedWork(gate, 1, true), [&delivered](int) { delivered = true; });
        QTRY_VERIFY(gate->entered.load());
    }
    QTRY_VERIFY_WITH_TIMEOUT(gate->returned.load(), 5000);
    QVERIFY(gate->sawCancel.load());
    // Its wake-up, if any, went to an object that no longer exists: nothing runs.
    ui::BackgroundJob<int> other;
    QSignalSpy finished(&other, &ui::BackgroundJobBase::finished);
    other.start([](const CancelFlag&) { return 0; }, [](int) {});
    QVERIFY(finished.wait(10000));
    QVERIFY(!delivered);
}

QTEST_MAIN(TestBackgroundJob)
#include "tst_backgroundjob.moc"
