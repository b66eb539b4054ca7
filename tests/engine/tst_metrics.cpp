// Spike-train metrics (spec §2.7, §5 check 14) against closed forms and direct numerical evaluation:
// trains filtered on a fine grid over an extended time axis, then integrated.

#include "normad/Metrics.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace normad;

Q_DECLARE_METATYPE(normad::CorrelationKernel)
Q_DECLARE_METATYPE(normad::SpikeTrain)

namespace {

constexpr double ms = 1e-3;
// Quadrature step; spike times are integer multiples of it, so no spike falls inside an interval.
constexpr double h = 0.05 * ms;

// Random train with spikes on the h-grid (as integer multiples, so t == k·h exactly), sorted, distinct.
SpikeTrain randomTrain(int count, double duration, std::mt19937_64& rng, double minInterval = 0)
{
    std::uniform_int_distribution<long> step(0, std::lround(duration / h) - 1);
    for (;;) {
        std::vector<long> k(static_cast<std::size_t>(count));
        for (auto& x : k)
            x = step(rng);
        std::sort(k.begin(), k.end());
        bool ok = true;
        for (std::size_t i = 1; i < k.size(); ++i)
            ok = ok && k[i] > k[i - 1] && (k[i] - k[i - 1]) * h >= minInterval;
        if (!ok)
            continue;
        SpikeTrain t;
        for (long x : k)
            t.push_back(static_cast<double>(x) * h);
        return t;
    }
}

// Causal exponential filter Σ e^{−(t−tᵢ)/τ} over the spikes with tᵢ ≤ `upTo` (the side limit at a grid node).
double causal(const SpikeTrain& s, double t, double tau, double upTo)
{
    double f = 0;
    for (double ti : s)
        if (ti <= upTo)
            f += std::exp(-(t - ti) / tau);
    return f;
}

// ∫ F(fa(t), fb(t)) dt over [0, end] with fa, fb the causally filtered trains. On each grid interval
// [x_k, x_{k+1}] the filtered trains are smooth (spikes sit on nodes), so Simpson with the right limit at
// x_k, the midpoint and the left limit at x_{k+1} is O(h⁴) accurate.
template <typename F>
double integrateCausal(const SpikeTrain& a, const SpikeTrain& b, double tau, double end, F combine)
{
    const long intervals = std::lround(end / h);
    double sum = 0;
    for (long k = 0; k < intervals; ++k) {
        const double x0 = static_cast<double>(k) * h, x1 = static_cast<double>(k + 1) * h, xm = 0.5 * (x0 + x1);
        const double f0 = combine(causal(a, x0, tau, x0), causal(b, x0, tau, x0));
        const double fm = combine(causal(a, xm, tau, x0), causal(b, xm, tau, x0));
        const double f1 = combine(causal(a, x1, tau, x0), causal(b, x1, tau, x0));
        sum += (f0 + 4 * fm + f1) * h / 6;
    }
    return sum;
}

double endOf(const SpikeTrain& a, const SpikeTrain& b)
{
    double e = 0;
    for (double t : a)
        e = std::max(e, t);
    for (double t : b)
        e = std::max(e, t);
    return e;
}

// Cosine of the Gaussian-filtered trains, trapezoid on a fine grid over [−10σ, end + 10σ] (spectrally
// accurate for Gaussians).
double gaussianCorrelationDirect(const SpikeTrain& a, const SpikeTrain& b, double sigma)
{
    const double lo = -10 * sigma, hi = endOf(a, b) + 10 * sigma;
    double ab = 0, aa = 0, bb = 0;
    for (double t = lo; t <= hi; t += h) {
        double fa = 0, fb = 0;
        for (double ti : a)
            fa += std::exp(-(t - ti) * (t - ti) / (2 * sigma * sigma));
        for (double ti : b)
            fb += std::exp(-(t - ti) * (t - ti) / (2 * sigma * sigma));
        ab += fa * fb;
        aa += fa * fa;
        bb += fb * fb;
    }
    return ab / std::sqrt(aa * bb);
}

double exponentialCorrelationDirect(const SpikeTrain& a, const SpikeTrain& b, double tau)
{
    const double end = endOf(a, b) + 40 * tau; // e^{−80} tail of the squared filter
    const double ab = integrateCausal(a, b, tau, end, [](double x, double y) { return x * y; });
    const double aa = integrateCausal(a, a, tau, end, [](double x, double) { return x * x; });
    const double bb = integrateCausal(b, b, tau, end, [](double x, double) { return x * x; });
    return ab / std::sqrt(aa * bb);
}

double vanRossumDirect(const SpikeTrain& a, const SpikeTrain& b, double tau)
{
    const double end = endOf(a, b) + 40 * tau;
    return std::sqrt(integrateCausal(a, b, tau, end, [](double x, double y) { return (x - y) * (x - y); }) / tau);
}

// Nearest pairs first, one-to-one, by repeated search for the closest unused pair (ties: smaller
// desired index, then smaller actual index — the same order as sorting (distance, i, j)).
metrics::SpikeMatch matchDirect(const SpikeTrain& desired, const SpikeTrain& actual, double tol)
{
    std::vector<bool> usedD(desired.size()), usedA(actual.size());
    metrics::SpikeMatch m;
    for (;;) {
        double best = std::numeric_limits<double>::infinity();
        std::size_t bi = 0, bj = 0;
        for (std::size_t i = 0; i < desired.size(); ++i)
            for (std::size_t j = 0; j < actual.size(); ++j) {
                const double d = std::abs(actual[j] - desired[i]);
                if (!usedD[i] && !usedA[j] && actual[j] >= desired[i] - tol && actual[j] <= desired[i] + tol &&
                    d < best) {
                    best = d;
                    bi = i;
                    bj = j;
                }
            }
        if (!std::isfinite(best))
            break;
        usedD[bi] = usedA[bj] = true;
        ++m.matched;
    }
    m.missing = static_cast<int>(desired.size()) - m.matched;
    m.extra = static_cast<int>(actual.size()) - m.matched;
    return m;
}

SpikeTrain shifted(const SpikeTrain& s, double by)
{
    SpikeTrain t = s;
    for (double& x : t)
        x += by;
    return t;
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private slots:
    void selfCorrelationIsOne_data();
    void selfCorrelationIsOne();
    void shiftedSparseTrainIsUncorrelated_data();
    void shiftedSparseTrainIsUncorrelated();
    void emptyTrainGivesZero_data();
    void emptyTrainGivesZero();
    void correlationMatchesDirectEvaluation_data();
    void correlationMatchesDirectEvaluation();
    void vanRossumClosedForms();
    void vanRossumMatchesDirectIntegration_data();
    void vanRossumMatchesDirectIntegration();
    void matchSpikesHandCases_data();
    void matchSpikesHandCases();
    void matchSpikesMatchesDirectGreedy();
};

void TestMetrics::selfCorrelationIsOne_data()
{
    QTest::addColumn<CorrelationKernel>("kernel");
    QTest::addColumn<double>("width");
    QTest::newRow("gaussian 2 ms") << CorrelationKernel::Gaussian << 2 * ms;
    QTest::newRow("gaussian 10 ms") << CorrelationKernel::Gaussian << 10 * ms;
    QTest::newRow("exponential 5 ms") << CorrelationKernel::Exponential << 5 * ms;
}

void TestMetrics::selfCorrelationIsOne()
{
    QFETCH(CorrelationKernel, kernel);
    QFETCH(double, width);
    std::mt19937_64 rng(1);
    for (int n : {1, 3, 10, 40}) {
        const SpikeTrain s = randomTrain(n, 0.5, rng);
        QVERIFY(std::abs(metrics::correlation(s, s, kernel, width) - 1.0) < 1e-12);
        // Symmetric in its arguments.
        const SpikeTrain t = randomTrain(n + 2, 0.5, rng);
        QVERIFY(std::abs(metrics::correlation(s, t, kernel, width) - metrics::correlation(t, s, kernel, width)) <
                1e-15);
        // A different train correlates less.
        QVERIFY(metrics::correlation(s, t, kernel, width) < 1.0 - 1e-6);
    }
}

void TestMetrics::shiftedSparseTrainIsUncorrelated_data()
{
    QTest::addColumn<SpikeTrain>("train");
    std::mt19937_64 rng(2);
    QTest::newRow("single spike") << SpikeTrain{0.1};
    QTest::newRow("regular 10 Hz") << SpikeTrain{0.05, 0.15, 0.25, 0.35, 0.45};
    for (int k = 0; k < 3; ++k)
        QTest::newRow(qPrintable(QString("random, ISI >= 40 ms, %1").arg(k))) << randomTrain(8, 1.0, rng, 40 * ms);
}

void TestMetrics::shiftedSparseTrainIsUncorrelated()
{
    // Spec §5 check 14: with σ = 2 ms and all inter-spike intervals ≥ 40 ms, every pair of the train and
    // its 20 ms shift is ≥ 20 ms apart, so C ≤ n·e^{−(20/2)²/4}/n ≈ 1e-11 < 1e-6.
    QFETCH(SpikeTrain, train);
    const double c = metrics::correlation(train, shifted(train, 20 * ms), CorrelationKernel::Gaussian, 2 * ms);
    QVERIFY2(c >= 0 && c < 1e-6, qPrintable(QString("C = %1").arg(c)));
    // A 1 ms shift stays well correlated: e^{−1/16} ≈ 0.94.
    const double near = metrics::correlation(train, shifted(train, 1 * ms), CorrelationKernel::Gaussian, 2 * ms);
    QVERIFY(std::abs(near - std::exp(-1.0 / 16)) < 1e-9);
}

void TestMetrics::emptyTrainGivesZero_data()
{
    QTest::addColumn<CorrelationKernel>("kernel");
    QTest::newRow("gaussian") << CorrelationKernel::Gaussian;
    QTest::newRow("exponential") << CorrelationKernel::Exponential;
}

void TestMetrics::emptyTrainGivesZero()
{
    // C = 0 (not NaN) if either train is empty, including both (spec §2.7).
    QFETCH(CorrelationKernel, kernel);
    const SpikeTrain s{0.01, 0.2}, none;
    QCOMPARE(metrics::correlation(s, none, kernel, 2 * ms), 0.0);
    QCOMPARE(metrics::correlation(none, s, kernel, 2 * ms), 0.0);
    QCOMPARE(metrics::correlation(none, none, kernel, 2 * ms), 0.0);
}

void TestMetrics::correlationMatchesDirectEvaluation_data()
{
    QTest::addColumn<CorrelationKernel>("kernel");
    QTest::addColumn<double>("width");
    QTest::addColumn<int>("seed");
    for (int seed : {1, 2, 3}) {
        QTest::newRow(qPrintable(QString("gaussian 2 ms, seed %1").arg(seed)))
            << CorrelationKernel::Gaussian << 2 * ms << seed;
        QTest::newRow(qPrintable(QString("gaussian 6 ms, seed %1").arg(seed)))
            << CorrelationKernel::Gaussian << 6 * ms << seed;
        QTest::newRow(qPrintable(QString("exponential 5 ms, seed %1").arg(seed)))
            << CorrelationKernel::Exponential << 5 * ms << seed;
    }
}

void TestMetrics::correlationMatchesDirectEvaluation()
{
    // The closed-form pair sums against filtering both trains on a 0.05 ms grid over an extended axis and
    // taking the cosine numerically; to 1e-6. Trains of 5–8 spikes in 100 ms so that the value is neither
    // ≈ 0 nor ≈ 1.
    QFETCH(CorrelationKernel, kernel);
    QFETCH(double, width);
    QFETCH(int, seed);
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    const SpikeTrain a = randomTrain(6, 0.1, rng), b = randomTrain(5 + seed, 0.1, rng);
    const double c = metrics::correlation(a, b, kernel, width);
    const double direct = kernel == CorrelationKernel::Gaussian ? gaussianCorrelationDirect(a, b, width)
                                                                : exponentialCorrelationDirect(a, b, width);
    QVERIFY2(direct > 0.01 && direct < 0.99, qPrintable(QString("direct C = %1").arg(direct)));
    QVERIFY2(std::abs(c - direct) < 1e-6,
             qPrintable(QString("C %1 vs direct %2").arg(c, 0, 'g', 12).arg(direct, 0, 'g', 12)));
}

void TestMetrics::vanRossumClosedForms()
{
    // D² = (1/τ)∫(f − g)²: one unmatched spike gives ∫e^{−2t/τ}/τ = 1/2; identical trains 0; two far-apart
    // spikes against none 1; a spike against the same spike shifted by Δ: 1 − e^{−Δ/τ}.
    const double tau = 10 * ms;
    QVERIFY(std::abs(metrics::vanRossumDistance({0.1}, {}, tau) - std::sqrt(0.5)) < 1e-15);
    QVERIFY(std::abs(metrics::vanRossumDistance({}, {0.3}, 3 * ms) - std::sqrt(0.5)) < 1e-15);
    QCOMPARE(metrics::vanRossumDistance({}, {}, tau), 0.0);
    QCOMPARE(metrics::vanRossumDistance({0.01, 0.2, 0.3}, {0.01, 0.2, 0.3}, tau), 0.0);
    QVERIFY(std::abs(metrics::vanRossumDistance({0.1, 0.9}, {}, tau) - 1.0) < 1e-12);
    const double delta = 4 * ms;
    QVERIFY(std::abs(metrics::vanRossumDistance({0.1}, {0.1 + delta}, tau) - std::sqrt(1 - std::exp(-delta / tau))) <
            1e-12);
}

void TestMetrics::vanRossumMatchesDirectIntegration_data()
{
    QTest::addColumn<double>("tau");
    QTest::addColumn<int>("seed");
    for (int seed : {1, 2, 3}) {
        QTest::newRow(qPrintable(QString("tau 10 ms, seed %1").arg(seed))) << 10 * ms << seed;
        QTest::newRow(qPrintable(QString("tau 3 ms, seed %1").arg(seed))) << 3 * ms << seed;
    }
}

void TestMetrics::vanRossumMatchesDirectIntegration()
{
    QFETCH(double, tau);
    QFETCH(int, seed);
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed) + 10);
    const SpikeTrain a = randomTrain(7, 0.15, rng), b = randomTrain(4 + seed, 0.15, rng);
    const double d = metrics::vanRossumDistance(a, b, tau);
    const double direct = vanRossumDirect(a, b, tau);
    QVERIFY2(std::abs(d - direct) < 1e-6 * direct,
             qPrintable(QString("D %1 vs direct %2").arg(d, 0, 'g', 12).arg(direct, 0, 'g', 12)));
}

