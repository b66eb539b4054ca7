// EncodedDataset (normad/EncodedDataset.h): patterns made on demand equal the encoding of the scaled
// features and the class target; the cache stays within its byte limit, evicts the least recently
// used pattern, and gives the same patterns to concurrent callers.

#include "normad/ClassTargets.h"
#include "normad/EncodedDataset.h"

#include <QTest>

#include <stdexcept>
#include <thread>

using namespace normad;

namespace {

std::shared_ptr<const Dataset> sixSamples()
{
    return std::make_shared<const Dataset>(Dataset::fromValues({0, 10, 1, 8, 2, 6, 3, 4, 4, 2, 5, 0},
                                                               {0, 1, 2, 0, 1, 2}, {"a", "b", "c"}, {"x", "y"}, {}));
}

SimulationParams trial()
{
    SimulationParams s;
    s.dt = 1e-4;
    s.duration = 0.1;
    return s;
}

std::vector<SpikeRaster> targets()
{
    ClassTargetParams p;
    p.classSpikes = {0.05, 0.07};
    return classTargets(3, p, trial());
}

FeatureScaler fitted(const Dataset& d)
{
    const std::vector<std::size_t> train = {0, 1, 2, 3};
    return FeatureScaler::fit(d, train, ScalingMode::PerFeature);
}

} // namespace

class TestEncodedDataset : public QObject {
    Q_OBJECT

private slots:
    void patternsAreTheEncoding();
    void cacheIsBoundedAndLeastRecentlyUsed();
    void concurrentCallersAgree();
    void refusals();
};

void TestEncodedDataset::patternsAreTheEncoding()
{
    const auto d = sixSamples();
    EncodingParams e;
    e.seed = 9;
    const EncodedDataset set(d, fitted(*d), e, targets(), trial(), 1 << 20, 100);
    QCOMPARE(set.inputCount(), std::size_t(2));
    QCOMPARE(set.outputCount(), std::size_t(3));
    for (std::size_t i = 0; i < d->sampleCount(); ++i) {
        const auto p = set.pattern(i);
        QCOMPARE(p->inputs, encodeFeatures(fitted(*d).scaled(*d, i), 100 + i, e, trial()));
        QCOMPARE(p->desired, targets()[std::size_t(d->label(i))]);
        QCOMPARE(p->inputs, set.encode(i).inputs);
    }
    QCOMPARE(set.pattern(4)->name, std::string("sample 4 (b)"));
    QVERIFY(spikeCount(set.pattern(5)->inputs) > 0);
    QCOMPARE(set.cachedCount(), std::size_t(6));
    QVERIFY(set.pattern(2) == set.pattern(2)); // the cached object itself
}

void TestEncodedDataset::cacheIsBoundedAndLeastRecentlyUsed()
{
    const auto d = sixSamples();
    EncodingParams e;
    e.kind = EncodingKind::Latency;
    e.latencyThreshold = 0; // every input fires once: all patterns take the same bytes
    const std::uint64_t one =
        EncodedDataset::patternBytes(EncodedDataset(d, fitted(*d), e, targets(), trial(), 0).encode(0));
    const EncodedDataset set(d, fitted(*d), e, targets(), trial(), 2 * one);
    const auto first = set.encode(1);
    set.pattern(0);
    set.pattern(1);
    QCOMPARE(set.cachedBytes(), 2 * one);
    set.pattern(0); // 0 is now the most recent: 1 goes when 2 comes
    set.pattern(2);
    QVERIFY(set.isCached(0));
    QVERIFY(!set.isCached(1));
    QVERIFY(set.isCached(2));
    QCOMPARE(set.cachedCount(), std::size_t(2));
    QVERIFY(set.cachedBytes() <= 2 * one);
    QCOMPARE(set.pattern(1)->inputs, first.inputs); // made again, the same
    // A cache smaller than one pattern keeps nothing but still answers.
    const EncodedDataset none(d, fitted(*d), e, targets(), trial(), one - 1);
    QCOMPARE(none.pattern(3)->inputs, set.encode(3).inputs);
    QCOMPARE(none.cachedCount(), std::size_t(0));
}

void TestEncodedDataset::concurrentCallersAgree()
{
    const auto d = sixSamples();
    EncodingParams e;
    e.maxRate = 500;
    const EncodedDataset set(d, fitted(*d), e, targets(), trial(), 3000); // about two patterns: constant eviction
    std::vector<std::vector<SpikeRaster>> seen(4, std::vector<SpikeRaster>(6));
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 50; ++round)
                for (std::size_t k = 0; k < 6; ++k) {
                    const std::size_t i = (k * (t + 1) + static_cast<std::size_t>(round)) % 6;
                    seen[t][i] = set.pattern(i)->inputs;
                }
        });
    for (auto& thread : threads)
        thread.join();
    for (std::size_t t = 0; t < 4; ++t)
        for (std::size_t i = 0; i < 6; ++i)
            QCOMPARE(seen[t][i], set.encode(i).inputs);
    QVERIFY(set.cachedBytes() <= 3000);
}

void TestEncodedDataset::refusals()
{
    const auto d = sixSamples();
    auto two = targets();
    two.pop_back();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EncodedDataset(d, fitted(*d), {}, two, trial(), 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             EncodedDataset(d, FeatureScaler({0}, {1}), {}, targets(), trial(), 0));
    EncodingParams fast;
    fast.maxRate = 1e5;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EncodedDataset(d, fitted(*d), fast, targets(), trial(), 0));
    const EncodedDataset set(d, fitted(*d), {}, targets(), trial(), 0);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, set.pattern(6));
}

QTEST_GUILESS_MAIN(TestEncodedDataset)
#include "tst_encodeddataset.moc"
