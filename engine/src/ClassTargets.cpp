#include "normad/ClassTargets.h"

#include "normad/Metrics.h"

#include "EnumNames.h"
#include "Validation.h"

#include <cmath>
#include <stdexcept>

namespace normad {

void ClassTargetParams::validate(const SimulationParams& simulation, const std::string& where) const
{
    simulation.validate(where + ".simulation");
    validateSpikeTrain(classSpikes, simulation.duration, simulation.dt, true, where + ".classSpikes");
    validateSpikeTrain(otherSpikes, simulation.duration, simulation.dt, true, where + ".otherSpikes");
    if (classSpikes == otherSpikes)
        detail::invalid(where, "otherSpikes", std::to_string(otherSpikes.size()) + " spikes",
                        "must differ from classSpikes, or no class could be told from another");
}

SpikeTrain regularSpikes(double rateHz, double start, double end, double dt)
{
    detail::requireNonNegative("regularSpikes", "rateHz", rateHz);
    detail::requirePositive("regularSpikes", "dt", dt);
    if (!(end >= start))
        detail::invalid("regularSpikes", "end", detail::formatValue(end),
                        "must not be before start = " + detail::formatValue(start) + " s");
    const auto count = std::llround(rateHz * (end - start));
    SpikeTrain train;
    for (long long i = 0; i < count; ++i)
        train.push_back(static_cast<double>(std::llround((start + (static_cast<double>(i) + 0.5) / rateHz) / dt)) * dt);
    return train;
}

std::vector<SpikeRaster> classTargets(int classCount, const ClassTargetParams& params,
                                      const SimulationParams& simulation)
{
    if (classCount < 2)
        detail::invalid("targets", "classCount", std::to_string(classCount), "must be at least 2");
    params.validate(simulation);
    std::vector<SpikeRaster> targets(static_cast<std::size_t>(classCount));
    for (int k = 0; k < classCount; ++k) {
        auto& raster = targets[static_cast<std::size_t>(k)];
        raster.assign(static_cast<std::size_t>(classCount), params.otherSpikes);
        raster[static_cast<std::size_t>(k)] = params.classSpikes;
    }
    return targets;
}

namespace {
constexpr auto ruleNames = {std::pair{DecisionRule::ClosestTarget, "closest-target"},
                            std::pair{DecisionRule::MostSpikes, "most-spikes"},
                            std::pair{DecisionRule::FirstSpike, "first-spike"}};
} // namespace

std::string toString(DecisionRule r)
{
    return detail::enumName<DecisionRule>(ruleNames, r);
}
DecisionRule decisionRuleFromString(const std::string& s)
{
    return detail::enumFromName<DecisionRule>(ruleNames, s, "decision rule");
}

double rasterDistance(const SpikeRaster& a, const SpikeRaster& b, double tau)
{
    if (a.size() != b.size())
        throw std::invalid_argument("raster distance: " + std::to_string(a.size()) + " trains against " +
                                    std::to_string(b.size()));
    double squared = 0;
    for (std::size_t n = 0; n < a.size(); ++n) {
        const double d = metrics::vanRossumDistance(a[n], b[n], tau);
        squared += d * d;
    }
    return std::sqrt(squared);
}

int decideClass(const SpikeRaster& output, const std::vector<SpikeRaster>& targets, DecisionRule rule,
                double vanRossumTau)
{
    switch (rule) {
    case DecisionRule::ClosestTarget: {
        if (targets.empty())
            throw std::invalid_argument("decision: the closest-target rule needs the class targets");
        int best = undecidedClass;
        double bestDistance = 0;
        for (std::size_t k = 0; k < targets.size(); ++k) {
            const double d = rasterDistance(output, targets[k], vanRossumTau);
            // Strictly smaller: on a tie the lower class index stays.
            if (best == undecidedClass || d < bestDistance) {
                best = static_cast<int>(k);
                bestDistance = d;
            }
        }
        return best;
    }
    case DecisionRule::MostSpikes:
    case DecisionRule::FirstSpike: {
        if (!targets.empty() && targets.size() != output.size())
            throw std::invalid_argument("decision: " + std::to_string(output.size()) + " output neurons for " +
                                        std::to_string(targets.size()) + " classes");
        int best = undecidedClass;
        for (std::size_t n = 0; n < output.size(); ++n) {
            const SpikeTrain& t = output[n];
            if (t.empty())
                continue;
            if (best == undecidedClass) {
                best = static_cast<int>(n);
                continue;
            }
            const SpikeTrain& b = output[static_cast<std::size_t>(best)];
            const bool better = rule == DecisionRule::MostSpikes
                                    ? (t.size() > b.size() || (t.size() == b.size() && t.front() < b.front()))
                                    : (t.front() < b.front() || (t.front() == b.front() && t.size() > b.size()));
            if (better) // strictly better: on a full tie the lower index stays
                best = static_cast<int>(n);
        }
        return best;
    }
    }
    return undecidedClass;
}

} // namespace normad
