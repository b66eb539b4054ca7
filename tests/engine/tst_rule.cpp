// NormAD's update rules against slow, direct evaluations of the spec's formulas (spec §2.3–§2.4,
// §3.5, §3.7) on small hand-made cases, the unit checks of spec §5 check 4, and the hidden-gradient
// directional-derivative check of spec §5 check 10.

#include "normad/Kernels.h"
#include "normad/NormadRule.h"
#include "normad/RuleRegistry.h"
#include "normad/Simulator.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace normad;

namespace {

// c_j[n] = I0·Σ_{s ≤ n} (e1^{n−s} − e2^{n−s}) over the spikes of neuron j (spec §1.3), evaluated directly.
double traceDirect(const StepTrain& spikes, std::int64_t n, const SynapseParams& syn, double dt)
{
    double c = 0;
    for (std::int64_t s : spikes)
        if (s <= n)
            c += syn.amplitude * (std::exp(-(n - s) * dt / syn.tauDecay) - std::exp(-(n - s) * dt / syn.tauRise));
    return c;
}

// d̂_j[n] = Σ_{m ≤ n} c_j[m]·e^{−(n−m)dt/τ}·dt/C: the explicit discrete convolution c ∗ ĥ.
Eigen::VectorXd dhatDirect(const std::vector<StepTrain>& pre, std::int64_t n, const SynapseParams& syn, double dt,
                           double tau, double capacitance)
{
    Eigen::VectorXd d = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(pre.size()));
    for (std::size_t j = 0; j < pre.size(); ++j)
        for (std::int64_t m = 0; m <= n; ++m)
            d[static_cast<Eigen::Index>(j)] +=
                traceDirect(pre[j], m, syn, dt) * std::exp(-(n - m) * dt / tau) * dt / capacitance;
    return d;
}

// ε′(t) written from the spec's closed form (§3.6), K_a = τa·τk/(τk − τa).
double epsPrimeSpec(double t, const SynapseParams& syn, double tauK, double capacitance)
{
    if (t <= 0)
        return 0;
    const double k1 = syn.tauDecay * tauK / (tauK - syn.tauDecay);
    const double k2 = syn.tauRise * tauK / (tauK - syn.tauRise);
    return syn.amplitude / capacitance *
           (k1 * (std::exp(-t / syn.tauDecay) / syn.tauDecay - std::exp(-t / tauK) / tauK) -
            k2 * (std::exp(-t / syn.tauRise) / syn.tauRise - std::exp(-t / tauK) / tauK));
}

LayerSpec layer(int size, double rate)
{
    LayerSpec l;
    l.size = size;
    l.learningRate = rate;
    return l;
}

// A record whose spikes are set by hand (the rule only reads spikes and spike currents).
SimulationRecord handRecord(std::int64_t steps, double dt, std::vector<std::vector<StepTrain>> layers,
                            std::vector<std::vector<std::vector<double>>> currents)
{
    SimulationRecord rec;
    rec.steps = steps;
    rec.dt = dt;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        LayerActivity a;
        a.spikes = layers[l];
        a.currents = l < currents.size() ? currents[l] : std::vector<std::vector<double>>{};
        a.currents.resize(a.spikes.size());
        for (std::size_t i = 0; i < a.spikes.size(); ++i)
            a.currents[i].resize(a.spikes[i].size(), 3e-9);
        rec.layers.push_back(a);
    }
    return rec;
}

std::vector<StepTrain> randomTrains(int n, std::int64_t steps, double p, std::mt19937_64& rng)
{
    std::vector<StepTrain> trains(static_cast<std::size_t>(n));
    std::bernoulli_distribution fire(p);
    for (auto& t : trains)
        for (std::int64_t s = 0; s < steps; ++s)
            if (fire(rng))
                t.push_back(s);
    return trains;
}

} // namespace

class TestRule : public QObject {
    Q_OBJECT

private slots:
    void filteredInputsBitIdentical_data();
    void filteredInputsBitIdentical();
    void updateKernelsBitIdentical_data();
    void updateKernelsBitIdentical();
    void perLayerUpdateBitIdentical_data();
    void perLayerUpdateBitIdentical();
    void outputErrorsMergeTrains();
    void noErrorNoUpdate();
    void singleMissingSpike_data();
    void singleMissingSpike();
    void outputRuleMatchesDirectEvaluation();
    void scalingInputsLeavesUpdateUnchanged();
    void updateIndependentOfDtRefinement();
    void zeroNormInstantIsSkipped();
    void matchTolerance_data();
    void matchTolerance();
    void learntCorrelation_data();
    void learntCorrelation();
    void optionsOffArePapersRule_data();
    void optionsOffArePapersRule();
    void hiddenRuleMatchesDirectEvaluation_data();
    void hiddenRuleMatchesDirectEvaluation();
    void jointNormalizationMatchesDirectEvaluation();
    void frozenLayersAreNotUpdated();
    void hiddenGradientDirectionalDerivative();
    void resumeMatchesDirectEvaluation();
    void registryDefaultsPassTheirCheck_data();
    void registryDefaultsPassTheirCheck();
    void unknownRuleIsNamed();
    void learningRateScaleDecays();
};

void TestRule::filteredInputsBitIdentical_data()
{
    QTest::addColumn<int>("inputs");
    // Sizes with and without a remainder beyond a vector of 2, 4 or 8 doubles.
    for (int inputs : {1, 7, 64, 203})
        QTest::newRow(qPrintable(QString("%1 inputs").arg(inputs))) << inputs;
}

void TestRule::filteredInputsBitIdentical()
{
    // The d̂ sweep runs as one vectorised pass per step (detail::filteredInputStep, on every path:
    // NORMAD_SIMD in tests/engine/CMakeLists.txt); it must give exactly the rows of the former three
    // Eigen array expressions a *= e1, b *= e2, d = d·e + g·(a − b).
    QFETCH(int, inputs);
    Network net(inputs, {layer(3, 1e-9)});
    SimulationParams sim;
    sim.duration = 0.3;
    NormadSettings params;
    params.effectiveTimeConstant = 0.004;
    const NormadRule rule(net, sim, params);
    std::mt19937_64 rng(static_cast<std::uint64_t>(inputs));
    std::bernoulli_distribution fire(60 * sim.dt);
    LayerActivity population;
    population.spikes.assign(static_cast<std::size_t>(inputs), {});
    for (auto& train : population.spikes)
        for (std::int64_t n = 0; n < sim.steps(); ++n)
            if (fire(rng))
                train.push_back(n);
    std::vector<std::int64_t> steps;
    for (std::int64_t n = 3; n < sim.steps(); n += 37)
        steps.push_back(n);
    const double capacitance = LifParams{}.capacitance;
    const Eigen::MatrixXd rows = rule.filteredInputs(population, inputs, capacitance, steps);

    const double e1 = kernels::decay(net.synapse().tauDecay, sim.dt),
                 e2 = kernels::decay(net.synapse().tauRise, sim.dt),
                 e = kernels::decay(params.effectiveTimeConstant, sim.dt);
    const double gain = net.synapse().amplitude * sim.dt / capacitance;
    Eigen::ArrayXd a = Eigen::ArrayXd::Zero(inputs), b = Eigen::ArrayXd::Zero(inputs), d = Eigen::ArrayXd::Zero(inputs);
    std::size_t row = 0;
    for (std::int64_t n = 0; n <= steps.back(); ++n) {
        a *= e1;
        b *= e2;
        for (int j = 0; j < inputs; ++j)
            for (std::int64_t m : population.spikes[static_cast<std::size_t>(j)])
                if (m == n) {
                    a[j] += 1.0;
                    b[j] += 1.0;
                }
        d = d * e + gain * (a - b);
        if (row < steps.size() && steps[row] == n) {
            QVERIFY2((rows.row(static_cast<Eigen::Index>(row)).transpose().array() == d).all(),
                     qPrintable(QString("step %1: d̂ differs").arg(n)));
            ++row;
        }
    }
    QCOMPARE(row, steps.size());
    QVERIFY(d.abs().maxCoeff() > 0);
}