void TestMetrics::matchSpikesHandCases_data()
{
    // Times in units of u = 2⁻¹⁰ s, so every sum and difference is exact in binary and tolerance
    // boundaries are decided exactly (a pair exactly `tolerance` apart is matched).
    QTest::addColumn<SpikeTrain>("desired");
    QTest::addColumn<SpikeTrain>("actual");
    QTest::addColumn<double>("tolerance");
    QTest::addColumn<int>("matched");
    QTest::addColumn<int>("missing");
    QTest::addColumn<int>("extra");
    const double u = 1.0 / 1024;
    const double eps = 1.0 / (1 << 20);
    QTest::newRow("both empty") << SpikeTrain{} << SpikeTrain{} << 2 * u << 0 << 0 << 0;
    QTest::newRow("no output") << SpikeTrain{10 * u, 20 * u, 30 * u} << SpikeTrain{} << 2 * u << 0 << 3 << 0;
    QTest::newRow("no desired") << SpikeTrain{} << SpikeTrain{5 * u} << 2 * u << 0 << 0 << 1;
    QTest::newRow("exactly at +tolerance") << SpikeTrain{100 * u} << SpikeTrain{102 * u} << 2 * u << 1 << 0 << 0;
    QTest::newRow("exactly at -tolerance") << SpikeTrain{100 * u} << SpikeTrain{98 * u} << 2 * u << 1 << 0 << 0;
    QTest::newRow("just beyond +tolerance") << SpikeTrain{100 * u} << SpikeTrain{102 * u + eps} << 2 * u << 0 << 1 << 1;
    QTest::newRow("just beyond -tolerance") << SpikeTrain{100 * u} << SpikeTrain{98 * u - eps} << 2 * u << 0 << 1 << 1;
    // One-to-one: one desired spike cannot absorb two outputs, nor one output two desired spikes.
    QTest::newRow("two outputs near one desired")
        << SpikeTrain{10 * u} << SpikeTrain{9 * u, 11 * u} << 2 * u << 1 << 0 << 1;
    QTest::newRow("two desired near one output")
        << SpikeTrain{9 * u, 11 * u} << SpikeTrain{10 * u} << 2 * u << 1 << 1 << 0;
    // Nearest pairs first: 13↔12.5 (0.5 u) is taken before 10↔12.5 (2.5 u), which leaves 10 and 15.5
    // unmatched (15.5 is 5.5 u from 10) although an in-order pairing would match both.
    QTest::newRow("nearest pair first") << SpikeTrain{10 * u, 13 * u} << SpikeTrain{12.5 * u, 15.5 * u} << 3 * u << 1
                                        << 1 << 1;
    // Chains resolve correctly: 10↔11, 20↔21.5, 30 unmatched (tolerance 1.5 u).
    QTest::newRow("chain") << SpikeTrain{10 * u, 20 * u, 30 * u} << SpikeTrain{11 * u, 21.5 * u, 35 * u} << 1.5 * u << 2
                           << 1 << 1;
    QTest::newRow("identical") << SpikeTrain{1 * u, 2 * u, 3 * u} << SpikeTrain{1 * u, 2 * u, 3 * u} << 0.5 * u << 3
                               << 0 << 0;
    QTest::newRow("zero tolerance, exact hit")
        << SpikeTrain{1 * u, 2 * u} << SpikeTrain{2 * u, 3 * u} << 0.0 << 1 << 1 << 1;
}

