// normad train: trains a project headless and writes the trained project, the per-epoch metrics,
// the final output spikes, a run manifest and, with --plots, the figures (the training and the files:
// CliTraining.h, shared with each run of `normad sweep`).

#include "CliCommand.h"
#include "CliPlots.h"
#include "CliSupport.h"
#include "CliTraining.h"

#include "normad/Trainer.h"
#include "normad/TrainingObserver.h"
#include "normad/TrainingParams.h"

#if NORMAD_WITH_MPI
#include "normad/mpi/MpiGroup.h"
#endif

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
               "write the results into DIR, created if needed (default: ./<project stem>-run)"},
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

private:
    TrainingObserver& m_printer;
    int m_rank;
};

int train(const ParsedArgs& args, CommandContext& context, const TrainingRanks& ranks = {})
{
    const std::string projectPath = args.positionals().at(0);
    // The option values were checked by the parser, before the project is read.
    const std::optional<std::uint64_t> seed = args.seed("--seed");
    const std::optional<int> epochs = args.count("--epochs");
    const bool json = args.has("--json");
    const bool quiet = args.has("--quiet");
    const std::string outDir = args.text("--out").value_or(defaultOutputFolder(projectPath, "-run"));
    const std::optional<std::string> plotDir = args.text("--plots");
    if (plotDir && !plotsAvailable())
        writePlots({}, {}, *plotDir); // throws the usage error that names the missing renderer

    // Under MPI every rank reads and checks the project; rank 0 alone writes (TrainingRanks).
    Project project;
    fs::path out;
    agreeOnSetup(ranks, [&] {
        project = loadInputProject(projectPath);
        if (seed)
            project.seed = *seed;
        project.ensureWeights();
        if (ranks.writer())
            out = prepareOutputFolder(outDir);
        faultHook(ranks.group ? ranks.group->rank() : 0, "setup");
    });

    const int maxEpochs = epochs.value_or(project.training.maxEpochs);
    ProgressPrinter printer(context.out, json, quiet, maxEpochs);
    EpochHook hook(printer, ranks.group ? ranks.group->rank() : 0);
    const std::string projectDirectory = fs::absolute(fs::path(projectPath)).parent_path().string();
    const TrainingOutputs outputs = trainAndWrite(project, projectDirectory, out, maxEpochs, &hook, context.cancel,
                                                  plotDir, args.count("--threads").value_or(0), ranks);
    const TrainingResult& result = outputs.result;
    if (!ranks.writer())
        return exitCodeFor(result.reason); // every rank holds the same result; rank 0 reports it
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
        "normad train PROJECT [options]",
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
        "                     (no output_spikes.csv then: 'normad evaluate' writes the predictions)\n"
        "  with --plots DIR:  learning-curves.{png,pdf,csv}, raster-pattern{k}.{png,pdf,csv} and\n"
        "                     membrane-pattern{k}.{png,pdf,csv} (output layer), k = 0-based pattern\n",
        "  1    also: training stopped by a guard (non-finite, silent-layer, runaway-layer)\n"
        "  130  interrupted by Ctrl-C (the files are written first)\n",
        {"PROJECT", 1, 1},
        &run,
    };
}

} // namespace normad::cli
