#pragma once

// The table of `normad`'s subcommands, the dispatcher and the help built from the table.

#include "CliCommand.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace normad::cli {

/// One row of the command table.
struct Command {
    std::string_view name;    ///< one word, or two for a group's member: "train", "dataset new"
    std::string_view summary; ///< one line for `normad --help`
    CommandSpec (*spec)();    ///< the command's help, options and run function (commands/NAME.cpp)
};

/// Every subcommand, in the order `normad --help` lists them.
std::span<const Command> commands();
/// The subcommand called `name` ("train", "dataset new"), or nullptr.
const Command* findCommand(std::string_view name);

/// The text of `normad --help`.
std::string globalHelp();
/// The text of `normad CMD --help`: usage, every option, output files, exit codes.
std::string commandHelp(const Command& command);

/// Runs the command line `args` (argv without the program name). Returns the exit code; throws
/// std::invalid_argument (incl. UsageError) for bad usage/input and other std::exception for
/// runtime failures — main() turns those into one `normad: …` line.
int runCli(const std::vector<std::string>& args, CommandContext& context);

} // namespace normad::cli
