#include "JsonReader.h"

#include "normad/MemoryBudget.h"
#include "normad/TextFormat.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace normad::detail {

namespace {

/// Nesting deeper than this is no project file (ours is at most 6 deep).
constexpr std::size_t maxNestingDepth = 64;

} // namespace

std::string joinPath(const std::string& path, std::string_view key)
{
    // Keys come from the file: a 100 MB or binary key is quoted and shortened (displayKey).
    const std::string shown = displayKey(key);
    return path.empty() ? shown : path + "." + shown;
}

std::string indexPath(const std::string& path, std::size_t i)
{
    return path + "[" + std::to_string(i) + "]";
}

/// A short description of a JSON value for "expected …, got …" messages.
std::string describe(const Json& v)
{
    switch (v.type()) {
    case Json::value_t::null:
        return "null";
    case Json::value_t::boolean:
        return v.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
        return "number " + v.dump();
    case Json::value_t::number_float:
        return "number " + formatShortest(v.get<double>());
    case Json::value_t::string:
        return "string " + quotedText(v.get_ref<const std::string&>());
    case Json::value_t::array:
        return v.size() == 1 ? "an array of 1 element" : "an array of " + std::to_string(v.size()) + " elements";
    case Json::value_t::object:
        return "an object";
    default:
        return "binary data";
    }
}

namespace {

// ---------------------------------------------------------------------------------------------
// Parsing: a SAX handler that builds the DOM while it tracks the JSON path, so that a number out
// of double range (1e999 parses to inf) or a duplicate key is reported where it is, with its text.

class DomBuilder {
public:
    DomBuilder(Json& root, const std::string& file, std::span<const ElementCheck> checks)
        : m_root(root), m_file(file), m_checks(checks)
    {
    }

    bool null() { return value(nullptr); }
    bool boolean(bool v) { return value(v); }
    bool number_integer(Json::number_integer_t v) { return value(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return value(v); }
    bool number_float(Json::number_float_t v, const std::string& text)
    {
        if (!std::isfinite(v))
            throw ProjectError(m_file, currentPath(),
                               "the number " + (text.size() <= 80 ? text : quotedText(text)) +
                                   " is beyond the range of a double "
                                   "(not finite)");
        return value(v);
    }
    bool string(std::string& v)
    {
        account(v.size() > 15 ? 48 + v.size() + 17 : 48);
        return value(std::move(v));
    }
    bool binary(Json::binary_t&) { return value(nullptr); } // never produced by the text parser
    bool start_object(std::size_t)
    {
        account(64);
        return open(Json::object());
    }
    bool start_array(std::size_t)
    {
        account(40);
        return open(Json::array());
    }
    bool key(std::string& k)
    {
        if (m_stack.back().container->contains(k))
            throw ProjectError(m_file, joinPath(pathOf(m_stack.size() - 1, false), k),
                               "duplicate key (each key may appear only once in an object)");
        m_stack.back().key = std::move(k);
        return true;
    }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t position, const std::string&, const Json::exception& ex)
    {
        std::string message = ex.what();
        // "[json.exception.parse_error.101] parse error at line 3, column 5: …" → "parse error at …"
        if (const auto bracket = message.find("] ");
            message.starts_with("[json.exception") && bracket != std::string::npos)
            message.erase(0, bracket + 2);
        // nlohmann quotes the whole last token ("…; last read: '<200 MB of an unterminated string>'",
        // "number overflow parsing '1e999'"), invalid UTF-8 included: a long or unsafe token is
        // replaced by a short, escaped quotation.
        for (const std::string_view marker : {std::string_view("last read: '"), std::string_view("parsing '")}) {
            const auto at = message.find(marker);
            // The token is quoted last, or before "; expected …" (whose own quotes are nlohmann's).
            const auto expected = message.rfind("'; expected ");
            const auto end = expected != std::string::npos ? expected : message.rfind('\'');
            if (at == std::string::npos || end == std::string::npos || end < at + marker.size())
                continue;
            const auto begin = at + marker.size();
            const std::string_view token = std::string_view(message).substr(begin, end - begin);
            if (const std::string q = quotedText(token); token.size() > 80 || q.size() != token.size() + 2)
                message = message.substr(0, begin - 1) + q + message.substr(end + 1);
        }
        // A number out of range (406, "number overflow parsing '1e999'") is a value at a known place;
        // a syntax error is not, so it is located by line, column and byte only.
        const std::string at = " (byte " + std::to_string(position) + ")";
        if (ex.id == 406)
            throw ProjectError(m_file, currentPath(), message + ": beyond the range of a double" + at);
        throw ProjectError(m_file, "", "not valid JSON: " + message + at);
    }

private:
    struct Frame {
        Json* container;
        std::string key; // last key read, for objects
    };

