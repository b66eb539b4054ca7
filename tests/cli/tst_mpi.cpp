// MPI data-parallel training (issue 9, point 2): `mpirun -np P normad train` gives the same trained
// weights and history as one process for P = 1, 2, 3; online training is refused under MPI; a rank
// that fails while checking the project, throws mid-run or is killed ends every rank promptly with a
// non-zero exit and one message.

#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace normad;

namespace {

struct Result {
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    bool finished = false;
    qint64 milliseconds = 0;
    QString out, err;
};

/// The trained project without what may differ between runs (wall times).
QJsonObject trainedWithoutTimes(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    QJsonArray history = o.value("history").toArray();
    for (qsizetype i = 0; i < history.size(); ++i) {
        QJsonObject e = history[i].toObject();
        for (const QString& key : e.keys())
            if (key.startsWith("wallTime"))
                e.remove(key);
        history[i] = e;
    }
    o["history"] = history;
    return o;
}

} // namespace

class TestMpi : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sameWeightsForAnyRankCount_data();
    void sameWeightsForAnyRankCount();
    void onlineRefusedUnderMpi();
    void failingRankEndsEveryRank_data();
    void failingRankEndsEveryRank();

private:
    Result run(const QStringList& args, int ranks, const QString& fault = {}, int timeoutMs = 60000);
    QString writeProject(UpdateSchedule schedule);

    QString m_cli;
    QString m_mpirun;
    QTemporaryDir m_dir;
};

void TestMpi::initTestCase()
{
    m_cli = qEnvironmentVariable("NORMAD_CLI");
    m_mpirun = qEnvironmentVariable("NORMAD_MPIRUN");
    QVERIFY2(!m_cli.isEmpty(), "NORMAD_CLI must name the normad binary");
    QVERIFY2(!m_mpirun.isEmpty(), "NORMAD_MPIRUN must name mpirun");
    QVERIFY(m_dir.isValid());
}

QString TestMpi::writeProject(UpdateSchedule schedule)
{
    generators::MultilayerOptions o;
    o.inputs = 30;
    o.hidden = {10};
    o.duration = 0.2;
    o.patterns = 7;
    Project p = generators::multilayer(4, o);
    p.training.schedule = schedule;
    p.training.batchSize = 3;
    p.training.shufflePatterns = true;
    p.training.maxEpochs = 3;
    const QString path = m_dir.filePath(QString("project-%1.json").arg(int(schedule)));
    saveProject(p, path.toStdString());
    return path;
}

Result TestMpi::run(const QStringList& args, int ranks, const QString& fault, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!fault.isEmpty())
        env.insert("NORMAD_TEST_FAULT", fault);
    p.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    if (ranks == 0)
        p.start(m_cli, args);
    else
        p.start(m_mpirun, QStringList{"--oversubscribe", "-np", QString::number(ranks), m_cli} + args);
    Result r;
    if (!p.waitForStarted(10000))
        return r;
    r.finished = p.waitForFinished(timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    r.milliseconds = timer.elapsed();
    r.exitCode = p.exitCode();
    r.status = p.exitStatus();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

void TestMpi::sameWeightsForAnyRankCount_data()
{
    QTest::addColumn<int>("schedule");
    QTest::newRow("batch") << int(UpdateSchedule::Batch);
    QTest::newRow("mini-batch") << int(UpdateSchedule::MiniBatch);
}

void TestMpi::sameWeightsForAnyRankCount()
{
    QFETCH(int, schedule);
    const QString project = writeProject(UpdateSchedule(schedule));
    const QString alone = m_dir.filePath(QString("alone-%1").arg(schedule));
    const Result single = run({"train", project, "--out", alone, "--threads", "2", "--quiet"}, 0);
    QVERIFY2(single.finished && single.exitCode == 0, qPrintable(single.err));
    const QJsonObject expected = trainedWithoutTimes(alone + "/trained.json");
    QVERIFY(!expected.isEmpty());
    QCOMPARE(expected.value("history").toArray().size(), 3);
    for (int ranks : {1, 2, 3}) {
        const QString out = m_dir.filePath(QString("ranks%1-%2").arg(ranks).arg(schedule));
        const Result r = run({"train", project, "--out", out, "--threads", "1"}, ranks);
        QVERIFY2(r.finished && r.status == QProcess::NormalExit && r.exitCode == 0,
                 qPrintable(QString("np %1: %2 %3").arg(ranks).arg(r.exitCode).arg(r.err)));
        // Rank 0 alone prints: one line per epoch, not one per rank.
        QCOMPARE(r.out.count(QRegularExpression("^epoch +\\d+/", QRegularExpression::MultilineOption)), 3);
        QCOMPARE(r.out.count("stopped:"), 1);
        const QJsonObject trained = trainedWithoutTimes(out + "/trained.json");
        QVERIFY2(trained.value("network") == expected.value("network"),
                 qPrintable(QString("np %1: the weights differ from one process").arg(ranks)));
        QVERIFY2(trained.value("history") == expected.value("history"),
                 qPrintable(QString("np %1: the history differs from one process").arg(ranks)));
    }
}

void TestMpi::onlineRefusedUnderMpi()
{
    const QString project = writeProject(UpdateSchedule::Online);
    const Result r = run({"train", project, "--out", m_dir.filePath("online")}, 2);
    QVERIFY(r.finished);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("sequential by definition"), qPrintable(r.err));
    QCOMPARE(r.err.count("normad:"), 1); // one message, not one per rank
    QVERIFY(!QFile::exists(m_dir.filePath("online/trained.json")));
}

void TestMpi::failingRankEndsEveryRank_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("message");
    QTest::newRow("rank 1 fails its checks") << "1:setup"
                                             << "rank 1: test fault";
    QTest::newRow("rank 1 throws mid-run") << "1:throw"
                                           << "rank 1 of 3";
    QTest::newRow("rank 2 is killed") << "2:kill"
                                      << "";
}

void TestMpi::failingRankEndsEveryRank()
{
    QFETCH(QString, fault);
    QFETCH(QString, message);
    // Many epochs: without the fault the run would take far longer than the bound below.
    const QString project = writeProject(UpdateSchedule::Batch);
    const Result r = run({"train", project, "--out", m_dir.filePath("fault-" + fault.left(1)), "--epochs", "100000"}, 3,
                         fault, 30000);
    QVERIFY2(r.finished, "the ranks did not end after one failed (hang)");
    QVERIFY2(r.status == QProcess::CrashExit || r.exitCode != 0, qPrintable(r.err));
    if (!message.isEmpty())
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestMpi)
#include "tst_mpi.moc"
