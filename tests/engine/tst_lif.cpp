// The LIF neuron as the Simulator integrates it, against analytic solutions (spec §1.1–§1.4 and §5
// checks 1–2): the f–I curve, the subthreshold exponential under constant current, the linear-filter
// identity before the first spike, refractoriness and the optional V ≥ EL floor.
//
// Constant current without a current-injection API. Synaptic drive enters only through the traces
// a ← a·e1 + s[n], b ← b·e2 + s[n] (e_x = e^{−dt/τx}, s[n] the weighted presynaptic spikes of step n) and
// I(t) = I0·(A e^{−(t−t_n)/τ1} − B e^{−(t−t_n)/τ2}) inside step n, A = Σw·a, B = Σw·b. Choose the weighted
// spike sequence S[0] = g, S[1] = g(1 − e1 − e2), S[n ≥ 2] = g(1 − e1)(1 − e2): its z-transform makes
// A[n] = g(1 − e2) and B[n] = g(1 − e1) for every n ≥ 1, i.e. the synaptic state is *exactly* periodic
// from step 1 on (only rounding differs). Three input neurons realise S: one spiking every step with
// weight g(1−e1)(1−e2), one at step 0 with the rest of g, one at step 1 with −g·e1·e2.
//  * Heun holds I at I(t_n) = I0·(A − B) = I0·g·(e1 − e2): with g = I/(I0(e1 − e2)) the current is
//    exactly I for n ≥ 1 (and 0 at step 0).
//  * Exact integrates the in-step decay: V_{n+1} − EL = ρ(V_n − EL) + κa·A − κb·B with ρ = e^{−dt/τL} and
//    κx = (I0/C)∫₀^dt e^{−s/τx}e^{−(dt−s)/τL} ds. A constant current I gives ρ(V_n − EL) + (I/gL)(1 − ρ),
//    so g = I(1 − ρ)/(gL(κa(1 − e2) − κb(1 − e1))) reproduces the constant-current solution *exactly on
//    the grid* from step 1 on — and threshold crossings are only detected on the grid.
// Either way, V(t_n) for n ≥ 1 must follow V∞ + (V(t_1) − V∞)·e^{−(t_n − t_1)/τL}, V∞ = EL + I/gL.

#include "normad/Simulator.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

using namespace normad;

Q_DECLARE_METATYPE(normad::Integrator)

