// The training worker and its controller: commands, stop latency, rate limit, document commit,
// the checkpoints of a running session.

#include "normad/Checkpoint.h"
#include "normad/TaskGenerators.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/TrainingWorker.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

using namespace normad;
using State = ui::TrainingSnapshot::State;

namespace {
Project xorProject(int maxEpochs)
{
    Project p = generators::xorTask(1);
    p.training.maxEpochs = maxEpochs;
    p.training.targetCorrelation = 2.0; // never converges: the epoch count decides
    p.training.stagnationEpochs = 0;
    return p;
}

/// One 20 s pattern: a single pass is long, so a stop has to interrupt it.
Project longPattern()
{
    generators::SingleNeuronOptions o;
    o.duration = 20.0;
    Project p = generators::singleNeuron(1, o);
    p.training.targetCorrelation = 2.0;
    return p;
}

bool waitForState(ui::TrainingController& c, State s, int ms = 5000)
{
    return QTest::qWaitFor([&] { return c.state() == s; }, ms);
}

/// The seed of commandsInAnyOrderNeverHang's command sequence (printed, so a failure can be replayed).
constexpr quint32 commandSeed = 20261130;
} // namespace

class TestTrainingWorker : public QObject {
    Q_OBJECT

private slots:
    void reachesMaxEpochsAndCommitsOnce();
    void pauseStepResumeStop();
    void stopLandsPromptly_data();
    void stopLandsPromptly();
    void eventLoopKeepsServingTimers();
    void snapshotsAreRateLimited();
    void commandsInAnyOrderNeverHang();
    void settingsApplyWhileRunning();
    void shutdownDuringTrainingIsPrompt();
    void stopAndWaitRunsNoEventLoop();
    void paceSpacesEpochs();
    void stopLandsPromptlyWhilePaced_data();
    void stopLandsPromptlyWhilePaced();
    void checkpointsLiveAsLongAsTheSession();
};

void TestTrainingWorker::reachesMaxEpochsAndCommitsOnce()
{
    ui::ProjectDocument doc;
    doc.reset(xorProject(6));
    const Eigen::MatrixXd before = doc.project().network.weights(2);
    ui::TrainingController c(&doc);
    QSignalSpy finished(&c, &ui::TrainingController::finished);
    QSignalSpy progress(&c, &ui::TrainingController::progress);
    c.start();
    QVERIFY(finished.wait(10000));
    const auto result = finished.first().first().value<TrainingResult>();
    QCOMPARE(toString(result.reason), toString(StopReason::MaxEpochs));
    QCOMPARE(result.epochs, 6);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), 6);
    // One undoable step with the trained weights and the history.
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.undoStack()->text(0), QStringLiteral("Train 6 epochs"));
    QCOMPARE(static_cast<int>(doc.project().history.size()), 6);
    QVERIFY(doc.project().network.weights(2) != before);
    QVERIFY(doc.isModified());
    doc.undoStack()->undo();
    QVERIFY(doc.project().network.weights(2) == before);
    QVERIFY(doc.project().history.empty());
}

void TestTrainingWorker::pauseStepResumeStop()
{
    ui::ProjectDocument doc;
    doc.reset(xorProject(100000));
    ui::TrainingController c(&doc);
    QSignalSpy finished(&c, &ui::TrainingController::finished);
    c.start();
    QTRY_VERIFY_WITH_TIMEOUT(c.latestSnapshot()->completedEpochs >= 2, 10000);
    c.pause();
    QVERIFY(waitForState(c, State::Paused));
    QTRY_COMPARE(c.latestSnapshot()->state, State::Paused);
    const auto paused = c.latestSnapshot();
    // Paused means nothing moves: no progress at all for a while.
    QSignalSpy moves(&c, &ui::TrainingController::progress);
    QVERIFY(!moves.wait(100));
    QCOMPARE(c.latestSnapshot()->completedEpochs, paused->completedEpochs);
    QCOMPARE(c.latestSnapshot()->lastPattern, paused->lastPattern);

    c.stepPattern();
    QTRY_VERIFY_WITH_TIMEOUT(c.latestSnapshot()->lastPattern != paused->lastPattern, 20000);
    const auto stepped = c.latestSnapshot();
    QCOMPARE(stepped->lastPattern, (paused->lastPattern + 1) % 4);

    c.stepEpoch();
    QTRY_VERIFY_WITH_TIMEOUT(c.latestSnapshot()->completedEpochs > stepped->completedEpochs, 20000);
    const auto epoch = c.latestSnapshot();
    QCOMPARE(epoch->completedEpochs, stepped->completedEpochs + 1);
    QCOMPARE(epoch->lastPattern, 3);
    QCOMPARE(epoch->state, State::Paused);

    c.resume();
    QTRY_VERIFY_WITH_TIMEOUT(c.latestSnapshot()->completedEpochs >= epoch->completedEpochs + 3, 10000);
    c.stop();
    QVERIFY(finished.wait(5000));
    QCOMPARE(toString(finished.first().first().value<TrainingResult>().reason), toString(StopReason::Cancelled));
    QCOMPARE(doc.undoStack()->count(), 1);
    QTRY_COMPARE(c.state(), State::Idle); // reloaded from the document, ready for the next run
    QCOMPARE(static_cast<int>(doc.project().history.size()), c.latestSnapshot()->completedEpochs);
}

