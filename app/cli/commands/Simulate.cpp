// normad simulate: one pattern's (or one dataset sample's) forward pass, written as CSV for
// comparison with other simulators.

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliOutputFolder.h"
#include "CliSupport.h"

#include "normad/ClassTargets.h"
#include "normad/Classification.h"
#include "normad/DatasetTask.h"
#include "normad/MemoryBudget.h"
#include "normad/Metrics.h"
#include "normad/Simulator.h"
#include "normad/TextFormat.h"

#include <array>
#include <memory>
#include <optional>
#include <ostream>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array options{
    OptionSpec{"--pattern", "", "K", ArgumentKind::Count, "simulate pattern K of the task, 0-based (default 0)"},
    OptionSpec{"--sample", "", "K", ArgumentKind::Count,
               "dataset projects: simulate the K-th sample of the split, 0-based (default 0), encoded as training "
               "encodes it"},
    OptionSpec{"--split", "", "SPLIT", ArgumentKind::Text,
               "dataset projects: the split --sample counts in: train, validation or test (default train)"},
    OptionSpec{"--out", "", "DIR", ArgumentKind::Text,
               "write the results into DIR (default: ./<project stem>-sim), as a whole, replacing an earlier "
               "run's (docs/checkpoints.md)"},
};

/// C of one output train with its desired train, with the trainer's convention that two empty
/// trains agree perfectly.
double outputCorrelation(const SpikeTrain& desired, const SpikeTrain& actual, const MetricParams& mp)
{
    if (desired.empty() && actual.empty())
        return 1.0;
    return metrics::correlation(desired, actual, mp.kernel, mp.correlationWidth);
}

std::string spikesCsv(const Pattern& pattern, const SimulationRecord& rec)
{
    CsvWriter csv{"layer", "neuron", "time_s"};
    // Layer 0 is written from the project's own input times, so it is exactly what was given;
    // the simulator places each on the grid step round(t/dt).
    for (const auto& [time, neuron] : timeOrderedEvents(pattern.inputs))
        csv.field(0).field(neuron).field(time).endRow();
    for (int l = 1; l < static_cast<int>(rec.layers.size()); ++l)
        for (const auto& [step, neuron] : timeOrderedEvents(rec.activity(l).spikes))
            csv.field(l).field(neuron).field(static_cast<double>(step) * rec.dt).endRow();
    return csv.text();
}

std::string weightsCsv(const Eigen::MatrixXd& w)
{
    CsvWriter csv; // no header: the matrix as it stands
    for (Eigen::Index i = 0; i < w.rows(); ++i) {
        for (Eigen::Index j = 0; j < w.cols(); ++j)
            csv.field(w(i, j));
        csv.endRow();
    }
    return csv.text();
}

std::string desiredCsv(const Pattern& pattern)
{
    CsvWriter csv{"neuron", "time_s"};
    for (const auto& [time, neuron] : timeOrderedEvents(pattern.desired))
        csv.field(neuron).field(time).endRow();
    return csv.text();
}

