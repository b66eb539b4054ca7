// Classes as tasks: stratified splits and epoch orders (normad/DatasetSplit.h), class targets and the
// decision rules with their tie rules (normad/ClassTargets.h), and the confusion matrix with accuracy,
// precision and recall on a known prediction list (normad/Classification.h).

#include "normad/ClassTargets.h"
#include "normad/Classification.h"
#include "normad/Dataset.h"
#include "normad/DatasetSplit.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

using namespace normad;

Q_DECLARE_METATYPE(normad::SpikeRaster)
Q_DECLARE_METATYPE(normad::DecisionRule)

namespace {

// Interleaved labels (0, 1, 2, …, 0, 1, …) with `sizes[c]` samples of class c.
std::vector<int> interleavedLabels(const std::vector<int>& sizes)
{
    std::vector<int> labels;
    std::vector<int> left = sizes;
    for (bool any = true; any;) {
        any = false;
        for (std::size_t c = 0; c < left.size(); ++c)
            if (left[c] > 0) {
                labels.push_back(static_cast<int>(c));
                --left[c];
                any = true;
            }
    }
    return labels;
}

std::vector<int> perClass(const std::vector<std::size_t>& samples, const std::vector<int>& labels, int classCount)
{
    std::vector<int> counts(static_cast<std::size_t>(classCount), 0);
    for (std::size_t i : samples)
        ++counts[static_cast<std::size_t>(labels[i])];
    return counts;
}

SimulationParams trial()
{
    SimulationParams s;
    s.dt = 1e-4;
    s.duration = 0.1;
    return s;
}

} // namespace

class TestClasses : public QObject {
    Q_OBJECT

private slots:
    void stratifiedProportions_data();
    void stratifiedProportions();
    void splitIsSeeded();
    void splitRefusals();
    void epochOrders();
    void balancedSubsets();
    void targets();
    void decisions_data();
    void decisions();
    void rasterDistanceClosedForm();
    void confusionMatrix();
    void confusionMatrixEdges();
};

void TestClasses::stratifiedProportions_data()
{
    QTest::addColumn<std::vector<int>>("sizes");
    QTest::addColumn<double>("validation");
    QTest::addColumn<double>("test");
    QTest::addColumn<std::vector<int>>("expectedValidation");
    QTest::addColumn<std::vector<int>>("expectedTest");
    // round(n·fraction) per class; a class keeps one training sample (validation gives back first).
    QTest::newRow("100/50/7/1, 10 % validation, 20 % test")
        << std::vector<int>{100, 50, 7, 1} << 0.1 << 0.2 << std::vector<int>{10, 5, 1, 0}
        << std::vector<int>{20, 10, 1, 0};
    QTest::newRow("tiny classes keep a training sample")
        << std::vector<int>{3, 2} << 0.3 << 0.4 << std::vector<int>{1, 0} << std::vector<int>{1, 1};
    QTest::newRow("separate test file: validation only")
        << std::vector<int>{6000, 6000, 6000} << 0.1 << 0.0 << std::vector<int>{600, 600, 600}
        << std::vector<int>{0, 0, 0};
    QTest::newRow("half for test") << std::vector<int>{10, 10} << 0.0 << 0.5 << std::vector<int>{0, 0}
                                   << std::vector<int>{5, 5};
}

