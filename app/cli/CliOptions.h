#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace normad::cli {

/// A command line that cannot be obeyed (unknown command or option, missing or malformed value,
/// wrong number of arguments). Derives from std::invalid_argument, so it ends the program with
/// exit code 2 like any other bad input.
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// One option a subcommand accepts. `--help`/`-h` is implicit on every subcommand.
struct OptionSpec {
    std::string_view name;       ///< long form, e.g. "--epochs"
    std::string_view shortName;  ///< short form, e.g. "-o", or empty
    std::string_view valueName;  ///< placeholder of the value, e.g. "N"; empty for a flag
    std::string_view help;       ///< one sentence for --help
};

/// The arguments of one subcommand after option parsing.
class ParsedArgs {
public:
    const std::vector<std::string>& positionals() const { return m_positionals; }
    /// True if the option (long name) was given, flag or not.
    bool has(std::string_view name) const;
    /// The value of an option (long name); the last one wins if it was given more than once.
    std::optional<std::string> value(std::string_view name) const;
    /// `--help` or `-h` was given: everything else is ignored and the help is printed.
    bool helpRequested() const { return m_helpRequested; }

private:
    friend ParsedArgs parseArguments(std::string_view, const std::vector<std::string>&, std::span<const OptionSpec>);
    std::vector<std::string> m_positionals;
    std::vector<std::pair<std::string, std::string>> m_options;  // long name, value ("" for flags)
    bool m_helpRequested = false;
};

/// Splits `args` (the words after the subcommand name) into options and positionals.
/// Accepts `--name value`, `--name=value`, `-o value`; the word after an option that takes a value
/// is always its value (so `-o -` works); a lone `-` is a positional; `--` ends the options.
/// Throws UsageError naming `command` and the offending word, unless --help was also given.
ParsedArgs parseArguments(std::string_view command, const std::vector<std::string>& args,
                          std::span<const OptionSpec> options);

/// A non-negative whole number that fits an int (epochs, pattern indices). Rejects "", "-1",
/// "+1", "12abc", " 1" and overflow with a UsageError naming `option` and the text.
int parseCount(std::string_view option, std::string_view text);
/// A seed: a whole number 0 … 2^64−1, parsed as strictly as parseCount.
std::uint64_t parseSeed(std::string_view option, std::string_view text);

} // namespace normad::cli
