// The output folder of `normad train` (and simulate, evaluate) written as a whole, and checkpoints
// with `train --resume` (issue 11, points 6 and 7), on the real `normad` binary (NORMAD_CLI).
//
// Kills are deterministic: NORMAD_TEST_PAUSE=POINT makes normad print "normad: test pause at POINT"
// and wait there (CliOutputFolder.h), the test awaits that line and then sends SIGKILL.

#include "CliProcess.h"
#include "TinyTable.h"

#include "normad/Checkpoint.h"
#include "normad/ProjectIo.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <optional>

namespace {

using normad::testcli::CliRun;
using normad::testcli::readAll;
using normad::testcli::writeFile;

/// Every entry of a folder, hidden ones included, sorted.
QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

/// A file of a run with its wall times taken out (the one thing two identical runs differ in):
/// trained.json's history[].wallTime_s, metrics.csv's and accuracy.csv's `seconds` column.
QByteArray withoutWallTimes(const QString& file)
{
    const QByteArray bytes = readAll(file);
    if (file.endsWith("trained.json")) {
        QJsonObject doc = QJsonDocument::fromJson(bytes).object();
        QJsonArray history = doc["history"].toArray();
        for (qsizetype i = 0; i < history.size(); ++i) {
            QJsonObject e = history[i].toObject();
            e.remove("wallTime_s");
            history[i] = e;
        }
        doc["history"] = history;
        return QJsonDocument(doc).toJson();
    }
    if (file.endsWith(".csv")) {
        const QList<QByteArray> lines = bytes.split('\n');
        const qsizetype column = lines.first().split(',').indexOf("seconds");
        if (column < 0)
            return bytes;
        QByteArray kept;
        for (const QByteArray& line : lines) {
            QList<QByteArray> cells = line.split(',');
            if (column < cells.size())
                cells.removeAt(column);
            kept += cells.join(',') + '\n';
        }
        return kept;
    }
    return bytes;
}

/// Runs `a` and `b` wrote the same results: the same files with the same bytes, wall times aside.
/// trained.json's weights are compared bit for bit through its shortest round-trip numbers.
void compareRuns(const QString& a, const QString& b)
{
    QCOMPARE(entries(a), entries(b));
    for (const QString& name : entries(a)) {
        if (name == ".normad-output")
            continue;
        const QByteArray x = withoutWallTimes(a + "/" + name), y = withoutWallTimes(b + "/" + name);
        QVERIFY2(!x.isEmpty(), qPrintable(a + "/" + name));
        QVERIFY2(x == y, qPrintable(name + " differs between " + a + " and " + b));
    }
}

/// A process of normad that pauses at a test point; killed with SIGKILL when destroyed.
class PausedRun {
public:
    PausedRun(const QString& cli, const QString& workDir, const QStringList& args, const QString& point)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("NORMAD_TEST_PAUSE", point);
        m_process.setProcessEnvironment(env);
        m_process.setWorkingDirectory(workDir);
        m_process.start(cli, args);
        m_marker = "normad: test pause at " + point.toUtf8();
    }
    ~PausedRun() { kill(); }

    /// Waits until normad reports the pause (or ends without reaching it: false).
    bool awaitPause()
    {
        QDeadlineTimer deadline(120000);
        while (!m_err.contains(m_marker)) {
            if (m_process.state() == QProcess::NotRunning || deadline.hasExpired())
                return false;
            m_process.waitForReadyRead(200);
            m_err += m_process.readAllStandardError();
        }
        return true;
    }
    QByteArray err() const { return m_err; }
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        ::kill(static_cast<pid_t>(m_process.processId()), SIGKILL);
        m_process.waitForFinished(30000);
    }

private:
    QProcess m_process;
    QByteArray m_marker;
    QByteArray m_err;
};

} // namespace

class TestCliRunFolder : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void outNamesAFile_data();
    void outNamesAFile();
    void everyWriterClaimsItsFolder_data();
    void everyWriterClaimsItsFolder();
    void foreignFolderRefused();
    void killDuringWrite_data();
    void killDuringWrite();
    void secondWriterRefused();
    void staleTemporaryFileRemoved();
    void resumeBitIdentical_data();
    void resumeBitIdentical();
    void resumeAfterInterrupt();
    void resumeRefusals_data();
    void resumeRefusals();

private:
    CliRun run(const QStringList& args);
    QString path(const QString& name) const { return m_dir.filePath(name); }
    /// Writes `name`.json: the XOR example or the tiny table's dataset project, online or mini-batch.
    QString makeProject(const QString& name, bool dataset, bool miniBatch);

    QString m_cli;
    QTemporaryDir m_dir;
};

