// normad import: spike trains from CSV or .npz into a project's inputs or desired outputs.

#include "CliCommand.h"
#include "CliSupport.h"

#include "normad/Exports.h"
#include "normad/ProjectIo.h"

#include <array>
#include <ostream>

namespace normad::cli {

namespace {

constexpr std::array options{
    OptionSpec{"--spikes", "", "FILE", ArgumentKind::Text,
               "spike trains to read: CSV (neuron,time_s) or .npz (indices, times in seconds)"},
    OptionSpec{"--target", "", "WHAT", ArgumentKind::Text, "which trains they replace: inputs (default) or desired"},
    OptionSpec{"--pattern", "", "K", ArgumentKind::Count,
               "the pattern (0-based, default 0); with --new, the pattern is appended instead"},
    OptionSpec{"--new", "", "", ArgumentKind::None,
               "append a new pattern: the imported trains and empty trains for the other side"},
    OptionSpec{"--output", "-o", "FILE", ArgumentKind::Text, "write the project to FILE instead of replacing PROJECT"},
};

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    const std::optional<std::string> spikesFile = args.text("--spikes");
    if (!spikesFile)
        throw UsageError("nothing to import: give --spikes FILE (see 'normad import --help')");
    const std::string target = args.text("--target").value_or("inputs");
    if (target != "inputs" && target != "desired")
        throw UsageError("invalid value '" + target + "' for --target: choose inputs or desired");
    const bool append = args.has("--new");
    if (append && args.has("--pattern"))
        throw UsageError("--new appends a pattern; it cannot be combined with --pattern");
    const int k = args.count("--pattern").value_or(0);

    Project project = loadInputProject(projectPath);
    const bool desired = target == "desired";
    const int count = desired ? project.network.outputCount() : project.network.inputCount();
    // The file's trains must fit the network: one per neuron, inside the trial, on the validation
    // rules of a project (checked again, with the project's field names, by validate()).
    // Times are checked against the trial here too, so a refusal names the file's line or array.
    const SpikeRaster raster = importSpikes(*spikesFile, count, &project.simulation);
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
    const std::string out = args.text("--output").value_or(projectPath);
    saveProject(project, out);
    context.out << "imported " << spikeCount(raster) << " spike(s) of " << raster.size() << " neuron(s) into the "
                << target << " of pattern " << (append ? project.task.patterns.size() - 1 : static_cast<std::size_t>(k))
                << "; wrote " << out << '\n';
    return exitSuccess;
}

} // namespace

CommandSpec importCommand()
{
    return {
        "normad import PROJECT --spikes FILE [--target inputs|desired] [--pattern K | --new] [-o FILE]",
        "Reads spike trains written by normad export, the workbench, NumPy or Brian2 (CSV neuron,time_s;\n"
        ".npz with indices and times in seconds, the SpikeGeneratorGroup layout) and replaces the input\n"
        "or desired trains of one pattern, or appends a new pattern. The trains are checked like a\n"
        "project file's (one train per neuron, inside the trial, sorted, one desired spike per step);\n"
        "the project is written atomically.",
        options,
        "  PROJECT (or -o FILE)  the project with the imported trains\n",
        "",
        {"PROJECT", 1, 1},
        &run,
    };
}

} // namespace normad::cli