void TestRule::updateKernelsBitIdentical_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("offset"); // doubles from a 64-byte boundary: 1 makes the vector unaligned
    // Every remainder beyond blocks of 2, 4 and 8, the sizes below one packet, aligned and not.
    for (int size : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 50, 203, 1000})
        for (int offset : {0, 1})
            QTest::newRow(qPrintable(QString("%1 doubles, offset %2").arg(size).arg(offset))) << size << offset;
}

void TestRule::updateKernelsBitIdentical()
{
    // The ΔW row update and the d̂ norm run in the dispatched kernels (every NORMAD_SIMD path:
    // tests/engine/CMakeLists.txt); they must give exactly what the former Eigen expressions gave:
    // `d.matrix().norm()` (Eigen's own order of summation) and `row += s * d`.
    QFETCH(int, size);
    QFETCH(int, offset);
    std::mt19937_64 rng(static_cast<std::uint64_t>(17 * size + offset));
    std::uniform_real_distribution<double> value(-1.0, 1.0);
    // Comparable magnitudes (within a factor 8), so that another order of summation changes the bits.
    std::vector<double> storage(static_cast<std::size_t>(size + 8)), rowStorage(storage.size());
    double* d = storage.data() + offset;
    for (int k = 0; k < size; ++k)
        d[k] = value(rng) * std::ldexp(1.0, static_cast<int>(rng() % 4) - 30);
    const Eigen::Map<const Eigen::ArrayXd> dmap(d, size);
    // An ArrayXd copy is 16-byte aligned; the map at offset 1 is not (Eigen's order must not depend on it).
    const double eigenNorm = Eigen::ArrayXd(dmap).matrix().norm();
    const double eigenMapNorm = dmap.matrix().norm();
    const std::size_t n = static_cast<std::size_t>(size);
    // Exact comparisons (QCOMPARE of doubles is fuzzy).
    const double alignedNorm = std::sqrt(detail::squaredNorm(Eigen::ArrayXd(dmap).data(), n));
    const auto bits = [](double x, double y) { return QString("%1 vs %2").arg(x, 0, 'g', 17).arg(y, 0, 'g', 17); };
    QVERIFY2(alignedNorm == eigenNorm, qPrintable(bits(alignedNorm, eigenNorm)));
    const double mapNorm = std::sqrt(detail::squaredNorm(d, n));
    QVERIFY2(mapNorm == eigenMapNorm, qPrintable(bits(mapNorm, eigenMapNorm)));

    double* row = rowStorage.data() + offset;
    for (int k = 0; k < size; ++k)
        row[k] = value(rng);
    Eigen::RowVectorXd expected = Eigen::Map<const Eigen::RowVectorXd>(row, size);
    const double scale = value(rng) * 3.7e-10;
    expected += scale * dmap.matrix().transpose();
    detail::scaledAdd(row, d, n, scale);
    for (int k = 0; k < size; ++k)
        QVERIFY2(row[k] == expected[k], qPrintable(QString("element %1").arg(k)));
    QVERIFY(eigenNorm > 0);
}

void TestRule::perLayerUpdateBitIdentical_data()
{
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("hidden");
    QTest::newRow("7-5-2") << 7 << 5;
    QTest::newRow("203-33-2") << 203 << 33;
}

