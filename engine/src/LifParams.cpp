#include "normad/LifParams.h"

#include "Validation.h"

namespace normad {

void LifParams::validate(const std::string& where) const
{
    detail::requirePositive(where, "capacitance", capacitance);
    detail::requirePositive(where, "leakConductance", leakConductance);
    detail::requireFinite(where, "restPotential", restPotential);
    detail::requireFinite(where, "threshold", threshold);
    if (!(threshold > restPotential))
        detail::invalid(where, "threshold", detail::formatValue(threshold),
                        "must be above the rest potential " + detail::formatValue(restPotential) + " V");
    detail::requireNonNegative(where, "refractoryPeriod", refractoryPeriod);
}

} // namespace normad
