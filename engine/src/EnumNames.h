#pragma once

// Internal: one table per enum gives both directions of its string form.

#include "normad/TextFormat.h"

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>

namespace normad::detail {

template <typename E> using EnumTable = std::initializer_list<std::pair<E, const char*>>;

template <typename E> std::string enumName(EnumTable<E> table, E value)
{
    for (const auto& [v, name] : table)
        if (v == value)
            return name;
    return "?";
}

/// Throws std::invalid_argument "unknown <what> "x" (expected "a", "b" or "c")".
template <typename E> E enumFromName(EnumTable<E> table, const std::string& s, const char* what)
{
    std::string expected;
    std::size_t i = 0;
    for (const auto& [v, name] : table) {
        if (s == name)
            return v;
        if (i > 0)
            expected += (i + 1 == table.size()) ? " or " : ", ";
        expected += std::string("\"") + name + "\"";
        ++i;
    }
    throw std::invalid_argument(std::string("unknown ") + what + " " + quotedText(s) + " (expected " + expected + ")");
}

} // namespace normad::detail
