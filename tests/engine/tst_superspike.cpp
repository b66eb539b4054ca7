// SuperSpike (Zenke & Ganguli 2018) against a direct, slow evaluation of its equations: α by its closed
// form with the peak found by search, the error, the membrane trace P, the eligibility λ and ∫ e λ dt as
// nested sums over the grid (docs/engine.md "SuperSpike"), on hand-made records of one and two layers;
// the surrogate, RMaxProp's running max, refused settings, determinism and learning.

#include "normad/Checkpoint.h"
#include "normad/Reproduction.h"
#include "normad/RuleRegistry.h"
#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"

#include <QtTest>

#include <cmath>

using namespace normad;

namespace {

LayerSpec layer(int size, double rate)
{
    LayerSpec l;
    l.size = size;
    l.learningRate = rate;
    return l;
}

// A record whose spikes and membrane potentials are set by hand (the rule reads both).
SimulationRecord handRecord(const Network& net, std::int64_t steps, double dt,
                            const std::vector<std::vector<StepTrain>>& populations,
                            const std::function<double(int, int, std::int64_t)>& volts)
{
    SimulationRecord rec;
    rec.steps = steps;
    rec.dt = dt;
    for (const auto& spikes : populations) {
        LayerActivity a;
        a.spikes = spikes;
        for (const StepTrain& s : spikes)
            a.currents.emplace_back(s.size(), 0.0);
        rec.layers.push_back(a);
    }
    for (int l = 1; l <= net.layerCount(); ++l)
        for (int i = 0; i < net.populationSize(l); ++i) {
            MembraneTrace t{l, i, {}};
            for (std::int64_t n = 0; n < steps; ++n)
                t.volts.push_back(volts(l, i, n));
            rec.membranes.push_back(t);
        }
    return rec;
}

std::unique_ptr<LearningRule> superspike(const Network& net, const SimulationParams& sim,
                                         const std::vector<std::pair<std::string, double>>& settings = {})
{
    TrainingParams t;
    t.rule = "superspike";
    for (const auto& [key, value] : settings)
        t.setSetting("superspike", key, value);
    return findRule(t.rule).create(net, sim, t.settings());
}

/// The slow evaluation of the paper's equations on our grid (docs/engine.md), straight from the sums.
struct DirectSuperspike {
    double beta = 1e3, tauRise = 5e-3, tauDecay = 10e-3;

    double alphaPeak() const // by ternary search, not the closed form the rule uses
    {
        auto k = [&](double t) { return std::exp(-t / tauDecay) - std::exp(-t / tauRise); };
        double lo = 0, hi = 10 * tauDecay;
        for (int i = 0; i < 300; ++i) {
            const double a = lo + (hi - lo) / 3, b = hi - (hi - lo) / 3;
            (k(a) < k(b) ? lo : hi) = k(a) < k(b) ? a : b;
        }
        return k(0.5 * (lo + hi));
    }