void TestRule::perLayerUpdateBitIdentical()
{
    // The hidden error train and ΔW of both layers, bit for bit as the former formulation computed
    // them. ΔW: d̂ rows from filteredInputs() (itself checked bit for bit above), each copied into an
    // ArrayXd, its Eigen norm(), and one `delta.row(i) += (r·e/‖d̂‖)·d̂` per error entry in step order.
    QFETCH(int, inputs);
    QFETCH(int, hidden);
    SimulationParams sim;
    sim.duration = 0.2;
    const int outputs = 2;
    Network net(inputs, {layer(hidden, 0.7e-9), layer(outputs, 1.3e-9)});
    std::mt19937_64 rng(static_cast<std::uint64_t>(inputs));
    std::normal_distribution<double> weight(0, 1e-9);
    for (int l : {1, 2}) {
        Eigen::MatrixXd w(net.populationSize(l), net.populationSize(l - 1));
        for (Eigen::Index k = 0; k < w.size(); ++k)
            w.data()[k] = weight(rng);
        net.setWeights(l, w);
    }
    const std::vector<StepTrain> in = randomTrains(inputs, sim.steps(), 40 * sim.dt, rng);
    const std::vector<StepTrain> hid = randomTrains(hidden, sim.steps(), 30 * sim.dt, rng);
    const std::vector<StepTrain> out = randomTrains(outputs, sim.steps(), 20 * sim.dt, rng);
    const std::vector<StepTrain> desired = randomTrains(outputs, sim.steps(), 20 * sim.dt, rng);
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {in, hid, out}, {});
    NormadSettings settings;
    const NormadRule rule(net, sim, settings);
    const PatternGradient g = rule.compute(net, rec, desired, 0.9);

    // The hidden error train, as the former loop formed it: per hidden spike s, in the order of the
    // output entries, Σ (w_ki·E_k[q])·ε′[q − s] over the entries with q − s inside ε′'s window, / V̇.
    {
        const std::vector<double>& eps = rule.epsilonPrime(2);
        const auto window = static_cast<std::int64_t>(eps.size());
        const std::vector<ErrorEntry>& above = g.error(2);
        std::vector<ErrorEntry> expected;
        const LifParams lif;
        for (std::size_t i = 0; i < hid.size(); ++i)
            for (std::size_t k = 0; k < hid[i].size(); ++k) {
                const std::int64_t s = hid[i][k];
                double sum = 0;
                for (const ErrorEntry& e : above)
                    if (e.step >= s && e.step - s < window)
                        sum += net.weights(2)(e.neuron, static_cast<Eigen::Index>(i)) * e.value *
                               eps[static_cast<std::size_t>(e.step - s)];
                if (sum == 0)
                    continue;
                const double vdot =
                    std::max((rec.activity(1).currents[i][k] - lif.rheobase()) / lif.capacitance, settings.vdotMin);
                expected.push_back({static_cast<int>(i), s, sum / vdot});
            }
        std::sort(expected.begin(), expected.end(), [](const ErrorEntry& a, const ErrorEntry& b) {
            return a.step != b.step ? a.step < b.step : a.neuron < b.neuron;
        });
        QCOMPARE(g.error(1).size(), expected.size());
        for (std::size_t e = 0; e < expected.size(); ++e) {
            QCOMPARE(g.error(1)[e].neuron, expected[e].neuron);
            QCOMPARE(g.error(1)[e].step, expected[e].step);
            QVERIFY2(g.error(1)[e].value == expected[e].value, qPrintable(QString("hidden entry %1").arg(e)));
        }
    }

    int entries = 0;
    for (int l : {1, 2}) {
        const std::vector<ErrorEntry>& errors = g.error(l);
        std::vector<std::int64_t> steps;
        for (const ErrorEntry& e : errors)
            if (steps.empty() || steps.back() != e.step)
                steps.push_back(e.step);
        const Eigen::MatrixXd rows =
            rule.filteredInputs(rec.activity(l - 1), net.populationSize(l - 1), LifParams{}.capacitance, steps);
        Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> delta =
            Eigen::MatrixXd::Zero(net.populationSize(l), net.populationSize(l - 1));
        const double rate = net.layer(l).learningRate * 0.9;
        std::size_t r = 0;
        for (const ErrorEntry& e : errors) {
            while (steps[r] != e.step)
                ++r;
            const Eigen::ArrayXd d = rows.row(static_cast<Eigen::Index>(r)).transpose();
            const double norm = d.matrix().norm();
            if (!(norm > 0))
                continue;
            delta.row(e.neuron) += (rate * e.value / norm) * d.matrix().transpose();
            ++entries;
        }
        QVERIFY2((g.delta(l).array() == Eigen::MatrixXd(delta).array()).all(),
                 qPrintable(QString("layer %1: ΔW differs, largest difference %2")
                                .arg(l)
                                .arg((g.delta(l) - Eigen::MatrixXd(delta)).cwiseAbs().maxCoeff())));
    }
    QVERIFY(entries > 20); // both layers received error
    QVERIFY(g.delta(1).norm() > 0 && g.delta(2).norm() > 0);
}

void TestRule::outputErrorsMergeTrains()
{
    const auto e = NormadRule::outputErrors({{10, 20, 30}, {5}}, {{20, 25}, {}});
    // neuron 0: +10, −25, +30 (20 cancels); neuron 1: +5. Sorted by step.
    QCOMPARE(e.size(), std::size_t(4));
    QCOMPARE(e[0].step, std::int64_t(5));
    QCOMPARE(e[0].neuron, 1);
    QCOMPARE(e[0].value, 1.0);
    QCOMPARE(e[1].step, std::int64_t(10));
    QCOMPARE(e[2].step, std::int64_t(25));
    QCOMPARE(e[2].value, -1.0);
    QCOMPARE(e[3].step, std::int64_t(30));
}

void TestRule::noErrorNoUpdate()
{
    Network net(3, {layer(1, 1e-9)});
    SimulationParams sim;
    sim.duration = 0.05;
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {{{10}, {50}, {100}}, {{200, 300}}}, {});
    NormadRule rule(net, sim, TrainingParams{});
    const PatternGradient g = rule.compute(net, rec, {{200, 300}});
    QCOMPARE(g.delta(1).norm(), 0.0);
    QVERIFY(g.error(1).empty());
}

void TestRule::singleMissingSpike_data()
{
    QTest::addColumn<bool>("missing");
    QTest::newRow("missing desired spike") << true;
    QTest::newRow("spurious output spike") << false;
}

void TestRule::singleMissingSpike()
{
    // Spec §5 check 4.2/4.3: ‖Δw‖ = r and Δw·d̂(t) has the sign of e.
    QFETCH(bool, missing);
    const double r = 2e-9;
    Network net(4, {layer(1, r)});
    SimulationParams sim;
    sim.duration = 0.05;
    const std::vector<StepTrain> inputs = {{10, 120}, {40}, {90, 200}, {300}};
    const std::int64_t t = 250;
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {inputs, {missing ? StepTrain{} : StepTrain{t}}}, {});
    NormadRule rule(net, sim, TrainingParams{});
    const PatternGradient g = rule.compute(net, rec, {missing ? StepTrain{t} : StepTrain{}});
    const Eigen::VectorXd dw = g.delta(1).row(0).transpose();
    QVERIFY(std::abs(dw.norm() - r) < 1e-12 * r);
    const Eigen::VectorXd d = dhatDirect(inputs, t, net.synapse(), sim.dt, 1e-3, 300e-12);
    QVERIFY(missing ? dw.dot(d) > 0 : dw.dot(d) < 0);
    // Parallel to d̂(t): the unit vectors agree.
    QVERIFY((dw / dw.norm() - (missing ? 1 : -1) * d / d.norm()).norm() < 1e-10);
}

void TestRule::outputRuleMatchesDirectEvaluation()
{
    // Δw = r Σ_n e[n]·d̂[n]/‖d̂[n]‖ with d̂ the explicit convolution, on random trains, 2 outputs.
    std::mt19937_64 rng(7);
    SimulationParams sim;
    sim.duration = 0.06;
    const std::int64_t steps = sim.steps();
    const std::vector<StepTrain> inputs = randomTrains(6, steps, 0.004, rng);
    const std::vector<StepTrain> actual = {{150, 400}, {90}};
    const std::vector<StepTrain> desired = {{150, 300, 500}, {}};
    const double r = 1e-9;
    Network net(6, {layer(2, r)});
    NormadSettings params;
    params.effectiveTimeConstant = 2e-3;
    NormadRule rule(net, sim, params);
    const PatternGradient g = rule.compute(net, handRecord(steps, sim.dt, {inputs, actual}, {}), desired);

    Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(2, 6);
    const std::vector<std::tuple<int, std::int64_t, double>> errors = {
        {0, 300, 1}, {0, 400, -1}, {0, 500, 1}, {1, 90, -1}};
    for (const auto& [o, n, e] : errors) {
        const Eigen::VectorXd d = dhatDirect(inputs, n, net.synapse(), sim.dt, 2e-3, 300e-12);
        if (d.norm() > 0)
            expected.row(o) += r * e * d.transpose() / d.norm();
    }
    QVERIFY2((g.delta(1) - expected).norm() < 1e-9 * expected.norm(),
             qPrintable(QString("relative error %1").arg((g.delta(1) - expected).norm() / expected.norm())));
}