void TestClasses::stratifiedProportions()
{
    QFETCH(std::vector<int>, sizes);
    QFETCH(double, validation);
    QFETCH(double, test);
    QFETCH(std::vector<int>, expectedValidation);
    QFETCH(std::vector<int>, expectedTest);
    const auto labels = interleavedLabels(sizes);
    const int k = static_cast<int>(sizes.size());
    const DatasetSplit split = stratifiedSplit(labels, k, {validation, test, 3});
    QCOMPARE(perClass(split.validation, labels, k), expectedValidation);
    QCOMPARE(perClass(split.test, labels, k), expectedTest);
    std::vector<int> expectedTrain(sizes.size());
    for (std::size_t c = 0; c < sizes.size(); ++c)
        expectedTrain[c] = sizes[c] - expectedValidation[c] - expectedTest[c];
    QCOMPARE(perClass(split.train, labels, k), expectedTrain);
    // Disjoint, complete, ascending.
    std::vector<std::size_t> all = split.train;
    all.insert(all.end(), split.validation.begin(), split.validation.end());
    all.insert(all.end(), split.test.begin(), split.test.end());
    std::sort(all.begin(), all.end());
    QCOMPARE(all, allSamples(labels.size()));
    QVERIFY(std::is_sorted(split.train.begin(), split.train.end()));
    QVERIFY(std::is_sorted(split.validation.begin(), split.validation.end()));
    QVERIFY(std::is_sorted(split.test.begin(), split.test.end()));
}

void TestClasses::splitIsSeeded()
{
    const auto labels = interleavedLabels({40, 40, 40});
    const DatasetSplit a = stratifiedSplit(labels, 3, {0.25, 0.25, 11});
    const DatasetSplit b = stratifiedSplit(labels, 3, {0.25, 0.25, 11});
    QCOMPARE(a.train, b.train);
    QCOMPARE(a.validation, b.validation);
    QCOMPARE(a.test, b.test);
    const DatasetSplit c = stratifiedSplit(labels, 3, {0.25, 0.25, 12});
    QVERIFY(c.test != a.test);
    // Not the first or last samples of each class: the members are shuffled.
    QVERIFY(a.test != std::vector<std::size_t>(a.test.size()) && a.test.front() > 0);
}

void TestClasses::splitRefusals()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stratifiedSplit({0, 1}, 2, {0.6, 0.5, 1}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stratifiedSplit({0, 1}, 2, {-0.1, 0, 1}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stratifiedSplit({0, 2}, 2, {0.1, 0, 1}));
    try {
        SplitParams{0.5, 0.5, 1}.validate();
        QFAIL("no error");
    } catch (const std::invalid_argument& e) {
        QCOMPARE(std::string(e.what()), std::string("split.testFraction: with validationFraction 0.5 leaves nothing to "
                                                    "train on (their sum must be below 1) (got 0.5)"));
    }
}

void TestClasses::epochOrders()
{
    const std::vector<std::size_t> samples = {3, 5, 8, 13, 21, 34, 55, 89};
    const auto first = epochOrder(samples, 5, 0);
    auto sorted = first;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(sorted, samples);
    QCOMPARE(epochOrder(samples, 5, 0), first);
    QVERIFY(epochOrder(samples, 5, 1) != first);
    QVERIFY(epochOrder(samples, 6, 0) != first);
}

void TestClasses::balancedSubsets()
{
    const auto labels = interleavedLabels({30, 5, 12});
    const auto subset = balancedSubset(labels, 3, 10, 4);
    QCOMPARE(perClass(subset, labels, 3), (std::vector<int>{10, 5, 10})); // class 1 has only 5
    QVERIFY(std::is_sorted(subset.begin(), subset.end()));
    QVERIFY(std::adjacent_find(subset.begin(), subset.end()) == subset.end());
    QCOMPARE(balancedSubset(labels, 3, 10, 4), subset);
    QVERIFY(balancedSubset(labels, 3, 10, 5) != subset);
    // The subset as a dataset of its own keeps the classes and the samples' features.
    std::vector<double> values;
    for (std::size_t i = 0; i < labels.size(); ++i)
        values.insert(values.end(), {double(i), -double(i)});
    const Dataset d = Dataset::fromValues(values, labels, {"a", "b", "c"}, {"x", "y"}, {"csv", {"t.csv"}, "label"});
    const Dataset s = d.subset(subset);
    QCOMPARE(s.sampleCount(), subset.size());
    QCOMPARE(s.classCount(), 3);
    QCOMPARE(s.classCounts(), (std::vector<std::size_t>{10, 5, 10}));
    for (std::size_t k = 0; k < subset.size(); ++k) {
        QCOMPARE(s.label(k), labels[subset[k]]);
        QCOMPARE(s.features(k), (std::vector<double>{double(subset[k]), -double(subset[k])}));
    }
    QCOMPARE(s.origin().files, d.origin().files);
    const std::vector<std::size_t> pastTheEnd = {labels.size()};
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, d.subset(pastTheEnd));
    const Dataset images = Dataset::fromBytes({1, 2, 3, 4, 5, 6}, {0, 1, 0}, {"p", "q"}, 1, 2, {});
    const std::vector<std::size_t> picked = {2, 0};
    const Dataset two = images.subset(picked);
    QCOMPARE(two.imageHeight(), 2);
    QCOMPARE(two.features(0), (std::vector<double>{5, 6}));
    QCOMPARE(two.features(1), (std::vector<double>{1, 2}));
}

