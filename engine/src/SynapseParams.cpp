#include "normad/SynapseParams.h"

#include "Validation.h"

namespace normad {

void SynapseParams::validate(const std::string& where) const
{
    detail::requirePositive(where, "tauDecay", tauDecay);
    detail::requirePositive(where, "tauRise", tauRise);
    if (!(tauRise < tauDecay))
        detail::invalid(where, "tauRise", detail::formatValue(tauRise),
                        "must be shorter than tauDecay " + detail::formatValue(tauDecay) + " s");
    detail::requirePositive(where, "amplitude", amplitude);
}

} // namespace normad
