#pragma once

#include "normad/Cancellation.h"
#include "normad/Network.h"
#include "normad/SimulationParams.h"
#include "normad/Simulator.h"
#include "normad/TrainingParams.h"

#include <Eigen/Core>

#include <algorithm>
#include <cstdint>
#include <utility>
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

/// NormAD's weight update for one pattern (spec §2.3–§2.4 and §3.3–§3.7), computed from a
/// completed forward pass. Stateless apart from precomputed kernels; safe to share across threads.
class NormadRule {
public:
    NormadRule(const Network& network, const SimulationParams& sim, const TrainingParams& params);

    /// ΔW for one pattern. `desired[o]` are the desired steps of output neuron o.
    /// Uses the weights of `network` as they were during the forward pass. Every r_l is multiplied
    /// by `rateScale` (learning-rate decay).
    PatternGradient compute(const Network& network, const SimulationRecord& record,
                            const std::vector<StepTrain>& desired, double rateScale = 1.0,
                            const CancelFlag* cancel = nullptr) const;

    /// e[n] = D[n] − Y[n] of every output neuron as sparse entries (a desired and an actual spike in
    /// the same step cancel).
    static std::vector<ErrorEntry> outputErrors(const std::vector<StepTrain>& desired,
                                                const std::vector<StepTrain>& actual);

    /// d̂^{l}(t_n) (the NormAD input of layer l+1: population l filtered by α and ĥ, spec §2.2) at the
    /// given steps, one row per step. `steps` must be sorted; rows follow its order.
    /// `capacitance` is C of the postsynaptic layer (ĥ = e^{−t/τL′}/C).
    Eigen::MatrixXd filteredInputs(const LayerActivity& population, int size, double capacitance,
                                   const std::vector<std::int64_t>& steps) const;

    /// Calls visit(row, d̂) for each of the sorted `steps` (row = its index) with d̂^{l}(t_n) as an
    /// array: the same sweep as filteredInputs() without materialising the rows. Returns false if
    /// `cancel` was raised (polled every cancelPollSteps steps).
    template <typename Visit>
    bool sweepFilteredInputs(const LayerActivity& population, int size, double capacitance,
                             const std::vector<std::int64_t>& steps, Visit visit,
                             const CancelFlag* cancel = nullptr) const;

    /// ε′[k] on the grid for the synapses onto layer l (l = 1 … L), V/(A·s) per unit weight.
    const std::vector<double>& epsilonPrime(int l) const { return m_epsilonPrime.at(l - 1); }

private:
    std::vector<ErrorEntry> backpropagate(int layer, const Network& network, const std::vector<ErrorEntry>& errorsAbove,
                                          const LayerActivity& activity) const;
    void perLayerUpdate(const Network& network, const SimulationRecord& record, double rateScale,
                        PatternGradient& g, const CancelFlag* cancel) const;
    void jointUpdate(const Network& network, const SimulationRecord& record, double rateScale,
                     PatternGradient& g, const CancelFlag* cancel) const;

    SimulationParams m_sim;
    TrainingParams m_params;
    SynapseParams m_synapse;
    std::vector<std::vector<double>> m_epsilonPrime;  // per postsynaptic layer: C and τL may differ
    double m_decayDecay = 0, m_decayRise = 0, m_decayEffective = 0;  // e^{−dt/τ} of τ1, τ2, τL′
};

template <typename Visit>
bool NormadRule::sweepFilteredInputs(const LayerActivity& population, int size, double capacitance,
                                     const std::vector<std::int64_t>& steps, Visit visit, const CancelFlag* cancel) const
{
    // d̂_j[n] = d̂_j[n−1]·e^{−dt/τL′} + c_j[n]·dt/C, c_j = I0(a_j − b_j), the traces of spec §1.3
    // (group code: d_hat = d_hat*decay1 + (ci−cis)*dt/C). Swept up to the last step asked for.
    if (steps.empty())
        return true;
    std::vector<std::pair<std::int64_t, int>> events;
    for (std::size_t j = 0; j < population.spikes.size(); ++j)
        for (std::int64_t n : population.spikes[j])
            if (n <= steps.back())
                events.emplace_back(n, static_cast<int>(j));
    std::sort(events.begin(), events.end());
    const double gain = m_synapse.amplitude * m_sim.dt / capacitance;
    Eigen::ArrayXd a = Eigen::ArrayXd::Zero(size), b = Eigen::ArrayXd::Zero(size), d = Eigen::ArrayXd::Zero(size);
    std::size_t next = 0, row = 0;
    for (std::int64_t n = 0; n <= steps.back(); ++n) {
        if (n % cancelPollSteps == 0 && cancelled(cancel))
            return false;
        a *= m_decayDecay;
        b *= m_decayRise;
        for (; next < events.size() && events[next].first == n; ++next) {
            a[events[next].second] += 1.0;
            b[events[next].second] += 1.0;
        }
        d = d * m_decayEffective + gain * (a - b);
        for (; row < steps.size() && steps[row] == n; ++row)
            visit(row, std::as_const(d));
    }
    return true;
}

/// ReSuMe (Ponulak & Kasiński 2010, spec §6) for the output layer:
/// Δw_i = η Σ_n e[n]·(a + Σ_{t_s ≤ t_n} e^{−(t_n − t_s)/τ}) over input spikes t_s of synapse i.
/// Hidden layers are not trained by ReSuMe; their deltas stay zero.
PatternGradient resumeUpdate(const Network& network, const SimulationRecord& record,
                             const std::vector<StepTrain>& desired, const SimulationParams& sim,
                             const TrainingParams& params, double rateScale = 1.0);

} // namespace normad
