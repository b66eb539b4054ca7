#include "FieldJson.h"

#include "normad/TextFormat.h"

#include <cmath>
#include <stdexcept>

namespace normad::detail {

OrderedJson fieldJson(const FieldInfo& info, const FieldValue& value, const std::string& path)
{
    if (const bool* b = std::get_if<bool>(&value))
        return *b;
    if (const std::string* s = std::get_if<std::string>(&value))
        return *s;
    const double d = std::get<double>(value);
    if (!std::isfinite(d))
        throw std::invalid_argument(path + ": cannot be saved: must be a finite number (got " + formatShortest(d) +
                                    ")");
    if (info.kind == FieldKind::Integer)
        return static_cast<long long>(d);
    return d;
}

} // namespace normad::detail