void TestCliRunFolder::initTestCase()
{
    m_cli = qEnvironmentVariable("NORMAD_CLI");
    QVERIFY2(!m_cli.isEmpty() && QFileInfo(m_cli).isExecutable(), "NORMAD_CLI must name the normad binary");
    QVERIFY(m_dir.isValid());
    const CliRun xor_ = run({"example", "xor", "-o", "xor.json"});
    QVERIFY2(xor_.exitCode == 0, xor_.err.constData());
    writeFile(path("tiny.csv"), QByteArray::fromStdString(normad::testdata::tinyTable()));
    const CliRun tiny = run({"dataset", "new", "tiny.csv", "-o", "tiny.json"});
    QVERIFY2(tiny.exitCode == 0, tiny.err.constData());
}

CliRun TestCliRunFolder::run(const QStringList& args)
{
    return normad::testcli::runCli(m_cli, args, m_dir.path(), 300000);
}

QString TestCliRunFolder::makeProject(const QString& name, bool dataset, bool miniBatch)
{
    normad::Project p = normad::loadProject(path(dataset ? "tiny.json" : "xor.json").toStdString());
    p.training.schedule = miniBatch ? normad::UpdateSchedule::MiniBatch : normad::UpdateSchedule::Online;
    p.training.batchSize = 3;
    // The inline task's order is drawn from the trainer's generator: its state must survive a resume.
    p.training.shufflePatterns = true;
    p.training.stagnationEpochs = 0;
    p.training.targetCorrelation = 1.0; // no early convergence: every run trains its epochs
    const QString file = name + ".json";
    normad::saveProject(p, path(file).toStdString());
    return file;
}

void TestCliRunFolder::outNamesAFile_data()
{
    // Every command that writes an output folder.
    QTest::addColumn<QStringList>("args");
    QTest::newRow("train") << QStringList{"train", "xor.json"};
    QTest::newRow("simulate") << QStringList{"simulate", "xor.json"};
    QTest::newRow("evaluate") << QStringList{"evaluate", "tiny.json"};
    QTest::newRow("dataset preview") << QStringList{"dataset", "preview", "tiny.json"};
    QTest::newRow("reproduce") << QStringList{"reproduce", "xor", "--trials", "1", "--epochs", "1"};
    QTest::newRow("sweep") << QStringList{"sweep", "sweep.json"};
}

