#pragma once

// The option tables of the subcommands and the one parser that reads them: each command declares
// its options as rows (name, argument, help), and the parsing, the value checks, the error
// messages and the "Options:" block of its --help all come from those rows.

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace normad::cli {

/// A command line that cannot be obeyed (unknown command or option, missing or malformed value,
/// wrong number of arguments). Derives from std::invalid_argument, so it ends the program with
/// exit code 2 like any other bad input.
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// What an option's argument must be. The parser checks it, so a malformed value is reported the
/// same way by every command, before any work starts.
enum class ArgumentKind {
    None,  ///< a flag: no argument
    Text,  ///< any word: a file, a folder, a name
    Count, ///< a whole number 0 … 2^31−1 (epochs, trials, pattern indices)
    Seed,  ///< a whole number 0 … 2^64−1
};

/// One row of a command's option table. `--help`/`-h` is implicit on every command.
struct OptionSpec {
    std::string_view name;      ///< long form, e.g. "--epochs"
    std::string_view shortName; ///< short form, e.g. "-o", or empty
    std::string_view argument;  ///< placeholder of the argument in the help, e.g. "N"; empty for a flag
    ArgumentKind kind = ArgumentKind::None;
    std::string_view help; ///< one sentence for --help
};

/// The option table of a command.
using OptionTable = std::span<const OptionSpec>;

/// The arguments of one subcommand after option parsing. Values are read by the kind their row
/// declares; asking for an option the table does not have is a programming error (std::logic_error).
class ParsedArgs {
public:
    const std::vector<std::string>& positionals() const { return m_positionals; }
    /// True if the option (long name) was given, flag or not.
    bool has(std::string_view name) const;
    /// The argument of a Text option; the last one wins if it was given more than once.
    std::optional<std::string> text(std::string_view name) const;
    /// Every argument of a Text option that may be repeated, in command-line order (empty if not given).
    std::vector<std::string> texts(std::string_view name) const;
    /// The argument of a Count option (already checked by the parser).
    std::optional<int> count(std::string_view name) const;
    /// The argument of a Seed option (already checked by the parser).
    std::optional<std::uint64_t> seed(std::string_view name) const;
    /// `--help` or `-h` was given: everything else is ignored and the help is printed.
    bool helpRequested() const { return m_helpRequested; }

private:
    friend ParsedArgs parseArguments(std::string_view, const std::vector<std::string>&, OptionTable);
    const OptionSpec& row(std::string_view name, ArgumentKind kind) const;
    std::optional<std::string> last(std::string_view name) const;

    OptionTable m_table;
    std::vector<std::string> m_positionals;
    std::vector<std::pair<std::string, std::string>> m_options; // long name, argument ("" for flags)
    bool m_helpRequested = false;
};

/// Splits `args` (the words after the subcommand name) into options and positionals by `table`.
/// Accepts `--name value`, `--name=value`, `-o value`; the word after an option that takes a value
/// is always its value (so `-o -` works); a lone `-` is a positional; `--` ends the options.
/// Throws UsageError naming `command` and the offending word or value, unless --help was also given.
ParsedArgs parseArguments(std::string_view command, const std::vector<std::string>& args, OptionTable table);

/// A non-negative whole number that fits an int (epochs, pattern indices). Rejects "", "-1",
/// "+1", "12abc", " 1" and overflow with a UsageError naming `option` and the text.
int parseCount(std::string_view option, std::string_view text);
/// A seed: a whole number 0 … 2^64−1, parsed as strictly as parseCount.
std::uint64_t parseSeed(std::string_view option, std::string_view text);

/// "-o, --output FILE" / "    --json": the left column of an option's help line.
std::string optionLabel(const OptionSpec& option);
/// The "Options:" block of a command's help: one line per row (help wrapped at 100 columns and
/// aligned), then -h, --help.
std::string optionsHelp(OptionTable table);

} // namespace normad::cli