void TestRule::scalingInputsLeavesUpdateUnchanged()
{
    // Spec §5 check 4.4: scaling every trace by k > 0 (here through I0) leaves Δw unchanged.
    std::mt19937_64 rng(3);
    SimulationParams sim;
    sim.duration = 0.05;
    const std::vector<StepTrain> inputs = randomTrains(8, sim.steps(), 0.01, rng);
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {inputs, {{100, 250}}}, {});
    Network a(8, {layer(1, 1e-9)});
    Network b = a;
    SynapseParams scaled;
    scaled.amplitude = 37.5;
    b.setSynapse(scaled);
    const PatternGradient ga = NormadRule(a, sim, NormadSettings{}).compute(a, rec, {{120, 400}});
    const PatternGradient gb = NormadRule(b, sim, NormadSettings{}).compute(b, rec, {{120, 400}});
    QVERIFY(ga.delta(1).norm() > 0);
    QVERIFY((ga.delta(1) - gb.delta(1)).norm() < 1e-12 * ga.delta(1).norm());
}

void TestRule::updateIndependentOfDtRefinement()
{
    // Spec §5 check 4.5: no dt factor — halving dt (same spike times) changes Δw only by the
    // quantisation of the filters, not by a factor 2.
    const std::vector<std::vector<double>> inputTimes = {{0.001, 0.012}, {0.004}, {0.009, 0.02}, {0.015}};
    const double desired = 0.025;
    Eigen::MatrixXd dw[2];
    for (int k = 0; k < 2; ++k) {
        SimulationParams sim;
        sim.dt = k == 0 ? 1e-4 : 0.5e-4;
        sim.duration = 0.04;
        std::vector<StepTrain> inputs;
        for (const auto& t : inputTimes)
            inputs.push_back(toSteps(t, sim.dt));
        Network net(4, {layer(1, 1e-9)});
        const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {inputs, {{}}}, {});
        dw[k] = NormadRule(net, sim, NormadSettings{}).compute(net, rec, {{sim.stepOf(desired)}}).delta(1);
    }
    QVERIFY(std::abs(dw[0].norm() - dw[1].norm()) < 1e-15); // both are exactly r
    QVERIFY((dw[0] - dw[1]).norm() < 0.05 * dw[0].norm());
}

void TestRule::zeroNormInstantIsSkipped()
{
    // A desired spike before any input spike: d̂ = 0, no 0/0, nothing learned, counted as skipped.
    Network net(2, {layer(1, 1e-9)});
    SimulationParams sim;
    sim.duration = 0.05;
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {{{100}, {200}}, {{}}}, {});
    const PatternGradient g = NormadRule(net, sim, NormadSettings{}).compute(net, rec, {{50}});
    QVERIFY(g.delta(1).allFinite());
    QCOMPARE(g.delta(1).norm(), 0.0);
    QCOMPARE(g.skippedZeroNorm, 1);
}

void TestRule::matchTolerance_data()
{
    // Desired and actual output steps, the tolerance, and the error instants left: + at unmatched
    // desired, − at unmatched actual spikes (one-to-one, nearest pairs first).
    QTest::addColumn<QList<qint64>>("desired");
    QTest::addColumn<QList<qint64>>("actual");
    QTest::addColumn<double>("tolerance");
    QTest::addColumn<QList<qint64>>("plus");
    QTest::addColumn<QList<qint64>>("minus");
    using L = QList<qint64>;
    QTest::newRow("off: a 3-step miss is two instants") << L{250} << L{253} << 0.0 << L{250} << L{253};
    QTest::newRow("off: same step cancels") << L{250} << L{250} << 0.0 << L{} << L{};
    QTest::newRow("3-step miss within 0.5 ms") << L{250} << L{253} << 0.5e-3 << L{} << L{};
    QTest::newRow("5 steps is within 0.5 ms") << L{250} << L{245} << 0.5e-3 << L{} << L{};
    QTest::newRow("8-step miss outside 0.5 ms") << L{250} << L{258} << 0.5e-3 << L{250} << L{258};
    QTest::newRow("nearest pair first") << L{200, 210} << L{204} << 1e-3 << L{210} << L{};
    QTest::newRow("one-to-one: the farther spike is extra") << L{250} << L{248, 253} << 0.5e-3 << L{} << L{253};
    QTest::newRow("unmatched spikes elsewhere still learn") << L{150, 300} << L{152, 420} << 0.5e-3 << L{300} << L{420};
}

void TestRule::matchTolerance()
{
    // NormadSettings::matchTolerance: matched spikes give no error instant; what is left is the papers'
    // rule, Δw = r Σ_n e[n]·d̂[n]/‖d̂[n]‖ over the unmatched instants only (d̂ the explicit convolution).
    QFETCH(QList<qint64>, desired);
    QFETCH(QList<qint64>, actual);
    QFETCH(double, tolerance);
    QFETCH(QList<qint64>, plus);
    QFETCH(QList<qint64>, minus);
    const double r = 1e-9;
    SimulationParams sim;
    sim.duration = 0.05;
    Network net(4, {layer(1, r)});
    const std::vector<StepTrain> inputs = {{10, 120}, {40, 190}, {90, 200, 280}, {140, 240}};
    const StepTrain d(desired.begin(), desired.end()), y(actual.begin(), actual.end());
    NormadSettings settings;
    settings.matchTolerance = tolerance;
    const NormadRule rule(net, sim, settings);
    const PatternGradient g = rule.compute(net, handRecord(sim.steps(), sim.dt, {inputs, {y}}, {}), {d});

    Eigen::RowVectorXd expected = Eigen::RowVectorXd::Zero(4);
    std::vector<std::pair<std::int64_t, double>> instants;
    for (qint64 n : plus)
        instants.emplace_back(n, +1.0);
    for (qint64 n : minus)
        instants.emplace_back(n, -1.0);
    std::sort(instants.begin(), instants.end());
    for (const auto& [n, e] : instants) {
        const Eigen::VectorXd dh = dhatDirect(inputs, n, net.synapse(), sim.dt, 1e-3, 300e-12);
        expected += r * e * dh.transpose() / dh.norm();
    }
    QCOMPARE(g.error(1).size(), instants.size());
    for (std::size_t k = 0; k < instants.size(); ++k) {
        QCOMPARE(g.error(1)[k].step, instants[k].first);
        QCOMPARE(g.error(1)[k].value, instants[k].second);
    }
    if (instants.empty())
        QCOMPARE(g.delta(1).norm(), 0.0); // a fixed point: the weights stay exactly where they are
    else
        QVERIFY2((g.delta(1) - expected).norm() < 1e-9 * expected.norm(),
                 qPrintable(QString("relative error %1").arg((g.delta(1) - expected).norm() / expected.norm())));
}

