// normad train: trains a project headless and writes the trained project, the per-epoch metrics,
// the final output spikes, a run manifest and, with --plots, the figures (the training and the files:
// CliTraining.h, shared with each run of `normad sweep`).

#include "CliCommand.h"
#include "CliOutputFolder.h"
#include "CliPlots.h"
#include "CliSupport.h"
#include "CliTraining.h"

#include "normad/Checkpoint.h"
#include "normad/ProjectIo.h"
#include "normad/Trainer.h"
#include "normad/TrainingObserver.h"
#include "normad/TrainingParams.h"

#if NORMAD_WITH_MPI
#include "normad/mpi/MpiGroup.h"
#endif

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array options{
    OptionSpec{"--seed", "", "N", ArgumentKind::Seed,
               "use seed N instead of the project's (drives the pattern order, and the initial weights if the "
               "project has none); saved in trained.json"},
    OptionSpec{"--epochs", "", "N", ArgumentKind::Count,
               "stop after at most N epochs instead of training.maxEpochs (0 = evaluate only)"},
    OptionSpec{"--out", "", "DIR", ArgumentKind::Text,
               "write the results into DIR (default: ./<project stem>-run), as a whole: DIR holds the previous "
               "run's files or all of this run's, never a mix (docs/checkpoints.md). DIR must be a new folder, an "
               "empty one or one a normad run wrote"},
    OptionSpec{"--checkpoint-every", "", "WHEN", ArgumentKind::Text,
               "write a checkpoint between epochs every N epochs (10e), minutes (5m), seconds (30s) or hours "
               "(2h), or both (10e,30m); 'off' for none (default 10m, so short runs write none). It lives in "
               "DIR.partial while the run goes on"},
    OptionSpec{"--resume", "", "DIR", ArgumentKind::Text,
               "continue the killed or interrupted run whose output folder is DIR from its last checkpoint (no "
               "PROJECT then): the results are the same bits as a run that never stopped"},
    OptionSpec{"--json", "", "", ArgumentKind::None,
               "print one JSON object per line instead of text (epochs, then a final \"result\")"},
    OptionSpec{"--quiet", "", "", ArgumentKind::None, "do not print the per-epoch progress, only the final summary"},
    OptionSpec{"--plots", "", "DIR", ArgumentKind::Text,
               "also render the learning curves, and each pattern's final rasters and output membrane potentials, "
               "as PNG and PDF with the plotted data as CSV, into DIR"},
    OptionSpec{"--threads", "", "N", ArgumentKind::Count,
               "simulate a batch's patterns (batch and mini-batch schedules) and the evaluation passes on N threads "
               "(default 0 = every core); the trained weights are the same bits for any N. Online training is "
               "sequential by definition"},
};

/// Prints one line per finished epoch. Lives on the training (= main) thread.
class ProgressPrinter final : public TrainingObserver {
public:
    ProgressPrinter(std::ostream& out, bool json, bool quiet, int maxEpochs)
        : m_out(out), m_json(json), m_quiet(quiet), m_maxEpochs(maxEpochs)
    {
    }

    void epochFinished(const EpochMetrics& m, const Network&) override
    {
        if (m_quiet)
            return;
        const double rate = m.seconds > 0 ? 1.0 / m.seconds : 0.0;
        if (m_json) {
            Json j = Json::object();
            j["type"] = "epoch";
            j.update(metricsJson(m));
            j["epochs_per_second"] = rate;
            m_out << dumpJson(j) << '\n';
        } else {
            char head[64];
            std::snprintf(head, sizeof head, "epoch %4d/%d  ", m.epoch, m_maxEpochs);
            m_out << head << metricsText(m) << "  " << formatted("%.1f", rate) << " epochs/s\n";
        }
        // Flushed per epoch so a pipe or a log viewer sees progress as it happens.
        m_out.flush();
    }

private:
    std::ostream& m_out;
    bool m_json;
    bool m_quiet;
    int m_maxEpochs;
};

