#pragma once

#include "CliOptions.h"

#include "normad/Cancellation.h"

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace normad::cli {

/// The exit codes of `normad` (documented in every --help).
enum ExitCode : int {
    exitSuccess = 0,
    exitFailure = 1,       ///< runtime failure: cannot write, training ended by a guard, engine error
    exitUsage = 2,         ///< bad usage or bad input: unknown command/option, bad value, invalid project
    exitInterrupted = 130, ///< stopped by Ctrl-C (SIGINT) after writing what was done so far (128 + SIGINT)
};

/// Where a command writes and what may stop it.
struct CommandContext {
    std::ostream& out;                 ///< results and progress (stdout)
    std::ostream& err;                 ///< the single `normad: …` message of a failure (stderr)
    const CancelFlag* cancel = nullptr;///< set by the SIGINT handler
};

/// One subcommand. The dispatcher and the help are driven by the table of these (commands()), so a
/// new subcommand is one entry plus its run function.
struct Command {
    std::string_view name;
    std::string_view summary;      ///< one line for `normad --help`
    std::string_view synopsis;     ///< "normad train PROJECT [options]"
    std::string_view description;  ///< what it does, a few lines
    std::span<const OptionSpec> options;
    std::string_view outputs;      ///< the files it writes and their layouts
    std::string_view exitCodes;    ///< exit codes specific to this command
    int minOperands;               ///< positional arguments required …
    int maxOperands;               ///< … and allowed; the dispatcher checks both before run()
    std::string_view operandNames; ///< "PROJECT", named in the "missing …" message
    int (*run)(const ParsedArgs& args, CommandContext& context);
};

/// Every subcommand, in the order `normad --help` lists them.
std::span<const Command> commands();
/// The subcommand called `name`, or nullptr.
const Command* findCommand(std::string_view name);

/// The text of `normad --help`.
std::string globalHelp();
/// The text of `normad CMD --help`: usage, every option, output files, exit codes.
std::string commandHelp(const Command& command);

/// Runs the command line `args` (argv without the program name). Returns the exit code; throws
/// std::invalid_argument (incl. UsageError) for bad usage/input and other std::exception for
/// runtime failures — main() turns those into one `normad: …` line.
int runCli(const std::vector<std::string>& args, CommandContext& context);

/// `normad: <message>` on one line: embedded line breaks become spaces, so a failure is always
/// exactly one line on stderr.
std::string errorLine(std::string_view message);

} // namespace normad::cli
