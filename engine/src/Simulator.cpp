#include "normad/Simulator.h"

#include "normad/Kernels.h"
#include "normad/NormadRule.h"

#include "EventStep.h"
#include "Validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace normad {

std::int64_t LayerActivity::totalSpikes() const
{
    std::int64_t n = 0;
    for (const auto& s : spikes)
        n += static_cast<std::int64_t>(s.size());
    return n;
}

const MembraneTrace* SimulationRecord::membrane(int layer, int neuron) const
{
    for (const auto& m : membranes)
        if (m.layer == layer && m.neuron == neuron)
            return &m;
    return nullptr;
}

namespace {

/// The spikes of a population by step, in neuron order within a step (the fixed summation order):
/// neurons[first[n] … first[n+1]) spiked at step n. A counting sort: linear in spikes and steps, 4 bytes
/// a step (32-bit offsets, and no second array of cursors).
struct StepEvents {
    std::vector<std::uint32_t> first;
    std::vector<int> neurons;
    std::size_t size() const { return neurons.size(); }
};

StepEvents eventsByStep(const LayerActivity& population, std::int64_t steps)
{
    StepEvents e;
    std::size_t total = 0;
    for (const StepTrain& train : population.spikes)
        total += train.size();
    if (total > std::numeric_limits<std::uint32_t>::max())
        throw std::runtime_error("more than 2^32 spikes of one population in one trial");
    e.first.assign(static_cast<std::size_t>(steps) + 1, 0);
    for (const StepTrain& train : population.spikes)
        for (std::int64_t n : train)
            ++e.first[static_cast<std::size_t>(n) + 1];
    for (std::size_t n = 1; n < e.first.size(); ++n)
        e.first[n] += e.first[n - 1];
    e.neurons.resize(e.first.back());
    // first[n] serves as step n's cursor; once filled it holds step n + 1's start, so shift back.
    for (std::size_t j = 0; j < population.spikes.size(); ++j)
        for (std::int64_t n : population.spikes[j])
            e.neurons[e.first[static_cast<std::size_t>(n)]++] = static_cast<int>(j);
    for (std::size_t n = e.first.size() - 1; n > 0; --n)
        e.first[n] = e.first[n - 1];
    e.first[0] = 0;
    return e;
}

// The one-step map shared by both integrators, linear in the synaptic state:
//   V(t_{n+1}) − EL = ρ·(V(t_n) − EL) + κa·A_n − κb·B_n,
// A_n = Σ_j w_ij a_j(t_n), B_n = Σ_j w_ij b_j(t_n), current I(t) = I0·(A e^{−(t−t_n)/τ1} − B e^{−(t−t_n)/τ2}).
//  Exact: ρ = e^{−dt/τL}, κx = (I0/C)∫₀^dt e^{−s/τx}e^{−(dt−s)/τL} ds (the traces keep decaying in the step).
//  Heun with I held at I(t_n): k1 = −(V−EL)/τL + I/C, k2 = k1(1 − h), V += dt(k1+k2)/2, h = dt/τL, so
//  ρ = 1 − h(1 − h/2) and κa = κb = I0·dt(1 − h/2)/C.
struct StepMap {
    double rho, kappaA, kappaB;
};

StepMap stepMap(const LifParams& p, const SynapseParams& s, const SimulationParams& sim)
{
    const double tauL = p.membraneTimeConstant();
    if (sim.integrator == Integrator::Exact)
        return {std::exp(-sim.dt / tauL),
                s.amplitude / p.capacitance * kernels::expConvolution(s.tauDecay, tauL, sim.dt),
                s.amplitude / p.capacitance * kernels::expConvolution(s.tauRise, tauL, sim.dt)};
    const double h = sim.dt / tauL;
    const double kappa = s.amplitude * sim.dt * (1.0 - h / 2) / p.capacitance;
    return {1.0 - h * (1.0 - h / 2), kappa, kappa};
}

// Threshold, reset and refractory bookkeeping of one layer, shared by both drive formulations.
class LayerState {
public:
    LayerState(const LifParams& p, const SimulationParams& sim, int size, LayerActivity& out)
        : m_p(p),
          m_refractorySteps(static_cast<int>(std::llround(p.refractoryPeriod / sim.dt))),
          m_v(Eigen::ArrayXd::Constant(size, p.restPotential)),
          m_refractory(static_cast<std::size_t>(size), 0),
          m_out(out)
    {
        m_out.spikes.assign(static_cast<std::size_t>(size), {});
        m_out.currents.assign(static_cast<std::size_t>(size), {});
    }

