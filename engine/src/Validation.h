#pragma once

// Internal helpers for validate() functions: every message names the field and the value.

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace normad::detail {

inline std::string formatValue(double v)
{
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

[[noreturn]] inline void invalid(const std::string& where, const std::string& field, const std::string& value,
                                 const std::string& reason)
{
    // "inputs[3]" + "[2]" reads "inputs[3][2]"; named fields get a dot.
    const std::string path = (!field.empty() && field.front() == '[') ? where + field : where + "." + field;
    throw std::invalid_argument(path + ": " + reason + " (got " + value + ")");
}

inline void requireFinite(const std::string& where, const std::string& field, double v)
{
    if (!std::isfinite(v))
        invalid(where, field, formatValue(v), "must be a finite number");
}

inline void requirePositive(const std::string& where, const std::string& field, double v)
{
    requireFinite(where, field, v);
    if (!(v > 0))
        invalid(where, field, formatValue(v), "must be greater than 0");
}

inline void requireNonNegative(const std::string& where, const std::string& field, double v)
{
    requireFinite(where, field, v);
    if (!(v >= 0))
        invalid(where, field, formatValue(v), "must not be negative");
}

} // namespace normad::detail
