// `normad sweep` as a process (NORMAD_CLI): run folders and their status, the merged table, shards,
// a rerun after a killed run, and processes sharing one sweep folder. The base project is the XOR
// example (`normad example xor`) with a few epochs per run, so each case takes seconds.

#include "CliProcess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <sched.h>
#include <signal.h>

namespace {

using normad::testcli::CliRun;
using normad::testcli::readAll;

QJsonObject readJson(const QString& path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

/// The rows of a CSV file without quoted fields, split at commas (header first).
QList<QStringList> csvRows(const QString& path)
{
    QList<QStringList> rows;
    for (const QByteArray& line : readAll(path).split('\n'))
        if (!line.isEmpty())
            rows << QString::fromUtf8(line).split(',');
    return rows;
}

/// The run ids a process reports as started ("run-0003: started, …"), sorted.
QStringList startedRuns(const QByteArray& out)
{
    QStringList ids;
    const QRegularExpression started(QStringLiteral("^(run-\\d+): started"), QRegularExpression::MultilineOption);
    for (auto it = started.globalMatch(QString::fromUtf8(out)); it.hasNext();)
        ids << it.next().captured(1);
    ids.sort(); // runs on several threads start in any order
    return ids;
}

} // namespace

class TestCliSweep : public QObject {
    Q_OBJECT

    QString m_cli;
    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    CliRun run(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        return normad::testcli::runCli(m_cli, args, m_dir.path(), 120000, env);
    }

    void writeSweep(const QString& name, const QByteArray& json)
    {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(json);
    }

    /// The status of every run in `dir` (from run.json), by run id.
    QMap<QString, QJsonObject> statuses(const QString& dir)
    {
        QMap<QString, QJsonObject> s;
        for (const QString& run : QDir(dir).entryList({"run-*"}, QDir::Dirs))
            s[run] = readJson(dir + "/" + run + "/run.json");
        return s;
    }

    /// Every planned run of `dir` finished, in its first attempt.
    void verifyAllFinishedOnce(const QString& dir, int runs)
    {
        const QMap<QString, QJsonObject> s = statuses(dir);
        QCOMPARE(s.size(), runs);
        for (auto it = s.begin(); it != s.end(); ++it) {
            QVERIFY2(it->value("status").toString() == "finished", qPrintable(it.key()));
            QVERIFY2(it->value("attempt").toInt() == 1, qPrintable(it.key()));
        }
    }

private slots:
    void initTestCase()
    {
        m_cli = qEnvironmentVariable("NORMAD_CLI");
        QVERIFY2(!m_cli.isEmpty() && QFileInfo(m_cli).isExecutable(), "NORMAD_CLI must name the normad binary");
        QVERIFY(m_dir.isValid());
        const CliRun example = run({"example", "xor", "-o", path("xor.json")});
        QVERIFY2(example.exitCode == 0, example.err.constData());
    }

    /// A grid over threads: one folder per run with the project as run, the training results and
    /// run.json; one table row per run with the swept values; a rerun redoes nothing.
    void gridRunsAndTable()
    {
        writeSweep("grid.json", R"({"project": "xor.json", "epochs": 2, "seeds": [1, 2],
            "grid": {"network.layers.0.learningRate_A": [1e-10, 2e-10], "training.schedule": ["online", "batch"]}})");
        const QString dir = path("grid-out");
        const CliRun r = run({"sweep", "grid.json", "--threads", "2", "--out", dir});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(startedRuns(r.out).size(), 8);
        verifyAllFinishedOnce(dir, 8);
        for (const char* file : {"project.json", "trained.json", "metrics.csv", "manifest.json", "output_spikes.csv"})
            QVERIFY2(QFileInfo::exists(dir + "/run-0005/" + file), qPrintable(file));
        // run-0005: the third point (2e-10, online), seed 2.
        const QJsonObject project = readJson(dir + "/run-0005/project.json");
        QCOMPARE(project["seed"].toInt(), 2);
        QCOMPARE(project["training"].toObject()["schedule"].toString(), QString("online"));
        QCOMPARE(project["network"].toObject()["layers"].toArray()[0].toObject()["learningRate_A"].toDouble(), 2e-10);
        const QJsonObject status = readJson(dir + "/run-0005/run.json");
        QCOMPARE(status["epochs"].toInt(), 2);
        QCOMPARE(status["stop_reason"].toString(), QString("max-epochs"));
        QVERIFY(status.contains("pid") && status.contains("host") && status.contains("started"));