namespace {

constexpr double ms = 1e-3, nA = 1e-9, mV = 1e-3;

// Input neurons and weights of a drive made of constant-current phases.
struct Drive {
    std::vector<StepTrain> trains;
    std::vector<double> weights;
};

double kappa(double tauX, const LifParams& p, const SynapseParams& s, double dt)
{
    const double tauL = p.membraneTimeConstant();
    return s.amplitude / p.capacitance * (std::exp(-dt / tauX) - std::exp(-dt / tauL)) / (1 / tauL - 1 / tauX);
}

// Adds a current step of height `current` (amperes) switched on at step `from`: exactly constant from
// step from+1 on (see the file comment). Appends three input neurons.
void addCurrentStep(Drive& d, double current, std::int64_t from, std::int64_t steps, const LifParams& p,
                    const SynapseParams& s, const SimulationParams& sim)
{
    const double e1 = std::exp(-sim.dt / s.tauDecay), e2 = std::exp(-sim.dt / s.tauRise);
    double g;
    if (sim.integrator == Integrator::Heun) {
        g = current / (s.amplitude * (e1 - e2));
    } else {
        const double rho = std::exp(-sim.dt / p.membraneTimeConstant());
        g = current * (1 - rho) /
            (p.leakConductance *
             (kappa(s.tauDecay, p, s, sim.dt) * (1 - e2) - kappa(s.tauRise, p, s, sim.dt) * (1 - e1)));
    }
    const double steady = g * (1 - e1) * (1 - e2);
    StepTrain every;
    for (std::int64_t n = from; n < steps; ++n)
        every.push_back(n);
    d.trains.push_back(every);
    d.weights.push_back(steady);
    d.trains.push_back({from});
    d.weights.push_back(g - steady);
    d.trains.push_back({from + 1});
    d.weights.push_back(-g * e1 * e2);
}

// V(t_1) − EL after a step switched on at step 0 from rest: Heun sees I(t_0) = 0; Exact integrates the
// first step's current I0·g·(e^{−s/τ1} − e^{−s/τ2}), i.e. (κa − κb)·g.
double firstStepRise(double current, const LifParams& p, const SynapseParams& s, const SimulationParams& sim)
{
    if (sim.integrator == Integrator::Heun)
        return 0.0;
    const double e1 = std::exp(-sim.dt / s.tauDecay), e2 = std::exp(-sim.dt / s.tauRise);
    const double rho = std::exp(-sim.dt / p.membraneTimeConstant());
    const double ka = kappa(s.tauDecay, p, s, sim.dt), kb = kappa(s.tauRise, p, s, sim.dt);
    const double g = current * (1 - rho) / (p.leakConductance * (ka * (1 - e2) - kb * (1 - e1)));
    return (ka - kb) * g;
}

LayerSpec neuronLayer(const LifParams& p)
{
    LayerSpec l;
    l.size = 1;
    l.neuron = p;
    return l;
}

struct Run {
    StepTrain spikes;
    std::vector<double> volts;
};

Run simulate(const Drive& d, const LifParams& p, const SimulationParams& sim, const SynapseParams& s = {})
{
    Network net(static_cast<int>(d.trains.size()), {neuronLayer(p)}, s);
    Eigen::MatrixXd w(1, static_cast<Eigen::Index>(d.weights.size()));
    for (std::size_t j = 0; j < d.weights.size(); ++j)
        w(0, static_cast<Eigen::Index>(j)) = d.weights[j];
    net.setWeights(1, w);
    RecordRequest rr;
    rr.probes = {{1, 0}};
    const SimulationRecord rec = Simulator(net, sim).runSteps(d.trains, rr);
    if (rec.status != SimulationStatus::Completed)
        qFatal("simulation did not complete: %s", rec.message.c_str());
    return {rec.activity(1).spikes[0], rec.membrane(1, 0)->volts};
}

SimulationParams grid(double dt, double duration, Integrator integrator)
{
    SimulationParams sim;
    sim.dt = dt;
    sim.duration = duration;
    sim.integrator = integrator;
    return sim;
}

// Closed-form PSP of the membrane (τL) to one presynaptic spike at t = 0, spec §3.6 with τk = τL:
// (I0/C)[K1(e^{−t/τL} − e^{−t/τ1}) − K2(e^{−t/τL} − e^{−t/τ2})], K_a = τa·τL/(τL − τa).
double membranePsp(double t, const LifParams& p, const SynapseParams& s)
{
    if (t <= 0)
        return 0;
    const double tauL = p.membraneTimeConstant();
    const double k1 = s.tauDecay * tauL / (tauL - s.tauDecay), k2 = s.tauRise * tauL / (tauL - s.tauRise);
    return s.amplitude / p.capacitance *
           (k1 * (std::exp(-t / tauL) - std::exp(-t / s.tauDecay)) -
            k2 * (std::exp(-t / tauL) - std::exp(-t / s.tauRise)));
}

} // namespace

class TestLif : public QObject {
    Q_OBJECT

private slots:
    void interSpikeInterval_data();
    void interSpikeInterval();
    void noSpikeBelowRheobase_data();
    void noSpikeBelowRheobase();
    void subthresholdExponential_data();
    void subthresholdExponential();
    void linearFilterIdentity_data();
    void linearFilterIdentity();
    void exactIntegratorIsContinuousSolution();
    void refractoryHold_data();
    void refractoryHold();
    void clampAtRest();
};

void TestLif::interSpikeInterval_data()
{
    QTest::addColumn<Integrator>("integrator");
    QTest::addColumn<double>("dt");
    QTest::addColumn<double>("current");
    QTest::addColumn<double>("refractory");
    for (Integrator integrator : {Integrator::Exact, Integrator::Heun})
        for (double dt : {0.1 * ms, 0.01 * ms})
            for (double current : {3 * nA, 4 * nA, 6 * nA, 10 * nA})
                for (double rp : {3 * ms, 0.0})
                    QTest::newRow(qPrintable(QString("%1, dt = %2 ms, I = %3 nA, Rp = %4 ms")
                                                 .arg(QString::fromStdString(toString(integrator)))
                                                 .arg(dt / ms)
                                                 .arg(current / nA)
                                                 .arg(rp / ms)))
                        << integrator << dt << current << rp;
}

