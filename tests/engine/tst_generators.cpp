// Seeded spike-train generators and the built-in experiments (TaskGenerators.h, spec §4, §5 check 5):
// statistical properties with stated bounds (≥ 4–5 standard deviations, so a correct generator fails
// with negligible probability — and the seeds are fixed anyway), grid placement, constraints and
// determinism per seed.

#include "normad/Examples.h"
#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace normad;

Q_DECLARE_METATYPE(normad::generators::XorOptions::Encoding)
Q_DECLARE_METATYPE(normad::ExampleSettings)
Q_DECLARE_METATYPE(std::string)

namespace {

constexpr double ms = 1e-3;

// On the dt grid, strictly increasing, inside [0, duration).
bool onGrid(const SpikeTrain& t, double dt, double duration)
{
    for (std::size_t k = 0; k < t.size(); ++k) {
        const double steps = t[k] / dt;
        if (std::abs(steps - std::round(steps)) > 1e-9 || t[k] < 0 ||
            std::llround(steps) >= std::llround(duration / dt))
            return false;
        if (k > 0 && std::llround(t[k] / dt) <= std::llround(t[k - 1] / dt))
            return false;
    }
    return true;
}

double minInterval(const SpikeTrain& t)
{
    double m = std::numeric_limits<double>::infinity();
    for (std::size_t k = 1; k < t.size(); ++k)
        m = std::min(m, t[k] - t[k - 1]);
    return m;
}

bool samePatterns(const Project& a, const Project& b)
{
    if (a.task.patterns.size() != b.task.patterns.size())
        return false;
    for (std::size_t k = 0; k < a.task.patterns.size(); ++k)
        if (a.task.patterns[k].inputs != b.task.patterns[k].inputs ||
            a.task.patterns[k].desired != b.task.patterns[k].desired ||
            a.task.patterns[k].name != b.task.patterns[k].name)
            return false;
    for (int l = 1; l <= a.network.layerCount(); ++l)
        if (a.network.weights(l) != b.network.weights(l))
            return false;
    return true;
}

} // namespace

class TestGenerators : public QObject {
    Q_OBJECT

private slots:
    void poissonRate_data();
    void poissonRate();
    void poissonDeadTimeAndStart_data();
    void poissonDeadTimeAndStart();
    void poissonDeterministicPerSeed();
    void regularTrain_data();
    void regularTrain();
    void jitteredTrain_data();
    void jitteredTrain();
    void singleNeuronProject();
    void multilayerProject_data();
    void multilayerProject();
    void xorProject_data();
    void xorProject();
    void examplesAreTheGenerators_data();
    void examplesAreTheGenerators();
    void exampleSettingsAreChecked_data();
    void exampleSettingsAreChecked();
    void unknownExampleNamesTheChoices();
};

void TestGenerators::poissonRate_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("dt");
    QTest::newRow("20 Hz, dt = 0.1 ms") << 20.0 << 0.1 * ms;
    QTest::newRow("5 Hz, dt = 0.1 ms") << 5.0 << 0.1 * ms;
    QTest::newRow("100 Hz, dt = 0.05 ms") << 100.0 << 0.05 * ms;
}

void TestGenerators::poissonRate()
{
    // Bernoulli per step with p = rate·dt: the count of a train of N steps has mean Np and variance
    // Np(1 − p). Over 300 trains of 1 s the total must be within 5 sd of its mean, and the sample
    // variance of the counts within 5 of its standard errors (≈ σ²·√(2/299)) of Np(1 − p) (Fano ≈ 1).
    QFETCH(double, rate);
    QFETCH(double, dt);
    const double duration = 1.0;
    const int trains = 300;
    std::mt19937_64 rng(17);
    const double n = std::round(duration / dt), p = rate * dt;
    const double mean = n * p, var = n * p * (1 - p);
    std::vector<double> counts;
    for (int k = 0; k < trains; ++k) {
        const SpikeTrain t = generators::poisson(rate, duration, dt, rng);
        QVERIFY(onGrid(t, dt, duration));
        counts.push_back(static_cast<double>(t.size()));
    }
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    QVERIFY2(
        std::abs(total - trains * mean) <= 5 * std::sqrt(trains * var),
        qPrintable(QString("total %1, expected %2 ± %3").arg(total).arg(trains * mean).arg(std::sqrt(trains * var))));
    const double m = total / trains;
    double s2 = 0;
    for (double c : counts)
        s2 += (c - m) * (c - m);
    s2 /= trains - 1;
    QVERIFY2(std::abs(s2 - var) <= 5 * var * std::sqrt(2.0 / (trains - 1)),
             qPrintable(QString("count variance %1, expected %2").arg(s2).arg(var)));
}

