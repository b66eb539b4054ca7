#include "normad/SimulationParams.h"

#include "EnumNames.h"
#include "Validation.h"

#include <cmath>

namespace normad {

std::int64_t SimulationParams::steps() const
{
    return std::llround(duration / dt);
}

std::int64_t SimulationParams::stepOf(double t) const
{
    return std::llround(t / dt);
}

void SimulationParams::validate(const std::string& where) const
{
    detail::requirePositive(where, "dt", dt);
    detail::requirePositive(where, "duration", duration);
    if (dt > 1e-2)
        detail::invalid(where, "dt", detail::formatValue(dt), "must be at most 10 ms for the LIF dynamics to be resolved");
    if (duration / dt > 1e8)
        detail::invalid(where, "duration", detail::formatValue(duration),
                        "gives more than 1e8 time steps at dt = " + detail::formatValue(dt) + " s");
    if (duration / dt < 1.0)
        detail::invalid(where, "duration", detail::formatValue(duration), "must span at least one time step");
}

namespace {
constexpr auto integratorNames = {std::pair{Integrator::Exact, "exact"}, std::pair{Integrator::Heun, "heun"}};
constexpr auto driveModeNames = {std::pair{DriveMode::Auto, "auto"}, std::pair{DriveMode::EventDriven, "event"},
                                 std::pair{DriveMode::Dense, "dense"}};
} // namespace

std::string toString(Integrator i) { return detail::enumName<Integrator>(integratorNames, i); }
Integrator integratorFromString(const std::string& s) { return detail::enumFromName<Integrator>(integratorNames, s, "integrator"); }
std::string toString(DriveMode m) { return detail::enumName<DriveMode>(driveModeNames, m); }
DriveMode driveModeFromString(const std::string& s) { return detail::enumFromName<DriveMode>(driveModeNames, s, "drive mode"); }

} // namespace normad
