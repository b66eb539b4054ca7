#include "CommandTable.h"

#include "normad/Version.h"

#include <algorithm>
#include <array>
#include <ostream>
#include <utility>
#include <vector>

namespace normad::cli {

// Each command's file (commands/NAME.cpp) defines one of these.
CommandSpec exampleCommand();
CommandSpec trainCommand();
CommandSpec simulateCommand();
CommandSpec exportCommand();
CommandSpec importCommand();
CommandSpec reproduceCommand();
CommandSpec sweepCommand();
CommandSpec datasetNewCommand();
CommandSpec datasetInfoCommand();
CommandSpec datasetPreviewCommand();
CommandSpec evaluateCommand();

namespace {

constexpr std::array commandTable{
    Command{"example", "write a ready project: one of the papers' experiments, or the iris or fashion-mnist dataset",
            &exampleCommand},
    Command{"train", "train a project; write the trained project, per-epoch metrics and output spikes", &trainCommand},
    Command{"simulate", "run one pattern's forward pass; write spikes, weights, desired spikes and membranes",
            &simulateCommand},
    Command{"export", "export a project's weights and spike trains for NumPy, PyTorch, Brian2 or a spreadsheet",
            &exportCommand},
    Command{"import", "put spike trains from CSV or .npz into a project's inputs or desired outputs", &importCommand},
    Command{"reproduce", "run one of the papers' experiments over many seeds and print a table", &reproduceCommand},
    Command{"sweep", "run a grid of seeds x parameters over threads or SLURM array tasks; merge the results",
            &sweepCommand},
    Command{"dataset new", "write a ready, trainable project for a CSV table, IDX files or an image folder",
            &datasetNewCommand},
    Command{"dataset info", "print a dataset's samples, classes and split; write the split as CSV",
            &datasetInfoCommand},
    Command{"dataset preview", "write one sample's encoded input raster (CSV, PNG) and its class target",
            &datasetPreviewCommand},
    Command{"evaluate", "accuracy of a dataset project on a split; write the confusion matrix and predictions",
            &evaluateCommand},
};

constexpr std::string_view commonExitCodes =
    "  0    success\n"
    "  1    runtime failure (cannot write an output file or folder, engine failure, an input that\n"
    "       would not fit in memory: the message names the file and the estimate)\n"
    "  2    bad usage or bad input (unknown option, missing argument, malformed number,\n"
    "       unreadable or invalid project file: the message names the file, field and value)\n";

std::string commandList()
{
    std::string s;
    for (const Command& c : commandTable)
        s += (s.empty() ? "" : ", ") + std::string(c.name);
    return s;
}

/// The command named by the first one or two words of `words` ("train", "dataset new"), and how
/// many words its name takes; nullptr if none.
std::pair<const Command*, std::size_t> matchCommand(const std::vector<std::string>& words)
{
    if (words.size() >= 2)
        if (const Command* c = findCommand(words[0] + ' ' + words[1]))
            return {c, 2};
    return {words.empty() ? nullptr : findCommand(words[0]), 1};
}

/// "new, info or preview" for a group word like "dataset"; empty if `word` names no group.
std::string groupMembers(std::string_view word)
{
    std::vector<std::string_view> members;
    for (const Command& c : commandTable)
        if (c.name.size() > word.size() && c.name.starts_with(word) && c.name[word.size()] == ' ')
            members.push_back(c.name.substr(word.size() + 1));
    std::string s;
    for (std::size_t i = 0; i < members.size(); ++i)
        s += (i == 0 ? "" : i + 1 == members.size() ? " or " : ", ") + std::string(members[i]);
    return s;
}

/// The error for words that name no command.
UsageError unknownCommand(const std::string& word)
{
    if (const std::string members = groupMembers(word); !members.empty())
        return UsageError("'" + word + "' needs a subcommand: " + members + " (see 'normad --help')");
    return UsageError(std::string(word.starts_with('-') ? "unknown option '" : "unknown command '") + word +
                      "' (commands: " + commandList() + "; see 'normad --help')");
}

void checkOperands(const Command& command, const Operands& operands, const ParsedArgs& args)
{
    const int n = static_cast<int>(args.positionals().size());
    const std::string hint = " (see 'normad " + std::string(command.name) + " --help')";
    if (n < operands.minimum)
        throw UsageError("missing " + operands.names + " for '" + std::string(command.name) + "'" + hint);
    if (n > operands.maximum)
        throw UsageError("unexpected argument '" + args.positionals()[static_cast<std::size_t>(operands.maximum)] +
                         "' for '" + std::string(command.name) + "'" + hint);
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
        name.resize(std::max<std::size_t>(name.size() + 2, 18), ' ');
        s += "  " + name + std::string(c.summary) + '\n';
    }
    s += "\nExit codes:\n" + std::string(commonExitCodes) +
         "  130  interrupted by Ctrl-C (train writes its results first)\n"
         "A failure is reported as one line on stderr starting with 'normad: '.\n";
    return s;
}

std::string commandHelp(const Command& command)
{
    const CommandSpec spec = command.spec();
    return "Usage: " + spec.synopsis + "\n\n" + spec.description + "\n\nOptions:\n" + optionsHelp(spec.options) +
           "\nOutput files:\n" + spec.outputs + "\nExit codes:\n" + std::string(commonExitCodes) + spec.exitCodes +
           "Errors are reported as one line on stderr starting with 'normad: '.\n";
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
        const std::vector<std::string> words(args.begin() + 1, args.end());
        const auto [command, length] = matchCommand(words);
        if (!command) {
            if (!groupMembers(words[0]).empty())
                throw unknownCommand(words[0]);
            throw UsageError("unknown command '" + words[0] + "' (commands: " + commandList() + ")");
        }
        if (words.size() > length)
            throw UsageError("'help' takes one command name (got '" + words[length] + "' too)");
        context.out << commandHelp(*command);
        return exitSuccess;
    }
    const auto [command, length] = matchCommand(args);
    if (!command)
        throw unknownCommand(first);
    const CommandSpec spec = command->spec();
    const ParsedArgs parsed = parseArguments(
        command->name, std::vector<std::string>(args.begin() + static_cast<std::ptrdiff_t>(length), args.end()),
        spec.options);
    if (parsed.helpRequested()) {
        context.out << commandHelp(*command);
        return exitSuccess;
    }
    checkOperands(*command, spec.operands, parsed);
    return spec.run(parsed, context);
}

} // namespace normad::cli