    Eigen::ArrayXd& v() { return m_v; }

    /// After V has been advanced over step n. `current(i)` gives I(t_n) of neuron i.
    /// Returns the index of a neuron whose V is not finite, or −1.
    template <typename Current> int settle(std::int64_t n, Current current)
    {
        const double el = m_p.restPotential, vt = m_p.threshold;
        for (Eigen::Index i = 0; i < m_v.size(); ++i) {
            int& refractory = m_refractory[static_cast<std::size_t>(i)];
            if (refractory > 0) {
                --refractory;
                m_v[i] = el;
                continue;
            }
            double v = m_v[i];
            if (!std::isfinite(v))
                return static_cast<int>(i);
            if (m_p.clampAtRest && v < el)
                v = el;
            if (v >= vt) {
                m_out.spikes[static_cast<std::size_t>(i)].push_back(n);
                m_out.currents[static_cast<std::size_t>(i)].push_back(current(i));
                v = el;
                refractory = m_refractorySteps;
            }
            m_v[i] = v;
        }
        return -1;
    }

private:
    const LifParams& m_p;
    int m_refractorySteps;
    Eigen::ArrayXd m_v;
    std::vector<int> m_refractory;
    LayerActivity& m_out;
};

} // namespace

namespace eventstep {

struct SpikeSink {
    LayerActivity& out;
    std::int64_t step; ///< the current step
};

bool settleCandidate(const Constants& c, LayerArrays& s, SpikeSink& sink, std::size_t i, double v)
{
    if (!std::isfinite(v))
        return false;
    if (c.clampAtRest && v < c.el)
        v = c.el;
    if (v >= c.vt) {
        sink.out.spikes[i].push_back(sink.step);
        sink.out.currents[i].push_back(c.amplitude * (s.a[i] - s.b[i]));
        v = c.el;
        s.held[i] = c.refractorySteps;
    }
    s.v[i] = v;
    return true;
}

} // namespace eventstep

