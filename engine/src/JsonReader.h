#pragma once

// Internal: reading a JSON document while naming, in every message, the JSON path of the value at
// fault (`network.layers[1].size`). Parsing and the typed accessors throw ProjectError.

#include "normad/ProjectIo.h"
#include "normad/Schema.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace normad::detail {

using Json = nlohmann::json; // reading: keys looked up by name

/// `path.key` (or `key` at the root).
std::string joinPath(const std::string& path, std::string_view key);
/// `path[i]`.
std::string indexPath(const std::string& path, std::size_t i);
/// A short description of a JSON value for "expected …, got …" messages.
std::string describe(const Json& v);

/// A check of each element of an array directly under the root (e.g. "history"), run as soon as
/// the element is parsed: a file of 87 M invalid entries is refused at the first one, before the
/// rest is built.
struct ElementCheck {
    std::string_view arrayKey;
    /// Why `element` is not acceptable, or an empty string.
    std::string (*problem)(const Json& element);
};

/// Parses JSON text into a document. A syntax error is located by line, column and byte; a number
/// beyond the range of a double, a duplicate key or absurd nesting by its JSON path. `source` names
/// the text in the ProjectError. The document's memory is estimated as it grows and refused
/// (MemoryBudgetError naming the JSON path and the count of values) beyond loadMemoryBudgetBytes().
/// An exception (std::bad_alloc included) leaves no half-built document whose destruction could
/// itself need memory.
Json parseJson(const std::string& text, const std::string& source, std::span<const ElementCheck> checks = {});

/// Destroys `document`'s contents leaf by leaf, allocating nothing (nlohmann's own destructor
/// allocates a stack as large as the widest container, which fails when memory has run out).
void dismantle(Json& document) noexcept;

/// Typed access to a parsed document: every accessor takes the JSON path of the value it reads and
/// names it on failure (ProjectError with the file given at construction).
class JsonReader {
public:
    explicit JsonReader(std::string file) : m_file(std::move(file)) { }

    /// The file named in every failure.
    const std::string& file() const { return m_file; }

    [[noreturn]] void fail(const std::string& field, const std::string& reason) const;

    /// Converts an engine validation message "where.field: reason (got value)" into a ProjectError
    /// naming the file's key.
    [[noreturn]] void fail(const std::invalid_argument& error, const std::string& where) const;

    /// Calls `check` (a validate()) and converts its std::invalid_argument.
    template <typename F> void validated(const std::string& where, F&& check) const
    {
        try {
            check();
        } catch (const std::invalid_argument& e) {
            fail(e, where);
        }
    }

    static const Json* find(const Json& object, std::string_view key);
    const Json& require(const Json& object, const std::string& path, std::string_view key) const;

    const Json& object(const Json& v, const std::string& path) const;
    const Json& array(const Json& v, const std::string& path) const;
    double number(const Json& v, const std::string& path) const;
    /// A number in the history, where null stands for "not a number" (e.g. a metric of a diverged run).
    double metric(const Json& v, const std::string& path) const;
    /// An integer, also written as a float with no fractional part ("2.0"); returned as a double.
    double wholeNumber(const Json& v, const std::string& path) const;
    long long integer(const Json& v, const std::string& path, long long min, long long max) const;
    int integer(const Json& v, const std::string& path, int min = std::numeric_limits<int>::min()) const;
    bool boolean(const Json& v, const std::string& path) const;
    std::string text(const Json& v, const std::string& path) const;
    template <typename E>
    E enumeration(const Json& v, const std::string& path, E (*fromString)(const std::string&)) const
    {
        const std::string s = text(v, path);
        try {
            return fromString(s); // lists the accepted values when it throws
        } catch (const std::invalid_argument& e) {
            fail(path, e.what());
        }
    }

    // Optional members: leave `out` (the default) alone when the key is absent.
    void optional(const Json& object, const std::string& path, std::string_view key, double& out) const;
    void optional(const Json& object, const std::string& path, std::string_view key, int& out) const;
    void optional(const Json& object, const std::string& path, std::string_view key, bool& out) const;
    void optional(const Json& object, const std::string& path, std::string_view key, std::string& out) const;
    template <typename E>
    void optional(const Json& object, const std::string& path, std::string_view key, E& out,
                  E (*fromString)(const std::string&)) const
    {
        if (const Json* v = find(object, key))
            out = enumeration(*v, joinPath(path, key), fromString);
    }
    /// A described value (FieldInfo), checked against its type, range or choices.
    FieldValue field(const FieldInfo& info, const Json& v, const std::string& path) const;
    /// Reads the fields of `schema` present in `object` into `s`; an absent one keeps its value, an
    /// absent required one is refused.
    template <class S> void fields(const Schema<S>& schema, const Json& object, const std::string& path, S& s) const
    {
        for (const Field<S>& f : schema) {
            const std::string fieldPath = joinPath(path, f.info.key);
            if (const Json* v = find(object, f.info.key))
                f.set(s, field(f.info, *v, fieldPath));
            else if (f.info.required)
                fail(fieldPath, "required field is missing");
        }
    }

    /// An optional member that must be an object if present.
    const Json* optionalObject(const Json& object, const std::string& path, std::string_view key) const;

private:
    std::string m_file;
};

} // namespace normad::detail
