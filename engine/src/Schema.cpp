#include "normad/Schema.h"

#include "normad/TextFormat.h"

#include <cmath>
#include <stdexcept>

namespace normad {

namespace {

[[noreturn]] void refuse(const std::string& where, const std::string& key, const std::string& reason,
                         const FieldValue& value)
{
    throw std::invalid_argument((where.empty() ? key : where + "." + key) + ": " + reason + " (got " +
                                FieldInfo::format(value) + ")");
}

std::string joinedChoices(const std::vector<std::string>& choices)
{
    std::string s;
    for (std::size_t i = 0; i < choices.size(); ++i)
        s += (i ? (i + 1 == choices.size() ? " or " : ", ") : "") + choices[i];
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

void FieldInfo::check(const FieldValue& value, const std::string& where) const
{
    switch (kind) {
    case FieldKind::Real:
    case FieldKind::Integer: {
        const double* d = std::get_if<double>(&value);
        if (!d)
            refuse(where, key, "must be a number", value);
        if (!std::isfinite(*d))
            refuse(where, key, "must be a finite number", value);
        if (kind == FieldKind::Integer && std::floor(*d) != *d)
            refuse(where, key, "must be a whole number", value);
        if (minimumExclusive ? !(*d > minimum) : !(*d >= minimum))
            refuse(where, key,
                   minimum == 0 ? (minimumExclusive ? "must be greater than 0" : "must not be negative")
                                : std::string(minimumExclusive ? "must be greater than " : "must be at least ") +
                                      formatShortest(minimum),
                   value);
        if (!(*d <= maximum))
            refuse(where, key, "must be at most " + formatShortest(maximum), value);
        return;
    }
    case FieldKind::Boolean:
        if (!std::holds_alternative<bool>(value))
            refuse(where, key, "must be true or false", value);
        return;
    case FieldKind::Choice: {
        const std::string* s = std::get_if<std::string>(&value);
        if (!s)
            refuse(where, key, "must be one of " + joinedChoices(choices), value);
        for (const std::string& c : choices)
            if (c == *s)
                return;
        refuse(where, key, "must be " + joinedChoices(choices), value);
    }
    }
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
            refuse(where, key, "is not a setting of this rule", value);
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