std::string membraneCsv(const SimulationRecord& rec, int layer, int neurons)
{
    std::vector<const std::vector<double>*> traces;
    CsvWriter csv;
    csv.field("time_s");
    for (int i = 0; i < neurons; ++i) {
        const MembraneTrace* trace = rec.membrane(layer, i);
        if (!trace)
            throw std::logic_error("simulate: the membrane of output neuron " + std::to_string(i) +
                                   " was not recorded");
        traces.push_back(&trace->volts);
        csv.field(std::string("v").append(std::to_string(i)));
    }
    csv.endRow();
    for (std::int64_t n = 0; n < rec.steps; ++n) {
        csv.field(static_cast<double>(n) * rec.dt);
        for (const std::vector<double>* volts : traces)
            csv.field((*volts)[static_cast<std::size_t>(n)]);
        csv.endRow();
    }
    return csv.text();
}

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    const int k = args.count("--pattern").value_or(0);
    const std::string outDir = args.text("--out").value_or(defaultOutputFolder(projectPath, "-sim"));

    Project project = loadInputProject(projectPath);
    // What is presented: pattern K of an inline task, or the K-th sample of a dataset split.
    std::shared_ptr<const Pattern> presented;
    std::string what;
    std::optional<ChosenSample> chosen;
    if (project.dataset) {
        if (args.has("--pattern"))
            throw UsageError("--pattern numbers the patterns of an inline task; " + projectPath +
                             " is a dataset project: choose a sample with --sample K [--split SPLIT]");
        chosen = chooseSample(project, projectPath, args, context.cancel);
        presented = chosen->pattern;
        what = toString(chosen->split) + " sample " + std::to_string(chosen->position) + " (data sample " +
               std::to_string(chosen->sample) + ", class " + std::to_string(chosen->label) + " '" +
               chosen->data->classNames().at(static_cast<std::size_t>(chosen->label)) + "')";
    } else {
        if (args.has("--sample") || args.has("--split"))
            throw UsageError("--sample and --split choose a sample of a dataset project; " + projectPath +
                             " has inline patterns: choose one with --pattern K");
        const int patternCount = static_cast<int>(project.task.patterns.size());
        if (k >= patternCount)
            throw UsageError("invalid value '" + std::to_string(k) + "' for --pattern: " + projectPath + " has " +
                             std::to_string(patternCount) + " pattern(s), numbered 0 to " +
                             std::to_string(patternCount - 1));
        presented = std::make_shared<const Pattern>(project.task.patterns[static_cast<std::size_t>(k)]);
        what = "pattern " + std::to_string(k) + " '" + presented->name + "'";
    }
    project.ensureWeights();
    if (static_cast<std::size_t>(project.network.inputCount()) != presented->inputs.size())
        throw std::invalid_argument(projectPath + ": the network has " + std::to_string(project.network.inputCount()) +
                                    " inputs, the " + what + " " + std::to_string(presented->inputs.size()));
    if (presented->desired.size() != static_cast<std::size_t>(project.network.outputCount()))
        throw std::invalid_argument(projectPath + ": the network has " + std::to_string(project.network.outputCount()) +
                                    " outputs, the " + what + " desires " + std::to_string(presented->desired.size()));
    // membrane.csv is built in memory beside the recording (steps × outputs doubles): refuse a trial
    // whose text would not fit before simulating it. Each value takes at most 25 characters
    // (formatShortest and a comma); the text may be copied once as the string grows.
    const auto steps = static_cast<std::uint64_t>(project.simulation.steps());
    const auto columns = static_cast<std::uint64_t>(project.network.outputCount()) + 1;
    const std::uint64_t csvBytes = saturatingMultiply(saturatingMultiply(steps, columns), 25);
    requireMemory(saturatingMultiply(csvBytes, 2) + saturatingMultiply(saturatingMultiply(steps, columns - 1), 8),
                  projectPath, "membrane.csv",
                  "the membrane potentials of " + plural(static_cast<long long>(steps), "time step") + " × " +
                      plural(static_cast<long long>(columns - 1), "output neuron") + " and their CSV text");
    // Written as a whole (CliOutputFolder.h): the files go into a staging folder published at the end.
    OutputFolder folder(outDir, {"spikes.csv", "weights_layer*", "desired.csv", "membrane.csv"},
                        OutputFolder::Partial::Discard, context.err);
    const fs::path staging = folder.staging();

    const Pattern& pattern = *presented;
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

    writeText(staging / "spikes.csv", spikesCsv(pattern, rec));
    for (int l : project.network.layerNumbers())
        writeText(staging / ("weights_layer" + std::to_string(l) + ".csv"), weightsCsv(project.network.weights(l)));
    writeText(staging / "desired.csv", desiredCsv(pattern));
    writeText(staging / "membrane.csv", membraneCsv(rec, L, project.network.outputCount()));
    folder.publish();
    const fs::path out = folder.path();

    std::ostream& o = context.out;
    o << what << " of " << projectPath << " (" << describeTopology(project) << ")\n";
    o << "layer 0 (inputs): " << spikeCount(pattern.inputs) << " spikes\n";
    const double duration = project.simulation.duration;
    for (int l : project.network.layerNumbers()) {
        const auto spikes = rec.activity(l).totalSpikes();
        o << "layer " << l << ": " << spikes << " spikes ("
          << formatted("%.1f", static_cast<double>(spikes) / (project.network.populationSize(l) * duration))
          << " Hz per neuron)\n";
    }
    for (int i = 0; i < project.network.outputCount(); ++i) {
        const SpikeTrain actual = toTimes(rec.layers.back().spikes[static_cast<std::size_t>(i)], rec.dt);
        const SpikeTrain& desired = pattern.desired[static_cast<std::size_t>(i)];
        o << "output " << i << ": " << actual.size() << " spikes, desired " << desired.size()
          << ", C = " << formatted("%.4f", outputCorrelation(desired, actual, project.training.metrics)) << '\n';
    }
    o << "wrote: " << (out / "spikes.csv").string() << ' ' << (out / "weights_layer1.csv").string()
      << (L > 1 ? " … " + (out / ("weights_layer" + std::to_string(L) + ".csv")).string() : std::string()) << ' '
      << (out / "desired.csv").string() << ' ' << (out / "membrane.csv").string() << '\n';
    if (chosen) {
        const LoadedDataset& data = *chosen->data;
        SpikeRaster output;
        for (const StepTrain& train : rec.layers.back().spikes)
            output.push_back(toTimes(train, rec.dt));
        // The class evaluate() would name for this sample (same rule, same van Rossum τ).
        const int predicted =
            decideClass(output, data.targets(), data.decision(), project.training.metrics.vanRossumTau);
        o << "decision " << toString(data.decision()) << ": "
          << (predicted == undecidedClass ? std::string("undecided")
                                          : "class " + std::to_string(predicted) + " '" +
                                                data.classNames().at(static_cast<std::size_t>(predicted)) + "'")
          << (predicted == chosen->label ? " (right)" : " (wrong)") << '\n';
    }
    return exitSuccess;
}

} // namespace

CommandSpec simulateCommand()
{
    return {
        "normad simulate PROJECT [options]",
        "Runs the forward pass of one pattern with the project's weights (drawn from the project's\n"
        "seed if it has none) and writes the files below for comparison with other simulators.\n"
        "Prints the spikes of every layer and the correlation C of each output with its desired train.\n"
        "For a dataset project it presents one sample (--sample K of --split, default the first\n"
        "training sample) encoded as training encodes it, its class target as the desired output,\n"
        "and also prints the class the project's decision rule names.",
        options,
        "  spikes.csv           layer,neuron,time_s: every layer, the inputs as layer 0 (their times as\n"
        "                       given in the project or made by the encoding), sorted by layer, time, neuron\n"
        "  weights_layer{k}.csv k = 1..L, no header: one row per postsynaptic neuron, one column per\n"
        "                       presynaptic neuron, amperes\n"
        "  desired.csv          neuron,time_s: the pattern's desired output spikes (a dataset sample: its\n"
        "                       class target), sorted by time, neuron\n"
        "  membrane.csv         time_s,v0,v1,...: output layer, volts, one row per time step; V(t_n) at\n"
        "                       the start of step n (after a reset at step n-1), Brian2's convention\n"
        "  Numbers are written in the shortest form that reads back as the same double.\n",
        "  130  interrupted by Ctrl-C (nothing is written)\n",
        {"PROJECT", 1, 1},
        &run,
    };
}

} // namespace normad::cli
