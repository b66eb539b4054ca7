// PSD, the precise-spike-driven rule (Yu, Tang, Tan & Li 2013, PLoS ONE 8(11): e78318): the whole
// rule — its class, its settings' description and its registry entry (one line in RuleRegistry.cpp).

#include "normad/Kernels.h"
#include "normad/LearningRule.h"

#include <cmath>

namespace normad {

namespace {

constexpr const char* peakKey = "peakNormalized";

/// Δw_i = η ∫ (d(t) − o(t))·I_i(t) dt for the output layer, η = the layer's r_l, I_i(t) the
/// postsynaptic current kernel trace of input i.
///
/// The paper's d(t) and o(t) are sums of Dirac impulses at the desired and actual spikes, so the
/// integral is a sum over those instants: Δw_i = η [Σ_g I_i(t_d^g) − Σ_h I_i(t_o^h)] (its learning rule,
/// integrated over the trial). On the grid that is Δw_i = η Σ_n e[n]·I_i(t_n) over the error instants of
/// outputErrors() (e = ±1): a desired and an actual spike in the same step add +I_i and −I_i, so dropping
/// both, as e[n] = D[n] − Y[n] does, is exact, not an approximation.
///
/// I_i is the engine's own synaptic kernel, the one that drives the neuron (spec §1.1):
/// I_i(t_n) = V0·Σ_{t_s ≤ t_n} (e^{−(t_n − t_s)/τ1} − e^{−(t_n − t_s)/τ2}) over input spikes t_s, kept as the
/// simulator keeps it (traces a, b decayed to t_n, then step n's spikes added, so a spike in the
/// error's own step contributes 0, as its current does). The paper's K(t) = V0(e^{−t/τs} − e^{−t/τf})
/// with V0 scaling its peak to 1; here τs, τf are the network's τ1, τ2 (5 ms and 1.25 ms by default,
/// the paper's τf = τs/4 ratio), and V0 = 1/peak unless `peakNormalized` is off (then V0 = 1: the
/// current per ampere of weight and unit I0).
class PsdRule : public LearningRule {
public:
    PsdRule(const Network& network, const SimulationParams& sim, bool peakNormalized)
        : m_decayDecay(kernels::decay(network.synapse().tauDecay, sim.dt)),
          m_decayRise(kernels::decay(network.synapse().tauRise, sim.dt)),
          m_scale(peakNormalized ? 1.0 / kernelPeak(network.synapse().tauDecay, network.synapse().tauRise) : 1.0)
    {
    }

    /// max_t (e^{−t/τ1} − e^{−t/τ2}) for τ1 > τ2, at t* = τ1τ2/(τ1 − τ2)·ln(τ1/τ2).
    static double kernelPeak(double tau1, double tau2)
    {
        const double t = tau1 * tau2 / (tau1 - tau2) * std::log(tau1 / tau2);
        return std::exp(-t / tau1) - std::exp(-t / tau2);
    }

    PatternGradient compute(const Network& network, const SimulationRecord& record,
                            const std::vector<StepTrain>& desired, double rateScale,
                            const CancelFlag* cancel) const override
    {
        const int L = network.layerCount();
        PatternGradient g = zeroGradient(network, record, desired);
        const std::vector<ErrorEntry>& errors = g.error(L);
        if (errors.empty() || !network.layer(L).trainable)
            return g;

        const std::vector<std::pair<std::int64_t, int>> events = timeOrderedEvents(record.activity(L - 1).spikes);
        const double rate = network.layer(L).learningRate * rateScale * m_scale;
        const Eigen::Index inputs = network.populationSize(L - 1);
        Eigen::ArrayXd a = Eigen::ArrayXd::Zero(inputs), b = Eigen::ArrayXd::Zero(inputs);
        Eigen::MatrixXd& delta = g.delta(L);
        std::size_t next = 0, err = 0;
        for (std::int64_t n = 0; n <= errors.back().step; ++n) {
            if (n % cancelPollSteps == 0 && cancelled(cancel)) {
                g.cancelled = true;
                return g;
            }
            a *= m_decayDecay;
            b *= m_decayRise;
            for (; next < events.size() && events[next].first == n; ++next) {
                a[events[next].second] += 1.0;
                b[events[next].second] += 1.0;
            }
            for (; err < errors.size() && errors[err].step == n; ++err)
                delta.row(errors[err].neuron) += (rate * errors[err].value * (a - b)).matrix().transpose();
        }
        return g;
    }

    std::vector<bool> trainedLayers(const Network& network) const override { return outputLayerOnly(network); }

private:
    double m_decayDecay; // e^{−dt/τ1}
    double m_decayRise;  // e^{−dt/τ2}
    double m_scale;      // V0
};

} // namespace

RuleInfo psdRuleInfo()
{
    RuleInfo info;
    info.key = "psd";
    info.name = "PSD";
    info.citation = "Yu, Tang, Tan & Li, Precise-spike-driven synaptic plasticity, PLoS ONE 8(11) (2013) e78318";
    info.summary = "Δw = η ∫ (d(t) − o(t))·I_i(t) dt: the input's synaptic current at every error instant, "
                   "output layer only";

    FieldInfo peak;
    peak.key = peakKey;
    peak.label = "Peak-normalised kernel";
    peak.kind = FieldKind::Boolean;
    peak.defaultValue = true;
    peak.help = "Scale the synaptic kernel so its peak is 1, as the paper's V0 does (off: the current per ampere "
                "of weight as the neuron receives it, about 0.47 at its peak with τ1 = 4τ2)";
    info.parameters = {peak};

    info.create = [](const Network& network, const SimulationParams& sim, const FieldValues& values) {
        return std::make_unique<PsdRule>(network, sim, booleanValue(values, peakKey));
    };
    info.describeVariant = [](const FieldValues& values) {
        return std::string(booleanValue(values, peakKey) ? "PSD (kernel peak 1)" : "PSD (kernel as the synapse's α)");
    };
    return info;
}

} // namespace normad
