#include "CliOptions.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace normad::cli {

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

const OptionSpec* findOption(OptionTable table, std::string_view word)
{
    for (const OptionSpec& o : table)
        if (word == o.name || (!o.shortName.empty() && word == o.shortName))
            return &o;
    return nullptr;
}

// Both number parsers go through std::from_chars on the whole text, so nothing is skipped or
// guessed: no leading whitespace, no sign, no trailing garbage, no silent wrap-around.
template <typename T> T parseWhole(std::string_view option, std::string_view text, T max, std::string_view expected)
{
    T value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec == std::errc::invalid_argument || ptr != end || text.front() == '-' || text.front() == '+')
        throw UsageError("invalid value " + quoted(text) + " for " + std::string(option) + ": expected " +
                         std::string(expected));
    if (ec == std::errc::result_out_of_range || value > max)
        throw UsageError("invalid value " + quoted(text) + " for " + std::string(option) + ": too large (at most " +
                         std::to_string(max) + ")");
    return value;
}

/// The problem with `value` as the argument of `spec`, or nothing.
std::optional<std::string> argumentProblem(const OptionSpec& spec, const std::string& value)
{
    try {
        if (spec.kind == ArgumentKind::Count)
            parseCount(spec.name, value);
        else if (spec.kind == ArgumentKind::Seed)
            parseSeed(spec.name, value);
    } catch (const UsageError& e) {
        return e.what();
    }
    return std::nullopt;
}

} // namespace

bool ParsedArgs::has(std::string_view name) const
{
    row(name, ArgumentKind::None); // any kind: only checks the row exists
    return std::any_of(m_options.begin(), m_options.end(), [&](const auto& o) { return o.first == name; });
}

const OptionSpec& ParsedArgs::row(std::string_view name, ArgumentKind kind) const
{
    const OptionSpec* spec = findOption(m_table, name);
    if (!spec || spec->name != name)
        throw std::logic_error("option " + std::string(name) + " is not in the command's option table");
    if (kind != ArgumentKind::None && spec->kind != kind)
        throw std::logic_error("option " + std::string(name) + " is read as another kind than its table row says");
    return *spec;
}

std::optional<std::string> ParsedArgs::last(std::string_view name) const
{
    for (auto it = m_options.rbegin(); it != m_options.rend(); ++it)
        if (it->first == name)
            return it->second;
    return std::nullopt;
}

std::optional<std::string> ParsedArgs::text(std::string_view name) const
{
    row(name, ArgumentKind::Text);
    return last(name);
}

std::vector<std::string> ParsedArgs::texts(std::string_view name) const
{
    row(name, ArgumentKind::Text);
    std::vector<std::string> out;
    for (const auto& [option, value] : m_options)
        if (option == name)
            out.push_back(value);
    return out;
}

std::optional<int> ParsedArgs::count(std::string_view name) const
{
    const OptionSpec& spec = row(name, ArgumentKind::Count);
    const std::optional<std::string> value = last(name);
    return value ? std::optional<int>(parseCount(spec.name, *value)) : std::nullopt;
}

std::optional<std::uint64_t> ParsedArgs::seed(std::string_view name) const
{
    const OptionSpec& spec = row(name, ArgumentKind::Seed);
    const std::optional<std::string> value = last(name);
    return value ? std::optional<std::uint64_t>(parseSeed(spec.name, *value)) : std::nullopt;
}

ParsedArgs parseArguments(std::string_view command, const std::vector<std::string>& args, OptionTable table)
{
    ParsedArgs parsed;
    parsed.m_table = table;
    // The first problem is kept rather than thrown at once, so `--help` anywhere still wins.
    std::optional<std::string> problem;
    auto note = [&](std::string message) {
        if (!problem)
            problem = std::move(message);
    };
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
        const OptionSpec* spec = findOption(table, name);
        if (!spec) {
            note("unknown option " + quoted(name) + " for '" + std::string(command) + "'" + hint);
            continue;
        }
        if (spec->kind == ArgumentKind::None) {
            if (inlineValue)
                note("option " + std::string(spec->name) + " takes no value (got " + quoted(*inlineValue) + ")");
            parsed.m_options.emplace_back(std::string(spec->name), std::string());
            continue;
        }
        if (!inlineValue) {
            if (i + 1 >= args.size()) {
                note("option " + std::string(spec->name) + " needs a value " + std::string(spec->argument) + hint);
                continue;
            }
            inlineValue = args[++i];
        }
        if (std::optional<std::string> bad = argumentProblem(*spec, *inlineValue))
            note(std::move(*bad));
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

std::string optionLabel(const OptionSpec& o)
{
    std::string label = o.shortName.empty() ? "    " : std::string(o.shortName) + ", ";
    label += o.name;
    if (!o.argument.empty()) {
        label += ' ';
        label += o.argument;
    }
    return label;
}

std::string optionsHelp(OptionTable table)
{
    constexpr OptionSpec help{"--help", "-h", "", ArgumentKind::None, "show this help and exit"};
    std::size_t width = optionLabel(help).size();
    for (const OptionSpec& o : table)
        width = std::max(width, optionLabel(o).size());
    // Help wrapped at 100 columns, continuation lines aligned under the help column.
    constexpr std::size_t lineWidth = 100;
    std::string s;
    auto line = [&](const OptionSpec& o) {
        std::string label = optionLabel(o);
        label.resize(width + 2, ' ');
        const std::string indent(2 + label.size(), ' ');
        std::string current = "  " + label;
        bool first = true;
        std::string_view text = o.help;
        while (!text.empty()) {
            const std::size_t end = text.find(' ');
            const std::string_view word = text.substr(0, end);
            text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
            if (!first && current.size() + 1 + word.size() > lineWidth) {
                s += current + '\n';
                current = indent;
                first = true;
            }
            if (!first)
                current += ' ';
            current += word;
            first = false;
        }
        s += current + '\n';
    };
    for (const OptionSpec& o : table)
        line(o);
    line(help);
    return s;
}

} // namespace normad::cli
