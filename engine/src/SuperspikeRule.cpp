// SuperSpike (Zenke & Ganguli 2018, Neural Computation 30(6) 1514–1541): a surrogate-gradient rule for
// precise spike timing in multi-layer networks, the multi-layer baseline NormAD is compared with. This
// file is the whole rule — its class, its settings' description and its registry entry (RuleRegistry.cpp).
//
// The equations on our grid (t_n = n·dt, n = 0 … N−1; docs/engine.md "SuperSpike"):
//
//   α(t)       = c·(e^{−t/τd} − e^{−t/τr}), t ≥ 0, c = 1/max_t(e^{−t/τd} − e^{−t/τr}) (peak 1, dimensionless)
//   e_i[n]     = Σ_{t̂ ≤ n} α((n − t̂)·dt) − Σ_{s ≤ n} α((n − s)·dt)      output error: α ∗ (S_i^target − S_i)
//   E^L = e;  E^l_k[n] = Σ_i W^{l+1}_{ik} E^{l+1}_i[n]                   symmetric feedback (the paper's
//                                                                        "symmetric" variant, its eq. for e_k)
//   σ′_i[n]    = (1 + β·|U_i[n] − ϑ|)^{−2}, U_i[n] = V_i(t_n) as recorded, ϑ = the layer's VT
//   P_j[n]     = ∂V/∂w of a synapse from j (ε ∗ S_j): the spec's membrane-filtered trace with τL,
//                P[n] = P[n−1]·e^{−dt/τL} + I0·(a_j[n] − b_j[n])·dt/C (a, b the synapse's traces, spec §1.3)
//   λ_ij[n]    = Σ_{m ≤ n} α((n − m)·dt)·σ′_i[m]·P_j[m]·dt                eligibility trace α ∗ (σ′·(ε ∗ S_j))
//   g_ij       = Σ_n E_i[n]·λ_ij[n]·dt                                     ∫ e_i λ_ij dt
//   compute():   ΔW = r_l·rateScale·g    (the plain step; what the inspector shows)
//   adaptUpdate: v ← max(γ·v, g²),  ΔW = r_l·rateScale·g / √(v + ε)        RMaxProp, r0 = r_l
//
// Units: U, ϑ in volts, β in 1/V (the paper's 1 mV⁻¹ = 1000 V⁻¹), times in seconds (the paper's 5 and
// 10 ms), P in V/A, λ in V·s/A, g in V·s²/A, v and ε in (V·s²/A)² at the output layer; each layer
// further down multiplies E, g by amperes (the feedback weights), so ε (1e-30) is chosen far below g² of
// every layer and only guards 0/0, its role in the paper. r0 is the layer's learning rate r_l
// (amperes, like every rule here): the paper's weights are dimensionless, ours are amperes, so its r0
// becomes r_l; a second rate field would be a duplicate of r_l.
//
// Readings where the paper leaves room (docs/engine.md says the same):
//  * e = α ∗ (S^target − S) uses the same double-exponential α as the eligibility trace, as the paper and
//    its published simulation code do (τr = 5 ms, τd = 10 ms); we scale α to peak 1.
//  * Hidden errors go through the transposed forward weights unfiltered by σ′ (the paper's symmetric
//    feedback; deeper layers repeat it, as the authors' code chains its error connections).
//  * g is one update's ∫ e λ dt: online one trial, in batch modes the batch's sum (the trainer adds
//    compute()'s steps and adaptUpdate() sees the sum), the paper's "per-trial" estimate.
//  * The sum over n is evaluated backwards (g = dt²·Σ_m ẽ_i[m]·σ′_i[m]·P_j[m], ẽ = α-correlated error),
//    which is the same finite sum as the forward λ form above, reordered.

#include "normad/Kernels.h"
#include "normad/LearningRule.h"
#include "normad/TextFormat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace normad {

