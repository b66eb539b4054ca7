// normad sweep: runs a sweep file's grid or list of runs (seeds × project parameters by path), over
// threads or as one shard of several processes (a SLURM job array, --shard K/N), each run in its
// own folder, resumable; and merges the runs into one table (--collect).

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliSupport.h"
#include "CliSweepFolder.h"
#include "CliTraining.h"

#include "normad/ProjectIo.h"
#include "normad/RunClaim.h"
#include "normad/RunPool.h"
#include "normad/Shard.h"
#include "normad/SweepPlan.h"
#include "normad/TextFormat.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <ostream>

#include <unistd.h>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array options{
    OptionSpec{"--threads", "", "N", ArgumentKind::Count,
               "runs in parallel on N threads, each run single-threaded (default: all usable cores, i.e. the "
               "CPU affinity that SLURM or taskset grant)"},
    OptionSpec{"--shard", "", "K/N", ArgumentKind::Text,
               "do only shard K (0-based) of N: the runs i with i mod N = K (default: from SLURM_ARRAY_TASK_ID "
               "and SLURM_ARRAY_TASK_COUNT in a SLURM job array, else every run)"},
    OptionSpec{"--out", "", "DIR", ArgumentKind::Text,
               "the sweep folder: one folder per run, plan.json, results.csv (default: ./<sweep stem>-sweep)"},
    OptionSpec{"--list", "", "", ArgumentKind::None,
               "run nothing: check the sweep file and print its runs (of this shard, with --shard)"},
    OptionSpec{"--collect", "", "DIR", ArgumentKind::Text,
               "run nothing: merge the runs of the sweep folder DIR into DIR/results.csv"},
};

/// What became of one run in this process.
enum class Outcome { Finished, AlreadyFinished, Busy, Interrupted, Failed };

std::string utcNow()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string hostName()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return "unknown";
    return name;
}

/// Runs one run of the plan in `folder` under its claim; prints one line.
class RunExecutor {
public:
    RunExecutor(const SweepPlan& plan, fs::path dir, CommandContext& context)
        : m_plan(plan),
          m_dir(std::move(dir)),
          m_context(context),
          m_projectDirectory(fs::absolute(fs::path(plan.projectPath())).parent_path().string()),
          m_host(hostName())
    {
    }