void TestCliRunFolder::outNamesAFile()
{
    QFETCH(QStringList, args);
    writeFile(path("a-file"), "not a folder\n");
    writeFile(path("sweep.json"), R"({"project": "xor.json", "epochs": 1, "seeds": [1]})");
    const CliRun r = run(args + QStringList{"--out", "a-file"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("'a-file' is a file"), r.err.constData());
    QCOMPARE(readAll(path("a-file")), QByteArray("not a folder\n"));
    QVERIFY(!QFileInfo::exists(path("a-file.partial")));
}

void TestCliRunFolder::everyWriterClaimsItsFolder_data()
{
    // The commands whose folder is written as a whole (sweep and reproduce claim each run folder instead:
    // their shards share one --out, docs/scaling.md).
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("file"); // one of the files the command writes
    QTest::newRow("train") << QStringList{"train", "xor.json", "--epochs", "1", "--quiet"} << "trained.json";
    QTest::newRow("simulate") << QStringList{"simulate", "xor.json"} << "spikes.csv";
    QTest::newRow("evaluate") << QStringList{"evaluate", "tiny.json"} << "predictions.csv";
    QTest::newRow("dataset preview") << QStringList{"dataset", "preview", "tiny.json"} << "inputs.csv";
}

void TestCliRunFolder::everyWriterClaimsItsFolder()
{
    QFETCH(QStringList, args);
    QFETCH(QString, file);
    const QString name = "claimed-" + args.first() + "-" + args.at(1).section('.', 0, 0);
    const QString out = path(name);
    // Another writer holds the folder's lock (what a running normad holds, RunClaim): refused, nothing touched.
    {
        writeFile(path("." + name + ".lock"), "");
        const int fd = ::open(path("." + name + ".lock").toLocal8Bit().constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        struct flock lock { };
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        QCOMPARE(::fcntl(fd, F_OFD_SETLK, &lock), 0);
        const CliRun refused = run(args + QStringList{"--out", out});
        ::close(fd);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("another normad is writing into the output folder"), refused.err.constData());
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(!QFileInfo::exists(out + ".partial"));
    }
    // What a killed run of it left (a half-written staging folder) is removed by the next run, which
    // publishes its files as a whole.
    writeFile(out + ".partial/" + file, "half written");
    const CliRun next = run(args + QStringList{"--out", out});
    QVERIFY2(next.exitCode == 0, next.err.constData());
    QVERIFY2(next.err.contains("note: removed"), next.err.constData());
    QVERIFY(!QFileInfo::exists(out + ".partial"));
    QVERIFY(QFileInfo::exists(out + "/.normad-output"));
    QVERIFY(readAll(out + "/" + file) != "half written");
}

void TestCliRunFolder::foreignFolderRefused()
{
    // A run replaces its folder as a whole, so a folder of the user's own files is never one.
    writeFile(path("mine/notes.txt"), "keep me\n");
    const CliRun r = run({"train", "xor.json", "--epochs", "1", "--out", "mine"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("'notes.txt'"), r.err.constData());
    QCOMPARE(entries(path("mine")), QStringList{"notes.txt"});
}

void TestCliRunFolder::killDuringWrite_data()
{
    QTest::addColumn<QString>("point");
    QTest::addColumn<bool>("newRun"); // the folder holds the new run (else the old one)
    QTest::newRow("between two result files") << "output-file" << false;
    QTest::newRow("finished, before the exchange") << "publish" << false;
    QTest::newRow("exchanged, old run not yet removed") << "exchanged" << true;
}

void TestCliRunFolder::killDuringWrite()
{
    QFETCH(QString, point);
    QFETCH(bool, newRun);
    const QString out = path("kill-" + point);
    const QStringList common = {"train", "xor.json", "--epochs", "3", "--quiet"};
    // References: the old run (seed 1) and the new one (seed 2), each written undisturbed.
    QCOMPARE(run(common + QStringList{"--seed", "1", "--out", out + "-old"}).exitCode, 0);
    QCOMPARE(run(common + QStringList{"--seed", "2", "--out", out + "-new"}).exitCode, 0);
    QCOMPARE(run(common + QStringList{"--seed", "1", "--out", out}).exitCode, 0);
    compareRuns(out, out + "-old");

    {
        PausedRun killed(m_cli, m_dir.path(), common + QStringList{"--seed", "2", "--out", out}, point);
        QVERIFY2(killed.awaitPause(), killed.err().constData());
        killed.kill();
    }
    // Whole, never a mix: exactly the old run's files or exactly the new run's.
    compareRuns(out, newRun ? out + "-new" : out + "-old");

    // The next run cleans up what the killed one left and publishes as usual.
    const CliRun next = run(common + QStringList{"--seed", "2", "--out", out});
    QVERIFY2(next.exitCode == 0, next.err.constData());
    compareRuns(out, out + "-new");
    const QStringList left = QDir(m_dir.path()).entryList({"kill-" + point + ".*"}, QDir::Dirs | QDir::Files);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(' ')));
    if (!newRun)
        QVERIFY2(next.err.contains("note: removed"), next.err.constData());
}

void TestCliRunFolder::secondWriterRefused()
{
    const QString out = path("shared");
    PausedRun first(m_cli, m_dir.path(), {"train", "xor.json", "--epochs", "2", "--quiet", "--out", out},
                    "output-file");
    QVERIFY2(first.awaitPause(), first.err().constData());
    const CliRun second = run({"train", "xor.json", "--epochs", "2", "--quiet", "--out", out});
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.err.contains("another normad is writing into the output folder") &&
                 second.err.contains(out.toUtf8()),
             second.err.constData());
    // The second writer touched nothing: the first one's unfinished files are all there is.
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(QFileInfo::exists(out + ".partial/trained.json"));
    first.kill();
    // Once the holder is gone (even by SIGKILL), the folder is free again.
    QCOMPARE(run({"train", "xor.json", "--epochs", "2", "--quiet", "--out", out}).exitCode, 0);
    QVERIFY(QFileInfo::exists(out + "/trained.json"));
}

