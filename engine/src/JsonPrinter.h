#pragma once

// Internal: the layout of every JSON file the engine writes (project files, manifests).

#include <nlohmann/json.hpp>

#include <string>

namespace normad::detail {

/// Two-space indented JSON in which arrays of scalars (a spike train, a weight row, a metric column)
/// stay on one line: a weight matrix reads one row per line, a raster one train per line. Numbers
/// are written in the shortest form that reads back to the same double (formatShortest). No final
/// newline.
std::string printJson(const nlohmann::ordered_json& value);

} // namespace normad::detail