/// Test hook (docs/parallel-training.md): NORMAD_TEST_FAULT="RANK:throw" or "RANK:kill" makes that
/// rank fail after its first epoch, "RANK:setup" while it checks the project, so the tests can check
/// that every rank then ends promptly with one message.
void faultHook(int rank, const std::string& phase)
{
    const char* fault = std::getenv("NORMAD_TEST_FAULT");
    if (!fault)
        return;
    const std::string spec(fault);
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos || spec.substr(0, colon) != std::to_string(rank))
        return;
    const std::string kind = spec.substr(colon + 1);
    if (phase == "setup") {
        if (kind == "setup")
            throw std::invalid_argument("test fault injected by NORMAD_TEST_FAULT while checking the project");
        return;
    }
    if (kind == "kill")
        std::raise(SIGKILL);
    if (kind == "throw")
        throw std::runtime_error("test fault injected by NORMAD_TEST_FAULT after epoch 1");
}

/// Epoch observer that forwards to the printer and runs the test hook.
class EpochHook final : public TrainingObserver {
public:
    EpochHook(TrainingObserver& printer, int rank) : m_printer(printer), m_rank(rank) { }
    void epochFinished(const EpochMetrics& m, const Network& n) override
    {
        m_printer.epochFinished(m, n);
        if (m.epoch == 1)
            faultHook(m_rank, "epoch");
    }
    void trainingFinished(const TrainingResult& r) override { m_printer.trainingFinished(r); }
    bool wantsPatterns() const override { return false; } // the printer reports epochs only

private:
    TrainingObserver& m_printer;
    int m_rank;
};

/// When checkpoints are written: after this many epochs and/or this much time (0: not by it).
struct CheckpointInterval {
    int epochs = 0;
    double seconds = 0;
};

/// "10e", "5m", "30s", "2h", "10e,30m" or "off".
CheckpointInterval parseInterval(const std::string& text)
{
    CheckpointInterval interval;
    auto refuse = [&](const std::string& why) -> CheckpointInterval {
        throw UsageError("invalid value '" + text + "' for --checkpoint-every: " + why +
                         "; give epochs (10e), seconds (30s), minutes (5m) or hours (2h), both joined by a comma "
                         "(10e,30m), or off");
    };
    if (text == "off")
        return interval;
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t comma = std::min(text.find(',', at), text.size());
        const std::string item = text.substr(at, comma - at);
        at = comma + 1;
        if (item.size() < 2)
            return refuse("'" + item + "' is not a number and a unit");
        const char unit = item.back();
        const std::string digits = item.substr(0, item.size() - 1);
        if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
            return refuse("'" + digits + "' is not a whole number up to 999999999");
        const long value = std::stol(digits);
        if (value == 0)
            return refuse("an interval must be at least 1");
        switch (unit) {
        case 'e':
            interval.epochs = static_cast<int>(value);
            break;
        case 's':
            interval.seconds = static_cast<double>(value);
            break;
        case 'm':
            interval.seconds = 60.0 * static_cast<double>(value);
            break;
        case 'h':
            interval.seconds = 3600.0 * static_cast<double>(value);
            break;
        default:
            return refuse(std::string("unknown unit '") + unit + "'");
        }
    }
    return interval;
}

/// The files `normad train` writes into its output folder (an older normad wrote them without the marker).
const std::vector<std::string>& trainFiles()
{
    static const std::vector<std::string> files = {"trained.json", "metrics.csv",       "manifest.json",
                                                   "accuracy.csv", "output_spikes.csv", "checkpoint.json"};
    return files;
}

/// Where `--resume DIR` continues from: the checkpoint of a killed run (DIR.partial) or of an
/// interrupted one (DIR). Throws std::invalid_argument (exit 2) naming both places when there is none.
fs::path checkpointToResume(const std::string& dir)
{
    const fs::path partial = OutputFolder::partialOf(dir) / "checkpoint.json";
    const fs::path published = fs::path(dir) / "checkpoint.json";
    std::error_code ec;
    if (fs::exists(partial, ec))
        return partial;
    if (fs::exists(published, ec))
        return published;
    throw std::invalid_argument("--resume '" + dir + "': no checkpoint to continue from (neither " + partial.string() +
                                " nor " + published.string() +
                                " exists; a run writes one between epochs, see --checkpoint-every)");
}