void TestGenerators::poissonDeadTimeAndStart_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("deadTime");
    QTest::addColumn<double>("start");
    QTest::newRow("50 Hz, 10 ms dead time") << 50.0 << 10 * ms << 0.0;
    QTest::newRow("10 Hz, 5 ms dead time, start 5 ms") << 10.0 << 5 * ms << 5 * ms;
    QTest::newRow("200 Hz, 3.05 ms dead time, start 0.1 s") << 200.0 << 3.05 * ms << 0.1;
}

void TestGenerators::poissonDeadTimeAndStart()
{
    // Dead-time Poisson: no spike before `start`, consecutive spikes ≥ minInterval apart. With D =
    // ceil(minInterval/dt) the next spike can come D steps after the last, then geometric: mean ISI
    // (D − 1)·dt + dt/p = (D − 1)·dt + 1/rate. The total count over 200 trains must be within 5 % of
    // 200·(T − start)/ISI (≈ 5 sd plus the O(1) first-interval term per train). The realisation does
    // not depend on minInterval (every step is drawn), so the dead-time train is a subset of the plain
    // train of the same seed.
    QFETCH(double, rate);
    QFETCH(double, deadTime);
    QFETCH(double, start);
    const double dt = 0.1 * ms, duration = 1.0;
    std::mt19937_64 rng(3), plainRng(3);
    double total = 0, earliest = duration;
    for (int k = 0; k < 200; ++k) {
        const SpikeTrain t = generators::poisson(rate, duration, dt, rng, deadTime, start);
        const SpikeTrain plain = generators::poisson(rate, duration, dt, plainRng, 0.0, start);
        QVERIFY(onGrid(t, dt, duration));
        QVERIFY(t.empty() || t.front() >= start - 1e-12);
        if (!t.empty())
            earliest = std::min(earliest, t.front());
        QVERIFY(minInterval(t) >= deadTime - 1e-12);
        QVERIFY(std::includes(plain.begin(), plain.end(), t.begin(), t.end()));
        total += static_cast<double>(t.size());
    }
    QVERIFY2(earliest < start + 2 * ms, "spikes must start right at `start`");
    const double d = std::ceil(deadTime / dt - 1e-9);
    const double isi = (d - 1) * dt + 1 / rate;
    const double expected = 200 * (duration - start) / isi;
    QVERIFY2(std::abs(total - expected) <= 0.05 * expected,
             qPrintable(QString("total %1, expected %2").arg(total).arg(expected)));
}

void TestGenerators::poissonDeterministicPerSeed()
{
    std::mt19937_64 a(99), b(99), c(100);
    const SpikeTrain ta = generators::poisson(20, 1.0, 1e-4, a);
    const SpikeTrain tb = generators::poisson(20, 1.0, 1e-4, b);
    const SpikeTrain tc = generators::poisson(20, 1.0, 1e-4, c);
    QVERIFY(!ta.empty());
    QCOMPARE(ta, tb);
    QVERIFY(ta != tc);
    QCOMPARE(a(), b()); // the engine consumed the same number of draws
}

void TestGenerators::regularTrain_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("duration");
    QTest::newRow("50 Hz from 3 ms") << 50.0 << 3 * ms << 0.2;
    QTest::newRow("30 Hz (period off-grid)") << 30.0 << 0.0 << 1.0;
    QTest::newRow("7 Hz from 0.25 s") << 7.0 << 0.25 << 2.0;
    QTest::newRow("20 kHz (faster than the grid)") << 20000.0 << 0.0 << 0.01;
    QTest::newRow("10 Hz from 0: first spike at 100 ms") << 10.0 << 0.0 << 0.2;
    QTest::newRow("start inside step 0 (0.02 ms)") << 100.0 << 0.02 * ms << 0.05;
}

