#include "CliCommands.h"
#include "CliPlots.h"

#include "normad/EpochMetrics.h"
#include "normad/AtomicFile.h"
#include "normad/Examples.h"
#include "normad/Exports.h"
#include "normad/Metrics.h"
#include "normad/Project.h"
#include "normad/ProjectIo.h"
#include "normad/Reproduction.h"
#include "normad/Simulator.h"
#include "normad/Trainer.h"
#include "normad/TrainingObserver.h"
#include "normad/TrainingParams.h"
#include "normad/Version.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------
// Formatting

// snprintf in the "C" locale (the CLI never calls setlocale), so the decimal point is always '.'.
void appendNumber(std::string& s, double value, const char* format)
{
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, format, value);
    s.append(buffer, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buffer) - 1)));
}

/// Spike and grid times: 10 significant digits resolve 0.1 ns on a 1 s trial, far below any dt, so
/// round(t/dt) recovers the grid step, and n·dt prints as the short decimal a reader expects.
void appendTime(std::string& s, double seconds)
{
    appendNumber(s, seconds, "%.10g");
}

/// Weights and potentials: the shortest text that reads back as the same double (what %.17g
/// guarantees, without its noise: -0.07 rather than -0.070000000000000007), since other
/// implementations are compared with these.
void appendExact(std::string& s, double value)
{
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec == std::errc())
        s.append(buffer, end);
    else
        appendNumber(s, value, "%.17g");
}

std::string formatted(const char* format, double value)
{
    std::string s;
    appendNumber(s, value, format);
    return s;
}

