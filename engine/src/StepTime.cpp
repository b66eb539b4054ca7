#include "normad/StepTime.h"

#include <cmath>

namespace normad {

double stepTime(std::int64_t n, double dt, double unitsPerSecond)
{
    const double perSecond = std::round(1.0 / dt);
    const double numerator = static_cast<double>(n) * unitsPerSecond;
    // Both operands exact integers (below 2^53), so the quotient is correctly rounded: the double
    // nearest to the decimal time, which formatShortest then writes without product noise.
    if (perSecond >= 1 && std::abs(perSecond * dt - 1.0) < 1e-12 && unitsPerSecond == std::round(unitsPerSecond) &&
        std::abs(numerator) < 9007199254740992.0)
        return numerator / perSecond;
    return static_cast<double>(n) * dt * unitsPerSecond;
}

double tidyTime(double t, double dt)
{
    const double steps = t / dt;
    const double n = std::round(steps);
    if (!std::isfinite(steps) || std::abs(steps - n) > 1e-6)
        return t;
    return stepTime(static_cast<std::int64_t>(n), dt);
}

} // namespace normad
