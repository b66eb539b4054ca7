#pragma once

// Internal: described settings (Schema.h) as JSON, in the order and with the keys of their schema.
// Reading is JsonReader::fields; this is the writing side.

#include "JsonReader.h"

#include "normad/Schema.h"

#include <nlohmann/json.hpp>

#include <string>

namespace normad::detail {

using OrderedJson = nlohmann::ordered_json; // writing: keys in the documented order

/// A described value as a file holds it: an Integer field as a whole number, a Real one as a double.
/// Throws std::invalid_argument "`path`: cannot be saved: must be a finite number (got nan)" for a
/// value JSON cannot hold (the loader would refuse the file).
OrderedJson fieldJson(const FieldInfo& info, const FieldValue& value, const std::string& path);

/// Writes every field of `s` into the object `out`, in schema order; `path` names `out` in messages.
template <class S> void writeFields(const Schema<S>& schema, const S& s, const std::string& path, OrderedJson& out)
{
    for (const Field<S>& f : schema)
        out[f.info.key] = fieldJson(f.info, f.get(s), joinPath(path, f.info.key));
}

/// The fields of `s` as a new object.
template <class S> OrderedJson fieldsJson(const Schema<S>& schema, const S& s, const std::string& path)
{
    OrderedJson out = OrderedJson::object();
    writeFields(schema, s, path, out);
    return out;
}

} // namespace normad::detail
