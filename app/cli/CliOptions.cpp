#include "CliOptions.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace normad::cli {

bool ParsedArgs::has(std::string_view name) const
{
    return std::any_of(m_options.begin(), m_options.end(), [&](const auto& o) { return o.first == name; });
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const
{
    for (auto it = m_options.rbegin(); it != m_options.rend(); ++it)
        if (it->first == name)
            return it->second;
    return std::nullopt;
}

namespace {

std::string quoted(std::string_view s)
{
    std::string q;
    q.reserve(s.size() + 2);
    q += '\'';
    q += s;
    q += '\'';
    return q;
}

const OptionSpec* findOption(std::span<const OptionSpec> options, std::string_view word)
{
    for (const OptionSpec& o : options)
        if (word == o.name || (!o.shortName.empty() && word == o.shortName))
            return &o;
    return nullptr;
}

// Both number parsers go through std::from_chars on the whole text, so nothing is skipped or
// guessed: no leading whitespace, no sign, no trailing garbage, no silent wrap-around.
template <typename T>
T parseWhole(std::string_view option, std::string_view text, T max, std::string_view expected)
{
    T value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec == std::errc::invalid_argument || ptr != end || text.front() == '-' ||
        text.front() == '+')
        throw UsageError("invalid value " + quoted(text) + " for " + std::string(option) + ": expected " +
                         std::string(expected));
    if (ec == std::errc::result_out_of_range || value > max)
        throw UsageError("invalid value " + quoted(text) + " for " + std::string(option) + ": too large (at most " +
                         std::to_string(max) + ")");
    return value;
}

} // namespace

ParsedArgs parseArguments(std::string_view command, const std::vector<std::string>& args,
                          std::span<const OptionSpec> options)
{
    ParsedArgs parsed;
    // The first problem is kept rather than thrown at once, so `--help` anywhere still wins.
    std::optional<std::string> problem;
    const std::string hint = " (see 'normad " + std::string(command) + " --help')";
    bool optionsEnded = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (optionsEnded || word == "-" || word.empty() || word.front() != '-') {
            parsed.m_positionals.push_back(word);
            continue;
        }
        if (word == "--") {
            optionsEnded = true;
            continue;
        }
        if (word == "--help" || word == "-h") {
            parsed.m_helpRequested = true;
            continue;
        }
        std::string_view name = word;
        std::optional<std::string> inlineValue;
        if (const auto eq = word.find('='); word.starts_with("--") && eq != std::string::npos) {
            name = std::string_view(word).substr(0, eq);
            inlineValue = word.substr(eq + 1);
        }
        const OptionSpec* spec = findOption(options, name);
        if (!spec) {
            if (!problem)
                problem = "unknown option " + quoted(name) + " for '" + std::string(command) + "'" + hint;
            continue;
        }
        if (spec->valueName.empty()) {
            if (inlineValue && !problem)
                problem = "option " + std::string(spec->name) + " takes no value (got " + quoted(*inlineValue) + ")";
            parsed.m_options.emplace_back(std::string(spec->name), std::string());
            continue;
        }
        if (!inlineValue) {
            if (i + 1 >= args.size()) {
                if (!problem)
                    problem = "option " + std::string(spec->name) + " needs a value " + std::string(spec->valueName) + hint;
                continue;
            }
            inlineValue = args[++i];
        }
        parsed.m_options.emplace_back(std::string(spec->name), std::move(*inlineValue));
    }
    if (problem && !parsed.m_helpRequested)
        throw UsageError(*problem);
    return parsed;
}

int parseCount(std::string_view option, std::string_view text)
{
    return parseWhole<int>(option, text, std::numeric_limits<int>::max(), "a whole number >= 0");
}

std::uint64_t parseSeed(std::string_view option, std::string_view text)
{
    return parseWhole<std::uint64_t>(option, text, std::numeric_limits<std::uint64_t>::max(),
                                     "a whole number from 0 to 18446744073709551615");
}

} // namespace normad::cli