void TestGenerators::regularTrain()
{
    // Spikes at start + k/rate snapped to the nearest step (|error| ≤ dt/2), at most one per step, all
    // inside (0, duration); k runs over every index with start + k/rate < duration except those that
    // round onto step 0: no spike at t = 0 (a desired spike there cannot be learned), so a start of
    // 0 begins one period later.
    QFETCH(double, rate);
    QFETCH(double, start);
    QFETCH(double, duration);
    const double dt = 0.1 * ms;
    const SpikeTrain t = generators::regular(rate, duration, dt, start);
    QVERIFY(onGrid(t, dt, duration));
    QVERIFY(!t.empty());
    QVERIFY2(std::llround(t.front() / dt) >= 1, qPrintable(QString("first spike at %1 s").arg(t.front())));
    if (rate * dt <= 1) {
        const std::size_t skipped = std::llround(start / dt) == 0 ? 1 : 0; // the spike k = 0 would be at step 0
        const auto expectedCount = static_cast<std::size_t>(std::ceil((duration - start) * rate - 1e-9)) - skipped;
        QVERIFY2(t.size() == expectedCount || t.size() + 1 == expectedCount, // the last may round onto `duration`
                 qPrintable(QString("%1 spikes, expected %2").arg(t.size()).arg(expectedCount)));
        for (std::size_t k = 0; k < t.size(); ++k)
            QVERIFY(std::abs(t[k] - (start + static_cast<double>(k + skipped) / rate)) <= dt / 2 + 1e-12);
    } else {
        // Faster than one spike per step: every step but step 0 carries exactly one spike.
        QCOMPARE(static_cast<double>(t.size()), std::round(duration / dt) - 1);
    }
    QVERIFY(generators::regular(0.0, duration, dt, start).empty());
}

void TestGenerators::jitteredTrain_data()
{
    QTest::addColumn<double>("jitter");
    QTest::newRow("no jitter") << 0.0;
    QTest::newRow("1 ms") << 1 * ms;
    QTest::newRow("0.3 ms") << 0.3 * ms;
}

void TestGenerators::jitteredTrain()
{
    // Displacements of a sparse train (10 ms spacing ≫ jitter, so order is kept) are N(0, σ²) snapped
    // to the grid: over 2000 spikes the mean is within 5σ/√n of 0 and the sample sd within 10 % of
    // √(σ² + dt²/12) (grid rounding adds dt²/12). Result on the grid, inside [0, T), one per step.
    QFETCH(double, jitter);
    const double dt = 0.1 * ms, duration = 1.0;
    const SpikeTrain base = generators::regular(100, duration, dt, 5 * ms); // 5, 15, …, 995 ms
    std::mt19937_64 rng(8);
    std::vector<double> moves;
    for (int trial = 0; trial < 20; ++trial) {
        const SpikeTrain t = generators::jittered(base, jitter, duration, dt, rng);
        QVERIFY(onGrid(t, dt, duration));
        QCOMPARE(t.size(), base.size());
        for (std::size_t k = 0; k < t.size(); ++k)
            moves.push_back(t[k] - base[k]);
    }
    const double n = static_cast<double>(moves.size());
    const double mean = std::accumulate(moves.begin(), moves.end(), 0.0) / n;
    double var = 0;
    for (double m : moves)
        var += (m - mean) * (m - mean);
    const double sd = std::sqrt(var / (n - 1));
    if (jitter == 0) {
        QCOMPARE(sd, 0.0);
        QCOMPARE(mean, 0.0);
    } else {
        QVERIFY2(std::abs(mean) <= 5 * jitter / std::sqrt(n), qPrintable(QString("mean shift %1 ms").arg(mean / ms)));
        const double expected = std::sqrt(jitter * jitter + dt * dt / 12);
        QVERIFY2(std::abs(sd - expected) <= 0.1 * expected,
                 qPrintable(QString("sd %1 ms, expected %2 ms").arg(sd / ms).arg(expected / ms)));
    }
    // Crowded and boundary cases: still on the grid, inside the trial and one spike per step.
    const SpikeTrain crowded = generators::jittered({0.0, 0.0002, 0.0003, 0.0004, 0.9999}, 2 * ms, duration, dt, rng);
    QVERIFY(onGrid(crowded, dt, duration));
    // Deterministic per seed.
    std::mt19937_64 a(5), b(5);
    QCOMPARE(generators::jittered(base, 1 * ms, duration, dt, a), generators::jittered(base, 1 * ms, duration, dt, b));
}