void TestClasses::targets()
{
    ClassTargetParams p;
    p.classSpikes = {0.010, 0.020};
    p.otherSpikes = regularSpikes(20, 0.0, 0.1, 1e-4);
    QCOMPARE(p.otherSpikes, (SpikeTrain{0.025, 0.075}));
    const auto t = classTargets(3, p, trial());
    QCOMPARE(t.size(), std::size_t(3));
    for (int k = 0; k < 3; ++k)
        for (int n = 0; n < 3; ++n)
            QCOMPARE(t[std::size_t(k)][std::size_t(n)], n == k ? p.classSpikes : p.otherSpikes);
    p.classSpikes = {0.05, 0.2};
    try {
        classTargets(3, p, trial());
        QFAIL("no error");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(std::string(e.what()).rfind("targets.classSpikes[1]: spike time must lie inside the trial", 0) == 0,
                 e.what());
    }
    p.classSpikes = p.otherSpikes;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, classTargets(3, p, trial()));
    for (auto r : {DecisionRule::ClosestTarget, DecisionRule::MostSpikes, DecisionRule::FirstSpike})
        QVERIFY(decisionRuleFromString(toString(r)) == r);
}

void TestClasses::decisions_data()
{
    QTest::addColumn<DecisionRule>("rule");
    QTest::addColumn<SpikeRaster>("output");
    QTest::addColumn<int>("expected");
    const auto closest = DecisionRule::ClosestTarget, most = DecisionRule::MostSpikes, first = DecisionRule::FirstSpike;
    // Targets: class neuron at 10 and 20 ms, the others silent.
    QTest::newRow("closest: exact target 1") << closest << SpikeRaster{{}, {0.010, 0.020}, {}} << 1;
    QTest::newRow("closest: near target 2") << closest << SpikeRaster{{}, {}, {0.011, 0.021}} << 2;
    QTest::newRow("closest: silent, all equally far, lowest index") << closest << SpikeRaster{{}, {}, {}} << 0;
    QTest::newRow("closest: symmetric between 1 and 2, lowest index")
        << closest << SpikeRaster{{}, {0.010}, {0.010}} << 1;
    QTest::newRow("most: the neuron with most spikes") << most << SpikeRaster{{0.01}, {0.01, 0.02}, {}} << 1;
    QTest::newRow("most: equal counts, earliest first spike")
        << most << SpikeRaster{{0.02, 0.03}, {0.01, 0.04}, {}} << 1;
    QTest::newRow("most: full tie, lowest index") << most << SpikeRaster{{}, {0.01, 0.02}, {0.01, 0.03}} << 1;
    QTest::newRow("most: silent is undecided") << most << SpikeRaster{{}, {}, {}} << undecidedClass;
    QTest::newRow("first: earliest first spike") << first << SpikeRaster{{0.02}, {0.03, 0.04, 0.05}, {0.015}} << 2;
    QTest::newRow("first: same time, more spikes") << first << SpikeRaster{{0.01}, {0.01, 0.02}, {}} << 1;
    QTest::newRow("first: full tie, lowest index") << first << SpikeRaster{{}, {0.01}, {0.01}} << 1;
    QTest::newRow("first: silent is undecided") << first << SpikeRaster{{}, {}, {}} << undecidedClass;
}

