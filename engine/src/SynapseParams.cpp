#include "normad/SynapseParams.h"

#include "Validation.h"

namespace normad {

const Schema<SynapseParams>& SynapseParams::schema()
{
    using P = SynapseParams;
    static const Schema<P> fields = {
        bind<P>({.key = "tauDecay_s",
                 .label = "Decay τ1",
                 .unit = "s",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "decay time constant of the synaptic kernel α",
                 .displayScale = 1e3,
                 .displayUnit = "ms"},
                &P::tauDecay),
        bind<P>({.key = "tauRise_s",
                 .label = "Rise τ2",
                 .unit = "s",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "rise time constant of α; must be shorter than τ1",
                 .displayScale = 1e3,
                 .displayUnit = "ms"},
                &P::tauRise),
        bind<P>({.key = "amplitude",
                 .label = "Amplitude I0",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "scale of α; with I0 = 1 a weight is a current in amperes"},
                &P::amplitude),
    };
    return fields;
}

void SynapseParams::validate(const std::string& where) const
{
    checkFields(schema(), *this, where);
    if (!(tauRise < tauDecay))
        detail::invalid(where, "tauRise_s", detail::formatValue(tauRise),
                        "must be shorter than tauDecay_s " + detail::formatValue(tauDecay) + " s");
}

} // namespace normad
