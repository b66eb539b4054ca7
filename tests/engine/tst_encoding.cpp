// Encodings (normad/Encoding.h) and feature scaling (normad/FeatureScaler.h) against closed forms:
// Poisson spike counts (mean and variance of a Bernoulli process on the grid), exact latencies,
// Bohte's receptive-field centres and widths; determinism independent of call order and thread.

#include "normad/Dataset.h"
#include "normad/Encoding.h"
#include "normad/FeatureScaler.h"

#include <QTest>

#include <cmath>
#include <stdexcept>
#include <thread>

using namespace normad;

Q_DECLARE_METATYPE(std::string)

namespace {

SimulationParams grid(double dt, double duration)
{
    SimulationParams s;
    s.dt = dt;
    s.duration = duration;
    return s;
}

std::string invalidMessage(const std::vector<double>& features, const EncodingParams& p, const SimulationParams& s)
{
    try {
        encodeFeatures(features, 0, p, s);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

class TestEncoding : public QObject {
    Q_OBJECT

private slots:
    void poissonCounts_data();
    void poissonCounts();
    void poissonIsDeterministic();
    void latencies_data();
    void latencies();
    void receptiveFieldCentres_data();
    void receptiveFieldCentres();
    void receptiveFieldSpikes();
    void refusals_data();
    void refusals();
    void kindNames();
    void scalerFitsTrainingSplitOnly();
    void scalerGlobalRange();
};

void TestEncoding::poissonCounts_data()
{
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("maxRate");
    QTest::addColumn<double>("dt");
    QTest::addColumn<double>("duration");
    QTest::newRow("x 1, 100 Hz, 0.1 ms, 0.5 s") << 1.0 << 100.0 << 1e-4 << 0.5;
    QTest::newRow("x 0.3, 200 Hz, 1 ms, 0.2 s") << 0.3 << 200.0 << 1e-3 << 0.2;
    QTest::newRow("x 0.5, 1000 Hz, 1 ms (p = 0.5)") << 0.5 << 1000.0 << 1e-3 << 0.1;
    QTest::newRow("x 0.02, 50 Hz, 0.1 ms (sparse)") << 0.02 << 50.0 << 1e-4 << 1.0;
}

void TestEncoding::poissonCounts()
{
    QFETCH(double, x);
    QFETCH(double, maxRate);
    QFETCH(double, dt);
    QFETCH(double, duration);
    const SimulationParams s = grid(dt, duration);
    EncodingParams p;
    p.maxRate = maxRate;
    p.seed = 42;
    // A spike in each of the N steps with probability q = x·rate·dt: count ~ Binomial(N, q),
    // mean Nq, variance Nq(1 − q). 20 000 trains: the sample mean lies within 5 standard errors.
    const double q = x * maxRate * dt;
    const double steps = static_cast<double>(s.steps());
    const double mean = steps * q, variance = steps * q * (1 - q);
    const std::vector<double> features(50, x);
    const int samples = 400, trains = samples * 50;
    double sum = 0, sumSquares = 0;
    for (int i = 0; i < samples; ++i) {
        const SpikeRaster r = encodeFeatures(features, static_cast<std::uint64_t>(i), p, s);
        QCOMPARE(r.size(), features.size());
        for (const auto& train : r) {
            validateSpikeTrain(train, duration, dt, true, "poisson");
            for (double t : train)
                QCOMPARE(t, static_cast<double>(std::llround(t / dt)) * dt); // on the grid
            const double n = static_cast<double>(train.size());
            sum += n;
            sumSquares += n * n;
        }
    }
    const double sampleMean = sum / trains;
    const double sampleVariance = (sumSquares - trains * sampleMean * sampleMean) / (trains - 1);
    const double standardError = std::sqrt(variance / trains);
    QVERIFY2(std::fabs(sampleMean - mean) < 5 * standardError,
             qPrintable(QString("mean count %1, expected %2 ± %3").arg(sampleMean).arg(mean).arg(5 * standardError)));
    // The variance of a sample variance is ≈ 2σ⁴/(n − 1) for near-normal counts: 5 standard errors.
    const double varianceError = variance * std::sqrt(2.0 / (trains - 1));
    QVERIFY2(std::fabs(sampleVariance - variance) < 5 * varianceError + 1e-9,
             qPrintable(QString("count variance %1, expected %2").arg(sampleVariance).arg(variance)));
}

void TestEncoding::poissonIsDeterministic()
{
    const SimulationParams s = grid(1e-4, 0.2);
    EncodingParams p;
    p.seed = 7;
    const std::vector<double> f = {0.2, 0.9, 0.5, 1.0};
    const SpikeRaster seven = encodeFeatures(f, 7, p, s);
    QVERIFY(spikeCount(seven) > 0);
    encodeFeatures(f, 3, p, s);
    encodeFeatures(f, 4, p, s);
    QCOMPARE(encodeFeatures(f, 7, p, s), seven); // call order does not matter
    SpikeRaster fromThread;
    std::thread worker([&] { fromThread = encodeFeatures(f, 7, p, s); });
    worker.join();
    QCOMPARE(fromThread, seven);
    QVERIFY(encodeFeatures(f, 8, p, s) != seven);
    p.seed = 8;
    QVERIFY(encodeFeatures(f, 7, p, s) != seven);
    // A silent feature fires nothing.
    QVERIFY(encodeFeatures(std::vector<double>{0.0}, 7, p, s)[0].empty());
}

void TestEncoding::latencies_data()
{
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("expected"); // −1: no spike
    // earliest 2 ms, latest 42 ms, threshold 0.1: t = 0.042 − x·0.040.
    QTest::newRow("x 1 fires first") << 1.0 << 0.002;
    QTest::newRow("x 0.5") << 0.5 << 0.022;
    QTest::newRow("x 0.25") << 0.25 << 0.032;
    QTest::newRow("x at the threshold fires last") << 0.1 << 0.038;
    QTest::newRow("x below the threshold is silent") << 0.0999 << -1.0;
    QTest::newRow("x 0 is silent") << 0.0 << -1.0;
}

void TestEncoding::latencies()
{
    QFETCH(double, x);
    QFETCH(double, expected);
    EncodingParams p;
    p.kind = EncodingKind::Latency;
    p.earliest = 0.002;
    p.latest = 0.042;
    p.latencyThreshold = 0.1;
    const SpikeRaster r = encodeFeatures(std::vector<double>{x, 1.0}, 0, p, grid(1e-4, 0.05));
    QCOMPARE(r.size(), std::size_t(2));
    QCOMPARE(r[1], SpikeTrain{0.002});
    if (expected < 0) {
        QVERIFY(r[0].empty());
    } else {
        QCOMPARE(r[0].size(), std::size_t(1));
        QVERIFY2(std::fabs(r[0][0] - expected) < 1e-15, qPrintable(QString::number(r[0][0], 'g', 17)));
    }
}

void TestEncoding::receptiveFieldCentres_data()
{
    QTest::addColumn<int>("k");
    QTest::addColumn<double>("beta");
    QTest::addColumn<std::vector<double>>("centres");
    QTest::addColumn<double>("width");
    // μᵢ = (2i − 3)/2 · 1/(k − 2), σ = 1/(β(k − 2)) on [0, 1].
    QTest::newRow("k 3, β 1.5") << 3 << 1.5 << std::vector<double>{-0.5, 0.5, 1.5} << 2.0 / 3.0;
    QTest::newRow("k 5, β 1.5") << 5 << 1.5 << std::vector<double>{-1.0 / 6, 1.0 / 6, 0.5, 5.0 / 6, 7.0 / 6}
                                << 2.0 / 9.0;
    QTest::newRow("k 12, β 2") << 12 << 2.0 << std::vector<double>{-0.05, 0.05, 0.15, 0.25, 0.35, 0.45,
                                                                   0.55,  0.65, 0.75, 0.85, 0.95, 1.05}
                               << 0.05;
}

void TestEncoding::receptiveFieldCentres()
{
    QFETCH(int, k);
    QFETCH(double, beta);
    QFETCH(std::vector<double>, centres);
    QFETCH(double, width);
    const auto fields = receptiveFields(k, beta);
    QCOMPARE(fields.size(), centres.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
        QVERIFY2(std::fabs(fields[i].centre - centres[i]) < 1e-15, qPrintable(QString::number(i)));
        QVERIFY(std::fabs(fields[i].width - width) < 1e-15);
    }
}

void TestEncoding::receptiveFieldSpikes()
{
    // k = 5 over x = 0.5: the middle field (μ = 0.5) responds 1 and fires at `earliest`; its
    // neighbours (|x − μ| = 1/3 = 1.5σ) respond e^{−1.125}; the outer fields (3σ) respond
    // e^{−4.5} ≈ 0.011 < 0.1 and stay silent.
    EncodingParams p;
    p.kind = EncodingKind::ReceptiveFields;
    p.fieldsPerFeature = 5;
    p.earliest = 0.001;
    p.latest = 0.011;
    const SpikeRaster r = encodeFeatures(std::vector<double>{0.5, 0.0}, 0, p, grid(1e-4, 0.02));
    QCOMPARE(r.size(), std::size_t(10));
    QCOMPARE(encodedInputCount(p, 2), std::size_t(10));
    const double neighbour = 0.001 + (1 - std::exp(-1.125)) * 0.010;
    QVERIFY(r[0].empty());
    QCOMPARE(r[1].size(), std::size_t(1));
    QVERIFY(std::fabs(r[1][0] - neighbour) < 1e-15);
    QCOMPARE(r[2], SpikeTrain{0.001});
    QCOMPARE(r[3].size(), std::size_t(1)); // mirror image of r[1] up to rounding of the centres
    QVERIFY(std::fabs(r[3][0] - neighbour) < 1e-15);
    QVERIFY(r[4].empty());
    // x = 0 sits between the first two centres (−1/6 and 1/6), 0.75σ from each: equal responses e^{−0.28125}.
    const double edge = 0.001 + (1 - std::exp(-0.28125)) * 0.010;
    QVERIFY(std::fabs(r[5][0] - edge) < 1e-15);
    QVERIFY(std::fabs(r[6][0] - edge) < 1e-15);
    QCOMPARE(responseSpikeTime(0.05, p), -1.0);
}

void TestEncoding::refusals_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("maxRate");
    QTest::addColumn<double>("latest");
    QTest::addColumn<int>("k");
    QTest::addColumn<std::string>("expected");
    const int poisson = int(EncodingKind::Poisson), latency = int(EncodingKind::Latency),
              fields = int(EncodingKind::ReceptiveFields);
    QTest::newRow("rate above 1/dt") << poisson << 0.5 << 20000.0 << 0.04 << 5
                                     << std::string("encoding.maxRate: must be at most 1/dt = 10000 Hz");
    QTest::newRow("latest outside the trial")
        << latency << 0.5 << 100.0 << 0.1 << 5 << std::string("encoding.latest: must fall inside the trial [0, 0.1) s");
    QTest::newRow("two fields") << fields << 0.5 << 100.0 << 0.04 << 2
                                << std::string("encoding.fieldsPerFeature: must be at least 3");
    QTest::newRow("unscaled feature") << latency << 255.0 << 100.0 << 0.04 << 5
                                      << std::string("encoding.feature[0]: scaled features must lie in [0, 1] "
                                                     "(got 255)");
    QTest::newRow("NaN feature") << poisson << std::nan("") << 100.0 << 0.04 << 5
                                 << std::string("encoding.feature[0]: scaled features must lie in [0, 1] (got nan)");
}

void TestEncoding::refusals()
{
    QFETCH(int, kind);
    QFETCH(double, x);
    QFETCH(double, maxRate);
    QFETCH(double, latest);
    QFETCH(int, k);
    QFETCH(std::string, expected);
    EncodingParams p;
    p.kind = static_cast<EncodingKind>(kind);
    p.maxRate = maxRate;
    p.latest = latest;
    p.fieldsPerFeature = k;
    const std::string message = invalidMessage({x}, p, grid(1e-4, 0.1));
    QVERIFY2(message.rfind(expected, 0) == 0, message.c_str());
}

void TestEncoding::kindNames()
{
    for (auto k : {EncodingKind::Poisson, EncodingKind::Latency, EncodingKind::ReceptiveFields})
        QVERIFY(encodingKindFromString(toString(k)) == k);
    QCOMPARE(toString(EncodingKind::ReceptiveFields), std::string("receptive-fields"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, encodingKindFromString("rate"));
}

void TestEncoding::scalerFitsTrainingSplitOnly()
{
    // Feature 0 spans 0 … 10 on the training samples (0, 1, 2); sample 3 (not training) has 20.
    // Feature 1 is constant on the training samples.
    const Dataset d = Dataset::fromValues({0, 5, 10, 5, 5, 5, 20, -1}, {0, 1, 0, 1}, {"a", "b"}, {"f0", "f1"}, {});
    const std::vector<std::size_t> train = {0, 1, 2};
    const FeatureScaler s = FeatureScaler::fit(d, train, ScalingMode::PerFeature);
    QCOMPARE(s.minimum(), (std::vector<double>{0, 5}));
    QCOMPARE(s.maximum(), (std::vector<double>{10, 5}));
    QCOMPARE(s.scaled(d, 0), (std::vector<double>{0, 0}));
    QCOMPARE(s.scaled(d, 1), (std::vector<double>{1, 0}));
    QCOMPARE(s.scaled(d, 3), (std::vector<double>{1, 0})); // 20 clamps to 1; the constant feature gives 0
    QCOMPARE(s.scale(0, 2.5), 0.25);
    QCOMPARE(s.scale(0, -3.0), 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureScaler::fit(d, {}, ScalingMode::PerFeature));
}

void TestEncoding::scalerGlobalRange()
{
    const Dataset d = Dataset::fromBytes({0, 51, 102, 255, 0, 0}, {0, 0, 0}, {"only"}, 2, 1, {});
    const std::vector<std::size_t> all = {0, 1, 2};
    const FeatureScaler s = FeatureScaler::fit(d, all, ScalingMode::Global);
    QCOMPARE(s.minimum(), (std::vector<double>{0, 0}));
    QCOMPARE(s.maximum(), (std::vector<double>{255, 255}));
    QCOMPARE(s.scaled(d, 0), (std::vector<double>{0, 0.2}));
    QCOMPARE(s.scaled(d, 1), (std::vector<double>{0.4, 1}));
}

QTEST_GUILESS_MAIN(TestEncoding)
#include "tst_encoding.moc"
