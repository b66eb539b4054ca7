// normad export: a project's weights and one pattern's spike trains for other tools
// (the engine's exporters, normad/Exports.h, do the writing).

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliSupport.h"

#include "normad/Brian2Export.h"
#include "normad/Exports.h"

#include <array>
#include <optional>
#include <ostream>

namespace normad::cli {

namespace {

constexpr std::array options{
    OptionSpec{"--weights", "", "FILE", ArgumentKind::Text,
               "write the weights to FILE: .npz (NumPy), .csv or .json, chosen by the extension"},
    OptionSpec{"--spikes", "", "FILE", ArgumentKind::Text,
               "write spike trains to FILE: .npz (Brian2 indices/times) or .csv (neuron,time_s)"},
    OptionSpec{"--source", "", "WHAT", ArgumentKind::Text,
               "spike trains to write: inputs, desired or layerN (recorded by a forward pass, N = 1..L; default "
               "inputs)"},
    OptionSpec{"--brian2", "", "FILE.py", ArgumentKind::Text,
               "write a standalone Brian2 script that rebuilds the network with its weights, runs one pattern "
               "and plots the raster; it reproduces 'normad simulate --pattern K' spike for spike"},
    OptionSpec{"--pattern", "", "K", ArgumentKind::Count,
               "pattern whose spike trains are written or that the Brian2 script runs, 0-based (default 0)"},
    OptionSpec{"--sample", "", "K", ArgumentKind::Count,
               "dataset projects: the Brian2 script runs the K-th sample of the split, 0-based (default 0), "
               "encoded as training encodes it"},
    OptionSpec{"--split", "", "SPLIT", ArgumentKind::Text,
               "dataset projects: the split --sample counts in: train, validation or test (default train)"},
};

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    const std::optional<std::string> weightsFile = args.text("--weights");
    const std::optional<std::string> spikesFile = args.text("--spikes");
    const std::optional<std::string> brian2File = args.text("--brian2");
    if (!weightsFile && !spikesFile && !brian2File)
        throw UsageError("nothing to export: give --weights FILE, --spikes FILE and/or --brian2 FILE.py (see 'normad "
                         "export --help')");
    const int k = args.count("--pattern").value_or(0);
    SpikeSource source;
    try {
        source = SpikeSource::parse(args.text("--source").value_or("inputs"), k);
        if (weightsFile)
            exportFormatOf(*weightsFile, {ExportFormat::Npz, ExportFormat::Csv, ExportFormat::Json});
        if (spikesFile)
            exportFormatOf(*spikesFile, {ExportFormat::Npz, ExportFormat::Csv});
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    if (!spikesFile && args.has("--source"))
        throw UsageError("--source chooses the spike trains of --spikes, which is not given");
    if (!spikesFile && !brian2File && args.has("--pattern"))
        throw UsageError("--pattern chooses the pattern of --spikes or --brian2, neither of which is given");
    if (!brian2File && (args.has("--sample") || args.has("--split")))
        throw UsageError("--sample and --split choose the dataset sample of --brian2, which is not given");

    Project project = loadInputProject(projectPath);
    project.ensureWeights();
    if (brian2File && project.dataset && args.has("--pattern"))
        throw UsageError("--pattern numbers the patterns of an inline task; " + projectPath +
                         " is a dataset project: choose the script's sample with --sample K [--split SPLIT]");
    if (brian2File && !project.dataset && (args.has("--sample") || args.has("--split")))
        throw UsageError("--sample and --split choose a sample of a dataset project; " + projectPath +
                         " has inline patterns: choose the script's pattern with --pattern K");
    const int patternCount = static_cast<int>(project.task.patterns.size());
    if ((spikesFile || (brian2File && !project.dataset)) && k >= patternCount)
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
    if (brian2File) {
        // The sample is chosen (and its messages name the project) before the script is made.
        const std::optional<ChosenSample> chosen =
            project.dataset ? std::optional(chooseSample(project, projectPath, args, context.cancel)) : std::nullopt;
        try {
            if (chosen) {
                exportBrian2Script(project, *chosen->data, chosen->split, static_cast<int>(chosen->position),
                                   *brian2File);
            } else {
                exportBrian2Script(project, k, *brian2File);
            }
        } catch (const std::invalid_argument& e) {
            throw UsageError(projectPath + ": " + e.what());
        }
        written.push_back(*brian2File);
    }
    context.out << "wrote:";
    for (const std::string& file : written)
        context.out << ' ' << file;
    context.out << '\n';
    return exitSuccess;
}

} // namespace

CommandSpec exportCommand()
{
    return {
        "normad export PROJECT [--weights FILE] [--spikes FILE [--source WHAT]] [--brian2 FILE.py] "
        "[--pattern K | --sample K [--split SPLIT]]",
        "Writes the project's weights (drawn from its seed if it has none) and/or the spike trains of\n"
        "one pattern: its inputs, its desired outputs or the spikes of a LIF layer recorded by a forward\n"
        "pass. Beside every file go FILE-STEM.manifest.json (program version, seed, dt and every\n"
        "parameter) and FILE-STEM.log.csv (the per-epoch training log). --brian2 writes a Python script\n"
        "that runs pattern K in Brian2 with the project's weights and plots the raster; it needs no other\n"
        "file and reproduces 'normad simulate PROJECT --pattern K'. For a dataset project the script\n"
        "runs one sample (--sample K of --split, default the first training sample), its encoded input\n"
        "spikes written into it and the sample and its label named in its docstring; it reproduces\n"
        "'normad simulate PROJECT --sample K --split SPLIT'. docs/exports.md has the layouts.",
        options,
        "  weights .npz   layer{k}.weight: float64 [n_out, n_in] amperes for k = 1..L (PyTorch nn.Linear\n"
        "                 layout); metadata: 0-d unicode array with JSON (units, dt, neurons, seed, version)\n"
        "  weights .csv   layer,post,pre,weight_A\n"
        "  weights .json  {\"metadata\": {...}, \"layers\": [{\"key\", \"layer\", \"shape\", \"weights_A\"}]}\n"
        "  spikes .npz    indices int64 [n], times float64 [n] seconds (Brian2 SpikeGeneratorGroup),\n"
        "                 n_neurons int64, metadata (JSON); sorted by time, then index\n"
        "  spikes .csv    neuron,time_s (sorted by time, then neuron)\n"
        "  STEM.manifest.json, STEM.log.csv  beside each --weights and --spikes file\n"
        "  brian2 .py     python3 FILE.py [--spikes OUT.npz] [--plot OUT.png | --no-plot]: OUT.npz holds\n"
        "                 {inputs,layerN}_indices, {inputs,layerN}_times (seconds) and dt\n",
        "  130  interrupted by Ctrl-C (while recording a layer's spikes)\n",
        {"PROJECT", 1, 1},
        &run,
    };
}

} // namespace normad::cli