void TestGenerators::singleNeuronProject()
{
    // Spec §5 check 5: 100 Poisson inputs at 20 Hz, one output, T = 0.5 s, one pattern, w0 = 0, r = 1 nA;
    // target Poisson ~10 Hz with ISI ≥ 5 ms and none in the first 5 ms.
    const Project p = generators::singleNeuron(4);
    p.validate();
    QCOMPARE(p.network.inputCount(), 100);
    QCOMPARE(p.network.layerCount(), 1);
    QCOMPARE(p.network.outputCount(), 1);
    QCOMPARE(p.simulation.duration, 0.5);
    QCOMPARE(p.task.patterns.size(), std::size_t(1));
    QVERIFY(p.hasWeights);
    QVERIFY(p.network.weights(1).isZero(0));
    QCOMPARE(p.network.layer(1).learningRate, 1e-9);
    const Pattern& pat = p.task.patterns[0];
    // 100 × 0.5 s × 20 Hz = 1000 input spikes expected, sd ≈ √1000.
    const double inputs = static_cast<double>(spikeCount(pat.inputs));
    QVERIFY2(std::abs(inputs - 1000) <= 5 * std::sqrt(1000.0), qPrintable(QString("%1 input spikes").arg(inputs)));
    const SpikeTrain& target = pat.desired[0];
    QVERIFY(!target.empty() && target.size() <= 15); // ~4–5 expected at 10 Hz with 5 ms dead time
    QVERIFY(target.front() >= 5 * ms - 1e-12);
    QVERIFY(minInterval(target) >= 5 * ms - 1e-12);
    for (const auto& t : pat.inputs)
        QVERIFY(onGrid(t, p.simulation.dt, p.simulation.duration));

    QVERIFY(samePatterns(p, generators::singleNeuron(4)));
    QVERIFY(!samePatterns(p, generators::singleNeuron(5)));

    generators::SingleNeuronOptions o;
    o.inputs = 37;
    o.duration = 0.3;
    const Project q = generators::singleNeuron(4, o);
    q.validate();
    QCOMPARE(q.network.inputCount(), 37);
    QCOMPARE(q.task.patterns[0].inputs.size(), std::size_t(37));
    QCOMPARE(q.simulation.duration, 0.3);
}

void TestGenerators::multilayerProject_data()
{
    QTest::addColumn<bool>("teacher");
    QTest::addColumn<int>("patterns");
    QTest::addColumn<int>("hiddenLayers");
    QTest::newRow("defaults: 2 hidden, teacher, 1 pattern") << true << 1 << 2;
    QTest::newRow("2 hidden, teacher, 2 patterns") << true << 2 << 2;
    QTest::newRow("2 hidden, poisson targets, 3 patterns") << false << 3 << 2;
    QTest::newRow("1 hidden, teacher, 1 pattern") << true << 1 << 1;
    QTest::newRow("1 hidden, teacher, 2 patterns") << true << 2 << 1;
}