    std::vector<Eigen::MatrixXd> deltas(const Network& net, const SimulationRecord& rec,
                                        const std::vector<StepTrain>& desired, double rateScale) const
    {
        const std::int64_t N = rec.steps;
        const double dt = rec.dt;
        const double c = 1.0 / alphaPeak();
        auto alpha = [&](std::int64_t k) {
            return k < 0 ? 0.0 : c * (std::exp(-k * dt / tauDecay) - std::exp(-k * dt / tauRise));
        };
        const int L = net.layerCount();
        // e_i[n] = Σ α((n − t̂)dt) − Σ α((n − s)dt)
        std::vector<std::vector<double>> e(static_cast<std::size_t>(net.outputCount()), std::vector<double>(N, 0.0));
        for (int i = 0; i < net.outputCount(); ++i)
            for (std::int64_t n = 0; n < N; ++n) {
                for (std::int64_t t : desired[static_cast<std::size_t>(i)])
                    e[i][n] += alpha(n - t);
                for (std::int64_t s : rec.activity(L).spikes[static_cast<std::size_t>(i)])
                    e[i][n] -= alpha(n - s);
            }
        std::vector<Eigen::MatrixXd> out(static_cast<std::size_t>(L));
        std::vector<std::vector<double>> errorAbove = e;
        for (int l = L; l >= 1; --l) {
            const auto& err = errorAbove;
            const LifParams& nrn = net.layer(l).neuron;
            const SynapseParams& syn = net.synapse();
            const auto& pre = rec.activity(l - 1).spikes;
            // P_j[n] = Σ_{m ≤ n} e^{−(n−m)dt/τL}·I0·dt/C·Σ_{s ≤ m} (e^{−(m−s)dt/τ1} − e^{−(m−s)dt/τ2})
            std::vector<std::vector<double>> P(pre.size(), std::vector<double>(N, 0.0));
            for (std::size_t j = 0; j < pre.size(); ++j)
                for (std::int64_t n = 0; n < N; ++n)
                    for (std::int64_t m = 0; m <= n; ++m) {
                        double current = 0;
                        for (std::int64_t s : pre[j])
                            if (s <= m)
                                current +=
                                    std::exp(-(m - s) * dt / syn.tauDecay) - std::exp(-(m - s) * dt / syn.tauRise);
                        P[j][n] += std::exp(-(n - m) * dt / nrn.membraneTimeConstant()) * syn.amplitude * dt /
                                   nrn.capacitance * current;
                    }
            Eigen::MatrixXd d = Eigen::MatrixXd::Zero(net.populationSize(l), net.populationSize(l - 1));
            for (int i = 0; i < net.populationSize(l); ++i) {
                const MembraneTrace* u = rec.membrane(l, i);
                std::vector<double> sigma(N);
                for (std::int64_t n = 0; n < N; ++n)
                    sigma[n] = std::pow(1.0 + beta * std::abs(u->volts[n] - nrn.threshold), -2.0);
                for (std::size_t j = 0; j < pre.size(); ++j) {
                    double g = 0;
                    for (std::int64_t n = 0; n < N; ++n) {
                        double lambda = 0; // λ_ij[n] = Σ_{m ≤ n} α((n − m)dt)·σ′[m]·P_j[m]·dt
                        for (std::int64_t m = 0; m <= n; ++m)
                            lambda += alpha(n - m) * sigma[m] * P[j][m] * dt;
                        g += err[i][n] * lambda * dt;
                    }
                    d(i, static_cast<Eigen::Index>(j)) = net.layer(l).learningRate * rateScale * g;
                }
            }
            out[static_cast<std::size_t>(l - 1)] =
                net.layer(l).trainable ? d : Eigen::MatrixXd::Zero(d.rows(), d.cols());
            if (l > 1) { // symmetric feedback: E^{l−1}_k = Σ_i W^l_ik E^l_i
                std::vector<std::vector<double>> below(static_cast<std::size_t>(net.populationSize(l - 1)),
                                                       std::vector<double>(N, 0.0));
                for (int k = 0; k < net.populationSize(l - 1); ++k)
                    for (int i = 0; i < net.populationSize(l); ++i)
                        for (std::int64_t n = 0; n < N; ++n)
                            below[k][n] += net.weights(l)(i, k) * err[i][n];
                errorAbove = below;
            }
        }
        return out;
    }
};

double relativeDifference(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b)
{
    const double scale = std::max(a.norm(), b.norm());
    return scale == 0 ? 0.0 : (a - b).norm() / scale;
}

} // namespace

class TestSuperspike : public QObject {
    Q_OBJECT

private slots:
    void updateMatchesEquations_data();
    void updateMatchesEquations();
    void surrogate_data();
    void surrogate();
    void rmaxpropKeepsRunningMax();
    void invalidSettingsRefused_data();
    void invalidSettingsRefused();
    void deterministicAndResumable();
    void reducesErrorOnSingleNeuron();
    void registered();
    void reproductionVariants_data();
    void reproductionVariants();
};

