#include "CommandTable.h"

#include "normad/Version.h"

#include <algorithm>
#include <array>
#include <ostream>

namespace normad::cli {

// Each command's file (commands/NAME.cpp) defines one of these.
CommandSpec exampleCommand();
CommandSpec trainCommand();
CommandSpec simulateCommand();
CommandSpec exportCommand();
CommandSpec importCommand();
CommandSpec reproduceCommand();

namespace {

constexpr std::array commandTable{
    Command{"example", "write a ready project for one of the papers' experiments", &exampleCommand},
    Command{"train", "train a project; write the trained project, per-epoch metrics and output spikes", &trainCommand},
    Command{"simulate", "run one pattern's forward pass; write spikes, weights, desired spikes and membranes",
            &simulateCommand},
    Command{"export", "export a project's weights and spike trains for NumPy, PyTorch, Brian2 or a spreadsheet",
            &exportCommand},
    Command{"import", "put spike trains from CSV or .npz into a project's inputs or desired outputs", &importCommand},
    Command{"reproduce", "run one of the papers' experiments over many seeds and print a table", &reproduceCommand},
};

constexpr std::string_view commonExitCodes =
    "  0    success\n"
    "  1    runtime failure (cannot write an output file or folder, engine failure)\n"
    "  2    bad usage or bad input (unknown option, missing argument, malformed number,\n"
    "       unreadable or invalid project file: the message names the file, field and value)\n";

std::string commandList()
{
    std::string s;
    for (const Command& c : commandTable)
        s += (s.empty() ? "" : ", ") + std::string(c.name);
    return s;
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
    const CommandSpec spec = command->spec();
    const ParsedArgs parsed =
        parseArguments(command->name, std::vector<std::string>(args.begin() + 1, args.end()), spec.options);
    if (parsed.helpRequested()) {
        context.out << commandHelp(*command);
        return exitSuccess;
    }
    checkOperands(*command, spec.operands, parsed);
    return spec.run(parsed, context);
}

} // namespace normad::cli