namespace {

/// The widest event-driven step this processor runs (EventStep.h). NORMAD_SIMD=scalar|baseline|avx2
/// forces a narrower one: the tests run every path (tests/engine/CMakeLists.txt).
eventstep::StepFunction chooseEventStep()
{
    const char* forced = std::getenv("NORMAD_SIMD");
    const std::string choice = forced ? forced : "";
    if (choice == "scalar")
        return &eventstep::stepScalar;
#if defined(NORMAD_EVENTSTEP_AVX512)
    if (choice != "baseline" && choice != "avx2" && __builtin_cpu_supports("avx512f"))
        return &eventstep::stepAvx512;
#endif
#if defined(NORMAD_EVENTSTEP_AVX2)
    if (choice != "baseline" && __builtin_cpu_supports("avx2"))
        return &eventstep::stepAvx2;
#endif
#if defined(NORMAD_EVENTSTEP_VECTOR)
    return &eventstep::stepVectorAny;
#else
    return &eventstep::stepScalar;
#endif
}

eventstep::StepFunction eventStep()
{
    static const eventstep::StepFunction chosen = chooseEventStep();
    return chosen;
}

using SweepFunction = void (*)(double*, double*, double*, std::size_t, double, double, double, double);

void sweepStepBaseline(double* a, double* b, double* d, std::size_t n, double e1, double e2, double e, double gain)
{
    eventstep::sweepLoop(a, b, d, n, e1, e2, e, gain);
}

/// The d̂ sweep's step for the same instruction set as the event-driven step.
SweepFunction chooseSweepStep()
{
#if defined(NORMAD_EVENTSTEP_AVX512)
    if (eventStep() == &eventstep::stepAvx512)
        return &eventstep::sweepStepAvx512;
#endif
#if defined(NORMAD_EVENTSTEP_AVX2)
    if (eventStep() == &eventstep::stepAvx2)
        return &eventstep::sweepStepAvx2;
#endif
    return &sweepStepBaseline;
}

struct Probe {
    int neuron;
    MembraneTrace* trace;
};

void recordProbes(const std::vector<Probe>& probes, const Eigen::ArrayXd& v, std::int64_t n)
{
    for (const Probe& p : probes)
        p.trace->volts[static_cast<std::size_t>(n)] = v[p.neuron];
}

std::string nonFiniteMessage(int layer, int neuron, std::int64_t n, double dt)
{
    std::ostringstream s;
    s << "layer " << layer << ", neuron " << neuron << ": membrane potential became non-finite at t = " << n * dt
      << " s (weights too large?)";
    return s.str();
}

constexpr std::int64_t denseChunkSteps = 256;

// How many times faster a multiply-add runs inside Eigen's GEMM than in the event-driven column
// adds, measured with bench_engine's crossover sweep (docs/benchmarks.md): the formulations cross
// at ≈0.4 presynaptic spikes per step on a 1000 → 500 layer (SSE2 build; about 2.6× more with AVX2).
constexpr double gemmSpeedup = 2.5;

// Steps per dense chunk. The cancel flag is polled between chunks and one chunk's product costs
// len·n_pre·n_post multiply-adds, so large layers get shorter chunks: at most ~2^23 multiply-adds
// (a few ms) per chunk keeps a stop within milliseconds (Cancellation.h); 256 steps otherwise.
std::int64_t denseChunkLength(int nPre, int nPost)
{
    const double pairs = std::max(1.0, static_cast<double>(nPre) * static_cast<double>(nPost));
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(8388608.0 / pairs), 16, denseChunkSteps);
}

} // namespace

Simulator::Simulator(const Network& network, const SimulationParams& sim) : m_network(network), m_sim(sim)
{
    m_sim.validate();
}

double Simulator::recordingBytes(const Network& network, const SimulationParams& sim, const RecordRequest& record)
{
    double neurons = static_cast<double>(record.probes.size());
    for (int l : record.wholeLayers)
        if (network.layerNumbers().contains(l))
            neurons += network.populationSize(l);
    return neurons * static_cast<double>(sim.steps()) * sizeof(double);
}

SimulationRecord Simulator::run(const SpikeRaster& inputs, const RecordRequest& record, const CancelFlag* cancel) const
{
    std::vector<StepTrain> steps;
    steps.reserve(inputs.size());
    for (const auto& train : inputs)
        steps.push_back(toSteps(train, m_sim.dt));
    return runSteps(steps, record, cancel);
}