namespace {

/// "= v" or, when v has more than six significant digits (γ's default e^(−1/60)), "≈ v" rounded to six:
/// a summary line is read, not parsed; the project file keeps every digit.
std::string aboutSix(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    const double rounded = std::strtod(text, nullptr);
    return (rounded == v ? "= " : "≈ ") + formatShortest(rounded);
}

constexpr const char* betaKey = "beta_perV";
constexpr const char* tauRiseKey = "tauRise_s";
constexpr const char* tauDecayKey = "tauDecay_s";
constexpr const char* gammaKey = "gamma";
constexpr const char* epsilonKey = "epsilon";

/// SuperSpike's settings, checked.
struct SuperspikeSettings {
    double beta = 1e3;       // 1/V
    double tauRise = 5e-3;   // s
    double tauDecay = 10e-3; // s
    double gamma = 0;        // RMaxProp decay per update
    double epsilon = 0;      // (V·s²/A)²
};

class SuperspikeRule : public LearningRule {
public:
    SuperspikeRule(const SimulationParams& sim, const SuperspikeSettings& s)
        : m_sim(sim), m_s(s), m_decayD(kernels::decay(s.tauDecay, sim.dt)), m_decayR(kernels::decay(s.tauRise, sim.dt))
    {
        // Peak of e^{−t/τd} − e^{−t/τr} at t* = τdτr/(τd − τr)·ln(τd/τr).
        const double t = s.tauDecay * s.tauRise / (s.tauDecay - s.tauRise) * std::log(s.tauDecay / s.tauRise);
        m_alphaScale = 1.0 / (std::exp(-t / s.tauDecay) - std::exp(-t / s.tauRise));
    }

    PatternGradient compute(const Network& network, const SimulationRecord& record,
                            const std::vector<StepTrain>& desired, double rateScale,
                            const CancelFlag* cancel) const override
    {
        const int L = network.layerCount();
        PatternGradient g = zeroGradient(network, record, desired);
        const std::vector<bool> trained = trainedLayers(network);
        bool any = false;
        for (bool t : trained)
            any = any || t;
        if (g.error(L).empty() || !any)
            return g;

        // U of every trained layer: the record's, or a second pass that records them (the same spikes:
        // the simulation is deterministic).
        SimulationRecord withMembranes;
        const SimulationRecord* source = &record;
        if (!hasMembranes(network, record, trained)) {
            RecordRequest request;
            request.maxBytes = std::numeric_limits<double>::infinity();
            for (int l = 1; l <= L; ++l)
                if (trained[static_cast<std::size_t>(l - 1)])
                    request.wholeLayers.push_back(l);
            withMembranes = Simulator(network, m_sim).runSteps(record.activity(0).spikes, request, cancel);
            if (withMembranes.status == SimulationStatus::Cancelled) {
                g.cancelled = true;
                return g;
            }
            source = &withMembranes;
        }

        const std::int64_t N = record.steps;
        const double dt = m_sim.dt;
        // E^L[n] (rows n, columns output neurons), then down the layers through the transposed weights.
        Eigen::MatrixXd error = outputError(desired, record.activity(L).spikes, N);
        for (int l = L; l >= 1; --l) {
            if (cancelled(cancel)) {
                g.cancelled = true;
                return g;
            }
            if (trained[static_cast<std::size_t>(l - 1)]) {
                const LifParams& neuron = network.layer(l).neuron;
                // ẽ_i[m] = Σ_{k ≥ 0} α(k·dt)·E_i[m + k], by two backward exponential sweeps.
                const Eigen::Index size = network.populationSize(l);
                Eigen::MatrixXd q(N, size);
                for (Eigen::Index i = 0; i < size; ++i) {
                    const std::vector<double>& u = source->membrane(l, static_cast<int>(i))->volts;
                    double fd = 0, fr = 0;
                    for (std::int64_t m = N - 1; m >= 0; --m) {
                        fd = fd * m_decayD + error(m, i);
                        fr = fr * m_decayR + error(m, i);
                        q(m, i) =
                            m_alphaScale * (fd - fr) * surrogate(u[static_cast<std::size_t>(m)], neuron.threshold);
                    }
                }
                const Eigen::MatrixXd p = membraneTraces(network, l, record.activity(l - 1).spikes, N);
                g.delta(l) = (network.layer(l).learningRate * rateScale * dt * dt) * (q.transpose() * p);
            }
            if (l > 1)
                error = error * network.weights(l); // E^{l−1}[n] = (W^l)ᵀ E^l[n], as rows
        }
        return g;
    }

    std::vector<bool> trainedLayers(const Network& network) const override
    {
        std::vector<bool> trained;
        for (int l = 1; l <= network.layerCount(); ++l)
            trained.push_back(network.layer(l).trainable);
        return trained;
    }

    bool hasUpdateState() const override { return true; }