void TestSuperspike::updateMatchesEquations_data()
{
    QTest::addColumn<int>("hidden"); // 0: one layer
    QTest::addColumn<bool>("hiddenFrozen");
    QTest::addColumn<double>("rateScale");
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("tauRise");
    QTest::addColumn<double>("tauDecay");

    QTest::newRow("1 layer, defaults") << 0 << false << 1.0 << 1e3 << 5e-3 << 10e-3;
    QTest::newRow("1 layer, rate decay, other kernel") << 0 << false << 0.5 << 300.0 << 2e-3 << 7e-3;
    QTest::newRow("2 layers, defaults") << 3 << false << 1.0 << 1e3 << 5e-3 << 10e-3;
    QTest::newRow("2 layers, other β and α") << 4 << false << 0.25 << 2e3 << 3e-3 << 12e-3;
    QTest::newRow("2 layers, hidden frozen") << 3 << true << 1.0 << 1e3 << 5e-3 << 10e-3;
}

void TestSuperspike::updateMatchesEquations()
{
    QFETCH(int, hidden);
    QFETCH(bool, hiddenFrozen);
    QFETCH(double, rateScale);
    QFETCH(double, beta);
    QFETCH(double, tauRise);
    QFETCH(double, tauDecay);
    SimulationParams sim;
    sim.duration = 0.03; // 300 steps: the direct sums are O(N²) per synapse
    std::vector<LayerSpec> layers;
    if (hidden > 0) {
        layers.push_back(layer(hidden, 0.2e-9));
        layers.back().trainable = !hiddenFrozen;
    }
    layers.push_back(layer(2, 0.5e-9));
    layers.back().neuron.threshold = 15e-3; // ϑ of the output layer differs from the hidden one's
    Network net(3, layers);
    net.initializeWeights(7);
    const std::vector<StepTrain> inputs = {{10, 120}, {40, 41, 200}, {}};
    std::vector<std::vector<StepTrain>> populations = {inputs};
    if (hidden > 0) {
        std::vector<StepTrain> h(static_cast<std::size_t>(hidden));
        h[0] = {60, 150};
        h[1] = {90};
        h[2] = {}; // a silent hidden neuron still has σ′ > 0 and learns
        populations.push_back(h);
    }
    populations.push_back({{70, 240}, {}});
    const std::vector<StepTrain> desired = {{100}, {130, 260}};
    // Membrane potentials that wander around the thresholds (mV scale), different per neuron.
    auto volts = [](int l, int i, std::int64_t n) {
        return 5e-3 + 12e-3 * std::sin(0.037 * static_cast<double>(n) + 0.9 * i + 0.4 * l) + 1e-3 * l;
    };
    const SimulationRecord rec = handRecord(net, sim.steps(), sim.dt, populations, volts);

    const auto rule = superspike(net, sim, {{"beta_perV", beta}, {"tauRise_s", tauRise}, {"tauDecay_s", tauDecay}});
    const PatternGradient g = rule->compute(net, rec, desired, rateScale);
    QVERIFY(!g.cancelled);
    const DirectSuperspike direct{beta, tauRise, tauDecay};
    const std::vector<Eigen::MatrixXd> expected = direct.deltas(net, rec, desired, rateScale);
    for (int l = 1; l <= net.layerCount(); ++l) {
        const double diff = relativeDifference(g.delta(l), expected[static_cast<std::size_t>(l - 1)]);
        QVERIFY2(diff < 1e-12, qPrintable(QStringLiteral("layer %1: relative difference %2 (|ΔW| = %3)")
                                              .arg(l)
                                              .arg(diff)
                                              .arg(g.delta(l).norm())));
        if (l < net.layerCount() && hiddenFrozen)
            QCOMPARE(g.delta(l).norm(), 0.0);
        else
            QVERIFY(g.delta(l).norm() > 0);
    }
    // A silent input never changes a weight (P = 0).
    QCOMPARE(g.delta(1).col(2).norm(), 0.0);

    // Without recorded membranes the rule simulates them itself: same update as with the simulator's own record.
    const Simulator simulator(net, sim);
    RecordRequest all;
    for (int l = 1; l <= net.layerCount(); ++l)
        all.wholeLayers.push_back(l);
    const SimulationRecord plain = simulator.runSteps(inputs);
    const SimulationRecord full = simulator.runSteps(inputs, all);
    const PatternGradient a = rule->compute(net, plain, desired, rateScale);
    const PatternGradient b = rule->compute(net, full, desired, rateScale);
    for (int l = 1; l <= net.layerCount(); ++l)
        QCOMPARE(relativeDifference(a.delta(l), b.delta(l)), 0.0);
}