SimulationRecord Simulator::runSteps(const std::vector<StepTrain>& inputs, const RecordRequest& record,
                                     const CancelFlag* cancel) const
{
    const Network& net = m_network;
    const std::int64_t steps = m_sim.steps();
    if (static_cast<int>(inputs.size()) != net.inputCount())
        throw std::invalid_argument("simulation: got " + std::to_string(inputs.size()) + " input trains for " +
                                    std::to_string(net.inputCount()) + " input neurons");
    for (std::size_t j = 0; j < inputs.size(); ++j)
        for (std::int64_t n : inputs[j])
            if (n < 0 || n >= steps)
                throw std::invalid_argument("simulation: input " + std::to_string(j) + " has a spike at step " +
                                            std::to_string(n) + ", outside the trial (0 … " +
                                            std::to_string(steps - 1) + ")");
    const double bytes = recordingBytes(net, m_sim, record);
    if (bytes > record.maxBytes) {
        std::ostringstream s;
        s.precision(3);
        s << "simulation: recording these membrane potentials would take " << bytes / (1024.0 * 1024)
          << " MiB, more than the " << record.maxBytes / (1024.0 * 1024)
          << " MiB limit; record fewer neurons or a shorter trial";
        throw std::invalid_argument(s.str());
    }

    SimulationRecord rec;
    rec.steps = steps;
    rec.dt = m_sim.dt;
    rec.layers.resize(static_cast<std::size_t>(net.layerCount() + 1));
    rec.activity(0).spikes = inputs;
    rec.activity(0).currents.assign(inputs.size(), {});

    // Membrane traces, grouped by layer.
    for (const auto& p : record.probes) {
        if (!net.layerNumbers().contains(p.layer) || p.neuron < 0 || p.neuron >= net.populationSize(p.layer))
            throw std::invalid_argument("simulation: no neuron " + std::to_string(p.neuron) + " in layer " +
                                        std::to_string(p.layer) + " to record");
        if (!rec.membrane(p.layer, p.neuron))
            rec.membranes.push_back({p.layer, p.neuron, std::vector<double>(static_cast<std::size_t>(steps))});
    }
    for (int l : record.wholeLayers) {
        if (!net.layerNumbers().contains(l))
            throw std::invalid_argument("simulation: no layer " + std::to_string(l) + " to record");
        for (int i = 0; i < net.populationSize(l); ++i)
            if (!rec.membrane(l, i))
                rec.membranes.push_back({l, i, std::vector<double>(static_cast<std::size_t>(steps))});
    }

    const SynapseParams& syn = net.synapse();
    const double e1 = kernels::decay(syn.tauDecay, m_sim.dt);
    const double e2 = kernels::decay(syn.tauRise, m_sim.dt);

    for (int l : net.layerNumbers()) {
        const LifParams& p = net.layer(l).neuron;
        const Eigen::MatrixXd& w = net.weights(l);
        const int n_post = net.populationSize(l), n_pre = net.populationSize(l - 1);
        const StepMap map = stepMap(p, syn, m_sim);
        const LayerActivity& pre = rec.activity(l - 1);
        LayerState state(p, m_sim, n_post, rec.activity(l));
        std::vector<Probe> probes;
        for (auto& m : rec.membranes)
            if (m.layer == l)
                probes.push_back({m.neuron, &m});
        const StepEvents events = eventsByStep(pre, steps);

        // Choose the drive formulation: event-driven costs ~2 per spike·fan-out plus the trace
        // decays; dense costs a matrix product over the trial (fast per flop, but every pair).
        bool dense = m_sim.driveMode == DriveMode::Dense;
        if (m_sim.driveMode == DriveMode::Auto) {
            const double eventCost = 2.0 * static_cast<double>(events.size()) * n_post + 4.0 * steps * n_post;
            const double denseCost =
                2.0 * steps * static_cast<double>(n_pre) * n_post / gemmSpeedup + 6.0 * steps * n_pre;
            dense = denseCost < eventCost;
        }

        const double el = p.restPotential;
        Eigen::ArrayXd& v = state.v();
        if (!dense) {
            // State in plain arrays; LayerState's rules, fused into one pass (eventStepVector).
            const auto size = static_cast<std::size_t>(n_post);
            std::vector<double> traceA(size, 0.0), traceB(size, 0.0), volts(size, el), held(size, 0.0);
            eventstep::LayerArrays s{traceA.data(), traceB.data(), volts.data(), held.data(), size};
            LayerActivity& out = rec.activity(l); // sized by LayerState
            const eventstep::Constants c{e1,
                                         e2,
                                         map.rho,
                                         map.kappaA,
                                         map.kappaB,
                                         el,
                                         p.threshold,
                                         static_cast<double>(std::llround(p.refractoryPeriod / m_sim.dt)),
                                         syn.amplitude,
                                         p.clampAtRest};
            const eventstep::StepFunction step = eventStep();
            std::vector<const double*> cols;
            for (std::int64_t n = 0; n < steps; ++n) {
                if (n % cancelPollSteps == 0 && cancelled(cancel)) {
                    rec.status = SimulationStatus::Cancelled;
                    rec.message = "cancelled";
                    return rec;
                }
                cols.clear();
                for (std::uint32_t k = events.first[static_cast<std::size_t>(n)];
                     k < events.first[static_cast<std::size_t>(n) + 1]; ++k)
                    cols.push_back(w.col(events.neurons[k]).data());
                for (const Probe& probe : probes)
                    probe.trace->volts[static_cast<std::size_t>(n)] = s.v[static_cast<std::size_t>(probe.neuron)];
                eventstep::SpikeSink sink{out, n};
                const int bad = step(c, s, cols.data(), static_cast<int>(cols.size()), sink);
                if (bad >= 0) {
                    rec.status = SimulationStatus::NonFinite;
                    rec.message = nonFiniteMessage(l, bad, n, m_sim.dt);
                    return rec;
                }
            }
        } else {
            // Presynaptic traces per chunk of steps: drive = (κa·a − κb·b)·Wᵀ in one product.
            Eigen::VectorXd a = Eigen::VectorXd::Zero(n_pre), b = Eigen::VectorXd::Zero(n_pre);
            const std::int64_t chunk = denseChunkLength(n_pre, n_post);
            Eigen::MatrixXd traces(chunk, n_pre), diff(chunk, n_pre), drive;
            for (std::int64_t start = 0; start < steps; start += chunk) {
                if (cancelled(cancel)) {
                    rec.status = SimulationStatus::Cancelled;
                    rec.message = "cancelled";
                    return rec;
                }
                const std::int64_t len = std::min(chunk, steps - start);
                for (std::int64_t s = 0; s < len; ++s) {
                    a *= e1;
                    b *= e2;
                    const auto n = static_cast<std::size_t>(start + s);
                    for (std::uint32_t k = events.first[n]; k < events.first[n + 1]; ++k) {
                        a[events.neurons[k]] += 1.0;
                        b[events.neurons[k]] += 1.0;
                    }
                    traces.row(s) = (map.kappaA * a - map.kappaB * b).transpose();
                    diff.row(s) = (a - b).transpose();
                }
                drive.noalias() = traces.topRows(len) * w.transpose();
                for (std::int64_t s = 0; s < len; ++s) {
                    const std::int64_t n = start + s;
                    recordProbes(probes, v, n);
                    v = el + map.rho * (v - el) + drive.row(s).transpose().array();
                    const int bad =
                        state.settle(n, [&](Eigen::Index i) { return syn.amplitude * w.row(i).dot(diff.row(s)); });
                    if (bad >= 0) {
                        rec.status = SimulationStatus::NonFinite;
                        rec.message = nonFiniteMessage(l, bad, n, m_sim.dt);
                        return rec;
                    }
                }
            }
        }
    }
    return rec;
}