void TestGenerators::multilayerProject()
{
    // Spec §4.2–§4.3: 100 → 50 → 50 → 1 (default) or 100 → 50 → 1, 20 Hz inputs, T = 0.5 s. Teacher targets are LIF
    // output trains with rate in [0.4, 3]× the target rate and, being LIF spikes, ISIs > Rp; Poisson targets have ISI
    // ≥ 5 ms and none in the first 5 ms.
    QFETCH(bool, teacher);
    QFETCH(int, patterns);
    QFETCH(int, hiddenLayers);
    generators::MultilayerOptions o;
    o.teacher = teacher;
    o.patterns = patterns;
    o.hidden.resize(static_cast<std::size_t>(hiddenLayers));
    // A throw (e.g. "no teacher network found") fails this row without aborting the other tests.
    Project p, again, other;
    try {
        p = generators::multilayer(7, o);
        again = generators::multilayer(7, o);
        other = generators::multilayer(8, o);
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    p.validate();
    QCOMPARE(p.network.inputCount(), 100);
    QCOMPARE(p.network.layerCount(), hiddenLayers + 1);
    for (int l = 1; l <= hiddenLayers; ++l)
        QCOMPARE(p.network.populationSize(l), 50);
    QCOMPARE(p.network.outputCount(), 1);
    QCOMPARE(p.simulation.duration, 0.5);
    QCOMPARE(p.task.patterns.size(), std::size_t(patterns));
    QVERIFY(p.hasWeights && p.network.weightsFinite() && !p.network.weights(1).isZero(0));
    QCOMPARE(p.network.layer(1).learningRate, o.hiddenRate);
    QCOMPARE(p.network.layer(hiddenLayers + 1).learningRate, o.outputRate);
    for (const Pattern& pat : p.task.patterns) {
        const SpikeTrain& d = pat.desired[0];
        QVERIFY(!d.empty());
        const double rate = static_cast<double>(d.size()) / o.duration;
        if (teacher) {
            QVERIFY2(rate >= 0.4 * o.targetRate && rate <= 3 * o.targetRate,
                     qPrintable(QString("rate %1 Hz").arg(rate)));
            QVERIFY(minInterval(d) > p.network.layer(hiddenLayers + 1).neuron.refractoryPeriod);
        } else {
            QVERIFY(d.front() >= 5 * ms - 1e-12 && minInterval(d) >= 5 * ms - 1e-12);
            QVERIFY(rate <= 4 * o.targetRate);
        }
        QVERIFY(onGrid(d, p.simulation.dt, p.simulation.duration));
    }
    if (patterns > 1)
        QVERIFY(p.task.patterns[0].inputs != p.task.patterns[1].inputs);
    QVERIFY(samePatterns(p, again));
    QVERIFY(!samePatterns(p, other));
}

void TestGenerators::xorProject_data()
{
    QTest::addColumn<generators::XorOptions::Encoding>("encoding");
    QTest::newRow("spike trains") << generators::XorOptions::Encoding::SpikeTrains;
    QTest::newRow("latency") << generators::XorOptions::Encoding::Latency;
}

void TestGenerators::xorProject()
{
    // Spec §4.1: four patterns named by their truth table; inputs = bias group + one group per bit, each
    // group's trains fixed per bit value; one output whose desired train depends only on a XOR b, the two
    // classes' trains different; one hidden layer.
    QFETCH(generators::XorOptions::Encoding, encoding);
    generators::XorOptions o;
    o.encoding = encoding;
    const Project p = generators::xorTask(3, o);
    p.validate();
    const int g = o.groupSize;
    QCOMPARE(p.network.inputCount(), 3 * g);
    QCOMPARE(p.network.layerCount(), 2);
    QCOMPARE(p.network.populationSize(1), o.hidden);
    QCOMPARE(p.network.outputCount(), 1);
    QCOMPARE(p.task.patterns.size(), std::size_t(4));
    const char* names[] = {"0 XOR 0 = 0", "0 XOR 1 = 1", "1 XOR 0 = 1", "1 XOR 1 = 0"};
    for (int k = 0; k < 4; ++k)
        QCOMPARE(QString::fromStdString(p.task.patterns[k].name), QString(names[k]));
    const auto group = [&](int pattern, int which) {
        const auto& in = p.task.patterns[static_cast<std::size_t>(pattern)].inputs;
        return SpikeRaster(in.begin() + which * g, in.begin() + (which + 1) * g);
    };
    for (int k = 0; k < 4; ++k) {
        const int a = k / 2, b = k % 2;
        QCOMPARE(group(k, 0), group(0, 0)); // bias
        for (int j = 0; j < 4; ++j) {
            const int aj = j / 2, bj = j % 2;
            QCOMPARE(group(k, 1) == group(j, 1), a == aj);
            QCOMPARE(group(k, 2) == group(j, 2), b == bj);
            QCOMPARE(p.task.patterns[k].desired == p.task.patterns[j].desired, (a ^ b) == (aj ^ bj));
        }
        QVERIFY(!p.task.patterns[k].desired[0].empty());
        QVERIFY(spikeCount(group(k, 1)) > 0 && spikeCount(group(k, 2)) > 0);
    }
    if (encoding == generators::XorOptions::Encoding::Latency) {
        QCOMPARE(p.simulation.duration, 0.04);
        QCOMPARE(p.task.patterns[1].desired[0], SpikeTrain{0.016}); // XOR = 1
        QCOMPARE(p.task.patterns[0].desired[0], SpikeTrain{0.022}); // XOR = 0
        QCOMPARE(group(0, 1)[0], SpikeTrain{0.0});                  // bit 0: early
        QCOMPARE(group(3, 1)[0], SpikeTrain{0.006});                // bit 1: late
    } else {
        QCOMPARE(p.simulation.duration, o.duration);
        QCOMPARE(p.task.patterns[0].desired[0].size(), std::size_t(3));
    }
    QVERIFY(samePatterns(p, generators::xorTask(3, o)));
    if (encoding == generators::XorOptions::Encoding::SpikeTrains)
        QVERIFY(!samePatterns(p, generators::xorTask(4, o)));
}

void TestGenerators::examplesAreTheGenerators_data()
{
    // The registry (Examples.h) is what the CLI, the Examples menu and the lessons build from: each
    // row must be its generator with the given options, byte for byte in the project file.
    QTest::addColumn<QString>("name");
    QTest::addColumn<std::string>("fromRegistry");
    QTest::addColumn<std::string>("fromGenerator");
    const auto json = [](const Project& p) { return projectToJson(p); };
    QTest::newRow("xor") << "xor" << json(example("xor").make(5)) << json(generators::xorTask(5));
    generators::XorOptions latency;
    latency.encoding = generators::XorOptions::Encoding::Latency;
    latency.hidden = 20;
    QTest::newRow("xor latency") << "xor"
                                 << json(example("xor").make(5,
                                                             {{"encoding", std::string("latency")}, {"hidden", 20.0}}))
                                 << json(generators::xorTask(5, latency));
    QTest::newRow("multilayer") << "multilayer" << json(example("multilayer").make(2))
                                << json(generators::multilayer(2));
    generators::MultilayerOptions m;
    m.inputs = 30;
    m.hidden = {12};
    m.teacher = false;
    QTest::newRow("multilayer options")
        << "multilayer"
        << json(example("multilayer").make(2, {{"inputs", 30.0}, {"hidden", std::vector<int>{12}}, {"teacher", false}}))
        << json(generators::multilayer(2, m));
    QTest::newRow("single") << "single" << json(example("single").make(7)) << json(generators::singleNeuron(7));
    generators::SingleNeuronOptions s;
    s.inputs = 40;
    s.learningRate = 2e-9;
    QTest::newRow("single options") << "single"
                                    << json(example("single").make(7, {{"inputs", 40.0}, {"learningRate", 2e-9}}))
                                    << json(generators::singleNeuron(7, s));
}

void TestGenerators::examplesAreTheGenerators()
{
    QFETCH(QString, name);
    QFETCH(std::string, fromRegistry);
    QFETCH(std::string, fromGenerator);
    QVERIFY(findExample(name.toStdString()));
    QVERIFY(!findExample(name.toStdString())->title.empty());
    QVERIFY(!findExample(name.toStdString())->description.empty());
    QCOMPARE(fromRegistry, fromGenerator);
}

void TestGenerators::exampleSettingsAreChecked_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<ExampleSettings>("settings");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("unknown option") << "single" << ExampleSettings{{"neurons", 3.0}}
                                    << QStringList{"neurons", "single example", "inputRate"};
    QTest::newRow("not whole") << "single" << ExampleSettings{{"inputs", 2.5}} << QStringList{"inputs", "whole", "2.5"};
    QTest::newRow("negative") << "xor" << ExampleSettings{{"hidden", -1.0}} << QStringList{"hidden", "-1"};
    QTest::newRow("not a number") << "single" << ExampleSettings{{"duration", std::string("long")}}
                                  << QStringList{"duration", "number", "\"long\""};
    QTest::newRow("bad choice") << "xor" << ExampleSettings{{"encoding", std::string("rate")}}
                                << QStringList{"encoding", "spikeTrains or latency", "rate"};
    QTest::newRow("bad list") << "multilayer" << ExampleSettings{{"hidden", std::vector<int>{10, 0}}}
                              << QStringList{"hidden", "[10, 0]"};
    QTest::newRow("not a flag") << "multilayer" << ExampleSettings{{"teacher", 1.0}}
                                << QStringList{"teacher", "true or false"};
}

void TestGenerators::exampleSettingsAreChecked()
{
    QFETCH(QString, name);
    QFETCH(ExampleSettings, settings);
    QFETCH(QStringList, expected);
    try {
        example(name.toStdString()).make(1, settings);
        QFAIL("the settings were accepted");
    } catch (const std::invalid_argument& e) {
        for (const QString& part : expected)
            QVERIFY2(QString::fromStdString(e.what()).contains(part), e.what());
    }
}

void TestGenerators::unknownExampleNamesTheChoices()
{
    // The papers' examples, then the dataset examples (the CLI offers both).
    QCOMPARE(QString::fromStdString(exampleNames()), QString("xor, multilayer, single, iris or fashion-mnist"));
    QCOMPARE(QString::fromStdString(exampleNames("|", "|")), QString("xor|multilayer|single|iris|fashion-mnist"));
    QVERIFY(!findExample("mnist"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, example("mnist"));
    try {
        example("mnist");
    } catch (const std::invalid_argument& e) {
        QCOMPARE(QString(e.what()),
                 QString("unknown example 'mnist': choose xor, multilayer, single, iris or fashion-mnist"));
    }
}

QTEST_APPLESS_MAIN(TestGenerators)
#include "tst_generators.moc"