void TestRule::learntCorrelation_data()
{
    // Two output neurons (desired, actual steps each; dt = 0.1 ms), the margin, σ, and which neurons
    // count as learnt. Closed form of C (Gaussian kernel, spec §2.7) for spikes further apart than
    // 14σ contributing nothing: one pair Δ apart, C = e^{−Δ²/4σ²}; k of n desired spikes hit exactly
    // with no extra, C = k/√(n·k) = √(k/n).
    QTest::addColumn<QList<qint64>>("desired0");
    QTest::addColumn<QList<qint64>>("actual0");
    QTest::addColumn<QList<qint64>>("desired1");
    QTest::addColumn<QList<qint64>>("actual1");
    QTest::addColumn<double>("margin");
    QTest::addColumn<double>("width");
    QTest::addColumn<bool>("learnt0");
    QTest::addColumn<bool>("learnt1");
    using L = QList<qint64>;
    const L far{600}, farOff{700}; // neuron 1 far off its target unless a row says otherwise: C = 0
    // Δ = 0.5 ms: C = e^{−1/64} = 0.98450; Δ = 1 ms: e^{−1/16} = 0.93941; Δ = 2 ms: e^{−1/4} = 0.77880.
    QTest::newRow("off (1): a 0.5 ms miss learns")
        << L{250} << L{255} << far << farOff << 1.0 << 2e-3 << false << false;
    QTest::newRow("0.5 ms miss, C 0.9845 >= 0.98: learnt")
        << L{250} << L{255} << far << farOff << 0.98 << 2e-3 << true << false;
    QTest::newRow("0.5 ms miss, C 0.9845 < 0.985: learns")
        << L{250} << L{245} << far << farOff << 0.985 << 2e-3 << false << false;
    QTest::newRow("1 ms miss, C 0.9394 < 0.98: learns")
        << L{250} << L{260} << far << farOff << 0.98 << 2e-3 << false << false;
    QTest::newRow("1 ms miss, C 0.9394 >= 0.9: learnt")
        << L{250} << L{260} << far << farOff << 0.9 << 2e-3 << true << false;
    QTest::newRow("1 ms miss with sigma 1 ms, C 0.7788 < 0.9: learns")
        << L{250} << L{260} << far << farOff << 0.9 << 1e-3 << false << false;
    QTest::newRow("2 ms miss, C 0.7788 < 0.8: learns")
        << L{250} << L{270} << far << farOff << 0.8 << 2e-3 << false << false;
    QTest::newRow("2 of 3 spikes, C 0.8165 >= 0.8: learnt")
        << L{100, 300, 500} << L{100, 300} << far << farOff << 0.8 << 2e-3 << true << false;
    QTest::newRow("2 of 3 spikes, C 0.8165 < 0.82: learns")
        << L{100, 300, 500} << L{100, 300} << far << farOff << 0.82 << 2e-3 << false << false;
    QTest::newRow("an extra spike, C 0.8165 >= 0.8: learnt")
        << L{100, 300} << L{100, 300, 500} << far << farOff << 0.8 << 2e-3 << true << false;
    QTest::newRow("no output spike, C 0: learns") << L{250} << L{} << far << farOff << 0.5 << 2e-3 << false << false;
    QTest::newRow("per neuron: 1 learnt, 0 learns")
        << L{250} << L{280} << L{400, 600} << L{402, 597} << 0.95 << 2e-3 << false << true;
    QTest::newRow("both learnt: a fixed point")
        << L{250} << L{252} << L{400, 600} << L{402, 597} << 0.95 << 2e-3 << true << true;
}

void TestRule::learntCorrelation()
{
    // NormadSettings::learntCorrelation on 4 → 3 → 2: a neuron that meets the margin gives no error
    // instant, so ΔW of every layer is bit for bit the papers' rule on the same record with that
    // neuron's desired train replaced by its actual one (which leaves it no error instant either).
    QFETCH(QList<qint64>, desired0);
    QFETCH(QList<qint64>, actual0);
    QFETCH(QList<qint64>, desired1);
    QFETCH(QList<qint64>, actual1);
    QFETCH(double, margin);
    QFETCH(double, width);
    QFETCH(bool, learnt0);
    QFETCH(bool, learnt1);
    SimulationParams sim;
    sim.duration = 0.08;
    Network net(4, {layer(3, 0.3e-9), layer(2, 1e-9)});
    Eigen::MatrixXd w2(2, 3);
    w2 << 1e-9, -0.5e-9, 2e-9, 0.7e-9, 1.5e-9, -1e-9;
    net.setWeights(2, w2);
    const std::vector<StepTrain> inputs = {{5, 150, 420}, {60, 300}, {20, 200, 380, 600}, {100}};
    const std::vector<StepTrain> hidden = {{80, 180, 450}, {230, 390}, {120, 320, 520, 640}};
    const std::vector<StepTrain> desired = {StepTrain(desired0.begin(), desired0.end()),
                                            StepTrain(desired1.begin(), desired1.end())};
    const std::vector<StepTrain> actual = {StepTrain(actual0.begin(), actual0.end()),
                                           StepTrain(actual1.begin(), actual1.end())};
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {inputs, hidden, actual}, {});
    NormadSettings settings;
    settings.learntCorrelation = margin;
    settings.learntKernelWidth = width;
    const NormadRule rule(net, sim, settings);
    QCOMPARE(rule.learntNeurons(actual, desired), (std::vector<bool>{learnt0, learnt1}));

    std::vector<StepTrain> reference = desired;
    if (learnt0)
        reference[0] = actual[0];
    if (learnt1)
        reference[1] = actual[1];
    const PatternGradient g = rule.compute(net, rec, desired);
    const PatternGradient expected = NormadRule(net, sim, NormadSettings{}).compute(net, rec, reference);
    for (int l : {1, 2}) {
        QCOMPARE(g.error(l).size(), expected.error(l).size());
        for (std::size_t k = 0; k < g.error(l).size(); ++k) {
            QCOMPARE(g.error(l)[k].neuron, expected.error(l)[k].neuron);
            QCOMPARE(g.error(l)[k].step, expected.error(l)[k].step);
            QCOMPARE(g.error(l)[k].value, expected.error(l)[k].value);
        }
        QVERIFY(g.delta(l) == expected.delta(l)); // bit for bit
    }
    if (learnt0 && learnt1) { // a fixed point: no layer moves
        QCOMPARE(g.delta(1).norm(), 0.0);
        QCOMPARE(g.delta(2).norm(), 0.0);
    } else { // what is left still trains both layers
        QVERIFY(g.delta(1).norm() > 0);
        QVERIFY(g.delta(2).norm() > 0);
    }
}

void TestRule::optionsOffArePapersRule_data()
{
    QTest::addColumn<qulonglong>("seed");
    for (qulonglong seed : {1ULL, 2ULL, 3ULL, 4ULL})
        QTest::newRow(qPrintable(QString("seed %1").arg(seed))) << seed;
}

