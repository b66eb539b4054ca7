#include "normad/WeightInit.h"

#include "EnumNames.h"
#include "Validation.h"

#include <stdexcept>

namespace normad {

void WeightInit::validate(const std::string& where) const
{
    switch (kind) {
    case Kind::Zero:
        break;
    case Kind::Constant:
        detail::requireFinite(where, "mean", mean);
        break;
    case Kind::Normal:
        detail::requireFinite(where, "mean", mean);
        detail::requireNonNegative(where, "stddev", stddev);
        break;
    case Kind::Uniform:
        detail::requireFinite(where, "low", low);
        detail::requireFinite(where, "high", high);
        if (!(low <= high))
            detail::invalid(where, "high", detail::formatValue(high), "must not be below low " + detail::formatValue(low));
        break;
    }
}

namespace {
using Kind = WeightInit::Kind;
constexpr auto kindNames = {std::pair{Kind::Zero, "zero"}, std::pair{Kind::Constant, "constant"},
                            std::pair{Kind::Normal, "normal"}, std::pair{Kind::Uniform, "uniform"}};
} // namespace

std::string toString(WeightInit::Kind k) { return detail::enumName<Kind>(kindNames, k); }
WeightInit::Kind weightInitKindFromString(const std::string& s) { return detail::enumFromName<Kind>(kindNames, s, "weight initialisation"); }

} // namespace normad
