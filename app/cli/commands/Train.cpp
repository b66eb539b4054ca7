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

#include <array>
#include <cstdio>
#include <ostream>

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

int run(const ParsedArgs& args, CommandContext& context)
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

    Project project = loadInputProject(projectPath);
    if (seed)
        project.seed = *seed;
    project.ensureWeights();
    const fs::path out = prepareOutputFolder(outDir);

    const int maxEpochs = epochs.value_or(project.training.maxEpochs);
    ProgressPrinter printer(context.out, json, quiet, maxEpochs);
    const std::string projectDirectory = fs::absolute(fs::path(projectPath)).parent_path().string();
    const TrainingOutputs outputs =
        trainAndWrite(project, projectDirectory, out, maxEpochs, &printer, context.cancel, plotDir);
    const TrainingResult& result = outputs.result;
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
        "quits at once).",
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