        const QList<QStringList> rows = csvRows(dir + "/results.csv");
        QCOMPARE(rows.size(), 9);
        const QStringList header = rows[0];
        QCOMPARE(header.mid(0, 7), (QStringList{"run", "network.layers[0].learningRate_A", "training.schedule", "seed",
                                                "status", "attempt", "epochs"}));
        QVERIFY(header.contains("min_correlation") && header.contains("stop_reason"));
        QVERIFY(!header.contains("validation_accuracy")); // not a dataset task
        QCOMPARE(rows[6].mid(0, 7), (QStringList{"run-0005", "2e-10", "online", "2", "finished", "1", "2"}));
        const int minC = static_cast<int>(header.indexOf("min_correlation"));
        const QJsonObject final = status["final"].toObject();
        QCOMPARE(rows[6][minC].toDouble(), final["min_correlation"].toDouble());

        // A rerun: every run already finished, none started, run.json untouched.
        const QDateTime before = QFileInfo(dir + "/run-0003/run.json").lastModified();
        const CliRun again = run({"sweep", "grid.json", "--out", dir});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY(startedRuns(again.out).isEmpty());
        QCOMPARE(again.out.count(": already finished"), 8);
        QCOMPARE(QFileInfo(dir + "/run-0003/run.json").lastModified(), before);
        verifyAllFinishedOnce(dir, 8);

