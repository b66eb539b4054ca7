#include "normad/MetricParams.h"

#include "EnumNames.h"
#include "Validation.h"

#include <stdexcept>

namespace normad {

void MetricParams::validate(const std::string& where) const
{
    detail::requirePositive(where, "correlationWidth", correlationWidth);
    detail::requirePositive(where, "vanRossumTau", vanRossumTau);
    detail::requireNonNegative(where, "matchTolerance", matchTolerance);
}

namespace {
constexpr auto kernelNames = {std::pair{CorrelationKernel::Gaussian, "gaussian"},
                              std::pair{CorrelationKernel::Exponential, "exponential"}};
} // namespace

std::string toString(CorrelationKernel k) { return detail::enumName<CorrelationKernel>(kernelNames, k); }
CorrelationKernel correlationKernelFromString(const std::string& s)
{
    return detail::enumFromName<CorrelationKernel>(kernelNames, s, "correlation kernel");
}

} // namespace normad