void TestRule::optionsOffArePapersRule()
{
    // Random 6 → 4 → 3 records: a match tolerance of 0 gives exactly the error trains of the papers'
    // rule, and a margin that no neuron meets (C < 1 for trains that differ) computes C but leaves
    // every ΔW bit for bit the papers' rule's.
    QFETCH(qulonglong, seed);
    std::mt19937_64 rng(seed);
    SimulationParams sim;
    sim.duration = 0.1;
    Network net(6, {layer(4, 0.3e-9), layer(3, 1e-9)});
    net.initializeWeights(seed);
    const std::vector<StepTrain> inputs = randomTrains(6, sim.steps(), 0.004, rng);
    const std::vector<StepTrain> hidden = randomTrains(4, sim.steps(), 0.003, rng);
    const std::vector<StepTrain> actual = randomTrains(3, sim.steps(), 0.002, rng);
    const std::vector<StepTrain> desired = randomTrains(3, sim.steps(), 0.002, rng);
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {inputs, hidden, actual}, {});
    const std::vector<ErrorEntry> plain = normad::outputErrors(desired, actual);
    const std::vector<ErrorEntry> zero = normad::outputErrors(desired, actual, 0);
    QCOMPARE(zero.size(), plain.size());
    for (std::size_t k = 0; k < plain.size(); ++k)
        QVERIFY(zero[k].neuron == plain[k].neuron && zero[k].step == plain[k].step && zero[k].value == plain[k].value);
    NormadSettings margin;
    margin.learntCorrelation = 0.999999;
    const NormadRule withMargin(net, sim, margin);
    QCOMPARE(withMargin.learntNeurons(actual, desired), std::vector<bool>(3, false));
    const PatternGradient a = withMargin.compute(net, rec, desired);
    const PatternGradient b = NormadRule(net, sim, NormadSettings{}).compute(net, rec, desired);
    QVERIFY(b.delta(1).norm() > 0 && b.delta(2).norm() > 0);
    QVERIFY(a.delta(1) == b.delta(1));
    QVERIFY(a.delta(2) == b.delta(2));
}

void TestRule::hiddenRuleMatchesDirectEvaluation_data()
{
    QTest::addColumn<int>("vdotMode");
    QTest::addColumn<int>("kernel");
    QTest::addColumn<int>("lag"); // EpsilonLag: ε′ read at (q − s + lag)·dt
    QTest::newRow("ode, τL′ kernel") << int(VdotMode::Ode) << int(BackpropKernel::Effective) << 0;
    QTest::newRow("const, τL′ kernel") << int(VdotMode::Constant) << int(BackpropKernel::Effective) << 0;
    QTest::newRow("ode, τL kernel") << int(VdotMode::Ode) << int(BackpropKernel::Membrane) << 0;
    QTest::newRow("ode, τL kernel, next-step lag") << int(VdotMode::Ode) << int(BackpropKernel::Membrane) << 1;
}

void TestRule::hiddenRuleMatchesDirectEvaluation()
{
    // Spec §3.5 on 4 → 3 → 2 with hand-made spikes: δ_s = (1/V̇) Σ_k w_ki Σ_{q ≥ s} E_k[q] ε′(q − s),
    // Δw^1_i = r_1 Σ_s δ_s n̂^0(t_s), Δw^2 the output rule.
    QFETCH(int, vdotMode);
    QFETCH(int, kernel);
    QFETCH(int, lag);
    SimulationParams sim;
    sim.duration = 0.08;
    const double r1 = 0.3e-9, r2 = 1e-9;
    Network net(4, {layer(3, r1), layer(2, r2)});
    Eigen::MatrixXd w2(2, 3);
    w2 << 1e-9, -0.5e-9, 2e-9, 0.7e-9, 1.5e-9, -1e-9;
    net.setWeights(2, w2);
    const std::vector<StepTrain> inputs = {{5, 150, 420}, {60, 300}, {20, 200, 380, 600}, {100}};
    const std::vector<StepTrain> hidden = {{180, 450}, {230}, {320, 520, 640}};
    const std::vector<std::vector<double>> currents = {{3.5e-9, 2.6e-9}, {5e-9}, {2.9e-9, 4e-9, 3.1e-9}};
    const std::vector<StepTrain> actual = {{260, 560}, {350}};
    const std::vector<StepTrain> desired = {{240, 600}, {330, 700}};
    NormadSettings params;
    params.vdotMode = VdotMode(vdotMode);
    params.vdotConstant = 2.0;
    params.backpropKernel = BackpropKernel(kernel);
    params.epsilonLag = lag ? EpsilonLag::NextStep : EpsilonLag::SpikeStep;
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {inputs, hidden, actual}, {{}, currents});
    const PatternGradient g = NormadRule(net, sim, params).compute(net, rec, desired);

    const LifParams lif;
    const double tauK = params.backpropKernel == BackpropKernel::Effective ? 1e-3 : lif.membraneTimeConstant();
    // Output errors, written out: neuron 0: +240, −260, −560, +600; neuron 1: +330, −350, +700.
    const std::vector<std::tuple<int, std::int64_t, double>> out = {
        {0, 240, 1}, {0, 260, -1}, {0, 560, -1}, {0, 600, 1}, {1, 330, 1}, {1, 350, -1}, {1, 700, 1}};
    Eigen::MatrixXd expected1 = Eigen::MatrixXd::Zero(3, 4), expected2 = Eigen::MatrixXd::Zero(2, 3);
    for (int i = 0; i < 3; ++i)
        for (std::size_t k = 0; k < hidden[static_cast<std::size_t>(i)].size(); ++k) {
            const std::int64_t s = hidden[static_cast<std::size_t>(i)][k];
            double b = 0;
            for (const auto& [o, q, e] : out)
                if (q >= s)
                    b += w2(o, i) * e * epsPrimeSpec((q - s + lag) * sim.dt, net.synapse(), tauK, lif.capacitance);
            const double vdot =
                params.vdotMode == VdotMode::Ode
                    ? std::max((currents[static_cast<std::size_t>(i)][k] - lif.rheobase()) / lif.capacitance, 1.0)
                    : 2.0;
            const Eigen::VectorXd d = dhatDirect(inputs, s, net.synapse(), sim.dt, 1e-3, lif.capacitance);
            expected1.row(i) += r1 * (b / vdot) * d.transpose() / d.norm();
        }
    for (const auto& [o, q, e] : out) {
        const Eigen::VectorXd d = dhatDirect(hidden, q, net.synapse(), sim.dt, 1e-3, lif.capacitance);
        if (d.norm() > 0)
            expected2.row(o) += r2 * e * d.transpose() / d.norm();
    }
    QVERIFY(expected1.norm() > 0);
    QVERIFY2((g.delta(1) - expected1).norm() < 1e-6 * expected1.norm(),
             qPrintable(QString("hidden relative error %1").arg((g.delta(1) - expected1).norm() / expected1.norm())));
    QVERIFY((g.delta(2) - expected2).norm() < 1e-9 * expected2.norm());
    // The reported hidden error train has one entry per hidden spike that received error.
    QCOMPARE(g.error(1).size(), std::size_t(6));
}

