#include "normad/Schema.h"

#include "normad/TextFormat.h"

#include <cmath>
#include <stdexcept>

namespace normad {

namespace {

[[noreturn]] void refuse(const std::string& where, const std::string& key, const std::string& reason,
                         const std::string& value)
{
    throw std::invalid_argument((where.empty() ? key : where + "." + key) + ": " + reason + " (got " + value + ")");
}

std::string joinedChoices(const std::vector<std::string>& choices)
{
    std::string s;
    for (std::size_t i = 0; i < choices.size(); ++i)
        s += (i ? (i + 1 == choices.size() ? " or " : ", ") : "") + ("\"" + choices[i] + "\"");
    return s;
}

} // namespace

std::string FieldInfo::format(const FieldValue& value)
{
    if (const double* d = std::get_if<double>(&value))
        return formatShortest(*d);
    if (const bool* b = std::get_if<bool>(&value))
        return *b ? "true" : "false";
    return "\"" + std::get<std::string>(value) + "\"";
}

std::string FieldInfo::text(const FieldValue& value) const
{
    const double* d = std::get_if<double>(&value);
    if (kind == FieldKind::Integer && d && std::isfinite(*d) && std::trunc(*d) == *d && std::abs(*d) < 1e15)
        return std::to_string(static_cast<long long>(*d));
    return format(value);
}

std::string FieldInfo::problem(const FieldValue& value) const
{
    switch (kind) {
    case FieldKind::Real:
    case FieldKind::Integer: {
        const double* d = std::get_if<double>(&value);
        if (!d)
            return "must be a number";
        if (!std::isfinite(*d))
            return "must be a finite number";
        if (kind == FieldKind::Integer && std::floor(*d) != *d)
            return "must be a whole number";
        if (minimumExclusive ? !(*d > minimum) : !(*d >= minimum))
            return minimum == 0
                       ? (minimumExclusive ? "must be greater than 0" : "must not be negative")
                       : std::string(minimumExclusive ? "must be greater than " : "must be at least ") + text(minimum);
        if (!(*d <= maximum))
            return "must be at most " + text(maximum);
        return {};
    }
    case FieldKind::Boolean:
        return std::holds_alternative<bool>(value) ? std::string() : "must be true or false";
    case FieldKind::Choice: {
        const std::string* s = std::get_if<std::string>(&value);
        if (!s)
            return "must be one of " + joinedChoices(choices);
        for (const std::string& c : choices)
            if (c == *s)
                return {};
        return "must be " + joinedChoices(choices);
    }
    }
    return {};
}

void FieldInfo::check(const FieldValue& value, const std::string& where) const
{
    if (const std::string reason = problem(value); !reason.empty())
        refuse(where, key, reason, text(value));
}

FieldValues defaults(const std::vector<FieldInfo>& fields)
{
    FieldValues values;
    for (const FieldInfo& f : fields)
        values[f.key] = f.defaultValue;
    return values;
}

FieldValues completed(const std::vector<FieldInfo>& fields, const FieldValues& values, const std::string& where)
{
    FieldValues out = defaults(fields);
    for (const auto& [key, value] : values) {
        const FieldInfo* info = nullptr;
        for (const FieldInfo& f : fields)
            if (f.key == key)
                info = &f;
        if (!info)
            refuse(where, key, "is not a setting of this rule", FieldInfo::format(value));
        info->check(value, where);
        out[key] = value;
    }
    return out;
}

namespace {
const FieldValue& at(const FieldValues& values, const std::string& key)
{
    const auto it = values.find(key);
    if (it == values.end())
        throw std::invalid_argument(key + ": missing setting");
    return it->second;
}
} // namespace

double realValue(const FieldValues& values, const std::string& key)
{
    return std::get<double>(at(values, key));
}

int integerValue(const FieldValues& values, const std::string& key)
{
    return static_cast<int>(std::get<double>(at(values, key)));
}

bool booleanValue(const FieldValues& values, const std::string& key)
{
    return std::get<bool>(at(values, key));
}

const std::string& choiceValue(const FieldValues& values, const std::string& key)
{
    return std::get<std::string>(at(values, key));
}

} // namespace normad
