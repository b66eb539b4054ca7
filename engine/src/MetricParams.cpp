#include "normad/MetricParams.h"

#include "EnumNames.h"
#include "Validation.h"

#include <stdexcept>

namespace normad {

const Schema<MetricParams>& MetricParams::schema()
{
    using P = MetricParams;
    static const Schema<P> fields = {
        bind<P>({.key = "kernel",
                 .label = "Correlation kernel",
                 .help = "gaussian: exp(−t²/2σ²); exponential: causal e^(−t/τ)"},
                &P::kernel, {CorrelationKernel::Gaussian, CorrelationKernel::Exponential}),
        bind<P>({.key = "correlationWidth_s",
                 .label = "Kernel width",
                 .unit = "s",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "σ or τ of the correlation kernel",
                 .displayScale = 1e3,
                 .displayUnit = "ms"},
                &P::correlationWidth),
        bind<P>({.key = "vanRossumTau_s",
                 .label = "van Rossum τ",
                 .unit = "s",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "time constant of the van Rossum distance",
                 .displayScale = 1e3,
                 .displayUnit = "ms"},
                &P::vanRossumTau),
        bind<P>({.key = "matchTolerance_s",
                 .label = "Match tolerance",
                 .unit = "s",
                 .minimum = 0,
                 .help = "a desired and an actual spike closer than this are matched",
                 .displayScale = 1e3,
                 .displayUnit = "ms"},
                &P::matchTolerance),
    };
    return fields;
}

void MetricParams::validate(const std::string& where) const
{
    checkFields(schema(), *this, where);
}

namespace {
constexpr auto kernelNames = {std::pair{CorrelationKernel::Gaussian, "gaussian"},
                              std::pair{CorrelationKernel::Exponential, "exponential"}};
} // namespace

std::string toString(CorrelationKernel k)
{
    return detail::enumName<CorrelationKernel>(kernelNames, k);
}
CorrelationKernel correlationKernelFromString(const std::string& s)
{
    return detail::enumFromName<CorrelationKernel>(kernelNames, s, "correlation kernel");
}

} // namespace normad