void TestSuperspike::surrogate_data()
{
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("offset"); // U − ϑ, volts
    QTest::newRow("at threshold") << 1e3 << 0.0;
    QTest::newRow("1 mV above") << 1e3 << 1e-3;
    QTest::newRow("1 mV below") << 1e3 << -1e-3;
    QTest::newRow("20 mV below") << 1e3 << -20e-3;
    QTest::newRow("β = 0.5/mV, 4 mV below") << 500.0 << -4e-3;
}

void TestSuperspike::surrogate()
{
    // With U constant, σ′ factors out of ∫ e λ dt: ΔW(U = ϑ + x) / ΔW(U = ϑ) = (1 + β|x|)⁻².
    QFETCH(double, beta);
    QFETCH(double, offset);
    SimulationParams sim;
    sim.duration = 0.03;
    const Network net(1, {layer(1, 1e-9)});
    const double threshold = net.layer(1).neuron.threshold;
    auto update = [&](double x) {
        const SimulationRecord rec =
            handRecord(net, sim.steps(), sim.dt, {{{5}}, {{}}}, [&](int, int, std::int64_t) { return threshold + x; });
        return superspike(net, sim, {{"beta_perV", beta}})->compute(net, rec, {{80}}).delta(1)(0, 0);
    };
    const double expected = 1.0 / ((1.0 + beta * std::abs(offset)) * (1.0 + beta * std::abs(offset)));
    const double ratio = update(offset) / update(0.0);
    QVERIFY2(std::abs(ratio - expected) <= 1e-13 * expected,
             qPrintable(QStringLiteral("σ′ ratio %1, expected %2").arg(ratio, 0, 'g', 17).arg(expected, 0, 'g', 17)));
    QVERIFY(update(0.0) > 0); // a missing spike after an input spike strengthens the synapse
}

void TestSuperspike::rmaxpropKeepsRunningMax()
{
    SimulationParams sim;
    const double r = 2e-9, gamma = 0.5, eps = 1e-6;
    const Network net(2, {layer(1, r)});
    const auto rule = superspike(net, sim, {{"gamma", gamma}, {"epsilon", eps}});
    QVERIFY(rule->hasUpdateState());
    // Gradients g of weight 0 over five updates (weight 1 stays 0): big, small, small, bigger, zero.
    const std::vector<double> gradients = {4.0, -1.0, 0.5, -8.0, 0.0};
    const double scale = 0.5; // rate decay: compute() would have given r·scale·g
    Eigen::MatrixXd state;
    double v = 0;
    for (double gr : gradients) {
        Eigen::MatrixXd delta(1, 2);
        delta << r * scale * gr, 0.0;
        rule->adaptUpdate(net, 1, scale, delta, state);
        v = std::max(gamma * v, gr * gr); // the running max, decayed by γ per update
        QCOMPARE(state.rows(), 1);
        QVERIFY(std::abs(state(0, 0) - v) <= 1e-15 * v);
        const double expected = r * scale * gr / std::sqrt(v + eps);
        QVERIFY2(std::abs(delta(0, 0) - expected) <= 1e-14 * std::abs(r), qPrintable(QString::number(delta(0, 0))));
        QCOMPARE(state(0, 1), 0.0);
        QCOMPARE(delta(0, 1), 0.0);
    }
    // After 4, −1, 0.5, −8, 0: v = max(0.5·max(0.5·max(0.5·16, 1), 0.25), 64)·0.5 = 32.
    QCOMPARE(state(0, 0), 32.0);
}