void TestTrainingWorker::paceSpacesEpochs()
{
    // At 20 epochs/s, 6 epochs cannot end sooner than 5 waits of 50 ms after the first (a lower bound
    // only: a busy machine may be slower, never faster). The results stay those of full speed.
    ui::ProjectDocument doc;
    doc.reset(xorProject(6));
    ui::TrainingController c(&doc);
    QSignalSpy paceChanged(&c, &ui::TrainingController::paceChanged);
    c.setPace(20.0);
    QCOMPARE(c.pace(), 20.0);
    QCOMPARE(paceChanged.count(), 1);
    QSignalSpy finished(&c, &ui::TrainingController::finished);
    QElapsedTimer clock;
    clock.start();
    c.start();
    QVERIFY(finished.wait(20000));
    QVERIFY2(clock.elapsed() >= 5 * 50, qPrintable(QString::number(clock.elapsed())));
    const Eigen::MatrixXd paced = doc.project().network.weights(2);

    ui::ProjectDocument fullSpeedDoc;
    fullSpeedDoc.reset(xorProject(6));
    ui::TrainingController fullSpeed(&fullSpeedDoc);
    QSignalSpy fullSpeedFinished(&fullSpeed, &ui::TrainingController::finished);
    fullSpeed.start();
    QVERIFY(fullSpeedFinished.wait(20000));
    QVERIFY(fullSpeedDoc.project().network.weights(2) == paced);
}

void TestTrainingWorker::checkpointsLiveAsLongAsTheSession()
{
    // A checkpoint after every epoch (read when the worker is made); paced, so that the run is seen
    // between its epochs.
    qputenv("NORMAD_CHECKPOINT_EVERY", "1e");
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("session.checkpoint"));
    ui::ProjectDocument doc;
    doc.reset(xorProject(1000));
    ui::TrainingController c(&doc);
    qunsetenv("NORMAD_CHECKPOINT_EVERY");
    c.setCheckpointFile(file);
    c.setPace(20.0);
    c.start();
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(file), 10000);
    const Checkpoint written = loadCheckpoint(file.toStdString());
    QVERIFY(written.trainer.completedEpochs >= 1);
    QCOMPARE(written.maxEpochs, 1000);
    QCOMPARE(written.project.seed, doc.project().seed);
    // Paused, the session goes on: its checkpoint stays.
    c.pause();
    QVERIFY(waitForState(c, State::Paused));
    QVERIFY(QFile::exists(file));
    // Stopped, its weights go into the document: nothing is left to continue.
    QSignalSpy finished(&c, &ui::TrainingController::finished);
    c.stop();
    QVERIFY(finished.wait(10000));
    QVERIFY(!QFile::exists(file));
    // A session the window ends (closing it normally) leaves none either.
    c.start();
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(file), 10000);
    c.shutdown();
    QVERIFY(!QFile::exists(file));
}

void TestTrainingWorker::stopLandsPromptlyWhilePaced_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("stop") << "stop";
    QTest::newRow("pause") << "pause";
}

