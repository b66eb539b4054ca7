// Sweeps (docs/scaling.md): a sweep file expanded into runs against a base project, its refusals,
// the shard assignment, the run pool and the run claim.

#include "normad/ProjectFields.h"
#include "normad/ProjectIo.h"
#include "normad/RunClaim.h"
#include "normad/RunPool.h"
#include "normad/Shard.h"
#include "normad/SweepPlan.h"
#include "normad/TaskGenerators.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

using namespace normad;

namespace {

/// The XOR example, small: 2 layers (10 hidden, 1 output), initial weights drawn from seed 7.
Project baseProject()
{
    generators::XorOptions o;
    o.groupSize = 5;
    o.hidden = 10;
    o.duration = 0.1;
    return generators::xorTask(7, o);
}

SweepPlan plan(const std::string& json)
{
    return SweepPlan::fromJson(json, "sweep.json", baseProject(), "xor.json");
}

/// The refusal of a sweep file, or "" if it is accepted.
QString refusal(const std::string& json)
{
    try {
        plan(json);
        return {};
    } catch (const ProjectError& e) {
        return QString::fromStdString(e.what());
    }
}

} // namespace

class TestSweep : public QObject {
    Q_OBJECT

private slots:
    /// Runs = points × seeds, seeds fastest; a grid's last parameter varies fastest; a run that
    /// leaves a listed parameter out keeps the base project's value.
    void expansion_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("runs");
        QTest::addColumn<QStringList>("paths");
        QTest::addColumn<QStringList>("lastRun"); // seed, then each parameter's JSON text
        QTest::newRow("base only") << R"({"project": "x.json"})" << 1 << QStringList{} << QStringList{"7"};
        QTest::newRow("seed list") << R"({"project": "x.json", "seeds": [3, 1, 2]})" << 3 << QStringList{}
                                   << QStringList{"2"};
        QTest::newRow("seed range") << R"({"project": "x.json", "seeds": {"from": 10, "to": 14}})" << 5 << QStringList{}
                                    << QStringList{"14"};
        QTest::newRow("grid") << R"({"project": "x.json", "seeds": [1, 2],
                "grid": {"network.layers.0.learningRate_A": [1e-10, 2e-10, 3e-10],
                         "training.schedule": ["online", "batch"]}})"
                              << 12 << QStringList{"network.layers[0].learningRate_A", "training.schedule"}
                              << QStringList{"2", "3e-10", "\"batch\""};
        QTest::newRow("grid, bracket paths, rule setting")
            << R"({"project": "x.json", "grid": {"network.layers[1].size": [1],
                   "training.rules.normad.effectiveTimeConstant_s": [0.001, 0.002]}})"
            << 2 << QStringList{"network.layers[1].size", "training.rules.normad.effectiveTimeConstant_s"}
            << QStringList{"7", "1", "0.002"};
        QTest::newRow("runs") << R"({"project": "x.json", "seeds": {"from": 1, "to": 2},
                "runs": [{"training.maxEpochs": 5}, {"training.maxEpochs": 7, "network.layers.0.size": 4}]})"
                              << 4 << QStringList{"training.maxEpochs", "network.layers[0].size"}
                              << QStringList{"2", "7", "4"};
        QTest::newRow("runs, a parameter left out")
            << R"({"project": "x.json",
                "runs": [{"network.layers.0.size": 4}, {"training.maxEpochs": 9}]})"
            << 2 << QStringList{"network.layers[0].size", "training.maxEpochs"} << QStringList{"7", "10", "9"};
    }

    void expansion()
    {
        QFETCH(QString, json);
        QFETCH(int, runs);
        QFETCH(QStringList, paths);
        QFETCH(QStringList, lastRun);
        try {
            const SweepPlan p = plan(json.toStdString());
            QCOMPARE(static_cast<int>(p.runs().size()), runs);
            QStringList actualPaths;
            for (const std::string& path : p.parameterPaths())
                actualPaths << QString::fromStdString(path);
            QCOMPARE(actualPaths, paths);
            for (std::size_t i = 0; i < p.runs().size(); ++i) {
                QCOMPARE(p.runs()[i].index, i);
                QCOMPARE(p.runs()[i].id, sweepRunId(i, p.runs().size()));
            }
            const SweepRun& last = p.runs().back();
            QStringList actual{QString::number(last.seed)};
            for (const std::string& v : last.values)
                actual << QString::fromStdString(v);
            QCOMPARE(actual, lastRun);
            // The run's project carries exactly those values and the seed, and no weights by default.
            const Project project = p.project(last);
            QCOMPARE(project.seed, last.seed);
            QVERIFY(!project.hasWeights);
            for (std::size_t c = 0; c < p.parameterPaths().size(); ++c)
                QCOMPARE(getField(project, p.parameterPaths()[c]), last.values[c]);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
    }

    /// Every grid point appears once, with the values of the file.
    void gridIsTheCartesianProduct()
    {
        const SweepPlan p = plan(R"({"project": "x.json", "seeds": [5, 6],
            "grid": {"training.maxEpochs": [1, 2, 3], "network.layers.0.size": [4, 8]}})");
        QCOMPARE(p.runs().size(), std::size_t{12});
        std::set<std::tuple<std::uint64_t, std::string, std::string>> seen;
        for (const SweepRun& r : p.runs())
            seen.insert({r.seed, r.values[0], r.values[1]});
        QCOMPARE(seen.size(), std::size_t{12});
        for (std::uint64_t seed : {5, 6})
            for (const char* epochs : {"1", "2", "3"})
                for (const char* size : {"4", "8"})
                    QVERIFY(seen.count({seed, epochs, size}));
        // Seeds vary fastest, then the last parameter.
        QCOMPARE(p.runs()[0].seed, std::uint64_t{5});
        QCOMPARE(p.runs()[1].seed, std::uint64_t{6});
        QCOMPARE(p.runs()[2].values, (std::vector<std::string>{"1", "8"}));
        QCOMPARE(p.runs()[4].values, (std::vector<std::string>{"2", "4"}));
    }

    void weightsAndSet()
    {
        const Project base = baseProject();
        const SweepPlan fromProject = plan(
            R"({"project": "x.json", "weights": "project", "seeds": [1, 2],
                "set": {"training.maxEpochs": 17}, "epochs": 3})");
        const Project run = fromProject.project(fromProject.runs()[1]);
        QVERIFY(run.hasWeights);
        QVERIFY(run.network.weights(1) == base.network.weights(1));
        QCOMPARE(run.training.maxEpochs, 17);
        QCOMPARE(fromProject.epochs(), std::optional<int>(3));
        // The default draws each run's weights from its seed.
        const SweepPlan fromSeed = plan(R"({"project": "x.json", "seeds": [1, 2]})");
        Project a = fromSeed.project(fromSeed.runs()[0]);
        Project b = fromSeed.project(fromSeed.runs()[1]);
        a.ensureWeights();
        b.ensureWeights();
        QVERIFY(a.network.weights(1) != b.network.weights(1));
    }

    /// Bad files are refused naming the file, the field of the sweep file and the value.
    void refusals_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QStringList>("parts");
        QTest::newRow("unknown path") << R"({"project": "x.json", "grid": {"training.normad.learningRate": [1]}})"
                                      << QStringList{"sweep.json: grid.training.normad.learningRate",
                                                     "names no settable field",
                                                     "similar: network.layers[0].learningRate_A"};
        QTest::newRow("bad value") << R"({"project": "x.json", "grid": {"network.layers.0.size": [3, -2]}})"
                                   << QStringList{"sweep.json: grid.network.layers.0.size[1]", "-2"};
        QTest::newRow("wrong type") << R"({"project": "x.json", "grid": {"training.schedule": [1]}})"
                                    << QStringList{"grid.training.schedule[0]", "training.schedule"};
        QTest::newRow("bad choice") << R"({"project": "x.json", "runs": [{"training.schedule": "sometimes"}]})"
                                    << QStringList{"runs[0].training.schedule", "sometimes"};
        QTest::newRow("output count clashes with the task")
            << R"({"project": "x.json", "grid": {"network.layers.1.size": [2]}})"
            << QStringList{"grid.network.layers.1.size[0]", "network.layers[1].size", "(2)"};
        QTest::newRow("index out of range") << R"({"project": "x.json", "grid": {"network.layers.5.size": [2]}})"
                                            << QStringList{"grid.network.layers.5.size[0]", "out of range"};
        QTest::newRow("empty values") << R"({"project": "x.json", "grid": {"training.maxEpochs": []}})"
                                      << QStringList{"grid.training.maxEpochs", "empty"};
        QTest::newRow("not a list") << R"({"project": "x.json", "grid": {"training.maxEpochs": 5}})"
                                    << QStringList{"grid.training.maxEpochs"};
        QTest::newRow("grid and runs")
            << R"({"project": "x.json", "grid": {"training.maxEpochs": [1]}, "runs": [{"training.maxEpochs": 1}]})"
            << QStringList{"runs", "either"};
        QTest::newRow("unknown key") << R"({"project": "x.json", "gird": {}})"
                                     << QStringList{"sweep.json: gird", "unknown key", "grid"};
        QTest::newRow("no project") << R"({"seeds": [1]})" << QStringList{"project", "missing"};
        QTest::newRow("seed twice") << R"({"project": "x.json", "seeds": [1, 2, 1]})"
                                    << QStringList{"seeds[2]", "twice"};
        QTest::newRow("seed range backwards")
            << R"({"project": "x.json", "seeds": {"from": 5, "to": 2}})" << QStringList{"seeds.to", "2"};
        QTest::newRow("negative seed") << R"({"project": "x.json", "seeds": [-1]})" << QStringList{"seeds[0]", "-1"};
        QTest::newRow("seed as a parameter")
            << R"({"project": "x.json", "seeds": [1], "grid": {"seed": [1, 2]}})" << QStringList{"grid.seed", "seeds"};
        QTest::newRow("history") << R"({"project": "x.json", "set": {"history": []}})" << QStringList{"set.history"};
        QTest::newRow("bad weights") << R"({"project": "x.json", "weights": "random"})"
                                     << QStringList{"weights", "random"};
        QTest::newRow("bad epochs") << R"({"project": "x.json", "epochs": -1})" << QStringList{"epochs", "-1"};
        QTest::newRow("newer version") << R"({"formatVersion": 9, "project": "x.json"})"
                                       << QStringList{"formatVersion", "9"};
        QTest::newRow("duplicate in a run") << R"({"project": "x.json",
                "runs": [{"network.layers.0.size": 3, "network.layers[0].size": 4}]})"
                                            << QStringList{"runs[0]", "twice"};
        QTest::newRow("project weights do not fit")
            << R"({"project": "x.json", "weights": "project", "grid": {"network.layers.0.size": [4]}})"
            << QStringList{"grid.network.layers.0.size[0]", "\"weights\": \"project\""};
        QTest::newRow("syntax") << R"({"project": "x.json", )" << QStringList{"sweep.json", "line 1"};
    }

    void refusals()
    {
        QFETCH(QString, json);
        QFETCH(QStringList, parts);
        const QString message = refusal(json.toStdString());
        QVERIFY2(!message.isEmpty(), "accepted");
        for (const QString& part : parts)
            QVERIFY2(message.contains(part), qPrintable(message + "\n  lacks: " + part));
    }

    void canonicalPaths()
    {
        QCOMPARE(canonicalFieldPath("network.layers.0.size"), std::string("network.layers[0].size"));
        QCOMPARE(canonicalFieldPath("network.layers[12].neuron.threshold_V"),
                 std::string("network.layers[12].neuron.threshold_V"));
        QCOMPARE(canonicalFieldPath("seed"), std::string("seed"));
        QCOMPARE(sweepRunId(7, 10), std::string("run-0007"));
        QCOMPARE(sweepRunId(7, 123456), std::string("run-000007"));
    }

    /// Over the N shards every run is done exactly once, whatever the number of runs and of shards.
    void shardsCoverEveryRunOnce_data()
    {
        QTest::addColumn<int>("runs");
        QTest::addColumn<int>("shards");
        for (int runs : {1, 7, 12, 100})
            for (int shards : {1, 2, 3, 5, 8, 13})
                QTest::addRow("%d runs, %d shards", runs, shards) << runs << shards;
    }

    void shardsCoverEveryRunOnce()
    {
        QFETCH(int, runs);
        QFETCH(int, shards);
        std::vector<int> owners(static_cast<std::size_t>(runs), 0);
        std::size_t shares = 0;
        for (int k = 0; k < shards; ++k) {
            const Shard shard = Shard::parse(std::to_string(k) + "/" + std::to_string(shards));
            QCOMPARE(shard.index, k);
            QCOMPARE(shard.count, shards);
            std::size_t owned = 0;
            for (int i = 0; i < runs; ++i)
                if (shard.owns(static_cast<std::size_t>(i))) {
                    ++owners[static_cast<std::size_t>(i)];
                    ++owned;
                    QCOMPARE(i % shards, k); // the documented rule
                }
            QCOMPARE(shard.share(static_cast<std::size_t>(runs)), owned);
            shares += owned;
        }
        QCOMPARE(shares, static_cast<std::size_t>(runs));
        for (int n : owners)
            QCOMPARE(n, 1);
    }

    void shardParsing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("refusal");
        QTest::newRow("ok") << "2/5"
                            << "";
        QTest::newRow("K = N") << "5/5"
                               << "less than N";
        QTest::newRow("N = 0") << "0/0"
                               << "at least 1";
        QTest::newRow("no slash") << "3"
                                  << "K/N";
        QTest::newRow("negative") << "-1/4"
                                  << "whole numbers";
        QTest::newRow("junk") << "1/4x"
                              << "whole numbers";
    }

    void shardParsing()
    {
        QFETCH(QString, text);
        QFETCH(QString, refusal);
        try {
            const Shard s = Shard::parse(text.toStdString());
            QVERIFY2(refusal.isEmpty(), "accepted");
            QCOMPARE(QString::fromStdString(s.text()), text);
        } catch (const std::invalid_argument& e) {
            QVERIFY2(!refusal.isEmpty(), e.what());
            QVERIFY2(QString(e.what()).contains(refusal) && QString(e.what()).contains("--shard"), e.what());
            QVERIFY2(QString(e.what()).contains(text), e.what());
        }
    }

    /// SLURM job arrays: K from the task id, its minimum and step; N from the count.
    void slurmArray_data()
    {
        QTest::addColumn<QStringList>("environment"); // NAME=VALUE
        QTest::addColumn<QString>("shard");           // "" = not an array task; "!text" = refused with text
        QTest::newRow("not an array") << QStringList{} << "";
        QTest::newRow("0-based") << QStringList{"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_COUNT=8"} << "3/8";
        QTest::newRow("1-based") << QStringList{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT=4",
                                                "SLURM_ARRAY_TASK_MIN=1"}
                                 << "0/4";
        QTest::newRow("1-based, last") << QStringList{"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_COUNT=4",
                                                      "SLURM_ARRAY_TASK_MIN=1"}
                                       << "3/4";
        QTest::newRow("step") << QStringList{"SLURM_ARRAY_TASK_ID=14", "SLURM_ARRAY_TASK_COUNT=5",
                                             "SLURM_ARRAY_TASK_MIN=10", "SLURM_ARRAY_TASK_STEP=2"}
                              << "2/5";
        QTest::newRow("a list, not a range")
            << QStringList{"SLURM_ARRAY_TASK_ID=9", "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_MIN=1"}
            << "!SLURM_ARRAY_TASK_ID 9";
        QTest::newRow("malformed") << QStringList{"SLURM_ARRAY_TASK_ID=x", "SLURM_ARRAY_TASK_COUNT=3"}
                                   << "!SLURM_ARRAY_TASK_ID: expected a whole number (got 'x')";
        QTest::newRow("count missing") << QStringList{"SLURM_ARRAY_TASK_ID=2"} << "!SLURM_ARRAY_TASK_COUNT";
    }

    void slurmArray()
    {
        QFETCH(QStringList, environment);
        QFETCH(QString, shard);
        std::map<std::string, std::string> variables;
        for (const QString& line : environment)
            variables[line.section('=', 0, 0).toStdString()] = line.section('=', 1).toStdString();
        const auto getenv = [&](const char* name) -> const char* {
            const auto it = variables.find(name);
            return it == variables.end() ? nullptr : it->second.c_str();
        };
        try {
            const std::optional<Shard> s = Shard::fromSlurm(getenv);
            QVERIFY2(!shard.startsWith('!'), "accepted");
            QCOMPARE(s ? QString::fromStdString(s->text()) : QString(), shard);
        } catch (const std::invalid_argument& e) {
            QVERIFY2(shard.startsWith('!'), e.what());
            QVERIFY2(QString(e.what()).contains(shard.mid(1)), e.what());
        }
    }

    /// Every job runs exactly once on any number of threads; an exception ends the pool and is rethrown.
    void runPool_data()
    {
        QTest::addColumn<int>("jobs");
        QTest::addColumn<int>("threads");
        for (int jobs : {0, 1, 5, 40})
            for (int threads : {1, 2, 3, 8})
                QTest::addRow("%d jobs, %d threads", jobs, threads) << jobs << threads;
    }

    void runPool()
    {
        QFETCH(int, jobs);
        QFETCH(int, threads);
        std::vector<std::atomic<int>> done(static_cast<std::size_t>(jobs));
        runJobs(static_cast<std::size_t>(jobs), threads, [&](std::size_t i) { ++done[i]; });
        for (const auto& d : done)
            QCOMPARE(d.load(), 1);

        // A failing job ends the pool: its exception is rethrown and no job starts after the failure is
        // recorded. How many jobs other threads start between job 3's throw and that record depends on
        // the scheduler, so the count is exact on one thread and each job runs at most once on any.
        std::vector<std::atomic<int>> started(100);
        bool thrown = false;
        try {
            runJobs(
                100, threads,
                [&](std::size_t i) {
                    ++started[i];
                    if (i == 3)
                        throw std::runtime_error("job 3");
                },
                nullptr);
        } catch (const std::runtime_error& e) {
            thrown = std::string(e.what()) == "job 3";
        }
        QVERIFY(thrown);
        int total = 0;
        for (const auto& s : started) {
            QVERIFY(s.load() <= 1);
            total += s.load();
        }
        if (threads == 1)
            QCOMPARE(total, 4);

        CancelFlag cancel{true};
        std::atomic<int> ran{0};
        runJobs(
            10, threads, [&](std::size_t) { ++ran; }, &cancel);
        QCOMPARE(ran.load(), 0);
    }

    /// A claim excludes every other claim (another thread's too) until released, and a killed holder
    /// leaves no claim behind.
    void runClaim()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string folder = dir.path().toStdString();
        QVERIFY(!RunClaim::isHeld(folder));
        {
            std::optional<RunClaim> first = RunClaim::tryClaim(folder);
            QVERIFY(first);
            QVERIFY(RunClaim::isHeld(folder));
            QVERIFY(!RunClaim::tryClaim(folder));
            std::optional<RunClaim> moved = std::move(first);
            QVERIFY(!RunClaim::tryClaim(folder));
        }
        QVERIFY(!RunClaim::isHeld(folder));
        QVERIFY(RunClaim::tryClaim(folder));

        // A child process claims and is killed with SIGKILL: the claim goes with it.
        int ready[2];
        QCOMPARE(::pipe(ready), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            std::optional<RunClaim> held = RunClaim::tryClaim(folder);
            const char c = held ? 'y' : 'n';
            (void)!::write(ready[1], &c, 1);
            ::pause();
            ::_exit(0);
        }
        char c = 0;
        QCOMPARE(::read(ready[0], &c, 1), 1);
        QCOMPARE(c, 'y');
        QVERIFY(RunClaim::isHeld(folder));
        QVERIFY(!RunClaim::tryClaim(folder));
        ::kill(child, SIGKILL);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        ::close(ready[0]);
        ::close(ready[1]);
        QVERIFY(!RunClaim::isHeld(folder));
        QVERIFY(RunClaim::tryClaim(folder));
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