void TestSuperspike::invalidSettingsRefused_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected"); // in the message besides the key
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("β NaN") << "beta_perV" << nan << "nan";
    QTest::newRow("β negative") << "beta_perV" << -1.0 << "-1";
    QTest::newRow("τrise negative") << "tauRise_s" << -0.005 << "-0.005";
    QTest::newRow("τdecay zero") << "tauDecay_s" << 0.0 << "0";
    QTest::newRow("τdecay NaN") << "tauDecay_s" << nan << "nan";
    QTest::newRow("τrise above τdecay") << "tauRise_s" << 0.02 << "0.02";
    QTest::newRow("γ above 1") << "gamma" << 1.5 << "1.5";
    QTest::newRow("ε zero") << "epsilon" << 0.0 << "0";
    QTest::newRow("ε NaN") << "epsilon" << nan << "nan";
}

void TestSuperspike::invalidSettingsRefused()
{
    QFETCH(QString, key);
    QFETCH(double, value);
    QFETCH(QString, expected);
    const Network net(1, {layer(1, 1e-9)});
    try { // refused where the value is set (each field alone) or where the rule is built (τrise < τdecay)
        TrainingParams t;
        t.rule = "superspike";
        t.setSetting("superspike", key.toStdString(), value);
        (void)findRule("superspike").create(net, SimulationParams{}, t.settings());
        QFAIL("accepted");
    } catch (const std::invalid_argument& e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(what.contains("training.rules.superspike." + key), qPrintable(what));
        QVERIFY2(what.contains("(got " + expected, Qt::CaseInsensitive), qPrintable(what));
    }
}

void TestSuperspike::deterministicAndResumable()
{
    // The XOR example with SuperSpike: two trainers with one seed give the same bits; a trainer restored
    // from the state after 2 epochs (through a checkpoint's text: RMaxProp's v included) continues with them.
    Project p = generators::xorTask(3);
    p.training.rule = "superspike";
    p.training.maxEpochs = 4;
    p.training.targetCorrelation = 2; // never converges: every run trains 4 epochs
    Trainer a(p.network, p.task, p.simulation, p.training, p.seed);
    Trainer b(p.network, p.task, p.simulation, p.training, p.seed);
    a.run(nullptr, nullptr, 4);
    b.run(nullptr, nullptr, 2);
    const TrainerState state = b.state();
    QCOMPARE(state.ruleState.size(), std::size_t(2));
    QCOMPARE(state.ruleState[1].cols(), Eigen::Index(50));
    QVERIFY(state.ruleState[1].maxCoeff() > 0);
    Checkpoint cp;
    cp.project = p;
    cp.project.network = b.network();
    cp.project.hasWeights = true;
    cp.trainer = state;
    const Checkpoint back = checkpointFromJson(checkpointToJson(cp), "test");
    QCOMPARE(back.trainer.ruleState.size(), state.ruleState.size());
    for (std::size_t l = 0; l < state.ruleState.size(); ++l)
        QVERIFY(back.trainer.ruleState[l] == state.ruleState[l]);
    Trainer c(b.network(), p.task, p.simulation, p.training, p.seed);
    c.restore(back.trainer);
    c.run(nullptr, nullptr, 4);
    for (int l = 1; l <= 2; ++l) {
        QVERIFY(a.network().weights(l) == c.network().weights(l));
        QVERIFY(a.network().weights(l) != p.network.weights(l));
    }
    // Without the state the continuation differs: the state matters.
    Trainer d(b.network(), p.task, p.simulation, p.training, p.seed);
    TrainerState noRule = state;
    noRule.ruleState.clear();
    d.restore(noRule);
    d.run(nullptr, nullptr, 4);
    QVERIFY(a.network().weights(2) != d.network().weights(2));
}

