#pragma once

// Classes as spike-train tasks: the desired output of a sample of class k (output neuron k fires at
// chosen times, the others at fewer chosen times or not at all) and the rules that read a predicted
// class off the network's output.

#include "normad/Classification.h"
#include "normad/SimulationParams.h"
#include "normad/SpikeTrain.h"

#include <string>
#include <vector>

namespace normad {

/// The desired output trains of the classes: one output neuron per class.
struct ClassTargetParams {
    SpikeTrain classSpikes = {0.01, 0.02, 0.03}; ///< times of the neuron of the sample's class, s
    SpikeTrain otherSpikes;                      ///< times of every other output neuron, s; empty: silent

    /// Both trains must be valid desired trains of the trial (sorted, inside [0, duration), at most
    /// one spike per time step). Throws std::invalid_argument naming the train, spike and value.
    void validate(const SimulationParams& simulation, const std::string& where = "targets") const;
};

/// round(rate·(end − start)) spikes spread evenly over [start, end): the i-th at
/// start + (i + ½)/rate, snapped to the time grid. A convenient "lower rate" for otherSpikes.
SpikeTrain regularSpikes(double rateHz, double start, double end, double dt);

/// The desired raster of each class: targets[k][n] is neuron n's train for a sample of class k.
std::vector<SpikeRaster> classTargets(int classCount, const ClassTargetParams& params,
                                      const SimulationParams& simulation);

/// How a predicted class is read from the output raster (one neuron per class).
enum class DecisionRule {
    /// The class whose target raster is nearest in van Rossum distance (the distance of two rasters
    /// is √(Σₙ Dₙ²) over the output neurons). Ties: the lowest class index. Never undecided.
    ClosestTarget,
    /// The neuron with the most spikes. Ties: the earliest first spike among the tied neurons, then
    /// the lowest index. No spike at all: undecided.
    MostSpikes,
    /// The neuron that fires first. Ties (same time): the one with more spikes, then the lowest
    /// index. No spike at all: undecided.
    FirstSpike,
};

std::string toString(DecisionRule);
DecisionRule decisionRuleFromString(const std::string&); ///< "closest-target", "most-spikes", "first-spike"

/// √(Σₙ D(aₙ, bₙ)²), D the engine's van Rossum distance (Metrics.h) with time constant tau, s.
double rasterDistance(const SpikeRaster& a, const SpikeRaster& b, double tau);

/// The predicted class of `output`, or undecidedClass. `targets` (from classTargets()) is needed for
/// ClosestTarget only; its size is the class count, and every raster must have output.size() trains.
/// For the other rules the class count is output.size(). Throws std::invalid_argument on a size mismatch.
int decideClass(const SpikeRaster& output, const std::vector<SpikeRaster>& targets, DecisionRule rule,
                double vanRossumTau);

} // namespace normad
