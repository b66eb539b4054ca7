#include "JsonPrinter.h"

#include "normad/TextFormat.h"

#include <algorithm>
#include <cstddef>

namespace normad::detail {

namespace {

using OrderedJson = nlohmann::ordered_json;

bool isScalar(const OrderedJson& v)
{
    return !v.is_array() && !v.is_object();
}

void print(const OrderedJson& v, std::string& out, int indent)
{
    const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
    if (v.is_object()) {
        if (v.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        bool first = true;
        for (const auto& [key, value] : v.items()) {
            out += first ? "" : ",\n";
            first = false;
            out += inner + OrderedJson(key).dump(-1, ' ', false, OrderedJson::error_handler_t::replace) + ": ";
            print(value, out, indent + 2);
        }
        out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "}";
    } else if (v.is_array()) {
        if (v.empty()) {
            out += "[]";
            return;
        }
        const bool flat = std::all_of(v.begin(), v.end(), isScalar);
        out += flat ? "[" : "[\n";
        bool first = true;
        for (const OrderedJson& element : v) {
            out += first ? "" : (flat ? ", " : ",\n");
            first = false;
            if (!flat)
                out += inner;
            print(element, out, indent + 2);
        }
        out += flat ? "]" : "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "]";
    } else if (v.is_number_float()) {
        out += formatShortest(v.get<double>());
    } else {
        out += v.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
    }
}

} // namespace

std::string printJson(const OrderedJson& value)
{
    std::string out;
    print(value, out, 0);
    return out;
}

} // namespace normad::detail