void TestLif::interSpikeInterval()
{
    // Spec §5 check 1: ISI = τL·ln(I/(I − gL(VT − EL))) + Rp. On the grid the free run from EL starts at
    // the step after the hold and a crossing is seen at the end of a step, so the simulated ISI lies in
    // [T, T + dt) for the exact solution; Heun's O(dt²) trajectory error moves crossings by far less
    // than 0.1 % of T. Asserted: −0.1 %·T ≤ ISI − T ≤ dt + 0.1 %·T (inside the spec's "dt + 2 % / 1 %").
    QFETCH(Integrator, integrator);
    QFETCH(double, dt);
    QFETCH(double, current);
    QFETCH(double, refractory);
    LifParams p;
    p.refractoryPeriod = refractory;
    const SimulationParams sim = grid(dt, 0.2, integrator);
    Drive d;
    addCurrentStep(d, current, 0, sim.steps(), p, SynapseParams{}, sim);
    const Run run = simulate(d, p, sim);
    QVERIFY2(run.spikes.size() >= 4, qPrintable(QString("%1 spikes").arg(run.spikes.size())));

    const double predicted =
        p.membraneTimeConstant() * std::log(current / (current - p.rheobase())) + std::llround(refractory / dt) * dt;
    double worst = 0;
    for (std::size_t k = 2; k < run.spikes.size(); ++k) { // the first interval starts at t_1, not after a reset
        const double isi = static_cast<double>(run.spikes[k] - run.spikes[k - 1]) * dt;
        const double err = isi - predicted;
        worst = std::max(worst, std::abs(err) / predicted);
        QVERIFY2(
            err >= -1e-3 * predicted && err <= dt + 1e-3 * predicted,
            qPrintable(QString("ISI %1 ms, predicted %2 ms").arg(isi / ms, 0, 'f', 4).arg(predicted / ms, 0, 'f', 4)));
        QVERIFY(std::abs(err) <= dt + (dt < 0.05 * ms ? 0.01 : 0.02) * predicted); // the spec's bound
    }
    qInfo("ISI %.4f ms predicted, worst relative error %.3g %%", predicted / ms, 100 * worst);
}

void TestLif::noSpikeBelowRheobase_data()
{
    QTest::addColumn<Integrator>("integrator");
    QTest::addColumn<double>("current");
    QTest::addColumn<bool>("fires");
    for (Integrator integrator : {Integrator::Exact, Integrator::Heun}) {
        const QString name = QString::fromStdString(toString(integrator));
        QTest::newRow(qPrintable(name + ", 1 nA")) << integrator << 1 * nA << false;
        QTest::newRow(qPrintable(name + ", 2.5 nA")) << integrator << 2.5 * nA << false;
        QTest::newRow(qPrintable(name + ", 2.65 nA")) << integrator << 2.65 * nA << false;
        QTest::newRow(qPrintable(name + ", 2.75 nA (control: fires)")) << integrator << 2.75 * nA << true;
    }
}

void TestLif::noSpikeBelowRheobase()
{
    // Spec §5 check 1: no spike in 1 s for I ≤ 2.65 nA (rheobase gL(VT − EL) = 2.7 nA); V settles at
    // EL + I/gL. Just above rheobase the neuron must fire.
    QFETCH(Integrator, integrator);
    QFETCH(double, current);
    QFETCH(bool, fires);
    LifParams p;
    const SimulationParams sim = grid(0.1 * ms, 1.0, integrator);
    Drive d;
    addCurrentStep(d, current, 0, sim.steps(), p, SynapseParams{}, sim);
    const Run run = simulate(d, p, sim);
    QCOMPARE(!run.spikes.empty(), fires);
    if (!fires)
        QVERIFY(std::abs(run.volts.back() - (p.restPotential + current / p.leakConductance)) < 1e-9);
}

void TestLif::subthresholdExponential_data()
{
    QTest::addColumn<Integrator>("integrator");
    QTest::addColumn<double>("dt");
    QTest::addColumn<double>("current");     // first phase, from step 0
    QTest::addColumn<double>("secondPhase"); // current from step `switchStep` on (0: single phase)
    for (Integrator integrator : {Integrator::Exact, Integrator::Heun}) {
        const QString name = QString::fromStdString(toString(integrator));
        for (double dt : {0.1 * ms, 0.02 * ms}) {
            for (double current : {0.5 * nA, 2 * nA, 2.6 * nA, -1.5 * nA})
                QTest::newRow(qPrintable(QString("%1, dt = %2 ms, I = %3 nA").arg(name).arg(dt / ms).arg(current / nA)))
                    << integrator << dt << current << 0.0;
            QTest::newRow(qPrintable(QString("%1, dt = %2 ms, 2.5 nA then -1 nA").arg(name).arg(dt / ms)))
                << integrator << dt << 2.5 * nA << -1 * nA;
        }
    }
}