        // Another sweep into the same folder is refused, naming the first difference.
        writeSweep("grid2.json", R"({"project": "xor.json", "epochs": 2, "seeds": [1, 3],
            "grid": {"network.layers.0.learningRate_A": [1e-10, 2e-10], "training.schedule": ["online", "batch"]}})");
        const CliRun other = run({"sweep", "grid2.json", "--out", dir});
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains("holds another sweep") && other.err.contains("run-0001"), other.err.constData());
    }

    /// Shards K/N (option or SLURM array variables) take the runs i with i mod N = K; --collect
    /// lists the runs no shard has done yet as pending.
    void shardsAndCollect()
    {
        writeSweep("shards.json", R"({"project": "xor.json", "epochs": 1, "seeds": {"from": 1, "to": 7}})");
        const QString dir = path("shards-out");
        const CliRun first = run({"sweep", "shards.json", "--shard", "0/3", "--out", dir});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(startedRuns(first.out), (QStringList{"run-0000", "run-0003", "run-0006"}));

        const CliRun collected = run({"sweep", "--collect", dir});
        QVERIFY2(collected.exitCode == 0, collected.err.constData());
        QVERIFY2(collected.out.contains("7 runs (3 finished, 4 pending)"), collected.out.constData());
        const QList<QStringList> rows = csvRows(dir + "/results.csv");
        QCOMPARE(rows.size(), 8);
        QCOMPARE(rows[0].mid(0, 3), (QStringList{"run", "seed", "status"}));
        for (int i = 0; i < 7; ++i) {
            QCOMPARE(rows[i + 1][0], QString("run-000%1").arg(i));
            QCOMPARE(rows[i + 1][1], QString::number(i + 1));
            QCOMPARE(rows[i + 1][2], QString(i % 3 == 0 ? "finished" : "pending"));
        }

        // Shard 1/3 as the second task of a 1-based SLURM array (--array=1-3).
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SLURM_ARRAY_TASK_ID", "2");
        env.insert("SLURM_ARRAY_TASK_COUNT", "3");
        env.insert("SLURM_ARRAY_TASK_MIN", "1");
        const CliRun second = run({"sweep", "shards.json", "--out", dir}, env);
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QVERIFY(second.out.contains("shard 1/3"));
        QCOMPARE(startedRuns(second.out), (QStringList{"run-0001", "run-0004"}));
        // --shard wins over the environment.
        const CliRun third = run({"sweep", "shards.json", "--shard", "2/3", "--out", dir}, env);
        QVERIFY2(third.exitCode == 0, third.err.constData());
        QCOMPARE(startedRuns(third.out), (QStringList{"run-0002", "run-0005"}));
        verifyAllFinishedOnce(dir, 7);
        const CliRun all = run({"sweep", "--collect", dir});
        QVERIFY2(all.out.contains("7 runs (7 finished)"), all.out.constData());
    }

    /// Without --threads a sweep runs as many runs at a time as the process has cores in its CPU
    /// affinity (what SLURM grants a task), not as many as the machine has.
    void threadsDefaultToTheAffinity()
    {
        writeSweep("affinity.json", R"({"project": "xor.json", "epochs": 1, "seeds": [1, 2, 3]})");
        cpu_set_t saved;
        QCOMPARE(sched_getaffinity(0, sizeof saved, &saved), 0);
        int first = 0;
        while (!CPU_ISSET(first, &saved))
            ++first;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(first, &one);
        // The child inherits the affinity of the thread that starts it.
        QCOMPARE(sched_setaffinity(0, sizeof one, &one), 0);
        const CliRun r = run({"sweep", "affinity.json", "--out", path("affinity-out")});
        QCOMPARE(sched_setaffinity(0, sizeof saved, &saved), 0);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("does 3 on 1 thread into"), r.out.constData());
    }

    /// --list checks the file and prints the runs of this shard, training nothing.
    void listRuns()
    {
        writeSweep("list.json", R"({"project": "xor.json", "seeds": [4, 5],
            "grid": {"training.schedule": ["online", "batch"]}})");
        const CliRun r = run({"sweep", "list.json", "--list", "--shard", "1/2", "--out", path("list-out")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out, QByteArray("run-0001  seed 5, training.schedule = \"online\"\n"
                                   "run-0003  seed 5, training.schedule = \"batch\"\n"
                                   "4 runs; shard 1/2 has 2\n"));
        QVERIFY(!QFileInfo::exists(path("list-out")));
    }

    /// A sweep killed (SIGKILL) in the middle of a run: the table shows the run abandoned; a rerun
    /// redoes that run from scratch, does the rest, and leaves the finished run alone.
    void resumeAfterKill()
    {
        // run-0001 is long (never converges, many epochs); the others take a few epochs.
        writeSweep("kill.json", R"({"project": "xor.json",
            "set": {"training.convergence": "correlation", "training.targetCorrelation": 2, "training.silentEpochs": 0},
            "runs": [{"training.maxEpochs": 2}, {"training.maxEpochs": 150}, {"training.maxEpochs": 2}]})");
        const QString dir = path("kill-out");
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(m_cli, {"sweep", "kill.json", "--threads", "1", "--out", dir});
        QVERIFY(p.waitForStarted(10000));
        // Await run-0001 under way, with its outputs partly written, then kill the process outright.
        QTRY_VERIFY_WITH_TIMEOUT(readJson(dir + "/run-0001/run.json")["status"].toString() == "running" &&
                                     QFileInfo::exists(dir + "/run-0001/project.json"),
                                 30000);
        QCOMPARE(p.state(), QProcess::Running);
        QCOMPARE(::kill(static_cast<pid_t>(p.processId()), SIGKILL), 0);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QCOMPARE(readJson(dir + "/run-0000/run.json")["status"].toString(), QString("finished"));
        QVERIFY(!QFileInfo::exists(dir + "/run-0001/trained.json"));
        const QDateTime finishedAt = QFileInfo(dir + "/run-0000/run.json").lastModified();
        const QByteArray finishedStatus = readAll(dir + "/run-0000/run.json");

        const CliRun collected = run({"sweep", "--collect", dir});
        QVERIFY2(collected.out.contains("1 finished, 1 abandoned, 1 pending"), collected.out.constData());
        QVERIFY(csvRows(dir + "/results.csv")[2].contains("abandoned"));

        const CliRun rerun = run({"sweep", "kill.json", "--threads", "1", "--out", dir});
        QVERIFY2(rerun.exitCode == 0, rerun.err.constData());
        QCOMPARE(startedRuns(rerun.out), (QStringList{"run-0001", "run-0002"}));
        QVERIFY2(rerun.out.contains("run-0000: already finished"), rerun.out.constData());
        QVERIFY2(rerun.out.contains("attempt 2; the last one ended running"), rerun.out.constData());
        // The finished run was not redone: its status file is the same file, byte for byte.
        QCOMPARE(QFileInfo(dir + "/run-0000/run.json").lastModified(), finishedAt);
        QCOMPARE(readAll(dir + "/run-0000/run.json"), finishedStatus);
        const QMap<QString, QJsonObject> s = statuses(dir);
        QCOMPARE(s["run-0000"]["attempt"].toInt(), 1);
        QCOMPARE(s["run-0001"]["attempt"].toInt(), 2);
        QCOMPARE(s["run-0002"]["attempt"].toInt(), 1);
        for (const QJsonObject& status : s)
            QCOMPARE(status["status"].toString(), QString("finished"));
        QCOMPARE(s["run-0001"]["epochs"].toInt(), 150);
        QVERIFY(QFileInfo::exists(dir + "/run-0001/trained.json"));
    }

    /// Processes started together on one folder — two shards and one process taking every run —
    /// never do a run twice: each run is started by exactly one of them, once.
    void concurrentProcessesShareAFolder()
    {
        writeSweep("shared.json", R"({"project": "xor.json", "epochs": 6, "seeds": {"from": 1, "to": 8}})");
        const QString dir = path("shared-out");
        const QList<QStringList> commands = {
            {"sweep", "shared.json", "--threads", "1", "--shard", "0/2", "--out", dir},
            {"sweep", "shared.json", "--threads", "1", "--shard", "1/2", "--out", dir},
            {"sweep", "shared.json", "--threads", "2", "--out", dir},
        };
        std::vector<std::unique_ptr<QProcess>> processes;
        for (const QStringList& args : commands) {
            processes.push_back(std::make_unique<QProcess>());
            processes.back()->setWorkingDirectory(m_dir.path());
            processes.back()->start(m_cli, args);
        }
        QStringList started;
        for (auto& p : processes) {
            QVERIFY(p->waitForFinished(120000));
            QCOMPARE(p->exitCode(), 0);
            started += startedRuns(p->readAllStandardOutput());
        }
        started.sort();
        QStringList expected;
        for (int i = 0; i < 8; ++i)
            expected << QString("run-000%1").arg(i);
        QCOMPARE(started, expected);
        verifyAllFinishedOnce(dir, 8);
    }

    /// A dataset project: accuracy columns in the table. A run that cannot start its training (its
    /// data file is gone) is "failed" with the reason, the process exits 1, and a rerun redoes it.
    void datasetRunsAndFailures()
    {
        QVERIFY(QDir(m_dir.path()).mkpath("iris"));
        const CliRun example = run({"example", "iris", "-o", path("iris/iris.json")});
        QVERIFY2(example.exitCode == 0, example.err.constData());
        writeSweep("iris/sweep.json", R"({"project": "iris.json", "epochs": 1, "seeds": [1, 2]})");
        const QString dir = path("iris-out");
        const CliRun r = run({"sweep", "iris/sweep.json", "--out", dir});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(dir + "/run-0001/accuracy.csv"));
        const QList<QStringList> rows = csvRows(dir + "/results.csv");
        QCOMPARE(rows.size(), 3);
        const int validation = static_cast<int>(rows[0].indexOf("validation_accuracy"));
        QVERIFY(validation > 0 && rows[0].contains("train_accuracy"));
        const QJsonObject status = readJson(dir + "/run-0001/run.json");
        QCOMPARE(rows[2][validation].toDouble(), status["final"].toObject()["validation_accuracy"].toDouble());

        const QString data = path("iris/iris.csv");
        QVERIFY(QFile::rename(data, data + ".away"));
        const QString failedDir = path("iris-failed");
        const CliRun failed = run({"sweep", "iris/sweep.json", "--out", failedDir});
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.contains("2 runs failed"), failed.err.constData());
        const QJsonObject failure = readJson(failedDir + "/run-0000/run.json");
        QCOMPARE(failure["status"].toString(), QString("failed"));
        QVERIFY2(failure["message"].toString().contains("iris.csv"), qPrintable(failure["message"].toString()));
        QCOMPARE(csvRows(failedDir + "/results.csv")[1][2], QString("failed"));

        QVERIFY(QFile::rename(data + ".away", data));
        const CliRun redone = run({"sweep", "iris/sweep.json", "--out", failedDir});
        QVERIFY2(redone.exitCode == 0, redone.err.constData());
        QCOMPARE(startedRuns(redone.out), (QStringList{"run-0000", "run-0001"}));
        QCOMPARE(readJson(failedDir + "/run-0000/run.json")["status"].toString(), QString("finished"));
        QCOMPARE(readJson(failedDir + "/run-0000/run.json")["attempt"].toInt(), 2);
    }

    /// Ctrl-C stops the run in progress within moments: exit 130, the run marked interrupted.
    void interrupted()
    {
        writeSweep("endless.json", R"({"project": "xor.json", "epochs": 1000000,
            "set": {"training.convergence": "correlation", "training.targetCorrelation": 2,
                    "training.silentEpochs": 0}})");
        const QString dir = path("endless-out");
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(m_cli, {"sweep", "endless.json", "--out", dir});
        QVERIFY(p.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(readJson(dir + "/run-0000/run.json")["status"].toString() == "running", 30000);
        QCOMPARE(::kill(static_cast<pid_t>(p.processId()), SIGINT), 0);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(p.readAllStandardError().startsWith("normad: interrupted"));
        QCOMPARE(readJson(dir + "/run-0000/run.json")["status"].toString(), QString("interrupted"));
        QCOMPARE(csvRows(dir + "/results.csv")[1][2], QString("interrupted"));
    }

    /// `normad reproduce` keeps its trials as sweep runs: shards of it meet in --out DIR, and a last
    /// run without a shard reads every trial back and writes the table a single run writes.
    void reproduceShardsAndKeptTrials()
    {
        const QString whole = path("reproduce-whole");
        const CliRun single = run({"reproduce", "xor", "--trials", "2", "--epochs", "2", "--out", whole});
        QVERIFY2(single.exitCode == 0, single.err.constData());
        QVERIFY(!single.out.contains("(kept)"));

        const QString sharded = path("reproduce-sharded");
        for (const char* shard : {"0/3", "1/3", "2/3"}) {
            const CliRun r =
                run({"reproduce", "xor", "--trials", "2", "--epochs", "2", "--shard", shard, "--out", sharded});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY2(r.out.contains(QByteArray("shard ") + shard), r.out.constData());
        }
        const CliRun last = run({"reproduce", "xor", "--trials", "2", "--epochs", "2", "--out", sharded});
        QVERIFY2(last.exitCode == 0, last.err.constData());
        QCOMPARE(last.out.count("(kept)"), 6); // 3 variants x 2 seeds, none trained again
        // The tables equal a single run's, but for the wall times.
        const auto withoutSeconds = [](const QString& file) {
            QList<QStringList> rows = csvRows(file);
            const qsizetype seconds = rows.isEmpty() ? -1 : rows[0].indexOf("seconds");
            for (QStringList& row : rows)
                if (seconds >= 0 && seconds < row.size())
                    row.removeAt(seconds);
            return rows;
        };
        QCOMPARE(withoutSeconds(sharded + "/trials.csv"), withoutSeconds(whole + "/trials.csv"));
        QCOMPARE(withoutSeconds(sharded + "/summary.csv"), withoutSeconds(whole + "/summary.csv"));
        QCOMPARE(readAll(sharded + "/curves.csv"), readAll(whole + "/curves.csv"));

        // Other options on the same folder are refused; --shard needs --out.
        const CliRun other = run({"reproduce", "xor", "--trials", "3", "--epochs", "2", "--out", sharded});
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains("records other trials"), other.err.constData());
        const CliRun noOut = run({"reproduce", "xor", "--shard", "0/2"});
        QCOMPARE(noOut.exitCode, 2);
        QVERIFY2(noOut.err.contains("--shard needs --out"), noOut.err.constData());
    }

    /// `normad reproduce --set PATH=VALUE` sets a field in every trial's project (the ε′ lag table of
    /// docs/reproduction.md); the summary names the variant, a folder keeps it in its plan, bad input is named.
    void reproduceSetsAField()
    {
        const QString dir = path("reproduce-set");
        const CliRun r = run({"reproduce", "xor", "--trials", "1", "--epochs", "1", "--variant", "default", "--set",
                              "training.rules.normad.epsilonLag=\"nextStep\"", "--json", "--out", dir});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("ε′ lag nextStep"), r.out.constData());
        const CliRun other =
            run({"reproduce", "xor", "--trials", "1", "--epochs", "1", "--variant", "default", "--out", dir});
        QCOMPARE(other.exitCode, 2); // the folder's trials were made with the field set
        QVERIFY2(other.err.contains("records other trials"), other.err.constData());
        // --set repeats: every field given is set, in order (a multi-layer grid cell sets one rate per layer).
        const CliRun both = run({"reproduce", "xor", "--trials", "1", "--epochs", "1", "--variant", "default", "--set",
                                 "training.rules.normad.epsilonLag=\"nextStep\"", "--set",
                                 "training.rules.normad.matchTolerance_s=0.001"});
        QVERIFY2(both.exitCode == 0, both.err.constData());
        QVERIFY2(both.out.contains("with training.rules.normad.epsilonLag = \"nextStep\", "
                                   "training.rules.normad.matchTolerance_s = 0.001"),
                 both.out.constData());
        const CliRun bothJson = run({"reproduce", "xor", "--trials", "1", "--epochs", "1", "--variant", "default",
                                     "--set", "training.rules.normad.epsilonLag=\"nextStep\"", "--set",
                                     "training.rules.normad.matchTolerance_s=0.001", "--json"});
        QVERIFY2(bothJson.exitCode == 0, bothJson.err.constData());
        QVERIFY2(bothJson.out.contains("ε′ lag nextStep") && bothJson.out.contains("match tolerance 1 ms"),
                 bothJson.out.constData());
        const CliRun badSecond =
            run({"reproduce", "xor", "--trials", "1", "--set", "training.maxEpochs=3", "--set", "network.layers[0]"});
        QCOMPARE(badSecond.exitCode, 2);
        QVERIFY2(badSecond.err.contains("got \"network.layers[0]\""), badSecond.err.constData());
        const CliRun bad = run({"reproduce", "xor", "--trials", "1", "--set", "training.rules.normad.lag=1"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("training.rules.normad.lag"), bad.err.constData());
        const CliRun malformed = run({"reproduce", "xor", "--set", "training.maxEpochs"});
        QCOMPARE(malformed.exitCode, 2);
        QVERIFY2(malformed.err.contains("--set: expected PATH=VALUE"), malformed.err.constData());
    }

    /// `normad reproduce --stay-epochs N` trains every trial N epochs past its first success and reports how
    /// many stayed solved (docs/reproduction.md, "Solutions that stay solved"); a folder keeps N in its plan.
    void reproduceStayEpochs()
    {
        const QString dir = path("reproduce-stay");
        const CliRun r = run({"reproduce", "xor", "--trials", "1", "--variant", "default", "--stay-epochs", "4",
                              "--threads", "1", "--json", "--out", dir});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2); // the trial, then the summary
        const QJsonObject trial = QJsonDocument::fromJson(lines[0]).object();
        const QJsonObject summary = QJsonDocument::fromJson(lines[1]).object();
        QVERIFY2(trial.value("success").toBool(), lines[0].constData());
        QCOMPARE(trial.value("epochs").toInt(), trial.value("epochs_to_success").toInt() + 4);
        QCOMPARE(trial.value("epochs_after_success").toInt(), 4);
        QCOMPARE(summary.value("epochs_after_success").toInt(), 4);
        QCOMPARE(summary.value("stayed_solved").toInt(), trial.value("held_epochs").toInt() == 4 ? 1 : 0);
        QVERIFY(readAll(dir + "/trials/plan.json").contains("\"stay_epochs\": 4"));
        const CliRun text = run({"reproduce", "xor", "--trials", "1", "--variant", "default", "--stay-epochs", "4",
                                 "--threads", "1", "--out", dir}); // the kept trial, as a table
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("4 epochs past the first success") && text.out.contains("stayed "),
                 text.out.constData());
        const CliRun other = run({"reproduce", "xor", "--trials", "1", "--variant", "default", "--out", dir});
        QCOMPARE(other.exitCode, 2); // the folder's trials were continued
        QVERIFY2(other.err.contains("records other trials"), other.err.constData());
    }

    /// Bad sweep files and arguments: exit code 2 and one line naming the file, field and value.
    void refusals_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("args"); // after "sweep"; SWEEP = bad.json
        QTest::addColumn<QStringList>("parts");
        QTest::newRow("unknown path")
            << QByteArray(R"({"project": "xor.json", "grid": {"training.normad.learningRate": [1e-9]}})")
            << QStringList{"bad.json"}
            << QStringList{"bad.json: grid.training.normad.learningRate", "network.layers[0].learningRate_A"};
        QTest::newRow("bad value") << QByteArray(
                                          R"({"project": "xor.json", "grid": {"network.layers.0.size": [4, 0]}})")
                                   << QStringList{"bad.json"}
                                   << QStringList{"bad.json: grid.network.layers.0.size[1]", "(got 0)"};
        QTest::newRow("missing project") << QByteArray(R"({"project": "nowhere.json"})") << QStringList{"bad.json"}
                                         << QStringList{"bad.json: project", "nowhere.json"};
        QTest::newRow("bad shard") << QByteArray(R"({"project": "xor.json"})")
                                   << QStringList{"bad.json", "--shard", "2/2"} << QStringList{"--shard", "2/2"};
        QTest::newRow("collect, not a sweep folder")
            << QByteArray() << QStringList{"--collect", "."} << QStringList{"not a sweep folder", "plan.json"};
        QTest::newRow("no sweep") << QByteArray() << QStringList{} << QStringList{"missing SWEEP"};
    }

    void refusals()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, args);
        QFETCH(QStringList, parts);
        writeSweep("bad.json", json);
        const CliRun r = run(QStringList{"sweep"} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("normad: ") && r.err.count('\n') == 1, r.err.constData());
        for (const QString& part : parts)
            QVERIFY2(r.err.contains(part.toUtf8()), qPrintable(QString::fromUtf8(r.err) + " lacks " + part));
    }
};

QTEST_GUILESS_MAIN(TestCliSweep)
#include "tst_cli_sweep.moc"