    Outcome execute(const SweepRun& run)
    {
        const fs::path folder = m_dir / run.id;
        std::error_code ec;
        fs::create_directories(folder, ec);
        if (ec)
            throw std::runtime_error("cannot create the run folder '" + folder.string() + "': " + ec.message());
        std::optional<RunClaim> claim = RunClaim::tryClaim(folder.string());
        if (!claim) {
            say(run.id + ": in progress in another process; left to it");
            return Outcome::Busy;
        }
        const Json previous = readRunStatus(folder);
        const std::string previousStatus = previous.is_object() ? previous.value("status", "") : "";
        if (previousStatus == "finished") {
            say(run.id + ": already finished");
            return Outcome::AlreadyFinished;
        }
        // Anything else (killed while running, interrupted, failed) is redone from scratch.
        for (const fs::directory_entry& entry : fs::directory_iterator(folder))
            if (entry.path().filename() != RunClaim::fileName)
                fs::remove_all(entry.path());
        Json status = Json::object();
        status["run"] = run.id;
        status["index"] = run.index;
        status["status"] = "running";
        status["attempt"] = (previous.is_object() ? previous.value("attempt", 0) : 0) + 1;
        status["pid"] = static_cast<long long>(::getpid());
        status["host"] = m_host;
        status["started"] = utcNow();
        status["seed"] = run.seed;
        Json values = Json::object();
        for (std::size_t c = 0; c < run.values.size(); ++c)
            values[m_plan.parameterPaths()[c]] = Json::parse(run.values[c]);
        status["parameters"] = std::move(values);
        writeStatus(folder, status);
        const std::string retry = previousStatus.empty() ? std::string()
                                                         : " (attempt " + std::to_string(status["attempt"].get<int>()) +
                                                               "; the last one ended " + previousStatus + ")";
        say(run.id + ": started, " + m_plan.describe(run) + retry);

        const auto start = std::chrono::steady_clock::now();
        try {
            Project project = m_plan.project(run);
            project.ensureWeights();
            Project asRun = project;
            rebaseDataReferences(asRun, m_projectDirectory, fs::absolute(folder).string());
            saveProject(asRun, (folder / "project.json").string());
            const int maxEpochs = m_plan.epochs().value_or(project.training.maxEpochs);
            const TrainingOutputs outputs =
                trainAndWrite(project, m_projectDirectory, folder, maxEpochs, nullptr, m_context.cancel);
            const TrainingResult& r = outputs.result;
            const bool interrupted = r.reason == StopReason::Cancelled;
            status["status"] = interrupted ? "interrupted" : "finished";
            status["ended"] = utcNow();
            status["stop_reason"] = toString(r.reason);
            status["message"] = r.message;
            status["epochs"] = r.epochs;
            status["converged_epoch"] = r.convergedEpoch;
            status["seconds"] = r.seconds;
            if (outputs.dataset && !r.history.empty())
                status["train_accuracy"] = r.history.back().trainAccuracy;
            status["final"] = metricsJson(outputs.finalEvaluation);
            status["files"] = outputs.written;
            writeStatus(folder, status);
            say(run.id + ": " + (interrupted ? "interrupted" : "finished") + " (" + toString(r.reason) + ", " +
                plural(r.epochs, "epoch") + ", final min C " +
                formatted("%.3f", outputs.finalEvaluation.minCorrelation) + ") in " + formatted("%.3g", r.seconds) +
                " s");
            return interrupted ? Outcome::Interrupted : Outcome::Finished;
        } catch (const std::exception& e) {
            status["status"] = "failed";
            status["ended"] = utcNow();
            status["message"] = e.what();
            status["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            writeStatus(folder, status);
            say(run.id + ": failed: " + e.what());
            return Outcome::Failed;
        }
    }

private:
    static void writeStatus(const fs::path& folder, const Json& status)
    {
        writeText(folder / "run.json", status.dump(1, ' ', false, Json::error_handler_t::replace) + "\n");
    }

    void say(const std::string& line)
    {
        std::lock_guard lock(m_outputMutex);
        m_context.out << line << '\n';
        m_context.out.flush();
    }

    const SweepPlan& m_plan;
    fs::path m_dir;
    CommandContext& m_context;
    std::string m_projectDirectory;
    std::string m_host;
    std::mutex m_outputMutex;
};

int collect(const std::string& dirText, CommandContext& context)
{
    const fs::path dir(dirText);
    const SweepTable table = collectSweep(dir);
    writeText(dir / "results.csv", table.csv);
    context.out << "wrote " << (dir / "results.csv").string() << ": "
                << plural(static_cast<long long>(table.runs), "run") << " (" << describeCounts(table) << ")\n";
    return exitSuccess;
}

int run(const ParsedArgs& args, CommandContext& context)
{
    if (const std::optional<std::string> dir = args.text("--collect")) {
        if (!args.positionals().empty())
            throw UsageError("--collect DIR merges a sweep folder and takes no SWEEP file (got '" +
                             args.positionals().front() + "')");
        return collect(*dir, context);
    }
    if (args.positionals().empty())
        throw UsageError("missing SWEEP for 'sweep' (see 'normad sweep --help')");
    const std::string sweepPath = args.positionals().front();
    const Shard shard = chooseShard(args.text("--shard")).value_or(Shard{});
    const int threads = std::max(1, args.count("--threads").value_or(availableCores()));
    const std::string outDir = args.text("--out").value_or(defaultOutputFolder(sweepPath, "-sweep"));

    SweepPlan plan;
    try {
        plan = SweepPlan::load(sweepPath);
    } catch (const ProjectError& e) {
        throw std::invalid_argument(e.what()); // a bad sweep file is bad input (exit code 2)
    }
    std::vector<const SweepRun*> mine;
    for (const SweepRun& r : plan.runs())
        if (shard.owns(r.index))
            mine.push_back(&r);
    if (args.has("--list")) {
        for (const SweepRun* r : mine)
            context.out << r->id << "  " << plan.describe(*r) << '\n';
        context.out << plural(static_cast<long long>(plan.runs().size()), "run") << "; shard " << shard.text()
                    << " has " << mine.size() << '\n';
        return exitSuccess;
    }
    const fs::path dir = prepareOutputFolder(outDir);
    recordPlan(dir, plan);
    context.out << "sweep " << sweepPath << ": " << plural(static_cast<long long>(plan.runs().size()), "run")
                << "; shard " << shard.text() << " does " << mine.size() << " on "
                << plural(std::min<long long>(threads, std::max<std::size_t>(mine.size(), 1)), "thread") << " into "
                << dir.string() << '\n';
    context.out.flush();

    RunExecutor executor(plan, dir, context);
    std::vector<Outcome> outcomes(mine.size(), Outcome::Interrupted);
    std::vector<char> started(mine.size(), 0);
    runJobs(
        mine.size(), threads,
        [&](std::size_t i) {
            started[i] = 1;
            outcomes[i] = executor.execute(*mine[i]);
        },
        context.cancel);

    std::map<Outcome, int> n;
    for (std::size_t i = 0; i < mine.size(); ++i)
        if (started[i])
            ++n[outcomes[i]];
    const SweepTable table = collectSweep(dir);
    writeText(dir / "results.csv", table.csv);
    context.out << "shard " << shard.text() << ": " << n[Outcome::Finished] << " finished now, "
                << n[Outcome::AlreadyFinished] << " already finished, " << n[Outcome::Busy]
                << " in progress elsewhere, " << n[Outcome::Failed] << " failed, " << n[Outcome::Interrupted]
                << " interrupted\n"
                << "wrote " << (dir / "results.csv").string() << ": " << describeCounts(table) << '\n';
    if (cancelled(context.cancel)) {
        context.err << errorLine("interrupted: finished runs are kept; rerun the same command to do the rest");
        return exitInterrupted;
    }
    if (n[Outcome::Failed] > 0) {
        context.err << errorLine(plural(n[Outcome::Failed], "run") + " failed (see their run.json and " +
                                 (dir / "results.csv").string() + ")");
        return exitFailure;
    }
    return exitSuccess;
}

} // namespace