    /// Adds the estimated heap bytes of a value about to be inserted (its own allocation, given by
    /// the caller, plus its slot in the parent and its share of the destructor's stack) and refuses
    /// the document once the estimate passes the budget.
    void account(std::size_t ownBytes)
    {
        std::size_t slot = 0;
        if (!m_stack.empty()) {
            const Frame& top = m_stack.back();
            // An array's element: 16 bytes, twice for the vector's growth; an object's: a tree node
            // (key string, value, links, allocator overhead) and a key too long for the string's buffer.
            slot = top.container->is_array() ? 32 : 96 + (top.key.size() > 15 ? top.key.size() + 17 : 0);
        }
        m_bytes += ownBytes + slot + 16;
        ++m_values;
        if (m_bytes <= m_budget)
            return;
        // Read when the document first passes it, then again when it passes that (memory may have
        // been freed meanwhile): small documents (field edits, sweeps) never read /proc.
        m_budget = loadMemoryBudgetBytes();
        if (m_bytes <= m_budget)
            return;
        requireMemory(m_bytes, m_file, currentPath(),
                      "the parsed document (" + std::to_string(m_values) + " values so far)");
    }

    /// Runs the ElementCheck of an array directly under the root on its element `v`.
    void checkElement(const Json& v) const
    {
        if (m_stack.size() < 2 || !m_stack[1].container->is_array() || !m_stack[0].container->is_object())
            return;
        for (const ElementCheck& check : m_checks)
            if (m_stack[0].key == check.arrayKey)
                if (const std::string problem = check.problem(v); !problem.empty())
                    throw ProjectError(m_file, pathOf(2, false), problem);
    }

    Json* insert(Json&& v)
    {
        if (m_stack.empty()) {
            m_root = std::move(v);
            return &m_root;
        }
        Frame& top = m_stack.back();
        if (top.container->is_array()) {
            top.container->push_back(std::move(v));
            return &top.container->back();
        }
        Json& slot = (*top.container)[top.key];
        slot = std::move(v);
        return &slot;
    }
    bool value(Json&& v)
    {
        if (!v.is_string()) // strings are accounted for in string()
            account(0);
        const Json* inserted = insert(std::move(v));
        if (m_stack.size() == 2)
            checkElement(*inserted);
        return true;
    }
    bool open(Json&& empty)
    {
        if (m_stack.size() >= maxNestingDepth)
            throw ProjectError(m_file, currentPath(),
                               "nested deeper than " + std::to_string(maxNestingDepth) + " levels");
        m_stack.push_back({insert(std::move(empty)), {}});
        return true;
    }
    bool close()
    {
        const Json* closed = m_stack.back().container;
        m_stack.pop_back();
        if (m_stack.size() == 2)
            checkElement(*closed);
        return true;
    }
    /// Path of the value about to be inserted.
    std::string currentPath() const { return pathOf(m_stack.size(), true); }
    /// Path through the first `depth` open containers. With `pending`, the innermost one is about to
    /// receive a value (so an array's next index); otherwise each already holds the element on the path.
    std::string pathOf(std::size_t depth, bool pending) const
    {
        std::string path;
        for (std::size_t d = 0; d < depth; ++d) {
            const Frame& f = m_stack[d];
            if (f.container->is_array()) {
                const std::size_t n = f.container->size();
                path = indexPath(path, pending && d + 1 == depth ? n : n - 1);
            } else {
                path = joinPath(path, f.key);
            }
        }
        return path;
    }

    Json& m_root;
    const std::string& m_file;
    std::span<const ElementCheck> m_checks;
    std::vector<Frame> m_stack;
    std::uint64_t m_budget = 1 << 20; // bytes a document may take before the budget is read
    std::uint64_t m_bytes = 0;
    std::uint64_t m_values = 0;
};

} // namespace

void dismantle(Json& document) noexcept
{
    // Remove the last leaf (a scalar or an empty container) until none is left; destroying a leaf
    // allocates nothing. Depth is at most maxNestingDepth, so each removal is a short walk.
    while (true) {
        Json* parent = nullptr;
        Json* node = &document;
        while ((node->is_array() || node->is_object()) && !node->empty()) {
            parent = node;
            node = node->is_array() ? &node->back() : &std::prev(node->end()).value();
        }
        if (parent == nullptr)
            break;
        if (parent->is_array()) {
            parent->get_ref<Json::array_t&>().pop_back();
        } else {
            auto& members = parent->get_ref<Json::object_t&>();
            members.erase(std::prev(members.end()));
        }
    }
    document = nullptr;
}

Json parseJson(const std::string& text, const std::string& source, std::span<const ElementCheck> checks)
{
    Json root;
    try {
        DomBuilder builder(root, source, checks);
        Json::sax_parse(text, &builder);
    } catch (...) {
        dismantle(root);
        throw;
    }
    return root;
}

namespace {

std::string valueText(const Json& v)
{
    if (v.is_string())
        return quotedText(v.get_ref<const std::string&>());
    return v.is_number_float() ? formatShortest(v.get<double>()) : v.dump();
}

} // namespace