void TestCliRunFolder::staleTemporaryFileRemoved()
{
    // What a killed `normad import` leaves: the project's temporary file. The next write of the
    // same file removes it, but never one a live writer holds (locked, as writeFileAtomically does).
    QVERIFY(QFile::copy(path("xor.json"), path("import.json")));
    writeFile(path("import.json.tmp-stale1"), QByteArray(1 << 20, 'x'));
    writeFile(path("import.json.tmp-live01"), "being written\n");
    const int fd = ::open(path("import.json.tmp-live01").toLocal8Bit().constData(), O_WRONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    struct flock lock { };
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    QCOMPARE(::fcntl(fd, F_OFD_SETLK, &lock), 0);
    writeFile(path("spikes.csv"), "neuron,time_s\n0,0.001\n");
    const CliRun r = run({"import", "import.json", "--spikes", "spikes.csv", "--new"});
    ::close(fd);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(!QFileInfo::exists(path("import.json.tmp-stale1")));
    QVERIFY(QFileInfo::exists(path("import.json.tmp-live01")));
}

void TestCliRunFolder::resumeBitIdentical_data()
{
    QTest::addColumn<bool>("dataset");
    QTest::addColumn<bool>("miniBatch");
    QTest::newRow("XOR, online") << false << false;
    QTest::newRow("XOR, mini-batch") << false << true;
    QTest::newRow("tiny table, online") << true << false;
    QTest::newRow("tiny table, mini-batch") << true << true;
}

void TestCliRunFolder::resumeBitIdentical()
{
    QFETCH(bool, dataset);
    QFETCH(bool, miniBatch);
    const QString name = QString(dataset ? "table" : "xor") + (miniBatch ? "-batch" : "-online");
    const QString project = makeProject(name, dataset, miniBatch);
    const QStringList common = {"train", project, "--epochs", "7", "--quiet", "--seed", "5"};
    // The reference never stops and writes no checkpoint.
    const CliRun reference = run(common + QStringList{"--checkpoint-every", "off", "--out", name + "-reference"});
    QVERIFY2(reference.exitCode == 0, reference.err.constData());

    // Checkpoints after epochs 2 and 4; killed in the middle of epoch 5.
    const QString out = path(name + "-killed");
    {
        PausedRun killed(m_cli, m_dir.path(), common + QStringList{"--checkpoint-every", "2e", "--out", out},
                         "pattern:5:1");
        QVERIFY2(killed.awaitPause(), killed.err().constData());
        killed.kill();
    }
    QVERIFY(!QFileInfo::exists(out));
    const normad::Checkpoint checkpoint = normad::loadCheckpoint((out + ".partial/checkpoint.json").toStdString());
    QCOMPARE(checkpoint.trainer.completedEpochs, 4);
    QCOMPARE(checkpoint.maxEpochs, 7);
    QCOMPARE(checkpoint.project.seed, std::uint64_t(5));

    const CliRun resumed = run({"train", "--resume", out, "--quiet"});
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    compareRuns(out, path(name + "-reference"));
    QVERIFY(!QFileInfo::exists(out + ".partial"));
    QVERIFY(!QFileInfo::exists(out + "/checkpoint.json")); // a finished run has nothing to continue
}

void TestCliRunFolder::resumeAfterInterrupt()
{
    // Ctrl-C at an epoch boundary (here: paused right after the checkpoint of epoch 3, then SIGINT)
    // publishes the run with its checkpoint; --resume continues it to the same bits.
    const QString project = makeProject("interrupt", false, false);
    const QStringList common = {"train", project, "--epochs", "6", "--quiet", "--seed", "3"};
    QCOMPARE(run(common + QStringList{"--out", "interrupt-reference"}).exitCode, 0);
    const QString out = path("interrupt-run");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("NORMAD_TEST_PAUSE", "checkpoint:3");
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir.path());
    p.start(m_cli, common + QStringList{"--checkpoint-every", "3e", "--out", out});
    QByteArray err;
    QDeadlineTimer deadline(120000);
    while (!err.contains("test pause at checkpoint:3") && p.state() != QProcess::NotRunning && !deadline.hasExpired()) {
        p.waitForReadyRead(200);
        err += p.readAllStandardError();
    }
    QVERIFY2(err.contains("test pause at checkpoint:3"), err.constData());
    // The pause waits in pause(); SIGINT sets the cancel flag and the run stops before epoch 4.
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 130);
    QVERIFY(QFileInfo::exists(out + "/checkpoint.json"));
    QVERIFY(QFileInfo::exists(out + "/trained.json"));
    const CliRun resumed = run({"train", "--resume", out, "--quiet"});
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    compareRuns(out, path("interrupt-reference"));
}

void TestCliRunFolder::resumeRefusals_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("no checkpoint") << QStringList{"train", "--resume", "nowhere"} << QByteArray("no checkpoint");
    QTest::newRow("with a project") << QStringList{"train", "xor.json", "--resume", "nowhere"}
                                    << QByteArray("takes no PROJECT");
    QTest::newRow("with --epochs") << QStringList{"train", "--resume", "nowhere", "--epochs", "3"}
                                   << QByteArray("--epochs cannot be combined with --resume");
    QTest::newRow("bad interval") << QStringList{"train", "xor.json", "--checkpoint-every", "5x"}
                                  << QByteArray("unknown unit 'x'");
    QTest::newRow("zero interval") << QStringList{"train", "xor.json", "--checkpoint-every", "0e"}
                                   << QByteArray("at least 1");
    QTest::newRow("no project") << QStringList{"train"} << QByteArray("missing PROJECT");
}

void TestCliRunFolder::resumeRefusals()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    const CliRun r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCliRunFolder)
#include "tst_cli_runfolder.moc"