void TestTrainingWorker::stopLandsPromptlyWhilePaced()
{
    // At 0.2 epochs/s the worker waits 5 s after each epoch; a command must end the wait at once.
    QFETCH(QString, command);
    ui::ProjectDocument doc;
    doc.reset(xorProject(100));
    ui::TrainingController c(&doc);
    c.setPace(0.2);
    QSignalSpy finished(&c, &ui::TrainingController::finished);
    c.start();
    QTRY_VERIFY_WITH_TIMEOUT(c.latestSnapshot()->completedEpochs >= 1, 10000); // now inside the wait
    QElapsedTimer clock;
    clock.start();
    if (command == "stop") {
        c.stop();
        QVERIFY(finished.wait(10000));
    } else {
        c.pause();
        QVERIFY(waitForState(c, State::Paused, 10000));
    }
    qInfo("%s took %lld ms", qPrintable(command), clock.elapsed());
    QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed()))); // the wait was 5 s
    QCOMPARE(c.latestSnapshot()->completedEpochs, 1);
    c.stopAndWait();
}

void TestTrainingWorker::stopLandsPromptly_data()
{
    QTest::addColumn<bool>("parallel");
    QTest::newRow("online") << false;
    // Batch mode on 3 threads: four 20 s passes run at once on the pool and every one must stop.
    QTest::newRow("batch, 3 threads") << true;
}

void TestTrainingWorker::stopLandsPromptly()
{
    QFETCH(bool, parallel);
    Project project = longPattern();
    // The session must outlast the 150 ms below: at full learning rate the batch of four copies drove
    // the neuron past the runaway limit in epoch 2, once the forward pass had become 4× faster.
    project.network.layer(1).learningRate *= 1e-3;
    if (parallel) {
        project.training.schedule = UpdateSchedule::Batch;
        for (int k = 0; k < 3; ++k)
            project.task.patterns.push_back(project.task.patterns.front());
    }
    ui::ProjectDocument doc;
    doc.reset(project);
    ui::TrainingController c(&doc);
    c.setThreads(parallel ? 3 : 1);
    QSignalSpy finished(&c, &ui::TrainingController::finished);
    c.start();
    QVERIFY(waitForState(c, State::Running));
    QSignalSpy stateChanges(&c, &ui::TrainingController::stateChanged);
    QVERIFY(!stateChanges.wait(150)); // well inside the session, still running
    QCOMPARE(c.state(), State::Running);
    // What the user perceives: from the Stop command to the worker reporting the session over.
    // Writing the weights into the document follows (finished()).
    QElapsedTimer t;
    t.start();
    c.stop();
    QVERIFY(stateChanges.wait(2000));
    const qint64 ms = t.elapsed();
    QCOMPARE(stateChanges.first().first().value<State>(), State::Finished);
    QVERIFY(!finished.isEmpty() || finished.wait(2000)); // it may have come with the state change
    const auto result = finished.first().first().value<TrainingResult>();
    QVERIFY2(result.reason == StopReason::Cancelled, result.message.c_str());
    qInfo("stop landed after %lld ms, committed after %lld ms", ms, t.elapsed());
    // The 50 ms goal is a timing goal: measured (about 1 ms here, bench_engine's CancelLatency for the
    // engine) and printed above, while CTest asserts only a bound a loaded CI machine cannot break.
    QVERIFY2(ms <= 1000, qPrintable(QStringLiteral("stop took %1 ms").arg(ms)));
}

void TestTrainingWorker::eventLoopKeepsServingTimers()
{
    ui::ProjectDocument doc;
    doc.reset(xorProject(100000));
    ui::TrainingController c(&doc);
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
    c.start();
    QVERIFY(waitForState(c, State::Running));
    timer.start(10);
    QElapsedTimer t;
    t.start();
    // A blocked event loop would deliver 0–1 ticks; 10 within a second leaves room for a loaded machine.
    QTRY_VERIFY_WITH_TIMEOUT(ticks >= 10, 5000);
    QVERIFY2(t.elapsed() < 1000, qPrintable(QStringLiteral("10 ticks of a 10 ms timer took %1 ms").arg(t.elapsed())));
    QCOMPARE(c.state(), State::Running);
    QVERIFY(c.stopAndWait());
}

void TestTrainingWorker::snapshotsAreRateLimited()
{
    ui::ProjectDocument doc;
    doc.reset(xorProject(100000));
    ui::TrainingController c(&doc);
    c.start();
    QVERIFY(waitForState(c, State::Running));
    QSignalSpy snapshots(&c, &ui::TrainingController::snapshotReady);
    const int epochsBefore = c.latestSnapshot()->completedEpochs;
    QElapsedTimer t;
    t.start();
    // Unlimited, a snapshot per pass (thousands a second) would reach 15 within a few ms.
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.count() >= 15, 10000);
    const double seconds = t.elapsed() / 1000.0;
    const int count = static_cast<int>(snapshots.count());
    const int epochs = c.latestSnapshot()->completedEpochs - epochsBefore;
    qInfo("%d snapshots for %d epochs (%d patterns) in %.3f s", count, epochs, 4 * epochs, seconds);
    QVERIFY2(count <= 60 * seconds + 2, qPrintable(QStringLiteral("%1 snapshots in %2 s").arg(count).arg(seconds)));
    QVERIFY(4 * epochs > count); // fewer snapshots than passes
    QVERIFY(c.stopAndWait());
}

