#pragma once

// The one interface every learning rule implements, and the description the registry lists
// (RuleRegistry.h). A rule's file defines its class and its RuleInfo; nothing outside it switches on
// which rule runs: the trainer builds it through RuleInfo::create, and the settings panel, run
// history, inspector and report read RuleInfo::parameters and RuleInfo::describeVariant.

#include "normad/Cancellation.h"
#include "normad/Layers.h"
#include "normad/Network.h"
#include "normad/Schema.h"
#include "normad/SimulationParams.h"
#include "normad/Simulator.h"
#include "normad/SpikeTrain.h"

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace normad {

/// One signed entry of a layer's error train E^l (spec §3.5): ±1 at output error instants,
/// δ at hidden spikes.
struct ErrorEntry {
    int neuron = 0;
    std::int64_t step = 0;
    double value = 0;
};

/// The update one pattern asks for, and what it was computed from (for inspection and teaching).
struct PatternGradient {
    /// ΔW^l for l = 1 … L at index l−1 (already multiplied by r_l). Zero matrices for frozen layers.
    std::vector<Eigen::MatrixXd> deltas;
    /// E^l for l = 1 … L at index l−1, sorted by step then neuron.
    std::vector<std::vector<ErrorEntry>> errors;
    /// Output error instants whose d̂ had zero norm and so contributed nothing (spec §2.4 guard).
    int skippedZeroNorm = 0;
    /// The computation was cancelled: the deltas are incomplete and must not be applied.
    bool cancelled = false;

    /// ΔW^l of layer l = 1 … L (Layers.h), amperes.
    const Eigen::MatrixXd& delta(int l) const { return ofLayer(deltas, l); }
    Eigen::MatrixXd& delta(int l) { return ofLayer(deltas, l); }
    /// E^l of layer l = 1 … L.
    const std::vector<ErrorEntry>& error(int l) const { return ofLayer(errors, l); }
    std::vector<ErrorEntry>& error(int l) { return ofLayer(errors, l); }
};

/// e[n] = D[n] − Y[n] of every output neuron as sparse entries, sorted by step then neuron (a desired
/// and an actual spike in the same step cancel). The error train every rule here starts from.
std::vector<ErrorEntry> outputErrors(const std::vector<StepTrain>& desired, const std::vector<StepTrain>& actual);

/// outputErrors() with a match tolerance: a desired and an actual spike at most `toleranceSteps` steps
/// apart count as matched and give no error instant (one-to-one, nearest pairs first, as
/// metrics::matchSpikes); the spikes left unmatched give +1 at a desired and −1 at an actual spike.
/// `toleranceSteps` = 0 is outputErrors() exactly (only same-step pairs cancel).
std::vector<ErrorEntry> outputErrors(const std::vector<StepTrain>& desired, const std::vector<StepTrain>& actual,
                                     std::int64_t toleranceSteps);

/// A gradient of zero matrices shaped like the network's weights, with E^L = outputErrors() of the
/// record's output layer: the starting point of a rule's compute().
PatternGradient zeroGradient(const Network& network, const SimulationRecord& record,
                             const std::vector<StepTrain>& desired);
/// zeroGradient() without the matrices: one empty ΔW per layer. A rule that writes whole layers
/// fills them and then calls zeroEmptyDeltas(), so no layer is zeroed only to be overwritten.
PatternGradient emptyGradient(const Network& network, const SimulationRecord& record,
                              const std::vector<StepTrain>& desired);
/// Gives every empty ΔW of `g` the zero matrix of its layer's shape.
void zeroEmptyDeltas(const Network& network, PatternGradient& g);

/// trainedLayers() of a rule that trains the output layer only (ReSuMe, PSD): true at position L − 1
/// when that layer is trainable, false elsewhere.
std::vector<bool> outputLayerOnly(const Network& network);

/// A learning rule: the weight update one pattern asks for, from a completed forward pass.
/// Implementations are immutable after construction and safe to share across threads.
class LearningRule {
public:
    virtual ~LearningRule() = default;

    /// ΔW for one pattern. `desired[o]` are the desired steps of output neuron o. Uses the weights of
    /// `network` as they were during the forward pass; every r_l is multiplied by `rateScale`
    /// (learning-rate decay, learningRateScale()). Polls `cancel`; a cancelled result says so.
    virtual PatternGradient compute(const Network& network, const SimulationRecord& record,
                                    const std::vector<StepTrain>& desired, double rateScale = 1.0,
                                    const CancelFlag* cancel = nullptr) const = 0;

    /// Which layers this rule changes, index l−1 for l = 1 … L (a frozen layer is never trained).
    virtual std::vector<bool> trainedLayers(const Network& network) const = 0;

    /// True when the rule keeps per-weight state between applied updates (SuperSpike's RMaxProp), so
    /// the trainer calls adaptUpdate() before it applies an update and keeps that state in TrainerState.
    virtual bool hasUpdateState() const { return false; }
    /// Turns the update about to be applied to layer l — the sum of compute()'s deltas over the patterns
    /// of one update (one pattern online, the batch otherwise), amperes — into the step applied, and
    /// advances `state` (this layer's per-weight state; a zero-sized matrix before the first update).
    /// `rateScale` is the one compute() was given. Called on one thread, in update order.
    virtual void adaptUpdate(const Network& /*network*/, int /*layer*/, double /*rateScale*/,
                             Eigen::MatrixXd& /*delta*/, Eigen::MatrixXd& /*state*/) const
    {
    }
};

/// Builds a rule for a network from its settings (already completed with defaults and checked).
using RuleFactory =
    std::function<std::unique_ptr<LearningRule>(const Network&, const SimulationParams&, const FieldValues&)>;

/// Everything the workbench knows about a rule: what to call it, its parameters, how to build it.
struct RuleInfo {
    std::string key;      ///< file and command-line name ("normad", "resume", "psd")
    std::string name;     ///< display name ("NormAD")
    std::string citation; ///< the paper
    std::string summary;  ///< one line: what the rule does
    /// False: the rule trains the output layer only, so it is offered for single-layer networks.
    bool trainsHiddenLayers = false;
    std::vector<FieldInfo> parameters; ///< its settings (project file: training.rules.<key>)
    RuleFactory create;
    /// The variant in words from completed settings ("ReSuMe (a = 0, τ = 5 ms)").
    std::function<std::string(const FieldValues&)> describeVariant;
};

} // namespace normad
