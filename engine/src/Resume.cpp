#include "normad/NormadRule.h"

#include "normad/Kernels.h"

#include <algorithm>

namespace normad {

PatternGradient resumeUpdate(const Network& network, const SimulationRecord& record,
                             const std::vector<StepTrain>& desired, const SimulationParams& sim,
                             const TrainingParams& params, double rateScale)
{
    // ReSuMe: dw/dt = [S_d(t) − S_o(t)]·[a + ∫₀^∞ W(s) S_in(t − s) ds], W(s) = e^{−s/τ} (A absorbed in η).
    // On the grid: Δw_oi = η Σ_n e_o[n]·(a + x_i[n]), x_i[n] = Σ_{t_s ≤ t_n} e^{−(t_n − t_s)/τ}
    // (a presynaptic spike in the error's own step counts with W(0) = 1).
    const int L = network.layerCount();
    PatternGradient g;
    for (int l = 1; l <= L; ++l)
        g.deltas.emplace_back(Eigen::MatrixXd::Zero(network.populationSize(l), network.populationSize(l - 1)));
    g.errors.resize(static_cast<std::size_t>(L));
    std::vector<ErrorEntry>& errors = g.errors[static_cast<std::size_t>(L - 1)];
    errors = NormadRule::outputErrors(desired, record.layers[static_cast<std::size_t>(L)].spikes);
    if (errors.empty() || !network.layer(L).trainable)
        return g;

    const LayerActivity& pre = record.layers[static_cast<std::size_t>(L - 1)];
    const int n_pre = network.populationSize(L - 1);
    std::vector<std::pair<std::int64_t, int>> events;
    for (std::size_t j = 0; j < pre.spikes.size(); ++j)
        for (std::int64_t n : pre.spikes[j])
            events.emplace_back(n, static_cast<int>(j));
    std::sort(events.begin(), events.end());

    const double decay = kernels::decay(params.resumeTau, sim.dt);
    const double rate = network.layer(L).learningRate * rateScale;
    Eigen::ArrayXd x = Eigen::ArrayXd::Zero(n_pre);
    Eigen::MatrixXd& delta = g.deltas[static_cast<std::size_t>(L - 1)];
    std::size_t next = 0, err = 0;
    for (std::int64_t n = 0; n <= errors.back().step; ++n) {
        x *= decay;
        for (; next < events.size() && events[next].first == n; ++next)
            x[events[next].second] += 1.0;
        for (; err < errors.size() && errors[err].step == n; ++err)
            delta.row(errors[err].neuron) += (rate * errors[err].value * (params.resumeNonHebbian + x)).matrix().transpose();
    }
    return g;
}

} // namespace normad