int train(const ParsedArgs& args, CommandContext& context, const TrainingRanks& ranks = {})
{
    const std::optional<std::string> resumeDir = args.text("--resume");
    if (resumeDir) {
        // Everything that decides the results was fixed when the run started; the checkpoint holds it.
        if (!args.positionals().empty())
            throw UsageError("--resume DIR continues the run in DIR with its own project; it takes no PROJECT (got '" +
                             args.positionals().front() + "')");
        for (const char* fixed : {"--seed", "--epochs", "--out", "--plots"})
            if (args.has(fixed))
                throw UsageError(std::string(fixed) + " cannot be combined with --resume: the run continues as it "
                                                      "was started");
    } else if (args.positionals().empty()) {
        throw UsageError("missing PROJECT for 'train' (see 'normad train --help')");
    }
    const std::string projectPath = resumeDir ? std::string() : args.positionals().at(0);
    // The option values were checked by the parser, before the project is read.
    const std::optional<std::uint64_t> seed = args.seed("--seed");
    const std::optional<int> epochs = args.count("--epochs");
    const bool json = args.has("--json");
    const bool quiet = args.has("--quiet");
    const std::string outDir =
        resumeDir ? *resumeDir : args.text("--out").value_or(defaultOutputFolder(projectPath, "-run"));
    const CheckpointInterval interval = parseInterval(args.text("--checkpoint-every").value_or("10m"));
    std::optional<std::string> plotDir = args.text("--plots");
    if (plotDir && !plotsAvailable())
        writePlots({}, {}, *plotDir); // throws the usage error that names the missing renderer
    if (ranks.writer())
        OutputFolder::checkArgument(outDir, trainFiles()); // a file named by --out is a usage error, at once

    // Under MPI every rank reads and checks the project; rank 0 alone writes (TrainingRanks).
    Project project;
    std::optional<OutputFolder> folder;
    std::optional<Checkpoint> resumed;
    std::string projectDirectory;
    int maxEpochs = 0;
    agreeOnSetup(ranks, [&] {
        if (resumeDir) {
            if (ranks.writer()) // claimed before the checkpoint is read: no other run changes it now
                folder.emplace(outDir, trainFiles(), OutputFolder::Partial::Keep, context.err);
            const fs::path file = checkpointToResume(*resumeDir);
            try {
                resumed = loadCheckpoint(file.string());
            } catch (const ProjectError& e) {
                throw std::invalid_argument(e.what());
            }
            project = resumed->project;
            projectDirectory = resumed->projectDirectory;
            maxEpochs = resumed->maxEpochs;
            plotDir = resumed->plotFolder;
            // The staging folder keeps only the checkpoint: whatever else a killed run left is redone.
            if (folder) {
                const fs::path mine = folder->staging() / "checkpoint.json";
                std::error_code ec;
                for (const fs::directory_entry& entry : fs::directory_iterator(folder->staging()))
                    if (entry.path().filename() != "checkpoint.json" &&
                        entry.path().filename() != OutputFolder::markerName)
                        fs::remove_all(entry.path(), ec);
                if (!fs::equivalent(file, mine, ec))
                    saveCheckpoint(*resumed, mine.string());
            }
        } else {
            project = loadInputProject(projectPath);
            if (seed)
                project.seed = *seed;
            project.ensureWeights();
            projectDirectory = fs::absolute(fs::path(projectPath)).parent_path().string();
            maxEpochs = epochs.value_or(project.training.maxEpochs);
            if (ranks.writer())
                folder.emplace(outDir, trainFiles(), OutputFolder::Partial::Discard, context.err);
        }
        faultHook(ranks.group ? ranks.group->rank() : 0, "setup");
    });

    ProgressPrinter printer(context.out, json, quiet, maxEpochs);
    EpochHook hook(printer, ranks.group ? ranks.group->rank() : 0);
    RunPlan plan;
    plan.everyEpochs = interval.epochs;
    plan.everySeconds = interval.seconds;
    plan.settings.projectDirectory = projectDirectory;
    plan.settings.maxEpochs = maxEpochs;
    if (plotDir)
        plan.settings.plotFolder = fs::absolute(*plotDir).string();
    if (resumed)
        plan.resumeFrom = &resumed->trainer;
    fs::path out;
    if (folder) {
        out = folder->staging();
        plan.publishedAs = folder->path();
        plan.checkpointFile = folder->staging() / "checkpoint.json";
    }
    // Plots inside the output folder are published with it (written into the staging folder).
    std::optional<std::string> plotsNow = plotDir;
    if (plotDir && folder)
        plotsNow = folder->stagedPath(*plotDir).string();
    TrainingOutputs outputs = trainAndWrite(project, projectDirectory, out, maxEpochs, &hook, context.cancel, plotsNow,
                                            args.count("--threads").value_or(0), ranks, plan);
    const TrainingResult& result = outputs.result;
    if (!ranks.writer())
        return exitCodeFor(result.reason); // every rank holds the same result; rank 0 reports it
    folder->publish();
    out = folder->path();
    // Plots written into the staging folder are named where they are now.
    const std::string staged = folder->staging().string() + "/";
    for (std::string& file : outputs.written)
        if (file.starts_with(staged))
            file = (out / file.substr(staged.size())).string();
    const EpochMetrics& finalEvaluation = outputs.finalEvaluation;
    const std::vector<std::string>& written = outputs.written;
    const std::vector<std::string>& notes = outputs.notes;

    const std::string variant = describeVariant(project.training);
    if (json) {
        Json j = Json::object();
        j["type"] = "result";
        j["stop_reason"] = toString(result.reason);
        j["message"] = result.message;
        j["variant"] = variant;
        j["epochs"] = result.epochs;
        j["converged_epoch"] = result.convergedEpoch;
        j["seconds"] = result.seconds;
        j["seed"] = project.seed;
        j["final"] = metricsJson(finalEvaluation);
        j["files"] = written;
        j["notes"] = notes;
        context.out << dumpJson(j) << '\n';
    } else {
        context.out << "stopped: " << toString(result.reason) << ": " << result.message << '\n'
                    << "variant: " << variant << '\n'
                    << "final evaluation: " << metricsText(finalEvaluation) << '\n'
                    << "epochs: " << result.epochs << " in " << formatted("%.3g", result.seconds) << " s, seed "
                    << project.seed << '\n';
        for (const std::string& note : notes)
            context.out << "note: " << note << '\n';
        context.out << "wrote:";
        for (const std::string& file : written)
            context.out << ' ' << file;
        context.out << '\n';
    }

    const int code = exitCodeFor(result.reason);
    if (code == exitInterrupted)
        context.err << errorLine("interrupted: " + result.message + "; results written to " + out.string());
    else if (code != exitSuccess)
        context.err << errorLine("training stopped (" + toString(result.reason) + "): " + result.message);
    return code;
}