    void adaptUpdate(const Network& network, int layer, double rateScale, Eigen::MatrixXd& delta,
                     Eigen::MatrixXd& state) const override
    {
        if (state.rows() != delta.rows() || state.cols() != delta.cols())
            state = Eigen::MatrixXd::Zero(delta.rows(), delta.cols());
        const double rate = network.layer(layer).learningRate * rateScale;
        if (rate == 0) // nothing moves, and g cannot be recovered from a zero step
            return;
        for (Eigen::Index k = 0; k < delta.size(); ++k) {
            const double gradient = delta(k) / rate;
            state(k) = std::max(m_s.gamma * state(k), gradient * gradient);
            delta(k) = rate * gradient / std::sqrt(state(k) + m_s.epsilon);
        }
    }

    /// σ′(U) = (1 + β|U − ϑ|)^{−2}.
    double surrogate(double u, double threshold) const
    {
        const double x = 1.0 + m_s.beta * std::abs(u - threshold);
        return 1.0 / (x * x);
    }

private:
    static bool hasMembranes(const Network& network, const SimulationRecord& record, const std::vector<bool>& trained)
    {
        for (int l = 1; l <= network.layerCount(); ++l)
            if (trained[static_cast<std::size_t>(l - 1)])
                for (int i = 0; i < network.populationSize(l); ++i) {
                    const MembraneTrace* t = record.membrane(l, i);
                    if (!t || static_cast<std::int64_t>(t->volts.size()) < record.steps)
                        return false;
                }
        return true;
    }

    /// e[n] (rows n, columns output neurons): α ∗ (desired − actual) by two forward exponential traces.
    Eigen::MatrixXd outputError(const std::vector<StepTrain>& desired, const std::vector<StepTrain>& actual,
                                std::int64_t N) const
    {
        const auto outputs = static_cast<Eigen::Index>(actual.size());
        Eigen::MatrixXd impulses = Eigen::MatrixXd::Zero(N, outputs);
        for (Eigen::Index o = 0; o < outputs; ++o) {
            for (std::int64_t n : desired[static_cast<std::size_t>(o)])
                if (n >= 0 && n < N)
                    impulses(n, o) += 1.0;
            for (std::int64_t n : actual[static_cast<std::size_t>(o)])
                impulses(n, o) -= 1.0;
        }
        Eigen::MatrixXd e(N, outputs);
        for (Eigen::Index o = 0; o < outputs; ++o) {
            double xd = 0, xr = 0;
            for (std::int64_t n = 0; n < N; ++n) {
                xd = xd * m_decayD + impulses(n, o);
                xr = xr * m_decayR + impulses(n, o);
                e(n, o) = m_alphaScale * (xd - xr);
            }
        }
        return e;
    }

    /// P_j[n] of population l−1 onto layer l (rows n, columns j), V/A per unit weight.
    Eigen::MatrixXd membraneTraces(const Network& network, int l, const std::vector<StepTrain>& spikes,
                                   std::int64_t N) const
    {
        const SynapseParams& syn = network.synapse();
        const LifParams& neuron = network.layer(l).neuron;
        const double decay1 = kernels::decay(syn.tauDecay, m_sim.dt), decay2 = kernels::decay(syn.tauRise, m_sim.dt);
        const double decayL = kernels::decay(neuron.membraneTimeConstant(), m_sim.dt);
        const double gain = syn.amplitude * m_sim.dt / neuron.capacitance;
        const auto size = static_cast<Eigen::Index>(spikes.size());
        Eigen::MatrixXd counts = Eigen::MatrixXd::Zero(N, size);
        for (Eigen::Index j = 0; j < size; ++j)
            for (std::int64_t n : spikes[static_cast<std::size_t>(j)])
                if (n >= 0 && n < N)
                    counts(n, j) += 1.0;
        Eigen::MatrixXd p(N, size);
        for (Eigen::Index j = 0; j < size; ++j) {
            double a = 0, b = 0, d = 0;
            for (std::int64_t n = 0; n < N; ++n) {
                a = a * decay1 + counts(n, j);
                b = b * decay2 + counts(n, j);
                d = d * decayL + gain * (a - b);
                p(n, j) = d;
            }
        }
        return p;
    }