void TestRule::jointNormalizationMatchesDirectEvaluation()
{
    // Variant B: per output error instant q, g_q = (∂V_o(t_q)/∂W¹, ∂V_o(t_q)/∂W²) with raw d̂,
    // ΔW^l = r_l Σ_q e_q g^l_q/‖g_q‖ (joint norm over both layers).
    SimulationParams sim;
    sim.duration = 0.06;
    const double r1 = 0.2e-9, r2 = 0.5e-9;
    Network net(3, {layer(2, r1), layer(1, r2)});
    Eigen::MatrixXd w2(1, 2);
    w2 << 1.2e-9, -0.8e-9;
    net.setWeights(2, w2);
    const std::vector<StepTrain> inputs = {{10, 200}, {50, 260}, {120}};
    const std::vector<StepTrain> hidden = {{150, 330}, {280}};
    const std::vector<std::vector<double>> currents = {{4e-9, 3e-9}, {6e-9}};
    NormadSettings params;
    params.normalization = Normalization::Joint;
    params.backpropKernel = BackpropKernel::Effective; // the direct evaluation below uses τL′
    const SimulationRecord rec = handRecord(sim.steps(), sim.dt, {inputs, hidden, {{400}}}, {{}, currents});
    const PatternGradient g = NormadRule(net, sim, params).compute(net, rec, {{300}});

    const LifParams lif;
    Eigen::MatrixXd e1 = Eigen::MatrixXd::Zero(2, 3), e2 = Eigen::MatrixXd::Zero(1, 2);
    for (const auto& [q, e] : std::vector<std::pair<std::int64_t, double>>{{300, 1.0}, {400, -1.0}}) {
        Eigen::MatrixXd g1 = Eigen::MatrixXd::Zero(2, 3), g2 = Eigen::MatrixXd::Zero(1, 2);
        g2.row(0) = dhatDirect(hidden, q, net.synapse(), sim.dt, 1e-3, lif.capacitance).transpose();
        for (int i = 0; i < 2; ++i)
            for (std::size_t k = 0; k < hidden[static_cast<std::size_t>(i)].size(); ++k) {
                const std::int64_t s = hidden[static_cast<std::size_t>(i)][k];
                if (q < s)
                    continue;
                const double vdot =
                    std::max((currents[static_cast<std::size_t>(i)][k] - lif.rheobase()) / lif.capacitance, 1.0);
                const double sens =
                    w2(0, i) * epsPrimeSpec((q - s) * sim.dt, net.synapse(), 1e-3, lif.capacitance) / vdot;
                g1.row(i) += sens * dhatDirect(inputs, s, net.synapse(), sim.dt, 1e-3, lif.capacitance).transpose();
            }
        const double norm = std::sqrt(g1.squaredNorm() + g2.squaredNorm());
        e1 += r1 * e * g1 / norm;
        e2 += r2 * e * g2 / norm;
    }
    QVERIFY(e1.norm() > 0 && e2.norm() > 0);
    QVERIFY2((g.delta(1) - e1).norm() < 1e-6 * e1.norm(),
             qPrintable(QString("layer 1 relative error %1").arg((g.delta(1) - e1).norm() / e1.norm())));
    QVERIFY((g.delta(2) - e2).norm() < 1e-6 * e2.norm());
}

void TestRule::frozenLayersAreNotUpdated()
{
    SimulationParams sim;
    sim.duration = 0.05;
    Network net(3, {layer(2, 1e-9), layer(1, 1e-9)});
    net.layer(2).trainable = false;
    net.setWeights(2, Eigen::MatrixXd::Constant(1, 2, 1e-9));
    const SimulationRecord rec =
        handRecord(sim.steps(), sim.dt, {{{10}, {20}, {30}}, {{100}, {150}}, {{}}}, {{}, {{4e-9}, {4e-9}}});
    const PatternGradient g = NormadRule(net, sim, NormadSettings{}).compute(net, rec, {{200}});
    QCOMPARE(g.delta(2).norm(), 0.0);
    QVERIFY(g.delta(1).norm() > 0); // the error still flows back through the frozen output layer
}

void TestRule::hiddenGradientDirectionalDerivative()
{
    // Spec §5 check 10 on 40 → 8 → 1, dt = 0.01 ms, τL′ = τL in d̂ and ε, V̇ from the ODE.
    // Φ(W¹) = Σ_n e[n]·V_free,o[n], V_free = EL + W²·d(t) with d the τL-filtered hidden traces and
    // e fixed from the unperturbed pass. G = Σ_s δ_s d̂(t_s) (unnormalised §3.5). Moving W¹ along
    // ±G must move Φ by ±, more than random directions of the same norm.
    SimulationParams sim;
    sim.dt = 1e-5;
    sim.duration = 0.1;
    const int nIn = 40, nHid = 8;
    LayerSpec hiddenSpec = layer(nHid, 1e-9);
    hiddenSpec.init.mean = 1.2e-9;
    hiddenSpec.init.stddev = 1e-9;
    LayerSpec outSpec = layer(1, 1e-9);
    outSpec.init.mean = 0.5e-9;
    outSpec.init.stddev = 1e-9;
    Network net(nIn, {hiddenSpec, outSpec});
    net.initializeWeights(11);
    std::mt19937_64 rng(5);
    const std::vector<StepTrain> inputs = randomTrains(nIn, sim.steps(), 30.0 * sim.dt, rng);
    const SimulationRecord rec = Simulator(net, sim).runSteps(inputs);
    QVERIFY(rec.activity(1).totalSpikes() >= 8);

    NormadSettings params;
    const double tauL = LifParams{}.membraneTimeConstant();
    params.effectiveTimeConstant = tauL;
    params.backpropKernel = BackpropKernel::Membrane;
    NormadRule rule(net, sim, params);
    // A desired train that differs from the actual output.
    StepTrain desired;
    for (double t : {0.02, 0.045, 0.07, 0.09})
        desired.push_back(sim.stepOf(t));
    const PatternGradient g = rule.compute(net, rec, {desired});
    const std::vector<ErrorEntry>& outErrors = g.error(2);
    QVERIFY(!g.error(1).empty());

    // Unnormalised hidden gradient from the δ train.
    Eigen::MatrixXd G = Eigen::MatrixXd::Zero(nHid, nIn);
    for (const ErrorEntry& e : g.error(1)) {
        const Eigen::MatrixXd d = rule.filteredInputs(rec.activity(0), nIn, LifParams{}.capacitance, {e.step});
        G.row(e.neuron) += e.value * d.row(0);
    }
    QVERIFY(G.norm() > 0);

    auto phi = [&](const Network& n) -> std::pair<double, bool> {
        const SimulationRecord r = Simulator(n, sim).runSteps(inputs);
        for (int i = 0; i < nHid; ++i)
            if (r.activity(1).spikes[static_cast<std::size_t>(i)].size() !=
                rec.activity(1).spikes[static_cast<std::size_t>(i)].size())
                return {0.0, false};
        std::vector<std::int64_t> steps;
        for (const ErrorEntry& e : outErrors)
            steps.push_back(e.step);
        const Eigen::MatrixXd d = rule.filteredInputs(r.activity(1), nHid, LifParams{}.capacitance, steps);
        double value = 0;
        for (std::size_t k = 0; k < outErrors.size(); ++k)
            value += outErrors[k].value * (n.weights(2).row(0).dot(d.row(static_cast<Eigen::Index>(k))));
        return {value, true};
    };
    const double phi0 = phi(net).first;
    auto moved = [&](const Eigen::MatrixXd& direction, double h) {
        Network n = net;
        n.addToWeights(1, h * direction / direction.norm());
        return phi(n);
    };

    // Largest step (shrinking from 0.2 nA) that keeps every hidden spike count.
    double h = 0.2e-9;
    std::pair<double, bool> plus, minus;
    for (; h > 1e-14; h *= 0.5) {
        plus = moved(G, h);
        minus = moved(G, -h);
        if (plus.second && minus.second && plus.first != phi0)
            break;
    }
    QVERIFY2(plus.second && minus.second, "no perturbation kept the hidden spike counts");
    QVERIFY2(plus.first - phi0 > 0, qPrintable(QString("ΔΦ(+G) = %1").arg(plus.first - phi0)));
    QVERIFY2(minus.first - phi0 < 0, qPrintable(QString("ΔΦ(−G) = %1").arg(minus.first - phi0)));

    double randomMean = 0;
    int counted = 0;
    for (int k = 0; k < 8; ++k) {
        Eigen::MatrixXd dir(nHid, nIn);
        std::normal_distribution<double> nd;
        for (Eigen::Index i = 0; i < dir.size(); ++i)
            dir.data()[i] = nd(rng);
        const auto r = moved(dir, h);
        if (r.second) {
            randomMean += std::abs(r.first - phi0);
            ++counted;
        }
    }
    QVERIFY(counted >= 5);
    randomMean /= counted;
    QVERIFY2(plus.first - phi0 > randomMean,
             qPrintable(QString("ΔΦ(+G) = %1, mean |ΔΦ(random)| = %2").arg(plus.first - phi0).arg(randomMean)));
}