void detail::filteredInputStep(double* a, double* b, double* d, std::size_t n, double e1, double e2, double e,
                               double gain)
{
    static const SweepFunction chosen = chooseSweepStep();
    chosen(a, b, d, n, e1, e2, e, gain);
}

namespace {

using ScaledAddFunction = void (*)(double*, const double*, std::size_t, double);
using SquaredNormFunction = double (*)(const double*, std::size_t);

void scaledAddBaseline(double* row, const double* d, std::size_t n, double s)
{
    eventstep::scaledAddLoop(row, d, n, s);
}

double squaredNormBaseline(const double* d, std::size_t n)
{
    return eventstep::squaredNormLoop(d, n);
}

/// The rule's ΔW kernels for the same instruction set as the event-driven step.
std::pair<ScaledAddFunction, SquaredNormFunction> chooseUpdateKernels()
{
#if defined(NORMAD_EVENTSTEP_AVX512)
    if (eventStep() == &eventstep::stepAvx512)
        return {&eventstep::scaledAddAvx512, &eventstep::squaredNormAvx512};
#endif
#if defined(NORMAD_EVENTSTEP_AVX2)
    if (eventStep() == &eventstep::stepAvx2)
        return {&eventstep::scaledAddAvx2, &eventstep::squaredNormAvx2};
#endif
    return {&scaledAddBaseline, &squaredNormBaseline};
}

const std::pair<ScaledAddFunction, SquaredNormFunction>& updateKernels()
{
    static const std::pair<ScaledAddFunction, SquaredNormFunction> chosen = chooseUpdateKernels();
    return chosen;
}

} // namespace

void detail::scaledAdd(double* row, const double* d, std::size_t n, double s)
{
    updateKernels().first(row, d, n, s);
}

double detail::squaredNorm(const double* d, std::size_t n)
{
    return updateKernels().second(d, n);
}

} // namespace normad