CommandSpec sweepCommand()
{
    return {
        "normad sweep SWEEP.json [options]     (normad sweep --collect DIR)",
        "Runs every run of a sweep file: a base project, seeds × project parameters by their path\n"
        "(training.maxEpochs, network.layers[0].learningRate_A, …) as a grid or a list of runs; the\n"
        "format is in docs/scaling.md. Each run trains as 'normad train' does, single-threaded, in its\n"
        "own folder DIR/run-NNNN. A rerun skips finished runs and redoes from scratch any run that was\n"
        "killed, interrupted or failed; processes sharing DIR never do one run at the same time.\n"
        "Shards: run i belongs to shard i mod N, so N processes with --shard 0/N … N−1/N (or the\n"
        "tasks of a SLURM job array) do every run exactly once. Every process ends by writing\n"
        "DIR/results.csv; --collect DIR rewrites it from what the folder holds.",
        options,
        "  DIR/plan.json           the expanded runs (checked by every later process on DIR)\n"
        "  DIR/run-NNNN/run.json   the run's status: running (pid, host, start), then finished (stop\n"
        "                          reason, epochs, final metrics), interrupted or failed (message)\n"
        "  DIR/run-NNNN/project.json  the project as run (swept values, seed, initial weights)\n"
        "  DIR/run-NNNN/…          what 'normad train --out' writes: trained.json, manifest.json,\n"
        "                          metrics.csv, output_spikes.csv or (dataset task) accuracy.csv\n"
        "  DIR/results.csv         one row per run: run, each swept parameter, seed, status, attempt,\n"
        "                          epochs, stop_reason, converged_epoch, the final evaluation's\n"
        "                          min/mean correlation, van_rossum, spike_count_error, missing, extra,\n"
        "                          cost, (dataset task) train/validation accuracy, seconds, host, message\n",
        "  1    also: a run failed (its run.json says why)\n"
        "  130  interrupted by Ctrl-C (finished runs are kept; rerun to do the rest)\n",
        {"SWEEP", 0, 1},
        &run,
    };
}

} // namespace normad::cli
