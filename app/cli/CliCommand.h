#pragma once

// What one subcommand of `normad` is: its help texts, its option table and its run function. Each
// command lives in its own file under commands/ and returns one CommandSpec; CommandTable.cpp
// lists them. Adding a command = one file in commands/ + one line in the table (+ CMake).

#include "CliOptions.h"

#include "normad/Cancellation.h"

#include <iosfwd>
#include <string>

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
    std::ostream& out;                  ///< results and progress (stdout)
    std::ostream& err;                  ///< the single `normad: …` message of a failure (stderr)
    const CancelFlag* cancel = nullptr; ///< set by the SIGINT handler
};

/// The positional arguments a command takes; the dispatcher checks their number before run().
struct Operands {
    std::string names; ///< "PROJECT", named in the "missing …" message
    int minimum = 1;
    int maximum = 1;
};

/// Everything `normad CMD --help` prints and what runs the command.
struct CommandSpec {
    std::string synopsis;    ///< "normad train PROJECT [options]"
    std::string description; ///< what it does, a few lines
    OptionTable options;     ///< the command's option table (a static array in its file)
    std::string outputs;     ///< the files it writes and their layouts, one "  NAME  layout" per line
    std::string exitCodes;   ///< exit codes specific to this command, "  CODE  meaning" per line
    Operands operands;
    int (*run)(const ParsedArgs& args, CommandContext& context) = nullptr;
};

} // namespace normad::cli
