// ReSuMe (Ponulak & Kasiński 2010, spec §6), the baseline NormAD is compared with: this file is the
// whole rule — its class, its settings' description and its registry entry (RuleRegistry.cpp).

#include "normad/Kernels.h"
#include "normad/LearningRule.h"

#include <algorithm>
#include <sstream>

namespace normad {

namespace {

constexpr const char* nonHebbianKey = "nonHebbian";
constexpr const char* tauKey = "tau_s";

/// Output layer only: Δw_i = η Σ_n e[n]·(a + Σ_{t_s ≤ t_n} e^{−(t_n − t_s)/τ}) over input spikes t_s of
/// synapse i. Hidden layers are not trained by ReSuMe; their deltas stay zero.
class ResumeRule : public LearningRule {
public:
    ResumeRule(const SimulationParams& sim, double nonHebbian, double tau)
        : m_decay(kernels::decay(tau, sim.dt)), m_nonHebbian(nonHebbian)
    {
    }

    PatternGradient
    compute(const Network& network, const SimulationRecord& record, const std::vector<StepTrain>& desired,
            double rateScale,
            const CancelFlag* /*cancel: one sweep up to the last error, as cheap as the pass*/) const override
    {
        // ReSuMe: dw/dt = [S_d(t) − S_o(t)]·[a + ∫₀^∞ W(s) S_in(t − s) ds], W(s) = e^{−s/τ} (A absorbed in η).
        // On the grid: Δw_oi = η Σ_n e_o[n]·(a + x_i[n]), x_i[n] = Σ_{t_s ≤ t_n} e^{−(t_n − t_s)/τ}
        // (a presynaptic spike in the error's own step counts with W(0) = 1).
        const int L = network.layerCount();
        PatternGradient g = zeroGradient(network, record, desired);
        const std::vector<ErrorEntry>& errors = g.error(L);
        if (errors.empty() || !network.layer(L).trainable)
            return g;

        const std::vector<std::pair<std::int64_t, int>> events = timeOrderedEvents(record.activity(L - 1).spikes);
        const double rate = network.layer(L).learningRate * rateScale;
        Eigen::ArrayXd x = Eigen::ArrayXd::Zero(network.populationSize(L - 1));
        Eigen::MatrixXd& delta = g.delta(L);
        std::size_t next = 0, err = 0;
        for (std::int64_t n = 0; n <= errors.back().step; ++n) {
            x *= m_decay;
            for (; next < events.size() && events[next].first == n; ++next)
                x[events[next].second] += 1.0;
            for (; err < errors.size() && errors[err].step == n; ++err)
                delta.row(errors[err].neuron) += (rate * errors[err].value * (m_nonHebbian + x)).matrix().transpose();
        }
        return g;
    }

    std::vector<bool> trainedLayers(const Network& network) const override { return outputLayerOnly(network); }

private:
    double m_decay;      // e^{−dt/τ}
    double m_nonHebbian; // a
};

} // namespace

RuleInfo resumeRuleInfo()
{
    RuleInfo info;
    info.key = "resume";
    info.name = "ReSuMe";
    info.citation = "Ponulak & Kasiński, Neural Computation 22(2) (2010) 467–510";
    info.summary = "Remote supervision: Δw = η Σ e[n]·(a + Σ e^{−s/τ} over earlier input spikes), output layer only";

    // Built like the structs' schemas (designated initializers): assigning short literals member
    // by member trips GCC 12's bogus -Wrestrict/-Wmaybe-uninitialized in std::string.
    const FieldInfo a{.key = nonHebbianKey,
                      .label = "a",
                      .defaultValue = 0.0,
                      .help = "Non-Hebbian term (dimensionless): every error instant moves every weight by η·a"};
    const FieldInfo tau{.key = tauKey,
                        .label = "τ",
                        .unit = "s",
                        .minimum = 0,
                        .minimumExclusive = true,
                        .defaultValue = 5e-3,
                        .help = "Learning window: input spikes this long before an error count by 1/e",
                        .displayScale = 1e3,
                        .displayUnit = "ms"};
    info.parameters = {a, tau};

    info.create = [](const Network&, const SimulationParams& sim, const FieldValues& values) {
        return std::make_unique<ResumeRule>(sim, realValue(values, nonHebbianKey), realValue(values, tauKey));
    };
    info.describeVariant = [](const FieldValues& values) {
        std::ostringstream s;
        s << "ReSuMe (a = " << realValue(values, nonHebbianKey) << ", τ = " << realValue(values, tauKey) * 1e3
          << " ms)";
        return s.str();
    };
    return info;
}

} // namespace normad
