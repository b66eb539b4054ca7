// MPI data-parallel training (issue 9, point 2): `mpirun -np P normad train` gives the same trained
// weights and history as one process for P = 1, 2, 3; online training is refused under MPI; a rank
// that fails while checking the project, throws mid-run or is killed ends every rank promptly with a
// non-zero exit and one message. A data-parallel run killed (every rank, SIGKILL) after a checkpoint
// and resumed with `mpirun … normad train --resume DIR` gives the same bits as one that never stopped
// (issue 11, point 7).

#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/types.h>

#include <csignal>

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

/// The processes whose parent is `pid` (Linux /proc): the ranks Open MPI's mpirun started.
QList<pid_t> childrenOf(qint64 pid)
{
    QList<pid_t> children;
    QDirIterator it(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        const QString dir = it.next();
        bool isPid = false;
        const pid_t child = it.fileName().toInt(&isPid);
        if (!isPid)
            continue;
        QFile stat(dir + QStringLiteral("/stat"));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // The field after the parenthesised command name (which may hold spaces) is the state, then the parent.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields[1].toLongLong() == pid)
            children << child;
    }
    return children;
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
    void resumeAfterKillBitIdentical_data();
    void resumeAfterKillBitIdentical();

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

void TestMpi::resumeAfterKillBitIdentical_data()
{
    QTest::addColumn<int>("schedule");
    QTest::addColumn<int>("resumeRanks"); // the rank count of the resumed part (the weights do not depend on it)
    QTest::newRow("batch, resumed on 2 ranks") << int(UpdateSchedule::Batch) << 2;
    QTest::newRow("mini-batch, resumed on 3 ranks") << int(UpdateSchedule::MiniBatch) << 3;
}

void TestMpi::resumeAfterKillBitIdentical()
{
    QFETCH(int, schedule);
    QFETCH(int, resumeRanks);
    const QString project = writeProject(UpdateSchedule(schedule));
    const QStringList common = {"train", project, "--epochs", "6", "--quiet", "--threads", "1"};
    // The reference: one process that never stops.
    const QString reference = m_dir.filePath(QString("resume-reference-%1").arg(schedule));
    const Result single = run(common + QStringList{"--checkpoint-every", "off", "--out", reference}, 0);
    QVERIFY2(single.finished && single.exitCode == 0, qPrintable(single.err));
    const QJsonObject expected = trainedWithoutTimes(reference + "/trained.json");
    QCOMPARE(expected.value("history").toArray().size(), 6);

    // Two ranks, checkpoints after epochs 2 and 4 (rank 0 writes them); rank 0 waits after the
    // second, and every rank is killed there.
    const QString out = m_dir.filePath(QString("resume-run-%1").arg(schedule));
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("NORMAD_TEST_PAUSE", "checkpoint:4");
        p.setProcessEnvironment(env);
        p.start(m_mpirun, QStringList{"--oversubscribe", "-np", "2", m_cli} + common +
                              QStringList{"--checkpoint-every", "2e", "--out", out});
        QVERIFY(p.waitForStarted(10000));
        QByteArray err;
        QDeadlineTimer deadline(60000);
        while (!err.contains("test pause at checkpoint:4") && p.state() != QProcess::NotRunning &&
               !deadline.hasExpired()) {
            p.waitForReadyRead(200);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("test pause at checkpoint:4"), err.constData());
        const QList<pid_t> ranks = childrenOf(p.processId());
        QCOMPARE(ranks.size(), 2);
        for (pid_t rank : ranks)
            ::kill(rank, SIGKILL);
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitStatus() == QProcess::CrashExit || p.exitCode() != 0);
    }
    QVERIFY(!QFile::exists(out + "/trained.json"));
    QVERIFY(QFile::exists(out + ".partial/checkpoint.json"));

    // Every rank reads the checkpoint and continues; rank 0 publishes the run.
    const Result resumed = run({"train", "--resume", out, "--quiet", "--threads", "1"}, resumeRanks);
    QVERIFY2(resumed.finished && resumed.status == QProcess::NormalExit && resumed.exitCode == 0,
             qPrintable(resumed.err));
    const QJsonObject trained = trainedWithoutTimes(out + "/trained.json");
    QVERIFY2(trained.value("network") == expected.value("network"),
             "the resumed run's weights differ from a run that never stopped");
    QVERIFY2(trained.value("history") == expected.value("history"),
             "the resumed run's history differs from a run that never stopped");
    QVERIFY(!QFile::exists(out + ".partial"));
}

QTEST_GUILESS_MAIN(TestMpi)
#include "tst_mpi.moc"
