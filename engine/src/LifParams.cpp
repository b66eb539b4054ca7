#include "normad/LifParams.h"

#include "Validation.h"

namespace normad {

const Schema<LifParams>& LifParams::schema()
{
    using P = LifParams;
    static const Schema<P> fields = {
        bind<P>({.key = "capacitance_F",
                 .label = "Capacitance C",
                 .unit = "F",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "membrane capacitance",
                 .displayScale = 1e12,
                 .displayUnit = "pF"},
                &P::capacitance),
        bind<P>({.key = "leakConductance_S",
                 .label = "Leak gL",
                 .unit = "S",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "leak conductance; τL = C/gL",
                 .displayScale = 1e9,
                 .displayUnit = "nS"},
                &P::leakConductance),
        bind<P>({.key = "restPotential_V",
                 .label = "Rest / reset EL",
                 .unit = "V",
                 .help = "rest potential, also the reset after a spike",
                 .displayScale = 1e3,
                 .displayUnit = "mV"},
                &P::restPotential),
        bind<P>({.key = "threshold_V",
                 .label = "Threshold VT",
                 .unit = "V",
                 .help = "a spike when V reaches it; must be above EL",
                 .displayScale = 1e3,
                 .displayUnit = "mV"},
                &P::threshold),
        bind<P>({.key = "refractoryPeriod_s",
                 .label = "Refractory Rp",
                 .unit = "s",
                 .minimum = 0,
                 .help = "V is held at EL for round(Rp/dt) steps after a spike",
                 .displayScale = 1e3,
                 .displayUnit = "ms"},
                &P::refractoryPeriod),
        bind<P>(
            {.key = "clampAtRest", .label = "Clamp V ≥ EL", .help = "the group code's floor V ≥ EL (off in the spec)"},
            &P::clampAtRest),
    };
    return fields;
}

void LifParams::validate(const std::string& where) const
{
    checkFields(schema(), *this, where);
    if (!(threshold > restPotential))
        detail::invalid(where, "threshold_V", detail::formatValue(threshold),
                        "must be above the rest potential " + detail::formatValue(restPotential) + " V");
}

} // namespace normad