std::string dumpJson(const Json& j)
{
    // Replace (not throw on) invalid UTF-8, e.g. in a file name, so output never aborts a run.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------------
// Inputs and outputs

/// Loads a project; a file that cannot be read or is invalid is bad input (exit 2), so the
/// ProjectError (a runtime_error naming file, field and value) is re-thrown as invalid_argument.
Project loadInputProject(const std::string& path)
{
    try {
        return loadProject(path);
    } catch (const ProjectError& e) {
        throw std::invalid_argument(e.what());
    }
}

/// Creates the output folder and checks it is writable before any long work starts, so a typo
/// in --out fails in a second rather than after an hour of training.
fs::path prepareOutputFolder(const std::string& dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error("cannot create the output folder '" + dir + "': " + ec.message());
    if (!fs::is_directory(dir, ec))
        throw std::runtime_error("cannot use '" + dir + "' as the output folder: it is not a folder");
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw std::runtime_error("cannot write into the output folder '" + dir + "': " +
                                 std::generic_category().message(errno));
    return fs::path(dir);
}

std::string defaultOutputFolder(const std::string& projectPath, std::string_view suffix)
{
    std::string stem = fs::path(projectPath).stem().string();
    if (stem.empty())
        stem = "project";
    return stem + std::string(suffix);
}

void writeText(const fs::path& path, const std::string& contents)
{
    writeFileAtomically(path.string(), contents);
}

/// C of one output train with its desired train, with the trainer's convention that two empty
/// trains agree perfectly.
double outputCorrelation(const SpikeTrain& desired, const SpikeTrain& actual, const MetricParams& mp)
{
    if (desired.empty() && actual.empty())
        return 1.0;
    return metrics::correlation(desired, actual, mp.kernel, mp.correlationWidth);
}

std::string describeTopology(const Project& p)
{
    std::string s = std::to_string(p.network.inputCount()) + " inputs, LIF layers";
    for (int l = 1; l <= p.network.layerCount(); ++l) {
        s += l == 1 ? ' ' : '-';
        s += std::to_string(p.network.populationSize(l));
    }
    s += ", " + std::to_string(p.task.patterns.size()) + " pattern(s), T = " +
         formatted("%g", p.simulation.duration * 1e3) + " ms, dt = " + formatted("%g", p.simulation.dt * 1e3) + " ms";
    return s;
}

// ---------------------------------------------------------------------------------------------
// normad example

constexpr std::array exampleOptions{
    OptionSpec{"--output", "-o", "FILE", "write the project to FILE (default: KIND.json in the current folder; '-' = stdout)"},
    OptionSpec{"--seed", "", "N", "seed of the generated spike trains and weights (default 1)"},
};

int runExample(const ParsedArgs& args, CommandContext& context)
{
    const std::string kind = args.positionals().at(0);
    const std::uint64_t seed = args.value("--seed") ? parseSeed("--seed", *args.value("--seed")) : 1;
    const Example* example = findExample(kind);
    if (!example)
        throw UsageError("unknown example '" + kind + "': choose " + exampleNames());
    const Project project = example->make(seed);

    // Generation does not poll the flag (it takes well under a second); honour a Ctrl-C after it.
    if (cancelled(context.cancel)) {
        context.err << errorLine("interrupted: nothing written");
        return exitInterrupted;
    }
    const std::string file = args.value("--output").value_or(kind + ".json");
    if (file == "-") {
        context.out << projectToJson(project);
        return exitSuccess;
    }
    saveProject(project, file);
    context.out << "wrote " << file << ": " << project.name << " (" << describeTopology(project) << ", seed " << seed
                << ")\n";
    return exitSuccess;
}

// ---------------------------------------------------------------------------------------------
// normad train

constexpr std::array trainOptions{
    OptionSpec{"--seed", "", "N", "use seed N instead of the project's (drives the pattern order, and the initial "
                                  "weights if the project has none); saved in trained.json"},
    OptionSpec{"--epochs", "", "N", "stop after at most N epochs instead of training.maxEpochs (0 = evaluate only)"},
    OptionSpec{"--out", "", "DIR", "write the results into DIR, created if needed (default: ./<project stem>-run)"},
    OptionSpec{"--json", "", "", "print one JSON object per line instead of text (epochs, then a final \"result\")"},
    OptionSpec{"--quiet", "", "", "do not print the per-epoch progress, only the final summary"},
    OptionSpec{"--plots", "", "DIR", "also render the learning curves, and each pattern's final rasters and output "
                                     "membrane potentials, as PNG and PDF with the plotted data as CSV, into DIR"},
};

std::string rateList(const std::vector<double>& rates)
{
    std::string s;
    for (std::size_t l = 0; l < rates.size(); ++l) {
        if (l > 0)
            s += ' ';
        appendNumber(s, rates[l], "%.1f");
    }
    return s;
}

/// One human-readable line of an epoch's (or the final evaluation's) metrics.
std::string metricsText(const EpochMetrics& m)
{
    char buffer[256];
    std::snprintf(buffer, sizeof buffer,
                  "C min %.4f mean %.4f  vR %.4g  |dn| %.2f  missing %d extra %d  cost %g  rates ", m.minCorrelation,
                  m.meanCorrelation, m.vanRossum, m.spikeCountError, m.missing, m.extra, m.cost);
    std::string line = buffer + rateList(m.layerRates) + " Hz";
    if (!std::isnan(m.evaluatedMinCorrelation)) {
        // The network as it stands after the epoch (what convergence is judged on).
        line += "  end-of-epoch C min ";
        appendNumber(line, m.evaluatedMinCorrelation, "%.4f");
    }
    return line;
}

Json metricsJson(const EpochMetrics& m)
{
    Json j = Json::object();
    j["epoch"] = m.epoch;
    j["mean_correlation"] = m.meanCorrelation;
    j["min_correlation"] = m.minCorrelation;
    j["van_rossum"] = m.vanRossum;
    j["spike_count_error"] = m.spikeCountError;
    j["missing"] = m.missing;
    j["extra"] = m.extra;
    j["cost"] = m.cost;
    j["converged"] = m.converged;
    j["seconds"] = m.seconds;
    Json patterns = Json::array();
    for (const PatternMetrics& p : m.patterns)
        patterns.push_back(p.correlation);
    j["pattern_correlation"] = std::move(patterns);
    j["layer_rates_hz"] = m.layerRates;
    if (!std::isnan(m.evaluatedMinCorrelation)) {
        j["evaluated_min_correlation"] = m.evaluatedMinCorrelation;
        j["evaluated_mean_correlation"] = m.evaluatedMeanCorrelation;
    }
    return j;
}

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

std::string metricsCsv(const std::vector<EpochMetrics>& history, int patternCount, int layerCount)
{
    return trainingLogCsv(history, patternCount, layerCount); // the same log every export carries
}

/// Final forward pass of every pattern: `pattern,neuron,time_s`, sorted by pattern, time, neuron.
/// Returns the number of patterns whose pass did not complete (left out of the file).
int outputSpikesCsv(const Network& network, const Project& project, std::string& csv)
{
    csv = "pattern,neuron,time_s\n";
    int failed = 0;
    const Simulator simulator(network, project.simulation);
    for (std::size_t k = 0; k < project.task.patterns.size(); ++k) {
        // No cancel flag: after Ctrl-C this pass is what makes the written results complete.
        const SimulationRecord rec = simulator.run(project.task.patterns[k].inputs);
        if (rec.status != SimulationStatus::Completed) {
            ++failed;
            continue;
        }
        for (const auto& [step, neuron] : timeOrderedEvents(rec.layers.back().spikes)) {
            csv += std::to_string(k) + ',' + std::to_string(neuron) + ',';
            appendTime(csv, static_cast<double>(step) * rec.dt);
            csv += '\n';
        }
    }
    return failed;
}

int exitCodeFor(StopReason reason)
{
    switch (reason) {
    case StopReason::Converged:
    case StopReason::MaxEpochs:
    case StopReason::Stagnated:
        return exitSuccess;
    case StopReason::Cancelled:
        return exitInterrupted;
    case StopReason::None:
    case StopReason::NonFinite:
    case StopReason::SilentLayer:
    case StopReason::RunawayLayer:
        break;
    }
    return exitFailure;
}

int runTrain(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    // Every option is checked before the project is read: usage errors come first and cheaply.
    const std::optional<std::string> seedText = args.value("--seed");
    const std::uint64_t seed = seedText ? parseSeed("--seed", *seedText) : 0;
    const std::optional<std::string> epochsText = args.value("--epochs");
    const int epochs = epochsText ? parseCount("--epochs", *epochsText) : -1;
    const bool json = args.has("--json");
    const bool quiet = args.has("--quiet");
    const std::string outDir = args.value("--out").value_or(defaultOutputFolder(projectPath, "-run"));
    const std::optional<std::string> plotDir = args.value("--plots");
    if (plotDir && !plotsAvailable())
        writePlots({}, {}, *plotDir);  // throws the usage error that names the missing renderer

    Project project = loadInputProject(projectPath);
    if (seedText)
        project.seed = seed;
    project.ensureWeights();
    const fs::path out = prepareOutputFolder(outDir);

    Trainer trainer(project.network, project.task, project.simulation, project.training, project.seed);
    const int maxEpochs = epochsText ? epochs : project.training.maxEpochs;
    ProgressPrinter printer(context.out, json, quiet, maxEpochs);
    const TrainingResult result = trainer.run(&printer, context.cancel, maxEpochs);
    // A cancelled run has no final evaluation yet; make one without the (set) cancel flag.
    const EpochMetrics finalEvaluation =
        result.reason == StopReason::Cancelled ? trainer.evaluate() : result.finalEvaluation;

    std::vector<std::string> written;
    std::vector<std::string> notes;
    const bool finite = trainer.network().weightsFinite();
    if (finite) {
        Project trained = project;
        trained.network = trainer.network();
        trained.hasWeights = true;
        trained.history = result.history;
        saveProject(trained, (out / "trained.json").string());
        written.push_back((out / "trained.json").string());
    } else {
        notes.push_back("trained.json not written: the weights are not finite");
    }
    {
        Project run = project;
        run.history = result.history;
        writeText(out / "manifest.json", runManifestJson(run, "train"));
        written.push_back((out / "manifest.json").string());
    }
    writeText(out / "metrics.csv", metricsCsv(result.history, static_cast<int>(project.task.patterns.size()),
                                              project.network.layerCount()));
    written.push_back((out / "metrics.csv").string());
    if (finite) {
        std::string spikes;
        if (const int failed = outputSpikesCsv(trainer.network(), project, spikes); failed > 0)
            notes.push_back("output_spikes.csv leaves out " + std::to_string(failed) +
                            " pattern(s) whose forward pass did not complete");
        writeText(out / "output_spikes.csv", spikes);
        written.push_back((out / "output_spikes.csv").string());
        if (plotDir) {
            Project trained = project;
            trained.network = trainer.network();
            trained.hasWeights = true;
            const std::vector<std::string> plots = writePlots(trained, result.history, *plotDir);
            written.insert(written.end(), plots.begin(), plots.end());
        }
    } else {
        notes.push_back("output_spikes.csv not written: the weights are not finite");
        if (plotDir)
            notes.push_back("plots not written: the weights are not finite");
    }

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

// ---------------------------------------------------------------------------------------------
// normad simulate

constexpr std::array simulateOptions{
    OptionSpec{"--pattern", "", "K", "simulate pattern K of the task, 0-based (default 0)"},
    OptionSpec{"--out", "", "DIR", "write the results into DIR, created if needed (default: ./<project stem>-sim)"},
};

std::string spikesCsv(const Pattern& pattern, const SimulationRecord& rec)
{
    std::string s = "layer,neuron,time_s\n";
    // Layer 0 is written from the project's own input times, so it is exactly what was given;
    // the simulator places each on the grid step round(t/dt).
    for (const auto& [time, neuron] : timeOrderedEvents(pattern.inputs)) {
        s += "0," + std::to_string(neuron) + ',';
        appendTime(s, time);
        s += '\n';
    }
    for (std::size_t l = 1; l < rec.layers.size(); ++l)
        for (const auto& [step, neuron] : timeOrderedEvents(rec.layers[l].spikes)) {
            s += std::to_string(l) + ',' + std::to_string(neuron) + ',';
            appendTime(s, static_cast<double>(step) * rec.dt);
            s += '\n';
        }
    return s;
}

std::string weightsCsv(const Eigen::MatrixXd& w)
{
    std::string s;
    for (Eigen::Index i = 0; i < w.rows(); ++i) {
        for (Eigen::Index j = 0; j < w.cols(); ++j) {
            if (j > 0)
                s += ',';
            appendExact(s, w(i, j));
        }
        s += '\n';
    }
    return s;
}

std::string desiredCsv(const Pattern& pattern)
{
    std::string s = "neuron,time_s\n";
    for (const auto& [time, neuron] : timeOrderedEvents(pattern.desired)) {
        s += std::to_string(neuron) + ',';
        appendTime(s, time);
        s += '\n';
    }
    return s;
}

std::string membraneCsv(const SimulationRecord& rec, int layer, int neurons)
{
    std::vector<const std::vector<double>*> traces;
    std::string s = "time_s";
    for (int i = 0; i < neurons; ++i) {
        const MembraneTrace* trace = rec.membrane(layer, i);
        if (!trace)
            throw std::logic_error("simulate: the membrane of output neuron " + std::to_string(i) + " was not recorded");
        traces.push_back(&trace->volts);
        s += ",v" + std::to_string(i);
    }
    s += '\n';
    s.reserve(s.size() + static_cast<std::size_t>(rec.steps) * (12 + 25 * static_cast<std::size_t>(neurons)));
    for (std::int64_t n = 0; n < rec.steps; ++n) {
        appendTime(s, static_cast<double>(n) * rec.dt);
        for (const std::vector<double>* volts : traces) {
            s += ',';
            appendExact(s, (*volts)[static_cast<std::size_t>(n)]);
        }
        s += '\n';
    }
    return s;
}

int runSimulate(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    const int k = args.value("--pattern") ? parseCount("--pattern", *args.value("--pattern")) : 0;
    const std::string outDir = args.value("--out").value_or(defaultOutputFolder(projectPath, "-sim"));

    Project project = loadInputProject(projectPath);
    const int patternCount = static_cast<int>(project.task.patterns.size());
    if (k >= patternCount)
        throw UsageError("invalid value '" + std::to_string(k) + "' for --pattern: " + projectPath + " has " +
                         std::to_string(patternCount) + " pattern(s), numbered 0 to " + std::to_string(patternCount - 1));
    project.ensureWeights();
    const fs::path out = prepareOutputFolder(outDir);

    const Pattern& pattern = project.task.patterns[static_cast<std::size_t>(k)];
    const int L = project.network.layerCount();
    RecordRequest request;
    request.wholeLayers = {L};
    const Simulator simulator(project.network, project.simulation);
    const SimulationRecord rec = simulator.run(pattern.inputs, request, context.cancel);
    if (rec.status == SimulationStatus::Cancelled) {
        context.err << errorLine("interrupted: nothing written");
        return exitInterrupted;
    }
    if (rec.status == SimulationStatus::NonFinite)
        throw std::runtime_error("simulation failed: " + rec.message);

    writeText(out / "spikes.csv", spikesCsv(pattern, rec));
    for (int l = 1; l <= L; ++l)
        writeText(out / ("weights_layer" + std::to_string(l) + ".csv"), weightsCsv(project.network.weights(l)));
    writeText(out / "desired.csv", desiredCsv(pattern));
    writeText(out / "membrane.csv", membraneCsv(rec, L, project.network.outputCount()));

    std::ostream& o = context.out;
    o << "pattern " << k << " '" << pattern.name << "' of " << projectPath << " (" << describeTopology(project) << ")\n";
    o << "layer 0 (inputs): " << spikeCount(pattern.inputs) << " spikes\n";
    const double duration = project.simulation.duration;
    for (int l = 1; l <= L; ++l) {
        const auto spikes = rec.layers[static_cast<std::size_t>(l)].totalSpikes();
        o << "layer " << l << ": " << spikes << " spikes ("
          << formatted("%.1f", static_cast<double>(spikes) / (project.network.populationSize(l) * duration))
          << " Hz per neuron)\n";
    }
    for (int i = 0; i < project.network.outputCount(); ++i) {
        const SpikeTrain actual = toTimes(rec.layers.back().spikes[static_cast<std::size_t>(i)], rec.dt);
        const SpikeTrain& desired = pattern.desired[static_cast<std::size_t>(i)];
        o << "output " << i << ": " << actual.size() << " spikes, desired " << desired.size() << ", C = "
          << formatted("%.4f", outputCorrelation(desired, actual, project.training.metrics)) << '\n';
    }
    o << "wrote: " << (out / "spikes.csv").string() << ' ' << (out / "weights_layer1.csv").string()
      << (L > 1 ? " … " + (out / ("weights_layer" + std::to_string(L) + ".csv")).string() : std::string()) << ' '
      << (out / "desired.csv").string() << ' ' << (out / "membrane.csv").string() << '\n';
    return exitSuccess;
}

// ---------------------------------------------------------------------------------------------
// normad reproduce

constexpr std::array reproduceOptions{
    OptionSpec{"--trials", "", "N", "trials (seeds) per variant (default 10)"},
    OptionSpec{"--seed", "", "S", "first seed; trials use S, S+1, ... (default 1)"},
    OptionSpec{"--threads", "", "T", "trials run in parallel on T threads (default: all cores); results do not depend on T"},
    OptionSpec{"--epochs", "", "N", "epoch budget per trial instead of each variant's own"},
    OptionSpec{"--variant", "", "NAMES", "run only these variants (comma-separated; see --list)"},
    OptionSpec{"--list", "", "", "list the experiments and their variants, then exit"},
    OptionSpec{"--out", "", "DIR", "also write summary.csv, trials.csv and curves.csv into DIR"},
    OptionSpec{"--json", "", "", "print one JSON object per line (each trial, then each variant's summary)"},
};

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> items;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const std::size_t end = std::min(text.find(',', begin), text.size());
        if (end > begin)
            items.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return items;
}

std::string experimentList()
{
    std::string s;
    for (const reproduction::Experiment& e : reproduction::experiments()) {
        s += e.id + ": " + e.title + "\n  " + e.protocol + "\n";
        for (const reproduction::Variant& v : e.variants)
            s += "    " + v.name + std::string(v.name.size() < 30 ? 30 - v.name.size() : 1, ' ') + v.description + '\n';
    }
    return s;
}

std::string orNa(double v, const char* format)
{
    return std::isnan(v) ? std::string("-") : formatted(format, v);
}

/// Per variant and epoch: the mean over trials of the worst pattern's C (a trial that stopped keeps
/// its last value) and the fraction of trials that had succeeded by then.
std::string curvesCsv(const std::vector<reproduction::VariantSummary>& summaries)
{
    std::string s = "variant,epoch,mean_min_correlation,fraction_succeeded\n";
    for (const auto& v : summaries) {
        std::size_t longest = 0;
        for (const auto& t : v.trials)
            longest = std::max(longest, t.minCorrelation.size());
        for (std::size_t e = 0; e < longest; ++e) {
            double sum = 0;
            int succeeded = 0;
            for (const auto& t : v.trials) {
                if (!t.minCorrelation.empty())
                    sum += t.minCorrelation[std::min(e, t.minCorrelation.size() - 1)];
                if (t.success && t.epochsToSuccess <= static_cast<int>(e) + 1)
                    ++succeeded;
            }
            const double n = static_cast<double>(v.trials.size());
            s += v.name + ',' + std::to_string(e + 1) + ',';
            appendExact(s, sum / n);
            s += ',';
            appendExact(s, succeeded / n);
            s += '\n';
        }
    }
    return s;
}

Json trialJson(const std::string& experiment, const std::string& variant, const reproduction::TrialResult& t)
{
    Json j = Json::object();
    j["type"] = "trial";
    j["experiment"] = experiment;
    j["variant"] = variant;
    j["seed"] = t.seed;
    j["success"] = t.success;
    j["epochs"] = t.epochs;
    j["epochs_to_success"] = t.epochsToSuccess;
    j["final_min_correlation"] = t.finalMinCorrelation;
    j["best_min_correlation"] = t.bestMinCorrelation;
    j["stop_reason"] = toString(t.reason);
    j["seconds"] = t.seconds;
    return j;
}

int runReproduce(const ParsedArgs& args, CommandContext& context)
{
    if (args.has("--list")) {
        context.out << experimentList();
        return exitSuccess;
    }
    if (args.positionals().empty())
        throw UsageError("missing EXPERIMENT for 'reproduce' (see 'normad reproduce --list')");
    reproduction::RunOptions options;
    if (const auto v = args.value("--trials"))
        options.trials = parseCount("--trials", *v);
    if (options.trials < 1)
        throw UsageError("--trials: must be at least 1 (got 0)");
    if (const auto v = args.value("--seed"))
        options.firstSeed = parseSeed("--seed", *v);
    options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (const auto v = args.value("--threads"))
        options.threads = std::max(1, parseCount("--threads", *v));
    if (const auto v = args.value("--epochs"))
        options.maxEpochs = parseCount("--epochs", *v);
    if (const auto v = args.value("--variant"))
        options.variants = splitList(*v);
    const bool json = args.has("--json");
    const reproduction::Experiment& experiment = reproduction::experiment(args.positionals().at(0));
    std::optional<fs::path> out;
    if (const auto dir = args.value("--out"))
        out = prepareOutputFolder(*dir);

    if (!json)
        context.out << experiment.title << '\n' << experiment.protocol << '\n'
                    << options.trials << " trial(s) per variant, seeds " << options.firstSeed << "-"
                    << options.firstSeed + static_cast<std::uint64_t>(options.trials) - 1 << ", " << options.threads
                    << " thread(s)\n\n";
    const auto onTrial = [&](const reproduction::Variant& v, const reproduction::TrialResult& t) {
        if (json) {
            context.out << dumpJson(trialJson(experiment.id, v.name, t)) << '\n';
        } else {
            context.out << "  " << v.name << " seed " << t.seed << ": " << (t.success ? "success" : "no success")
                        << " (" << toString(t.reason) << ", " << t.epochs << " epochs, final min C "
                        << formatted("%.3f", t.finalMinCorrelation) << ")\n";
        }
        context.out.flush();
    };
    const std::vector<reproduction::VariantSummary> summaries =
        reproduction::run(experiment, options, onTrial, context.cancel);

    std::string summaryCsv = "experiment,variant,trials,successes,mean_epochs,median_epochs,mean_final_min_correlation,"
                             "seconds,rule\n";
    std::string trialsCsv = "experiment,variant,seed,success,epochs,epochs_to_success,final_min_correlation,"
                            "best_min_correlation,stop_reason,seconds\n";
    if (!json)
        context.out << "\nvariant                          success   epochs mean / median   final min C   wall s\n";
    for (const auto& v : summaries) {
        const int n = static_cast<int>(v.trials.size());
        if (json) {
            Json j = Json::object();
            j["type"] = "summary";
            j["experiment"] = experiment.id;
            j["variant"] = v.name;
            j["description"] = v.description;
            j["rule"] = v.rule;
            j["trials"] = n;
            j["successes"] = v.successes();
            j["mean_epochs"] = std::isnan(v.meanEpochsToSuccess()) ? Json() : Json(v.meanEpochsToSuccess());
            j["median_epochs"] = std::isnan(v.medianEpochsToSuccess()) ? Json() : Json(v.medianEpochsToSuccess());
            j["mean_final_min_correlation"] = v.meanFinalCorrelation();
            j["seconds"] = v.seconds();
            context.out << dumpJson(j) << '\n';
        } else {
            char line[256];
            std::snprintf(line, sizeof line, "%-32s %3d/%-3d   %8s / %-8s   %11s   %6.1f\n", v.name.c_str(),
                          v.successes(), n, orNa(v.meanEpochsToSuccess(), "%.1f").c_str(),
                          orNa(v.medianEpochsToSuccess(), "%.1f").c_str(), orNa(v.meanFinalCorrelation(), "%.3f").c_str(),
                          v.seconds());
            context.out << line;
        }
        summaryCsv += experiment.id + ',' + v.name + ',' + std::to_string(n) + ',' + std::to_string(v.successes()) + ',';
        appendExact(summaryCsv, v.meanEpochsToSuccess());
        summaryCsv += ',';
        appendExact(summaryCsv, v.medianEpochsToSuccess());
        summaryCsv += ',';
        appendExact(summaryCsv, v.meanFinalCorrelation());
        summaryCsv += ',';
        appendExact(summaryCsv, v.seconds());
        summaryCsv += ",\"" + v.rule + "\"\n";
        for (const auto& t : v.trials) {
            trialsCsv += experiment.id + ',' + v.name + ',' + std::to_string(t.seed) + ',' + (t.success ? "1" : "0") + ',' +
                         std::to_string(t.epochs) + ',' + std::to_string(t.epochsToSuccess) + ',';
            appendExact(trialsCsv, t.finalMinCorrelation);
            trialsCsv += ',';
            appendExact(trialsCsv, t.bestMinCorrelation);
            trialsCsv += ',' + toString(t.reason) + ',';
            appendExact(trialsCsv, t.seconds);
            trialsCsv += '\n';
        }
    }
    if (out) {
        writeText(*out / "summary.csv", summaryCsv);
        writeText(*out / "trials.csv", trialsCsv);
        writeText(*out / "curves.csv", curvesCsv(summaries));
        if (!json)
            context.out << "wrote: " << (*out / "summary.csv").string() << ' ' << (*out / "trials.csv").string() << ' '
                        << (*out / "curves.csv").string() << '\n';
    }
    if (cancelled(context.cancel)) {
        context.err << errorLine("interrupted: the summaries cover the trials that finished");
        return exitInterrupted;
    }
    return exitSuccess;
}

// ---------------------------------------------------------------------------------------------
// normad export

constexpr std::array exportOptions{
    OptionSpec{"--weights", "", "FILE", "write the weights to FILE: .npz (NumPy), .csv or .json, chosen by the extension"},
    OptionSpec{"--spikes", "", "FILE", "write spike trains to FILE: .npz (Brian2 indices/times) or .csv (neuron,time_s)"},
    OptionSpec{"--source", "", "WHAT", "spike trains to write: inputs, desired or layerN (recorded by a forward pass, "
                                       "N = 1..L; default inputs)"},
    OptionSpec{"--pattern", "", "K", "pattern whose spike trains are written, 0-based (default 0)"},
};

int runExport(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    const std::optional<std::string> weightsFile = args.value("--weights");
    const std::optional<std::string> spikesFile = args.value("--spikes");
    if (!weightsFile && !spikesFile)
        throw UsageError("nothing to export: give --weights FILE and/or --spikes FILE (see 'normad export --help')");
    const int k = args.value("--pattern") ? parseCount("--pattern", *args.value("--pattern")) : 0;
    SpikeSource source;
    try {
        source = SpikeSource::parse(args.value("--source").value_or("inputs"), k);
        if (weightsFile)
            exportFormatOf(*weightsFile, {ExportFormat::Npz, ExportFormat::Csv, ExportFormat::Json});
        if (spikesFile)
            exportFormatOf(*spikesFile, {ExportFormat::Npz, ExportFormat::Csv});
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    if (!spikesFile && (args.has("--source") || args.has("--pattern")))
        throw UsageError("--source and --pattern choose the spike trains of --spikes, which is not given");

    Project project = loadInputProject(projectPath);
    project.ensureWeights();
    const int patternCount = static_cast<int>(project.task.patterns.size());
    if (spikesFile && k >= patternCount)
        throw UsageError("invalid value '" + std::to_string(k) + "' for --pattern: " + projectPath + " has " +
                         std::to_string(patternCount) + " pattern(s)");
    if (spikesFile && source.kind == SpikeSource::Kind::Layer &&
        (source.layer < 1 || source.layer > project.network.layerCount()))
        throw UsageError("invalid value '" + source.toString() + "' for --source: " + projectPath +
                         " has LIF layers 1 to " + std::to_string(project.network.layerCount()));

    std::vector<std::string> written;
    if (weightsFile) {
        exportWeights(project, *weightsFile);
        written.insert(written.end(), {*weightsFile, manifestPathFor(*weightsFile), trainingLogPathFor(*weightsFile)});
    }
    if (spikesFile) {
        try {
            exportSpikes(project, source, *spikesFile, context.cancel);
        } catch (const std::runtime_error& e) {
            if (cancelled(context.cancel)) {
                context.err << errorLine("interrupted: the spike trains were not written");
                return exitInterrupted;
            }
            throw;
        }
        written.insert(written.end(), {*spikesFile, manifestPathFor(*spikesFile), trainingLogPathFor(*spikesFile)});
    }
    context.out << "wrote:";
    for (const std::string& file : written)
        context.out << ' ' << file;
    context.out << '\n';
    return exitSuccess;
}

// ---------------------------------------------------------------------------------------------
// normad import

constexpr std::array importOptions{
    OptionSpec{"--spikes", "", "FILE", "spike trains to read: CSV (neuron,time_s) or .npz (indices, times in seconds)"},
    OptionSpec{"--target", "", "WHAT", "which trains they replace: inputs (default) or desired"},
    OptionSpec{"--pattern", "", "K", "the pattern (0-based, default 0); with --new, the pattern is appended instead"},
    OptionSpec{"--new", "", "", "append a new pattern: the imported trains and empty trains for the other side"},
    OptionSpec{"--output", "-o", "FILE", "write the project to FILE instead of replacing PROJECT"},
};

int runImport(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    const std::optional<std::string> spikesFile = args.value("--spikes");
    if (!spikesFile)
        throw UsageError("nothing to import: give --spikes FILE (see 'normad import --help')");
    const std::string target = args.value("--target").value_or("inputs");
    if (target != "inputs" && target != "desired")
        throw UsageError("invalid value '" + target + "' for --target: choose inputs or desired");
    const bool append = args.has("--new");
    if (append && args.has("--pattern"))
        throw UsageError("--new appends a pattern; it cannot be combined with --pattern");
    const int k = args.value("--pattern") ? parseCount("--pattern", *args.value("--pattern")) : 0;

    Project project = loadInputProject(projectPath);
    const bool desired = target == "desired";
    const int count = desired ? project.network.outputCount() : project.network.inputCount();
    // The file's trains must fit the network: one per neuron, inside the trial, on the validation
    // rules of a project (checked again, with the project's field names, by validate()).
    const SpikeRaster raster = importSpikes(*spikesFile, count);
    if (append) {
        Pattern pattern;
        pattern.name = "pattern " + std::to_string(project.task.patterns.size() + 1);
        pattern.inputs.assign(static_cast<std::size_t>(project.network.inputCount()), {});
        pattern.desired.assign(static_cast<std::size_t>(project.network.outputCount()), {});
        (desired ? pattern.desired : pattern.inputs) = raster;
        project.task.patterns.push_back(std::move(pattern));
    } else {
        const int patterns = static_cast<int>(project.task.patterns.size());
        if (k >= patterns)
            throw UsageError("invalid value '" + std::to_string(k) + "' for --pattern: " + projectPath + " has " +
                             std::to_string(patterns) + " pattern(s); use --new to append one");
        Pattern& pattern = project.task.patterns[static_cast<std::size_t>(k)];
        (desired ? pattern.desired : pattern.inputs) = raster;
    }
    try {
        project.validate();
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(*spikesFile + ": does not fit " + projectPath + ": " + e.what());
    }
    const std::string out = args.value("--output").value_or(projectPath);
    saveProject(project, out);
    context.out << "imported " << spikeCount(raster) << " spike(s) of " << raster.size() << " neuron(s) into the "
                << target << " of pattern " << (append ? project.task.patterns.size() - 1 : static_cast<std::size_t>(k))
                << "; wrote " << out << '\n';
    return exitSuccess;
}

// ---------------------------------------------------------------------------------------------
// The command table

// The example names and their descriptions come from the engine's registry (normad/Examples.h).
const std::string exampleSynopsis = "normad example " + exampleNames("|", "|") + " [options]";
const std::string exampleDescription = [] {
    std::string s = "Generates the project of one experiment and writes it as a project file:\n";
    for (const Example& e : examples()) {
        std::string name = e.name;
        name.resize(std::max<std::size_t>(name.size() + 2, 12), ' ');
        s += "  " + name + e.description + '\n';
    }
    return s + "The project includes the initial weights drawn with the seed.";
}();

constexpr std::string_view commonExitCodes =
    "  0    success\n"
    "  1    runtime failure (cannot write an output file or folder, engine failure)\n"
    "  2    bad usage or bad input (unknown option, missing argument, malformed number,\n"
    "       unreadable or invalid project file: the message names the file, field and value)\n";

const std::array commandTable{
    Command{
        "example",
        "write a ready project for one of the papers' experiments",
        exampleSynopsis,
        exampleDescription,
        exampleOptions,
        "  FILE (default KIND.json)  the project, JSON (written atomically; an existing file is replaced)\n",
        "  130  interrupted by Ctrl-C (nothing is written)\n",
        1,
        1,
        "KIND",
        &runExample,
    },
    Command{
        "train",
        "train a project; write the trained project, per-epoch metrics and output spikes",
        "normad train PROJECT [options]",
        "Trains the network of PROJECT on its task until a stop criterion (convergence, max epochs,\n"
        "stagnation or a guard). Prints one line per epoch: epoch, min/mean correlation C, van Rossum\n"
        "distance vR, mean spike-count error |dn|, missing/extra spikes, cost, mean rate of each layer\n"
        "1..L (Hz) and speed; then the stop reason, the learning-rule variant and the final evaluation\n"
        "(a forward pass of every pattern with the final weights).\n"
        "Ctrl-C stops training within milliseconds; the files are still written (a second Ctrl-C\n"
        "quits at once).",
        trainOptions,
        "  trained.json       the project with the trained weights and the training history\n"
        "  metrics.csv        one row per epoch: epoch,mean_correlation,min_correlation,van_rossum,\n"
        "                     spike_count_error,missing,extra,cost,converged,seconds, then c_pattern{k}\n"
        "                     (mean C of pattern k, 0-based) and rate_layer{l}_hz (l = 1..L)\n"
        "  output_spikes.csv  final forward pass of every pattern: pattern,neuron,time_s\n"
        "                     (sorted by pattern, time, neuron; seconds)\n"
        "  manifest.json      run manifest: program version, seed, dt, epochs and every parameter\n"
        "  with --plots DIR:  learning-curves.{png,pdf,csv}, raster-pattern{k}.{png,pdf,csv} and\n"
        "                     membrane-pattern{k}.{png,pdf,csv} (output layer), k = 0-based pattern\n",
        "  1    also: training stopped by a guard (non-finite, silent-layer, runaway-layer)\n"
        "  130  interrupted by Ctrl-C (the files are written first)\n",
        1,
        1,
        "PROJECT",
        &runTrain,
    },
    Command{
        "simulate",
        "run one pattern's forward pass; write spikes, weights, desired spikes and membranes",
        "normad simulate PROJECT [options]",
        "Runs the forward pass of one pattern with the project's weights (drawn from the project's\n"
        "seed if it has none) and writes the files below for comparison with other simulators.\n"
        "Prints the spikes of every layer and the correlation C of each output with its desired train.",
        simulateOptions,
        "  spikes.csv           layer,neuron,time_s: every layer, the inputs as layer 0 (their times as\n"
        "                       given in the project), sorted by layer, time, neuron\n"
        "  weights_layer{k}.csv k = 1..L, no header: one row per postsynaptic neuron, one column per\n"
        "                       presynaptic neuron, amperes (round-trip precision)\n"
        "  desired.csv          neuron,time_s: the pattern's desired output spikes, sorted by time, neuron\n"
        "  membrane.csv         time_s,v0,v1,...: output layer, volts, one row per time step; V(t_n) at\n"
        "                       the start of step n (after a reset at step n-1), Brian2's convention\n",
        "  130  interrupted by Ctrl-C (nothing is written)\n",
        1,
        1,
        "PROJECT",
        &runSimulate,
    },
    Command{
        "export",
        "export a project's weights and spike trains for NumPy, PyTorch, Brian2 or a spreadsheet",
        "normad export PROJECT [--weights FILE] [--spikes FILE [--source WHAT] [--pattern K]]",
        "Writes the project's weights (drawn from its seed if it has none) and/or the spike trains of\n"
        "one pattern: its inputs, its desired outputs or the spikes of a LIF layer recorded by a forward\n"
        "pass. Beside every file go FILE-STEM.manifest.json (program version, seed, dt and every\n"
        "parameter) and FILE-STEM.log.csv (the per-epoch training log). docs/exports.md has the layouts.",
        exportOptions,
        "  weights .npz   layer{k}.weight: float64 [n_out, n_in] amperes for k = 1..L (PyTorch nn.Linear\n"
        "                 layout); metadata: 0-d unicode array with JSON (units, dt, neurons, seed, version)\n"
        "  weights .csv   layer,post,pre,weight_A\n"
        "  weights .json  {\"metadata\": {...}, \"layers\": [{\"key\", \"layer\", \"shape\", \"weights_A\"}]}\n"
        "  spikes .npz    indices int64 [n], times float64 [n] seconds (Brian2 SpikeGeneratorGroup),\n"
        "                 n_neurons int64, metadata (JSON); sorted by time, then index\n"
        "  spikes .csv    neuron,time_s (sorted by time, then neuron)\n"
        "  STEM.manifest.json, STEM.log.csv  beside each file\n",
        "  130  interrupted by Ctrl-C (while recording a layer's spikes)\n",
        1,
        1,
        "PROJECT",
        &runExport,
    },
    Command{
        "import",
        "put spike trains from CSV or .npz into a project's inputs or desired outputs",
        "normad import PROJECT --spikes FILE [--target inputs|desired] [--pattern K | --new] [-o FILE]",
        "Reads spike trains written by normad export, the workbench, NumPy or Brian2 (CSV neuron,time_s;\n"
        ".npz with indices and times in seconds, the SpikeGeneratorGroup layout) and replaces the input\n"
        "or desired trains of one pattern, or appends a new pattern. The trains are checked like a\n"
        "project file's (one train per neuron, inside the trial, sorted, one desired spike per step);\n"
        "the project is written atomically.",
        importOptions,
        "  PROJECT (or -o FILE)  the project with the imported trains\n",
        "",
        1,
        1,
        "PROJECT",
        &runImport,
    },
    Command{
        "reproduce",
        "run one of the papers' experiments over many seeds and print a table",
        "normad reproduce EXPERIMENT [options]     (normad reproduce --list)",
        "Runs every variant of an experiment (single, scaling, xor, multilayer; see --list) over\n"
        "N seeds, in parallel, and prints per variant: successes, epochs to success (mean, median),\n"
        "the mean final correlation of the worst pattern and the wall time. docs/reproduction.md\n"
        "documents the protocols and the results.",
        reproduceOptions,
        "  summary.csv  one row per variant (with --out)\n"
        "  trials.csv   one row per trial: seed, success, epochs, final/best min C, stop reason\n"
        "  curves.csv   variant,epoch,mean_min_correlation,fraction_succeeded (learning curves)\n",
        "  130  interrupted by Ctrl-C (the table covers the trials that finished)\n",
        0,
        1,
        "EXPERIMENT",
        &runReproduce,
    },
};

std::string optionLabel(const OptionSpec& o)
{
    std::string label = o.shortName.empty() ? "    " : std::string(o.shortName) + ", ";
    label += o.name;
    if (!o.valueName.empty())
        label += " " + std::string(o.valueName);
    return label;
}

void checkOperands(const Command& command, const ParsedArgs& args)
{
    const int n = static_cast<int>(args.positionals().size());
    const std::string hint = " (see 'normad " + std::string(command.name) + " --help')";
    if (n < command.minOperands)
        throw UsageError("missing " + std::string(command.operandNames) + " for '" + std::string(command.name) + "'" +
                         hint);
    if (n > command.maxOperands)
        throw UsageError("unexpected argument '" + args.positionals()[static_cast<std::size_t>(command.maxOperands)] +
                         "' for '" + std::string(command.name) + "'" + hint);
}

std::string commandList()
{
    std::string s;
    for (const Command& c : commandTable)
        s += (s.empty() ? "" : ", ") + std::string(c.name);
    return s;
}

} // namespace

std::span<const Command> commands()
{
    return commandTable;
}

const Command* findCommand(std::string_view name)
{
    for (const Command& c : commandTable)
        if (c.name == name)
            return &c;
    return nullptr;
}

std::string globalHelp()
{
    std::string s = "normad " + std::string(versionString()) +
                    ": train and simulate spiking neural networks with NormAD, without a GUI\n\n"
                    "Usage: normad COMMAND [options] [arguments]\n"
                    "       normad help COMMAND     (or normad COMMAND --help)\n"
                    "       normad --version\n\n"
                    "Commands:\n";
    for (const Command& c : commandTable) {
        std::string name(c.name);
        name.resize(std::max<std::size_t>(name.size() + 2, 10), ' ');
        s += "  " + name + std::string(c.summary) + '\n';
    }
    s += "\nExit codes:\n" + std::string(commonExitCodes) +
         "  130  interrupted by Ctrl-C (train writes its results first)\n"
         "A failure is reported as one line on stderr starting with 'normad: '.\n";
    return s;
}

std::string commandHelp(const Command& command)
{
    std::string s = "Usage: " + std::string(command.synopsis) + "\n\n" + std::string(command.description) + "\n\nOptions:\n";
    std::size_t width = std::string_view("-h, --help").size();
    for (const OptionSpec& o : command.options)
        width = std::max(width, optionLabel(o).size());
    // Option help wrapped at 100 columns, continuation lines aligned under the help column.
    constexpr std::size_t lineWidth = 100;
    auto line = [&](std::string label, std::string_view help) {
        label.resize(width + 2, ' ');
        const std::string indent(2 + label.size(), ' ');
        std::string current = "  " + label;
        std::size_t used = current.size();
        bool first = true;
        while (!help.empty()) {
            const std::size_t end = help.find(' ');
            const std::string_view word = help.substr(0, end);
            help = end == std::string_view::npos ? std::string_view() : help.substr(end + 1);
            if (!first && used + 1 + word.size() > lineWidth) {
                s += current + '\n';
                current = indent;
                used = indent.size();
                first = true;
            }
            if (!first) {
                current += ' ';
                ++used;
            }
            current += word;
            used += word.size();
            first = false;
        }
        s += current + '\n';
    };
    for (const OptionSpec& o : command.options)
        line(optionLabel(o), o.help);
    line("-h, --help", "show this help and exit");
    s += "\nOutput files:\n" + std::string(command.outputs);
    s += "\nExit codes:\n" + std::string(commonExitCodes) + std::string(command.exitCodes);
    s += "Errors are reported as one line on stderr starting with 'normad: '.\n";
    return s;
}

int runCli(const std::vector<std::string>& args, CommandContext& context)
{
    if (args.empty())
        throw UsageError("no command given (commands: " + commandList() + "; see 'normad --help')");
    const std::string& first = args.front();
    if (first == "--help" || first == "-h") {
        context.out << globalHelp();
        return exitSuccess;
    }
    if (first == "--version") {
        context.out << "normad " << versionString() << '\n';
        return exitSuccess;
    }
    if (first == "help") {
        if (args.size() == 1) {
            context.out << globalHelp();
            return exitSuccess;
        }
        if (args.size() > 2)
            throw UsageError("'help' takes one command name (got '" + args[2] + "' too)");
        const Command* command = findCommand(args[1]);
        if (!command)
            throw UsageError("unknown command '" + args[1] + "' (commands: " + commandList() + ")");
        context.out << commandHelp(*command);
        return exitSuccess;
    }
    const Command* command = findCommand(first);
    if (!command)
        throw UsageError(std::string(first.starts_with('-') ? "unknown option '" : "unknown command '") + first +
                         "' (commands: " + commandList() + "; see 'normad --help')");
    const ParsedArgs parsed =
        parseArguments(command->name, std::vector<std::string>(args.begin() + 1, args.end()), command->options);
    if (parsed.helpRequested()) {
        context.out << commandHelp(*command);
        return exitSuccess;
    }
    checkOperands(*command, parsed);
    return command->run(parsed, context);
}

std::string errorLine(std::string_view message)
{
    std::string s = "normad: ";
    for (char c : message)
        s += (c == '\n' || c == '\r') ? ' ' : c;
    while (s.size() > 8 && s.back() == ' ')
        s.pop_back();
    return s + '\n';
}

} // namespace normad::cli