void TestClasses::decisions()
{
    QFETCH(DecisionRule, rule);
    QFETCH(SpikeRaster, output);
    QFETCH(int, expected);
    ClassTargetParams p;
    p.classSpikes = {0.010, 0.020};
    const auto targets = classTargets(3, p, trial());
    QCOMPARE(decideClass(output, targets, rule, 0.01), expected);
    if (rule != DecisionRule::ClosestTarget)
        QCOMPARE(decideClass(output, {}, rule, 0.01), expected); // the count-based rules need no targets
}

void TestClasses::rasterDistanceClosedForm()
{
    // A silent output against a target with spikes 10 ms apart (τ = 10 ms) on one neuron:
    // D² = ½ Σᵢⱼ e^{−|tᵢ − tⱼ|/τ} = ½(2 + 2e^{−1}) = 1 + e^{−1}; the silent neurons add nothing.
    const SpikeRaster silent = {{}, {}, {}}, target = {{0.010, 0.020}, {}, {}};
    QVERIFY(std::fabs(rasterDistance(silent, target, 0.01) - std::sqrt(1 + std::exp(-1.0))) < 1e-12);
    // Two neurons each one unmatched spike: D² = ½ + ½.
    QVERIFY(std::fabs(rasterDistance({{0.01}, {}}, {{}, {0.05}}, 0.01) - 1.0) < 1e-12);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rasterDistance({{}}, {{}, {}}, 0.01));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             decideClass({{}, {}}, {{{}, {}, {}}}, DecisionRule::ClosestTarget, 0.01));
}

void TestClasses::confusionMatrix()
{
    const std::vector<int> truth = {0, 0, 0, 1, 1, 2, 2, 2, 2};
    const std::vector<int> predicted = {0, 1, 0, 1, undecidedClass, 2, 0, 2, 2};
    const auto m = ConfusionMatrix::from(truth, predicted, 3);
    QCOMPARE(m.total(), std::size_t(9));
    QCOMPARE(m.correct(), std::size_t(6));
    QCOMPARE(m.count(0, 0), std::size_t(2));
    QCOMPARE(m.count(0, 1), std::size_t(1));
    QCOMPARE(m.count(2, 0), std::size_t(1));
    QCOMPARE(m.undecided(1), std::size_t(1));
    QCOMPARE(m.accuracy(), 6.0 / 9.0);
    QCOMPARE(m.precision(0), 2.0 / 3.0); // column 0: two of class 0, one of class 2
    QCOMPARE(m.precision(1), 0.5);
    QCOMPARE(m.precision(2), 1.0);
    QCOMPARE(m.recall(0), 2.0 / 3.0);
    QCOMPARE(m.recall(1), 0.5); // the undecided sample counts against its class
    QCOMPARE(m.recall(2), 0.75);
    QCOMPARE(m.toCsv({"a", "b", "c, d"}), std::string("true \\ predicted,a,b,\"c, d\",undecided\n"
                                                      "a,2,1,0,0\n"
                                                      "b,0,1,0,1\n"
                                                      "\"c, d\",1,0,3,0\n"));
}

void TestClasses::confusionMatrixEdges()
{
    ConfusionMatrix m(2);
    QVERIFY(std::isnan(m.accuracy()));
    m.add(0, 0);
    QVERIFY(std::isnan(m.precision(1))); // nothing predicted as 1
    QVERIFY(std::isnan(m.recall(1)));    // no sample of class 1
    QCOMPARE(m.accuracy(), 1.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m.add(2, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m.add(0, 5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ConfusionMatrix::from({0}, {0, 1}, 2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m.toCsv({"a"}));
}

QTEST_GUILESS_MAIN(TestClasses)
#include "tst_classes.moc"