void TestLif::subthresholdExponential()
{
    // V(t) = V∞ + (V0 − V∞)e^{−(t − t0)/τL} once the current is constant (from t0 = t_1, or from the step
    // after a switch). Exact integrator: equal on the grid to 1e-9 of |V0 − V∞| (rounding only). Heun
    // with I held: V_n = V∞ + (V0 − V∞)ρ^n, ρ = 1 − h + h²/2 (h = dt/τL) ≈ e^{−h} + h³/6, so its error is
    // |V0 − V∞|·max_n n(h³/6)e^{−(n−1)h} ≈ |V0 − V∞|·h²/(6e): asserted ≤ |V0 − V∞|·h²/6 and ≥ a third
    // of the leading term (it *is* second order, not exact and not first order).
    QFETCH(Integrator, integrator);
    QFETCH(double, dt);
    QFETCH(double, current);
    QFETCH(double, secondPhase);
    LifParams p;
    const SimulationParams sim = grid(dt, 0.1, integrator);
    const std::int64_t switchStep = sim.stepOf(40 * ms);
    Drive d;
    addCurrentStep(d, current, 0, sim.steps(), p, SynapseParams{}, sim);
    if (secondPhase != 0)
        addCurrentStep(d, secondPhase - current, switchStep, sim.steps(), p, SynapseParams{}, sim);
    const Run run = simulate(d, p, sim);
    QVERIFY(run.spikes.empty());
    QCOMPARE(run.volts[0], p.restPotential);
    // V(t_1): rest (Heun) or the exact first-step rise.
    QVERIFY(std::abs(run.volts[1] - p.restPotential - firstStepRise(current, p, SynapseParams{}, sim)) < 1e-15);

    const double tauL = p.membraneTimeConstant(), h = dt / tauL;
    const auto check = [&](std::int64_t first, std::int64_t last, double I) {
        const double vInf = p.restPotential + I / p.leakConductance;
        const double v0 = run.volts[static_cast<std::size_t>(first)];
        double worst = 0;
        for (std::int64_t n = first; n <= last; ++n) {
            const double expected = vInf + (v0 - vInf) * std::exp(-static_cast<double>(n - first) * h);
            worst = std::max(worst, std::abs(run.volts[static_cast<std::size_t>(n)] - expected));
        }
        const double amplitude = std::abs(v0 - vInf);
        if (integrator == Integrator::Exact) {
            QVERIFY2(worst <= 1e-9 * amplitude,
                     qPrintable(QString("max error %1 V of %2 V").arg(worst).arg(amplitude)));
        } else {
            QVERIFY2(worst <= amplitude * h * h / 6 && worst >= amplitude * h * h / (6 * std::numbers::e) / 3,
                     qPrintable(QString("max error %1 V, leading term %2 V")
                                    .arg(worst)
                                    .arg(amplitude * h * h / (6 * std::numbers::e))));
        }
    };
    if (secondPhase == 0) {
        check(1, sim.steps() - 1, current);
    } else {
        check(1, switchStep, current);
        check(switchStep + 1, sim.steps() - 1, secondPhase);
    }
}

void TestLif::linearFilterIdentity_data()
{
    QTest::addColumn<Integrator>("integrator");
    QTest::addColumn<unsigned>("seed");
    for (Integrator integrator : {Integrator::Heun, Integrator::Exact})
        for (unsigned seed : {1u, 2u, 3u, 4u, 5u, 6u})
            QTest::newRow(
                qPrintable(QString("%1, seed %2").arg(QString::fromStdString(toString(integrator))).arg(seed)))
                << integrator << seed;
}