/// Started by an MPI launcher (Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; PMIx and MPICH set PMIX_RANK, PMI_RANK).
bool launchedByMpi()
{
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(name))
            return true;
    return false;
}

int run(const ParsedArgs& args, CommandContext& context)
{
    if (!launchedByMpi())
        return train(args, context);
#if NORMAD_WITH_MPI
    mpi::MpiGroup group;
    // Rank 0 alone prints; the others' output goes nowhere (their results are the same bits).
    std::ostringstream discarded;
    CommandContext silent{discarded, discarded, context.cancel};
    CommandContext& mine = group.rank() == 0 ? context : silent;
    const TrainingRanks ranks{&group, [&](const std::string& error) { return group.firstError(error); }};
    try {
        return train(args, mine, ranks);
    } catch (const SetupFailed& failed) {
        // Every rank agreed on this failure: rank 0 reports it (its own exception keeps its kind).
        if (group.rank() != 0)
            return exitFailure;
        if (failed.own && failed.message.starts_with("rank 0: "))
            std::rethrow_exception(failed.own);
        throw std::runtime_error(failed.message);
    } catch (const std::exception& e) {
        // Mid-run failure on this rank: the others are waiting in a collective, so end them all.
        std::cerr << errorLine("rank " + std::to_string(group.rank()) + " of " + std::to_string(group.size()) + ": " +
                               e.what() + "; ending every rank");
        std::cerr.flush();
        group.abort(exitFailure);
    }
#else
    throw UsageError("this normad was built without MPI, so it cannot train under mpirun: install Open MPI "
                     "(Debian: apt-get install openmpi-bin libopenmpi-dev) and configure with "
                     "-DNORMAD_WITH_MPI=ON, or run normad train without mpirun");
#endif
}

} // namespace

