#pragma once

#include "normad/Cancellation.h"
#include "normad/Kernels.h"
#include "normad/LearningRule.h"
#include "normad/Network.h"
#include "normad/SimulationParams.h"
#include "normad/Simulator.h"
#include "normad/TrainingParams.h"

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace normad {

/// V̇ at a hidden spike (spec §3.4 A4 and its variant).
enum class VdotMode { Ode, Constant };
/// Kernel ε through which a hidden spike-time change moves the next layer's V (spec §3.4 A5).
enum class BackpropKernel {
    Effective, ///< ε = α ∗ ĥ with τL′ (the spec's A5)
    Membrane,  ///< ε = α ∗ h with τL (the spec's variant; our default: it won on XOR and the generic
               ///< mapping, docs/reproduction.md)
};
/// Normalisation of the multi-layer update (spec §3.4 A6 and §3.7 variant B).
enum class Normalization { PerLayer, Joint };
/// Which lag ε′ is read at for an output error at step q and a hidden spike labelled at step s (spec §3.5).
enum class EpsilonLag {
    SpikeStep, ///< ε′((q − s)·dt): the spike's effect starts at its own step (our convention, the default)
    NextStep,  ///< ε′((q − s + 1)·dt): one step later, for comparison (docs/reproduction.md)
};

std::string toString(VdotMode);
std::string toString(BackpropKernel);
std::string toString(Normalization);
std::string toString(kernels::EpsilonDerivative);
std::string toString(EpsilonLag);
VdotMode vdotModeFromString(const std::string&);
BackpropKernel backpropKernelFromString(const std::string&);
Normalization normalizationFromString(const std::string&);
kernels::EpsilonDerivative epsilonDerivativeFromString(const std::string&);
EpsilonLag epsilonLagFromString(const std::string&);

/// NormAD's settings in typed form (project file: training.rules.normad, keys in normadRuleInfo()).
namespace detail {
/// One step of the d̂ sweep over n inputs: d = d·e + gain·(a − b), then a *= e1, b *= e2; the
/// widest instruction set the processor has, as the forward pass (Simulator.cpp).
void filteredInputStep(double* a, double* b, double* d, std::size_t n, double e1, double e2, double e, double gain);
/// row[k] += s·d[k] for k < n (a ΔW row), on the same instruction set; rounds as Eigen's `row += s * d`.
void scaledAdd(double* row, const double* d, std::size_t n, double s);
/// Σ d[k]² for k < n in the order of Eigen's SSE2 `squaredNorm()` (so √ of it is bit for bit the former
/// `norm()`), on the same instruction set.
double squaredNorm(const double* d, std::size_t n);
} // namespace detail

struct NormadSettings {
    double effectiveTimeConstant = 1e-3; ///< τL′ of ĥ, seconds (spec §2.2)
    VdotMode vdotMode = VdotMode::Ode;
    double vdotMin = 1.0;      ///< lower clip of V̇ at a hidden spike, V/s (A4)
    double vdotConstant = 1.0; ///< V̇ used in VdotMode::Constant, V/s
    BackpropKernel backpropKernel = BackpropKernel::Membrane;
    kernels::EpsilonDerivative epsilonDerivative = kernels::EpsilonDerivative::Analytic;
    Normalization normalization = Normalization::PerLayer;
    EpsilonLag epsilonLag = EpsilonLag::SpikeStep;
    /// Output spikes at most this far from a desired spike count as matched and give no error instant,
    /// seconds (rounded to steps); 0 = the papers' rule, where only same-step spikes cancel.
    double matchTolerance = 0;
    /// An output neuron whose spikes already correlate with its desired spikes at least this much on a
    /// pattern (C of spec §2.7, Gaussian kernel of width learntKernelWidth) gives no error instant on it:
    /// the rule stops on what is learnt, like the perceptron's. 1 = the papers' rule (never skipped).
    double learntCorrelation = 1;
    double learntKernelWidth = 2e-3; ///< σ of that Gaussian kernel, seconds

    /// From completed, checked values (TrainingParams::settings("normad")).
    static NormadSettings from(const FieldValues& values);
    /// The selected NormAD settings of `params` (its "normad" entry, completed).
    static NormadSettings from(const TrainingParams& params);
    /// As FieldValues, every key present.
    FieldValues values() const;
};

/// NormAD's weight update for one pattern (spec §2.3–§2.4 and §3.3–§3.7), computed from a
/// completed forward pass. Stateless apart from precomputed kernels; safe to share across threads.
class NormadRule : public LearningRule {
public:
    NormadRule(const Network& network, const SimulationParams& sim, const NormadSettings& settings);
    /// With the NormAD settings of `params` (whichever rule `params` selects).
    NormadRule(const Network& network, const SimulationParams& sim, const TrainingParams& params);

    /// ΔW for one pattern. `desired[o]` are the desired steps of output neuron o.
    /// Uses the weights of `network` as they were during the forward pass. Every r_l is multiplied
    /// by `rateScale` (learning-rate decay).
    PatternGradient compute(const Network& network, const SimulationRecord& record,
                            const std::vector<StepTrain>& desired, double rateScale = 1.0,
                            const CancelFlag* cancel = nullptr) const override;
    /// Every trainable layer (spec §3.5).
    std::vector<bool> trainedLayers(const Network& network) const override;

    const NormadSettings& settings() const { return m_settings; }
    /// The match tolerance in steps (NormadSettings::matchTolerance / dt, rounded).
    std::int64_t toleranceSteps() const;
    /// Per output neuron: does its `actual` train meet NormadSettings::learntCorrelation against `desired`?
    std::vector<bool> learntNeurons(const std::vector<StepTrain>& actual, const std::vector<StepTrain>& desired) const;

    /// e[n] = D[n] − Y[n] of every output neuron (normad::outputErrors, LearningRule.h).
    static std::vector<ErrorEntry> outputErrors(const std::vector<StepTrain>& desired,
                                                const std::vector<StepTrain>& actual)
    {
        return normad::outputErrors(desired, actual);
    }

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
    void dropLearntNeurons(const std::vector<StepTrain>& actual, const std::vector<StepTrain>& desired,
                           std::vector<ErrorEntry>& errors) const;
    std::vector<ErrorEntry> backpropagate(int layer, const Network& network, const std::vector<ErrorEntry>& errorsAbove,
                                          const LayerActivity& activity) const;
    void perLayerUpdate(const Network& network, const SimulationRecord& record, double rateScale, PatternGradient& g,
                        const CancelFlag* cancel) const;
    void jointUpdate(const Network& network, const SimulationRecord& record, double rateScale, PatternGradient& g,
                     const CancelFlag* cancel) const;

    SimulationParams m_sim;
    NormadSettings m_settings;
    SynapseParams m_synapse;
    std::vector<std::vector<double>> m_epsilonPrime;                // per postsynaptic layer: C and τL may differ
    double m_decayDecay = 0, m_decayRise = 0, m_decayEffective = 0; // e^{−dt/τ} of τ1, τ2, τL′
};

template <typename Visit>
bool NormadRule::sweepFilteredInputs(const LayerActivity& population, int size, double capacitance,
                                     const std::vector<std::int64_t>& steps, Visit visit,
                                     const CancelFlag* cancel) const
{
    // d̂_j[n] = d̂_j[n−1]·e^{−dt/τL′} + c_j[n]·dt/C, c_j = I0(a_j − b_j), the traces of spec §1.3
    // (group code: d_hat = d_hat*decay1 + (ci−cis)*dt/C). Swept up to the last step asked for.
    if (steps.empty())
        return true;
    // The spikes up to the last step asked for, bucketed by step (a counting sort, not a sort of all
    // events): those of step n are neurons[first[n]] … neurons[first[n + 1] − 1]. Within a step each
    // adds 1 to its own input's traces, so their order does not change a bit. 4 bytes a step.
    const std::int64_t last = steps.back();
    std::vector<std::uint32_t> first(static_cast<std::size_t>(last) + 2, 0);
    for (const StepTrain& train : population.spikes)
        for (std::int64_t n : train)
            if (n >= 0 && n <= last)
                ++first[static_cast<std::size_t>(n) + 1];
    for (std::size_t n = 1; n < first.size(); ++n)
        first[n] += first[n - 1];
    std::vector<std::uint32_t> neurons(first.back());
    // first[n] serves as step n's cursor; once filled it holds step n + 1's start, so shift back.
    for (std::size_t j = 0; j < population.spikes.size(); ++j)
        for (std::int64_t n : population.spikes[j])
            if (n >= 0 && n <= last)
                neurons[first[static_cast<std::size_t>(n)]++] = static_cast<std::uint32_t>(j);
    for (std::size_t n = first.size() - 1; n > 0; --n)
        first[n] = first[n - 1];
    first[0] = 0;
    const double gain = m_synapse.amplitude * m_sim.dt / capacitance;
    Eigen::ArrayXd a = Eigen::ArrayXd::Zero(size), b = Eigen::ArrayXd::Zero(size), d = Eigen::ArrayXd::Zero(size);
    // One pass over the inputs per step (detail::filteredInputStep): d of step n, then the decay of a
    // and b into step n + 1 (the spikes of step n + 1 are added after it). Each element sees the same
    // operations in the same order as the array expressions a *= e1, b *= e2, d = d·e + g·(a − b) did.
    double *pa = a.data(), *pb = b.data(), *pd = d.data();
    std::size_t row = 0;
    for (std::int64_t n = 0; n <= last; ++n) {
        if (n % cancelPollSteps == 0 && cancelled(cancel))
            return false;
        for (std::uint32_t k = first[static_cast<std::size_t>(n)]; k < first[static_cast<std::size_t>(n) + 1]; ++k) {
            pa[neurons[k]] += 1.0;
            pb[neurons[k]] += 1.0;
        }
        detail::filteredInputStep(pa, pb, pd, static_cast<std::size_t>(size), m_decayDecay, m_decayRise,
                                  m_decayEffective, gain);
        for (; row < steps.size() && steps[row] == n; ++row)
            visit(row, std::as_const(d));
    }
    return true;
}

} // namespace normad
