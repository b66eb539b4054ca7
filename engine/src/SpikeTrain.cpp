#include "normad/SpikeTrain.h"

#include "Validation.h"

#include <algorithm>
#include <cmath>

namespace normad {

bool insideTrial(double t, double duration, double dt)
{
    if (!(t >= 0))
        return false;
    const std::int64_t steps = std::llround(duration / dt);
    // One step of margin on the double comparison: the exact test below decides the last step.
    if (!(t / dt < static_cast<double>(steps) + 1.0))
        return false;
    return std::llround(t / dt) < steps;
}

void validateSpikeTrain(const SpikeTrain& train, double duration, double dt, bool oneSpikePerStep,
                        const std::string& where)
{
    for (std::size_t k = 0; k < train.size(); ++k) {
        const double t = train[k];
        const std::string field = "[" + std::to_string(k) + "]";
        if (!std::isfinite(t))
            detail::invalid(where, field, detail::formatValue(t), "spike time must be a finite number of seconds");
        if (!insideTrial(t, duration, dt))
            detail::invalid(where, field, detail::formatValue(t),
                            "spike time must lie inside the trial [0, " + detail::formatValue(duration) + ") s");
        if (k > 0) {
            const double prev = train[k - 1];
            if (t < prev)
                detail::invalid(where, field, detail::formatValue(t),
                                "spike times must be sorted; the previous spike is at " + detail::formatValue(prev) +
                                    " s");
            if (t == prev)
                detail::invalid(where, field, detail::formatValue(t), "duplicate spike time");
            if (oneSpikePerStep && std::llround(t / dt) == std::llround(prev / dt))
                detail::invalid(where, field, detail::formatValue(t),
                                "falls into the same time step as the spike at " + detail::formatValue(prev) +
                                    " s (dt = " + detail::formatValue(dt) + " s)");
        }
    }
}

StepTrain toSteps(const SpikeTrain& train, double dt)
{
    StepTrain steps;
    steps.reserve(train.size());
    for (double t : train)
        steps.push_back(std::llround(t / dt));
    return steps;
}

SpikeTrain toTimes(const StepTrain& steps, double dt)
{
    SpikeTrain times;
    times.reserve(steps.size());
    for (std::int64_t n : steps)
        times.push_back(static_cast<double>(n) * dt);
    return times;
}

std::size_t spikeCount(const SpikeRaster& raster)
{
    std::size_t n = 0;
    for (const auto& train : raster)
        n += train.size();
    return n;
}

namespace {
template <typename T> std::vector<std::pair<T, int>> ordered(const std::vector<std::vector<T>>& trains)
{
    std::vector<std::pair<T, int>> events;
    for (std::size_t i = 0; i < trains.size(); ++i)
        for (T t : trains[i])
            events.emplace_back(t, static_cast<int>(i));
    std::sort(events.begin(), events.end());
    return events;
}
} // namespace

std::vector<std::pair<double, int>> timeOrderedEvents(const SpikeRaster& raster)
{
    return ordered(raster);
}

std::vector<std::pair<std::int64_t, int>> timeOrderedEvents(const std::vector<StepTrain>& trains)
{
    return ordered(trains);
}

} // namespace normad
