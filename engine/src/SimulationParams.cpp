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

const Schema<SimulationParams>& SimulationParams::schema()
{
    using P = SimulationParams;
    static const Schema<P> fields = {
        bind<P>({.key = "dt_s",
                 .label = "Time step dt",
                 .unit = "s",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "simulation time step (at most 10 ms)",
                 .displayScale = 1e3,
                 .displayUnit = "ms",
                 .required = true},
                &P::dt),
        bind<P>({.key = "duration_s",
                 .label = "Trial length T",
                 .unit = "s",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "length of one trial; the grid is n·dt for n < round(T/dt)",
                 .displayScale = 1e3,
                 .displayUnit = "ms",
                 .required = true},
                &P::duration),
        bind<P>({.key = "integrator",
                 .label = "Integrator",
                 .help = "exact: the linear system solved over each step; heun: the group code's RK2"},
                &P::integrator, {Integrator::Exact, Integrator::Heun}),
        bind<P>({.key = "driveMode",
                 .label = "Synaptic drive",
                 .help = "event: per-spike updates; dense: a matrix product; auto picks the cheaper"},
                &P::driveMode, {DriveMode::Auto, DriveMode::EventDriven, DriveMode::Dense}),
    };
    return fields;
}

void SimulationParams::validate(const std::string& where) const
{
    checkFields(schema(), *this, where);
    if (dt > 1e-2)
        detail::invalid(where, "dt_s", detail::formatValue(dt),
                        "must be at most 10 ms for the LIF dynamics to be resolved");
    if (duration / dt > 1e8)
        detail::invalid(where, "duration_s", detail::formatValue(duration),
                        "gives more than 1e8 time steps at dt = " + detail::formatValue(dt) + " s");
    if (duration / dt < 1.0)
        detail::invalid(where, "duration_s", detail::formatValue(duration), "must span at least one time step");
}

namespace {
constexpr auto integratorNames = {std::pair{Integrator::Exact, "exact"}, std::pair{Integrator::Heun, "heun"}};
constexpr auto driveModeNames = {std::pair{DriveMode::Auto, "auto"}, std::pair{DriveMode::EventDriven, "event"},
                                 std::pair{DriveMode::Dense, "dense"}};
} // namespace

std::string toString(Integrator i)
{
    return detail::enumName<Integrator>(integratorNames, i);
}
Integrator integratorFromString(const std::string& s)
{
    return detail::enumFromName<Integrator>(integratorNames, s, "integrator");
}
std::string toString(DriveMode m)
{
    return detail::enumName<DriveMode>(driveModeNames, m);
}
DriveMode driveModeFromString(const std::string& s)
{
    return detail::enumFromName<DriveMode>(driveModeNames, s, "drive mode");
}

} // namespace normad