void TestSuperspike::reducesErrorOnSingleNeuron()
{
    // The 2015 paper's single neuron (100 inputs, T = 0.5 s): 30 epochs of SuperSpike at r0 = 0.1 nA raise
    // the correlation with the target well above where it starts.
    generators::SingleNeuronOptions o;
    o.learningRate = 0.1e-9;
    Project p = generators::singleNeuron(1, o);
    p.training.rule = "superspike";
    Trainer t(p.network, p.task, p.simulation, p.training, p.seed);
    const double before = t.evaluate().meanCorrelation;
    const TrainingResult& r = t.run(nullptr, nullptr, 30);
    const double after = r.finalEvaluation.meanCorrelation;
    QVERIFY2(after > before + 0.2, qPrintable(QStringLiteral("C %1 → %2").arg(before).arg(after)));
}

void TestSuperspike::registered()
{
    const RuleInfo& info = findRule("superspike");
    QVERIFY(info.trainsHiddenLayers);
    QCOMPARE(info.parameters.size(), std::size_t(5));
    TrainingParams t;
    const QString summary = QString::fromStdString(info.describeVariant(t.settings("superspike")));
    QVERIFY(summary.contains("symmetric feedback"));
    // The default γ = e^(−1/60) is summarised to six digits, a typed one as typed.
    QVERIFY2(summary.contains(QString::fromUtf8("γ ≈ 0.983471)")), qPrintable(summary));
    t.setSetting("superspike", "gamma", 0.999925);
    const QString typed = QString::fromStdString(info.describeVariant(t.settings("superspike")));
    QVERIFY2(typed.contains(QString::fromUtf8("γ = 0.999925)")), qPrintable(typed));
}

void TestSuperspike::reproductionVariants_data()
{
    QTest::addColumn<QString>("experiment");
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("normadVariant"); // the same project trained by NormAD
    QTest::newRow("xor") << "xor"
                         << "superspike"
                         << "default";
    QTest::newRow("multilayer, one hidden layer") << "multilayer"
                                                  << "100-50-1-superspike"
                                                  << "100-50-1-all";
    QTest::newRow("multilayer, two hidden layers") << "multilayer"
                                                   << "100-50-50-1-superspike"
                                                   << "100-50-50-1-all";
}

void TestSuperspike::reproductionVariants()
{
    // `normad reproduce xor|multilayer --variant …` runs SuperSpike beside NormAD on the same projects: same
    // network, task and initial weights, only the rule and its rates differ; every layer trains.
    QFETCH(QString, experiment);
    QFETCH(QString, variant);
    QFETCH(QString, normadVariant);
    const reproduction::Experiment& e = reproduction::experiment(experiment.toStdString());
    const reproduction::Variant *ss = nullptr, *normad = nullptr;
    for (const reproduction::Variant& v : e.variants) {
        if (v.name == variant.toStdString())
            ss = &v;
        if (v.name == normadVariant.toStdString())
            normad = &v;
    }
    QVERIFY(ss && normad);
    const Project p = ss->make(2), reference = normad->make(2);
    QCOMPARE(QString::fromStdString(p.training.rule), QStringLiteral("superspike"));
    QCOMPARE(QString::fromStdString(reference.training.rule), QStringLiteral("normad"));
    QCOMPARE(p.network.layerCount(), reference.network.layerCount());
    for (int l = 1; l <= p.network.layerCount(); ++l) {
        QVERIFY(p.network.weights(l) == reference.network.weights(l));
        QVERIFY(p.network.layer(l).trainable);
        QCOMPARE(p.network.layer(l).learningRate, l == p.network.layerCount() ? 0.003e-9 : 0.1e-9);
    }
    const reproduction::TrialResult t = reproduction::runTrial(*ss, 2, 2);
    QCOMPARE(t.epochs, 2);
    QCOMPARE(t.minCorrelation.size(), std::size_t(2));
}

QTEST_APPLESS_MAIN(TestSuperspike)
#include "tst_superspike.moc"