void JsonReader::fail(const std::string& field, const std::string& reason) const
{
    throw ProjectError(m_file, field, reason);
}

void JsonReader::fail(const std::invalid_argument& error, const std::string& where) const
{
    // validate() names the file's keys (the struct schemas), so the head is the field's JSON path.
    const std::string message = error.what();
    const auto colon = message.find(": ");
    if (colon != std::string::npos) {
        const std::string head = message.substr(0, colon);
        if (head.find(' ') == std::string::npos && (where.empty() || head.starts_with(where)))
            fail(head, message.substr(colon + 2));
    }
    fail(where, message);
}

const Json* JsonReader::find(const Json& object, std::string_view key)
{
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const Json& JsonReader::require(const Json& object, const std::string& path, std::string_view key) const
{
    if (const Json* v = find(object, key))
        return *v;
    fail(joinPath(path, key), "required field is missing");
}

const Json& JsonReader::object(const Json& v, const std::string& path) const
{
    if (!v.is_object())
        fail(path, "expected an object, got " + describe(v));
    return v;
}

const Json& JsonReader::array(const Json& v, const std::string& path) const
{
    if (!v.is_array())
        fail(path, "expected an array, got " + describe(v));
    return v;
}

double JsonReader::number(const Json& v, const std::string& path) const
{
    if (!v.is_number())
        fail(path, "expected a number, got " + describe(v));
    const double d = v.get<double>();
    if (!std::isfinite(d)) // unreachable through parseJson; kept for documents built otherwise
        fail(path, "must be a finite number (got " + formatShortest(d) + ")");
    return d;
}

double JsonReader::metric(const Json& v, const std::string& path) const
{
    return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : number(v, path);
}

double JsonReader::wholeNumber(const Json& v, const std::string& path) const
{
    if (v.is_number_integer() || v.is_number_unsigned())
        return v.get<double>();
    if (v.is_number_float() && std::isfinite(v.get<double>()) && std::trunc(v.get<double>()) == v.get<double>())
        return v.get<double>();
    fail(path, "expected an integer, got " + describe(v));
}

FieldValue JsonReader::field(const FieldInfo& info, const Json& v, const std::string& path) const
{
    FieldValue value;
    switch (info.kind) {
    case FieldKind::Real:
        value = number(v, path);
        break;
    case FieldKind::Integer:
        value = wholeNumber(v, path);
        break;
    case FieldKind::Boolean:
        value = boolean(v, path);
        break;
    case FieldKind::Choice:
        value = text(v, path);
        break;
    }
    // The value is quoted as written ("-1", not "-1.0"), so a user finds it in the file.
    if (const std::string reason = info.problem(value); !reason.empty())
        fail(path, reason + " (got " + valueText(v) + ")");
    return value;
}

long long JsonReader::integer(const Json& v, const std::string& path, long long min, long long max) const
{
    const double d = wholeNumber(v, path);
    if (d < static_cast<double>(min))
        fail(path, "must be at least " + std::to_string(min) + " (got " + valueText(v) + ")");
    if (d > static_cast<double>(max))
        fail(path, "must be at most " + std::to_string(max) + " (got " + valueText(v) + ")");
    return v.is_number_float() ? static_cast<long long>(d) : v.get<long long>();
}

int JsonReader::integer(const Json& v, const std::string& path, int min) const
{
    return static_cast<int>(integer(v, path, static_cast<long long>(min), std::numeric_limits<int>::max()));
}

bool JsonReader::boolean(const Json& v, const std::string& path) const
{
    if (!v.is_boolean())
        fail(path, "expected true or false, got " + describe(v));
    return v.get<bool>();
}

std::string JsonReader::text(const Json& v, const std::string& path) const
{
    if (!v.is_string())
        fail(path, "expected a string, got " + describe(v));
    return v.get<std::string>();
}

void JsonReader::optional(const Json& object, const std::string& path, std::string_view key, double& out) const
{
    if (const Json* v = find(object, key))
        out = number(*v, joinPath(path, key));
}

void JsonReader::optional(const Json& object, const std::string& path, std::string_view key, int& out) const
{
    if (const Json* v = find(object, key))
        out = integer(*v, joinPath(path, key));
}

void JsonReader::optional(const Json& object, const std::string& path, std::string_view key, bool& out) const
{
    if (const Json* v = find(object, key))
        out = boolean(*v, joinPath(path, key));
}

void JsonReader::optional(const Json& object, const std::string& path, std::string_view key, std::string& out) const
{
    if (const Json* v = find(object, key))
        out = text(*v, joinPath(path, key));
}

const Json* JsonReader::optionalObject(const Json& object, const std::string& path, std::string_view key) const
{
    const Json* v = find(object, key);
    if (v != nullptr)
        this->object(*v, joinPath(path, key));
    return v;
}

} // namespace normad::detail