CommandSpec trainCommand()
{
    return {
        "normad train PROJECT [options]\n       normad train --resume DIR [--checkpoint-every WHEN] [--threads N] "
        "[--json] [--quiet]",
        "Trains the network of PROJECT on its task until a stop criterion (convergence, max epochs,\n"
        "stagnation or a guard). Prints one line per epoch: epoch, min/mean correlation C, van Rossum\n"
        "distance vR, mean spike-count error |dn|, missing/extra spikes, cost, mean rate of each layer\n"
        "1..L (Hz) and speed; then the stop reason, the learning-rule variant and the final evaluation\n"
        "(a forward pass of every pattern with the final weights).\n"
        "A dataset project (task.dataset) trains on its training split; each epoch's line adds the\n"
        "accuracy of the training passes and of the validation split (--json: train_accuracy,\n"
        "validation_accuracy). Its data files are checked first; trained.json refers to them too.\n"
        "Ctrl-C stops training within milliseconds; the files are still written (a second Ctrl-C\n"
        "quits at once).\n"
        "The results appear in DIR together or not at all: they are written into DIR.partial and\n"
        "renamed into place when complete, replacing the previous run as a whole; a second normad\n"
        "writing into the same DIR is refused. Between epochs the run writes a checkpoint\n"
        "(--checkpoint-every); after a kill, a crash or Ctrl-C, normad train --resume DIR continues\n"
        "from it with the same bits as a run that never stopped (docs/checkpoints.md).\n"
        "Batch and mini-batch training runs each batch's patterns on --threads threads and sums their\n"
        "updates exactly, so the weights do not depend on the thread count (docs/parallel-training.md).\n"
        "MPI: mpirun -np P normad train PROJECT [options] splits each batch over P processes (on one\n"
        "machine or a cluster) and gives the same weights as one process; rank 0 prints and writes.\n"
        "Needs a build with MPI (Debian openmpi-bin libopenmpi-dev, cmake -DNORMAD_WITH_MPI=ON) and\n"
        "the batch or mini-batch schedule (online training is sequential by definition). As root, Open MPI\n"
        "also needs --allow-run-as-root.",
        options,
        "  trained.json       the project with the trained weights and the training history\n"
        "  metrics.csv        one row per epoch: epoch,mean_correlation,min_correlation,van_rossum,\n"
        "                     spike_count_error,missing,extra,cost,converged,seconds, then c_pattern{k}\n"
        "                     (mean C of pattern k, 0-based) and rate_layer{l}_hz (l = 1..L)\n"
        "  output_spikes.csv  final forward pass of every pattern: pattern,neuron,time_s\n"
        "                     (sorted by pattern, time, neuron; seconds, shortest round-trip form)\n"
        "  manifest.json      run manifest: program version, seed, dt, epochs and every parameter\n"
        "  accuracy.csv       dataset projects: epoch,train_accuracy,validation_accuracy,cost,seconds\n"
        "  checkpoint.json    interrupted runs (exit 130) only: the last checkpoint, for --resume DIR\n"
        "                     (no output_spikes.csv then: 'normad evaluate' writes the predictions)\n"
        "  with --plots DIR:  learning-curves.{png,pdf,csv}, raster-pattern{k}.{png,pdf,csv} and\n"
        "                     membrane-pattern{k}.{png,pdf,csv} (output layer), k = 0-based pattern\n",
        "  1    also: training stopped by a guard (non-finite, silent-layer, runaway-layer), or\n"
        "       another normad is writing into DIR\n"
        "  2    also: --out names a file, or a folder holding files no normad run wrote; --resume DIR\n"
        "       without a checkpoint\n"
        "  130  interrupted by Ctrl-C (the files are written first, with the last checkpoint)\n",
        {"PROJECT", 0, 1}, // none with --resume (checked by train())
        &run,
    };
}

} // namespace normad::cli
