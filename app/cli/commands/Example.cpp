// normad example: writes one of the engine's built-in examples (normad/Examples.h) as a project file.

#include "CliCommand.h"
#include "CliSupport.h"

#include "normad/Examples.h"
#include "normad/ProjectIo.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <ostream>

namespace normad::cli {

namespace {

constexpr std::array options{
    OptionSpec{"--output", "-o", "FILE", ArgumentKind::Text,
               "write the project to FILE (default: KIND.json in the current folder; '-' = stdout)"},
    OptionSpec{"--seed", "", "N", ArgumentKind::Seed, "seed of the generated spike trains and weights (default 1)"},
};

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string kind = args.positionals().at(0);
    const std::uint64_t seed = args.seed("--seed").value_or(1);
    const Example* example = findExample(kind);
    if (!example)
        throw UsageError("unknown example '" + kind + "': choose " + exampleNames());
    const Project project = example->make(seed);

    // Generation does not poll the flag (it takes well under a second); honour a Ctrl-C after it.
    if (cancelled(context.cancel)) {
        context.err << errorLine("interrupted: nothing written");
        return exitInterrupted;
    }
    const std::string file = args.text("--output").value_or(kind + ".json");
    if (file == "-") {
        if (!example->dataFiles.empty())
            throw UsageError("the " + kind + " example refers to data files written beside the project: give -o FILE");
        context.out << projectToJson(project);
        return exitSuccess;
    }
    // A dataset example's data goes beside the project, where its references point.
    const std::vector<std::string> data =
        writeExampleData(*example, std::filesystem::absolute(std::filesystem::path(file)).parent_path().string());
    saveProject(project, file);
    context.out << "wrote " << file << ": " << project.name << " (" << describeTopology(project) << ", seed " << seed
                << ")\n";
    for (const std::string& path : data)
        context.out << "wrote " << path << " (the example's data)\n";
    return exitSuccess;
}

std::string description()
{
    std::string s = "Generates the project of one experiment and writes it as a project file:\n";
    auto line = [&s](const Example& e, const std::string& text) {
        std::string name = e.name;
        name.resize(std::max<std::size_t>(name.size() + 2, 12), ' ');
        s += "  " + name + text + '\n';
    };
    for (const Example& e : examples())
        line(e, e.summary()); // the layer sizes from the example's own network
    for (const Example& e : datasetExamples())
        line(e, e.description);
    return s + "The project includes the initial weights drawn with the seed. A dataset example refers to its\n"
               "data: iris writes iris.csv beside the project; fashion-mnist refers to the installed files.";
}

} // namespace

CommandSpec exampleCommand()
{
    return {
        "normad example " + exampleNames("|", "|") + " [options]",
        description(),
        options,
        "  FILE (default KIND.json)  the project, JSON (written atomically; an existing file is replaced)\n"
        "  iris.csv                  iris only: the data table, beside FILE (the project refers to it)\n",
        "  130  interrupted by Ctrl-C (nothing is written)\n",
        {"KIND", 1, 1},
        &run,
    };
}

} // namespace normad::cli