void TestLif::linearFilterIdentity()
{
    // Spec §5 check 2 (§1.4): before the first output spike, V − EL = Σ w_i d_i with d_i the recursive filter
    // d ← d·e^{−dt/τL} + c·dt/C of the trace c_i[n] = I0(a − b) (a, b jump at the spike step), both written
    // here. d[n] holds the input up to step n and is compared with V(t_{n+1}), the potential after step n.
    // 50 Poisson inputs at 20 Hz, 200 ms, dt = 0.1 ms, weights N(0.15 nA, 0.5 nA) so that |V − EL| reaches
    // 35–60 mV without a spike (the prototype's setting: 37 mV); required < 0.45 mV (0.5 % of VT − EL).
    // The exact integrator is *not* closer: it is the continuous solution (checked to 1e-9 below), and the
    // recursion itself is an O(dt) Riemann sum of it (c sampled at the step start, full weight on the newest
    // sample): residual ≈ h·(V − EL) − (dt/2)·I/C, typically 1–2× Heun's. Both are reported.
    QFETCH(Integrator, integrator);
    QFETCH(unsigned, seed);
    LifParams p;
    const SynapseParams s;
    const SimulationParams sim = grid(0.1 * ms, 0.2, integrator);
    const std::int64_t steps = sim.steps();
    const int inputs = 50;
    std::mt19937_64 rng(seed);
    std::bernoulli_distribution fire(20.0 * sim.dt);
    std::normal_distribution<double> weight(0.15 * nA, 0.5 * nA);
    Drive d;
    for (int j = 0; j < inputs; ++j) {
        StepTrain t;
        for (std::int64_t n = 0; n < steps; ++n)
            if (fire(rng))
                t.push_back(n);
        d.trains.push_back(t);
        d.weights.push_back(weight(rng));
    }
    const Run run = simulate(d, p, sim, s);
    const std::int64_t last = run.spikes.empty() ? steps - 1 : run.spikes.front(); // rows ≤ spike step are pre-reset

    const double e1 = std::exp(-sim.dt / s.tauDecay), e2 = std::exp(-sim.dt / s.tauRise);
    const double eL = std::exp(-sim.dt / p.membraneTimeConstant());
    std::vector<double> a(inputs, 0), b(inputs, 0), filt(inputs, 0);
    std::vector<std::size_t> next(inputs, 0);
    double worst = 0, excursion = 0;
    for (std::int64_t n = 0; n + 1 <= last; ++n) {
        double v = 0;
        for (int j = 0; j < inputs; ++j) {
            a[j] *= e1;
            b[j] *= e2;
            const StepTrain& t = d.trains[j];
            for (; next[j] < t.size() && t[next[j]] == n; ++next[j]) {
                a[j] += 1;
                b[j] += 1;
            }
            filt[j] = filt[j] * eL + s.amplitude * (a[j] - b[j]) * sim.dt / p.capacitance;
            v += d.weights[j] * filt[j];
        }
        const double simulated = run.volts[static_cast<std::size_t>(n + 1)] - p.restPotential;
        worst = std::max(worst, std::abs(simulated - v));
        excursion = std::max(excursion, std::abs(simulated));
    }
    qInfo("%s: compared over %.1f ms, |V − EL| up to %.1f mV, max |V − EL − Σw·d| = %.3f mV",
          toString(integrator).c_str(), last * sim.dt / ms, excursion / mV, worst / mV);
    QVERIFY2(last * sim.dt >= 50 * ms, "the identity must be checked over a long stretch");
    QVERIFY2(excursion >= 20 * mV, "the inputs must move V substantially");
    QVERIFY2(worst < 0.45 * mV, qPrintable(QString("residual %1 mV").arg(worst / mV)));
    // Heun's map is V_{n+1} − EL = ρ(V_n − EL) + (1 − h/2)·I_n·dt/C (h = dt/τL, ρ = e^{−h} + O(h³)), i.e.
    // the recursion d scaled by (1 − h/2): residual ≈ (h/2)·|V − EL| = 0.5 % of the excursion.
    if (integrator == Integrator::Heun)
        QVERIFY2(worst <= 0.55 * sim.dt / p.membraneTimeConstant() * excursion,
                 qPrintable(QString("residual %1 of the excursion").arg(worst / excursion)));
}

void TestLif::exactIntegratorIsContinuousSolution()
{
    // The exact integrator solves the continuous LIF + trace system: before the first output spike
    // V(t_n) − EL = Σ_i w_i Σ_{t_s < t_n} ψ(t_n − t_s) with ψ the closed-form membrane PSP (α ∗ e^{−t/τL}/C,
    // spec §3.6 with τL). A direct O(spikes × steps) evaluation; equal to 1e-9 of the excursion.
    LifParams p;
    const SynapseParams s;
    const SimulationParams sim = grid(0.1 * ms, 0.15, Integrator::Exact);
    std::mt19937_64 rng(11);
    std::bernoulli_distribution fire(20.0 * sim.dt);
    std::normal_distribution<double> weight(0.9 * nA, 1.5 * nA);
    Drive d;
    for (int j = 0; j < 30; ++j) {
        StepTrain t;
        for (std::int64_t n = 0; n < sim.steps(); ++n)
            if (fire(rng))
                t.push_back(n);
        d.trains.push_back(t);
        d.weights.push_back(weight(rng));
    }
    const Run run = simulate(d, p, sim, s);
    const std::int64_t last = run.spikes.empty() ? sim.steps() - 1 : run.spikes.front();
    double worst = 0, excursion = 0;
    for (std::int64_t n = 0; n <= last; ++n) {
        double v = 0;
        for (std::size_t j = 0; j < d.trains.size(); ++j)
            for (std::int64_t k : d.trains[j])
                v += d.weights[j] * membranePsp(static_cast<double>(n - k) * sim.dt, p, s);
        const double simulated = run.volts[static_cast<std::size_t>(n)] - p.restPotential;
        worst = std::max(worst, std::abs(simulated - v));
        excursion = std::max(excursion, std::abs(v));
    }
    QVERIFY(last * sim.dt >= 50 * ms && excursion >= 20 * mV);
    QVERIFY2(worst <= 1e-9 * excursion, qPrintable(QString("max error %1 V of %2 V").arg(worst).arg(excursion)));
}