void TestRule::resumeMatchesDirectEvaluation()
{
    // Δw_i = η Σ_n e[n]·(a + Σ_{t_s ≤ t_n} e^{−(t_n − t_s)/τ}).
    SimulationParams sim;
    sim.duration = 0.05;
    const std::vector<StepTrain> inputs = {{10, 200}, {150}, {}};
    Network net(3, {layer(1, 2e-9)});
    TrainingParams params;
    params.rule = "resume";
    params.setSetting("resume", "nonHebbian", 0.05);
    params.setSetting("resume", "tau_s", 5e-3);
    const PatternGradient g = findRule(params.rule)
                                  .create(net, sim, params.settings())
                                  ->compute(net, handRecord(sim.steps(), sim.dt, {inputs, {{250}}}, {}), {{220}});
    Eigen::RowVectorXd expected = Eigen::RowVectorXd::Zero(3);
    for (const auto& [n, e] : std::vector<std::pair<std::int64_t, double>>{{220, 1.0}, {250, -1.0}})
        for (int i = 0; i < 3; ++i) {
            double x = 0;
            for (std::int64_t s : inputs[static_cast<std::size_t>(i)])
                if (s <= n)
                    x += std::exp(-(n - s) * sim.dt / 5e-3);
            expected[i] += 2e-9 * e * (0.05 + x);
        }
    QVERIFY((g.delta(1).row(0) - expected).norm() < 1e-12 * expected.norm());
}

void TestRule::registryDefaultsPassTheirCheck_data()
{
    QTest::addColumn<QString>("key");
    for (const RuleInfo& rule : learningRules())
        QTest::newRow(rule.key.c_str()) << QString::fromStdString(rule.key);
}

void TestRule::registryDefaultsPassTheirCheck()
{
    // Every rule's described defaults are valid settings of that rule, its factory builds from them,
    // and its description is complete; its variant text names it.
    QFETCH(QString, key);
    const RuleInfo& rule = findRule(key.toStdString());
    QCOMPARE(QString::fromStdString(rule.key), key);
    QVERIFY(!rule.name.empty() && !rule.citation.empty() && !rule.summary.empty());
    for (const FieldInfo& f : rule.parameters) {
        QVERIFY2(!f.label.empty() && !f.help.empty(), f.key.c_str());
        f.check(f.defaultValue, "training.rules." + rule.key);
    }
    const FieldValues values = completed(rule.parameters, {}, "training.rules." + rule.key);
    QVERIFY(values == defaults(rule.parameters));
    TrainingParams t;
    t.rule = rule.key;
    t.validate();
    QVERIFY(t.settings() == values);
    SimulationParams sim;
    sim.duration = 0.05;
    const Network net(2, {layer(1, 1e-9)});
    const auto built = rule.create(net, sim, values);
    QVERIFY(built);
    QCOMPARE(built->trainedLayers(net), std::vector<bool>{true});
    QVERIFY(describeVariant(t).starts_with(rule.name));
}

void TestRule::unknownRuleIsNamed()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, findRule("tempotron"));
    try {
        findRule("tempotron");
    } catch (const std::invalid_argument& e) {
        QCOMPARE(
            QString(e.what()),
            QStringLiteral(
                "unknown learning rule \"tempotron\" (expected \"normad\", \"resume\", \"psd\" or \"superspike\")"));
    }
    TrainingParams t;
    t.rule = "tempotron";
    try {
        t.validate();
        QFAIL("an unknown rule was accepted");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString(e.what()).startsWith(QStringLiteral("training.rule: unknown learning rule")), e.what());
    }
    t.rule = "normad";
    t.ruleSettings["normad"]["effectiveTimeConstant_s"] = -1.0;
    try {
        t.validate();
        QFAIL("a bad setting was accepted");
    } catch (const std::invalid_argument& e) {
        QCOMPARE(QString(e.what()),
                 QStringLiteral("training.rules.normad.effectiveTimeConstant_s: must be greater than 0 (got -1.0)"));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, t.setSetting("resume", "window", 1.0));
    QVERIFY(t.ruleSettings.find("resume") == t.ruleSettings.end()); // a refused setting changes nothing
}

void TestRule::learningRateScaleDecays()
{
    // r × factor^⌊epochs / every⌋, the one formula the trainer and the inspector use.
    TrainingParams t;
    QCOMPARE(learningRateScale(t, 7), 1.0);
    t.rateDecayEvery = 3;
    t.rateDecayFactor = 0.5;
    QCOMPARE(learningRateScale(t, 2), 1.0);
    QCOMPARE(learningRateScale(t, 3), 0.5);
    QCOMPARE(learningRateScale(t, 7), 0.25);
}

QTEST_APPLESS_MAIN(TestRule)
#include "tst_rule.moc"
