#pragma once

#include "normad/Cancellation.h"
#include "normad/NormadRule.h"
#include "normad/Project.h"
#include "normad/Simulator.h"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace normad::ui {

/// What the rule inspector looks at: one pattern, one LIF layer l (1 … L), one neuron i of it,
/// and the synapses j whose filtered inputs are drawn.
struct RuleInspectionRequest {
    int pattern = 0;
    int layer = 1;
    int neuron = 0;
    /// Presynaptic indices to trace; the largest |Δw_ij| of the others fill up to three traces.
    std::vector<int> synapses;
    int maxTracePoints = 4000; ///< d̂(t) traces are sampled at most this often over the trial
};

/// One pattern's NormAD update taken apart for teaching. Everything comes from the engine: the
/// forward pass (Simulator::run with the given weights), the update (NormadRule::compute — the call
/// the trainer makes) and d̂ (NormadRule::sweepFilteredInputs / filteredInputs). The only arithmetic
/// here is the per-instant split Δw_ij = Σ_n r·E[n]·d̂_j[n]/‖d̂[n]‖ of spec §2.4/§3.5, whose sum the
/// tests compare with the engine's Δw_ij.
struct RuleInspection {
    RuleInspectionRequest request;
    double dt = 0;
    std::int64_t steps = 0;
    double rate = 0; ///< r_l × the learning-rate decay now in effect, amperes
    double rateScale = 1;
    bool perInstantSplit = true; ///< false for joint normalisation (the split below does not apply)
    std::string variant;         ///< describeVariant() of the training settings
    PatternGradient gradient;    ///< the whole network's update for this pattern
    Eigen::RowVectorXd delta;    ///< ΔW^l row of the neuron (= gradient.deltas[l−1].row(i)), amperes
    double deltaNorm = 0;        ///< ‖Δw_i‖, amperes

    StepTrain actual;                    ///< spikes of the neuron
    StepTrain desired;                   ///< desired spikes (output layer only)
    std::vector<ErrorEntry> errors;      ///< E^l_i: ±1 at output error instants, δ at hidden spikes
    std::vector<ErrorEntry> errorsAbove; ///< E^{l+1} of every neuron k of the layer above (hidden only)
    std::vector<double> weightsAbove;    ///< w^{l+1}_{k i} for each k (hidden only)
    Eigen::MatrixXd dhatAtErrors;        ///< d̂^{l−1}(t_n) at each error instant (rows) for all synapses (cols), V/A
    Eigen::VectorXd normAtErrors;        ///< ‖d̂^{l−1}(t_n)‖ at each error instant
    /// r·E[n]·d̂_j[n]/‖d̂[n]‖ per error instant (rows) and presynaptic neuron (cols); sums to delta.
    Eigen::MatrixXd contributions;
    int zeroNormInstants = 0; ///< error instants with ‖d̂‖ = 0 (contribute nothing)

    std::vector<int> synapses;                   ///< traced synapses (request or automatic)
    std::vector<std::int64_t> traceSteps;        ///< steps at which the traces are sampled
    std::vector<std::vector<double>> dhatTraces; ///< per traced synapse, d̂_j at traceSteps, V/A
    std::vector<double> normTrace;               ///< ‖d̂‖ at traceSteps, V/A
    std::vector<double> membrane;                ///< V(t_n) of the neuron at every step, volts
};

/// Re-simulates `request.pattern` of `project` with `weights` (W^l at l−1; empty = the project's,
/// drawn from its seed if it has none) and takes its NormAD update apart. `completedEpochs` sets the
/// learning-rate decay as the trainer would. Throws std::invalid_argument for an out-of-range
/// pattern, layer or neuron. When `cancel` is raised the simulation stops and the result is partial.
RuleInspection inspectRule(const Project& project, const std::vector<Eigen::MatrixXd>& weights,
                           const RuleInspectionRequest& request, int completedEpochs = 0,
                           const CancelFlag* cancel = nullptr);

} // namespace normad::ui