void TestTrainingWorker::commandsInAnyOrderNeverHang()
{
    ui::ProjectDocument doc;
    doc.reset(xorProject(100000));
    ui::TrainingController c(&doc);
    QRandomGenerator random(commandSeed);
    auto* rng = &random;
    qInfo("command seed %u", commandSeed);
    QSignalSpy reports(&c, &ui::TrainingController::snapshotReady);
    for (int i = 0; i < 40; ++i) {
        switch (rng->bounded(6)) {
        case 0:
            c.start();
            break;
        case 1:
            c.pause();
            break;
        case 2:
            c.resume();
            break;
        case 3:
            c.stepPattern();
            break;
        case 4:
            c.stepEpoch();
            break;
        case 5:
            c.togglePause();
            break;
        }
        // Sometimes let the worker get to the command before the next one (its next snapshot),
        // sometimes pile commands up.
        if (rng->bounded(2))
            reports.wait(50);
    }
    c.start();
    QVERIFY(waitForState(c, State::Running));
    QVERIFY(c.stopAndWait(10000));
    QTRY_COMPARE(c.state(), State::Idle);
    QCOMPARE(static_cast<int>(doc.project().history.size()), c.latestSnapshot()->completedEpochs);
}

void TestTrainingWorker::settingsApplyWhileRunning()
{
    ui::ProjectDocument doc;
    doc.reset(xorProject(100000));
    ui::TrainingController c(&doc);
    QSignalSpy finished(&c, &ui::TrainingController::finished);
    c.start();
    QTRY_VERIFY_WITH_TIMEOUT(c.latestSnapshot()->completedEpochs >= 3, 10000);
    // Lowering the maximum below what is done ends the run at once, with every epoch kept.
    doc.edit(QStringLiteral("Set max epochs"), ui::ProjectDocument::TrainingChanged,
             [](Project& p) { p.training.maxEpochs = 3; });
    QVERIFY(finished.wait(5000));
    QCOMPARE(toString(finished.first().first().value<TrainingResult>().reason), toString(StopReason::MaxEpochs));
    QCOMPARE(doc.undoStack()->count(), 2);
    QVERIFY(doc.project().history.size() >= 3);
}

void TestTrainingWorker::shutdownDuringTrainingIsPrompt()
{
    ui::ProjectDocument doc;
    doc.reset(longPattern());
    QElapsedTimer t;
    {
        ui::TrainingController c(&doc);
        c.start();
        QVERIFY(waitForState(c, State::Running));
        QSignalSpy stateChanges(&c, &ui::TrainingController::stateChanged);
        QVERIFY(!stateChanges.wait(50)); // inside the 20 s pass
        t.start();
    } // destructor: stop flag → quit() → wait()
    qInfo("shutdown took %lld ms", t.elapsed());
    QVERIFY(t.elapsed() < 1000); // a hang detector; the measured value is printed above
}

void TestTrainingWorker::stopAndWaitRunsNoEventLoop()
{
    ui::ProjectDocument doc;
    doc.reset(longPattern());
    ui::TrainingController c(&doc);
    QSignalSpy finished(&c, &ui::TrainingController::finished);
    c.start();
    QVERIFY(waitForState(c, State::Running));
    // A nested event loop would run this zero-timeout timer (and any other queued work, e.g. a
    // second click on Stop) inside stopAndWait().
    bool timerRan = false;
    QTimer::singleShot(0, this, [&timerRan] { timerRan = true; });
    QVERIFY(c.stopAndWait(5000));
    QVERIFY(!timerRan);
    // Yet the session's end was handled completely: finished() emitted, nothing active.
    QCOMPARE(finished.size(), 1);
    QCOMPARE(toString(finished.first().first().value<TrainingResult>().reason), toString(StopReason::Cancelled));
    QVERIFY(!c.isActive());
    QTRY_VERIFY(timerRan);
}

QTEST_MAIN(TestTrainingWorker)
#include "tst_trainingworker.moc"