    SimulationParams m_sim;
    SuperspikeSettings m_s;
    double m_decayD, m_decayR; // e^{−dt/τd}, e^{−dt/τr}
    double m_alphaScale = 1;   // c: α's peak is 1
};

SuperspikeSettings settingsFrom(const FieldValues& values)
{
    SuperspikeSettings s;
    s.beta = realValue(values, betaKey);
    s.tauRise = realValue(values, tauRiseKey);
    s.tauDecay = realValue(values, tauDecayKey);
    s.gamma = realValue(values, gammaKey);
    s.epsilon = realValue(values, epsilonKey);
    // The one check across fields: α needs a rise faster than its decay (FieldInfo checks each alone).
    if (!(s.tauRise < s.tauDecay))
        throw std::invalid_argument("training.rules.superspike." + std::string(tauRiseKey) + ": must be less than " +
                                    tauDecayKey + " (" + formatShortest(s.tauDecay) + ") (got " +
                                    formatShortest(s.tauRise) + ")");
    return s;
}

} // namespace

RuleInfo superspikeRuleInfo()
{
    RuleInfo info;
    info.key = "superspike";
    info.name = "SuperSpike";
    info.citation = "Zenke & Ganguli, SuperSpike: Supervised learning in multilayer spiking neural networks, "
                    "Neural Computation 30(6) (2018) 1514–1541";
    info.summary = "Surrogate gradient: Δw = r ∫ e·α∗(σ′(U)·ε∗S) dt, α-filtered error, symmetric feedback to hidden "
                   "layers, RMaxProp per-weight rates";
    info.trainsHiddenLayers = true;

    // Built like the structs' schemas (designated initializers; see ResumeRule.cpp).
    const FieldInfo beta{.key = betaKey,
                         .label = "β",
                         .unit = "1/V",
                         .minimum = 0,
                         .minimumExclusive = true,
                         .defaultValue = 1e3,
                         .help = "Steepness of the surrogate σ′(U) = (1 + β|U − ϑ|)⁻² (paper: 1 mV⁻¹)",
                         .displayScale = 1e-3,
                         .displayUnit = "1/mV"};
    const FieldInfo tauRise{.key = tauRiseKey,
                            .label = "τrise of α",
                            .unit = "s",
                            .minimum = 0,
                            .minimumExclusive = true,
                            .defaultValue = 5e-3,
                            .help = "Rise time of the double-exponential α filtering error and eligibility "
                                    "(paper: 5 ms; must be below τdecay)",
                            .displayScale = 1e3,
                            .displayUnit = "ms"};
    const FieldInfo tauDecay{.key = tauDecayKey,
                             .label = "τdecay of α",
                             .unit = "s",
                             .minimum = 0,
                             .minimumExclusive = true,
                             .defaultValue = 10e-3,
                             .help = "Decay time of α (paper: 10 ms)",
                             .displayScale = 1e3,
                             .displayUnit = "ms"};
    // γ = e^{−Δ/τrms} with the authors' Δ = 0.5 s between updates and τrms = 30 s; here it is per update.
    const FieldInfo gamma{.key = gammaKey,
                          .label = "γ",
                          .minimum = 0,
                          .maximum = 1,
                          .defaultValue = std::exp(-0.5 / 30.0),
                          .help =
                              "RMaxProp: v ← max(γv, g²) at every update (e^{−0.5 s/30 s} as in the authors' code)"};
    const FieldInfo epsilon{.key = epsilonKey,
                            .label = "ε",
                            .unit = "(V·s²/A)²",
                            .minimum = 0,
                            .minimumExclusive = true,
                            .defaultValue = 1e-30,
                            .help =
                                "RMaxProp: r = r0/√(v + ε); only guards against 0/0 (g² is ~1e-2…1e6 at the output, "
                                "~1e-20…1e-12 one layer down: the feedback carries the weights' amperes)"};
    info.parameters = {beta, tauRise, tauDecay, gamma, epsilon};

    info.create = [](const Network&, const SimulationParams& sim, const FieldValues& values) {
        return std::make_unique<SuperspikeRule>(sim, settingsFrom(values));
    };
    info.describeVariant = [](const FieldValues& values) {
        std::ostringstream s;
        s << "SuperSpike (symmetric feedback, β = " << formatShortest(realValue(values, betaKey) * 1e-3) << "/mV, α "
          << formatShortest(realValue(values, tauRiseKey) * 1e3) << "/"
          << formatShortest(realValue(values, tauDecayKey) * 1e3) << " ms, γ " << aboutSix(realValue(values, gammaKey))
          << ")";
        return s.str();
    };
    return info;
}

} // namespace normad