void TestMetrics::matchSpikesHandCases()
{
    QFETCH(SpikeTrain, desired);
    QFETCH(SpikeTrain, actual);
    QFETCH(double, tolerance);
    QFETCH(int, matched);
    QFETCH(int, missing);
    QFETCH(int, extra);
    const metrics::SpikeMatch m = metrics::matchSpikes(desired, actual, tolerance);
    QCOMPARE(m.matched, matched);
    QCOMPARE(m.missing, missing);
    QCOMPARE(m.extra, extra);
}

void TestMetrics::matchSpikesMatchesDirectGreedy()
{
    // Random dense trains against the slow repeated-closest-pair search.
    std::mt19937_64 rng(5);
    for (int trial = 0; trial < 200; ++trial) {
        const SpikeTrain d = randomTrain(1 + trial % 12, 0.05, rng), a = randomTrain(1 + (trial / 3) % 12, 0.05, rng);
        const double tol = (1 + trial % 5) * ms;
        const metrics::SpikeMatch m = metrics::matchSpikes(d, a, tol), ref = matchDirect(d, a, tol);
        QCOMPARE(m.matched, ref.matched);
        QCOMPARE(m.missing, ref.missing);
        QCOMPARE(m.extra, ref.extra);
        QCOMPARE(m.matched + m.missing, static_cast<int>(d.size()));
        QCOMPARE(m.matched + m.extra, static_cast<int>(a.size()));
    }
}

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