void TestLif::refractoryHold_data()
{
    QTest::addColumn<Integrator>("integrator");
    QTest::addColumn<double>("refractory");
    for (Integrator integrator : {Integrator::Exact, Integrator::Heun})
        for (double rp : {0.0, 0.1 * ms, 2.04 * ms, 3 * ms})
            QTest::newRow(
                qPrintable(QString("%1, Rp = %2 ms").arg(QString::fromStdString(toString(integrator))).arg(rp / ms)))
                << integrator << rp;
}

void TestLif::refractoryHold()
{
    // After a spike at step n (V ≥ VT at the end of step n): V(t_{n+1}) = EL (reset), the integration of
    // steps n+1 … n+R is skipped (R = round(Rp/dt)), so the rows V(t_{n+1}) … V(t_{n+R+1}) all equal EL —
    // V is at EL for exactly R steps after the reset — and under a suprathreshold drive V(t_{n+R+2}) > EL.
    QFETCH(Integrator, integrator);
    QFETCH(double, refractory);
    LifParams p;
    p.refractoryPeriod = refractory;
    const SimulationParams sim = grid(0.1 * ms, 0.1, integrator);
    const std::int64_t hold = std::llround(refractory / sim.dt);
    Drive d;
    addCurrentStep(d, 8 * nA, 0, sim.steps(), p, SynapseParams{}, sim);
    const Run run = simulate(d, p, sim);
    QVERIFY(run.spikes.size() >= 3);
    for (std::int64_t n : run.spikes) {
        QVERIFY(run.volts[static_cast<std::size_t>(n)] < p.threshold); // the row before the crossing step
        if (n + hold + 2 >= sim.steps())
            break;
        for (std::int64_t k = n + 1; k <= n + hold + 1; ++k)
            QCOMPARE(run.volts[static_cast<std::size_t>(k)], p.restPotential);
        QVERIFY(run.volts[static_cast<std::size_t>(n + hold + 2)] > p.restPotential);
    }
}

void TestLif::clampAtRest()
{
    // The group code's V ≥ EL floor (spec §1.2): with it, strong inhibition cannot push V below EL; off
    // (the default) V goes below EL by the inhibitory PSP; with excitation only the floor changes nothing.
    LifParams p;
    QVERIFY(!p.clampAtRest);
    const SimulationParams sim = grid(0.1 * ms, 0.1, Integrator::Exact);
    Drive inhibition;
    inhibition.trains = {{100, 200, 210, 220}, {500, 700}};
    inhibition.weights = {-5 * nA, 2 * nA}; // an excitatory input arriving while V is below rest

    const Run free = simulate(inhibition, p, sim);
    const double lowest = *std::min_element(free.volts.begin(), free.volts.end());
    QVERIFY2(lowest < p.restPotential - 10 * mV, qPrintable(QString("lowest V %1 mV").arg(lowest / mV)));

    p.clampAtRest = true;
    const Run clamped = simulate(inhibition, p, sim);
    for (double v : clamped.volts)
        QVERIFY(v >= p.restPotential);
    QVERIFY(*std::max_element(clamped.volts.begin(), clamped.volts.end()) > p.restPotential); // excitation still acts

    // Excitation only: identical with and without the floor.
    Drive excitation;
    excitation.trains = {{100, 300, 310}, {400}};
    excitation.weights = {3 * nA, 1 * nA};
    const Run on = simulate(excitation, p, sim);
    p.clampAtRest = false;
    const Run off = simulate(excitation, p, sim);
    QCOMPARE(on.volts, off.volts);
}

QTEST_APPLESS_MAIN(TestLif)
#include "tst_lif.moc"
