// The layer numbering of Layers.h: l = 0 is the input population, l = 1 … L the LIF layers, and the
// named accessors that map l onto 0-based storage (Network, SimulationRecord, PatternGradient,
// EpochMetrics, ofLayer). Each accessor is checked against the storage position it must read, on a
// network whose layers all differ in size, so an off-by-one lands on a matrix of the wrong shape.

#include "normad/EpochMetrics.h"
#include "normad/Layers.h"
#include "normad/Network.h"
#include "normad/NormadRule.h"
#include "normad/Simulator.h"

#include <QtTest>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace normad;

namespace {

LayerSpec sized(int size)
{
    LayerSpec l;
    l.size = size;
    l.init.kind = WeightInit::Kind::Uniform;
    l.init.low = -1e-9;
    l.init.high = 1e-9;
    return l;
}

// 3 inputs → 4 → 5 → 2: every W^l has its own shape N_l × N_{l−1}.
Network network()
{
    Network net(3, {sized(4), sized(5), sized(2)});
    net.initializeWeights(7);
    return net;
}

std::vector<int> collect(LayerRange range)
{
    std::vector<int> out;
    for (int l : range)
        out.push_back(l);
    return out;
}

} // namespace

class TestLayers : public QObject {
    Q_OBJECT
private slots:
    void ranges_data();
    void ranges();
    void networkNumbers();
    void ofLayerReadsPositionLMinusOne();
    void networkAccessors();
    void setAllWeights();
    void weightsFiniteFindsEveryNonFinite_data();
    void weightsFiniteFindsEveryNonFinite();
    void setAllWeightsRefusesWrongInput_data();
    void setAllWeightsRefusesWrongInput();
    void recordActivity();
    void gradientAndMetrics();
    void layerPath();
};

void TestLayers::weightsFiniteFindsEveryNonFinite_data()
{
    QTest::addColumn<double>("bad");
    QTest::newRow("+inf") << std::numeric_limits<double>::infinity();
    QTest::newRow("-inf") << -std::numeric_limits<double>::infinity();
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN();
}

void TestLayers::weightsFiniteFindsEveryNonFinite()
{
    // weightsFinite() sums x − x four lanes at a time plus a tail: a non-finite weight anywhere (in a
    // vector block or in the tail, 12, 20 and 10 weights here) must be found; huge finite ones are fine.
    QFETCH(double, bad);
    Network net = network();
    for (int l : net.layerNumbers()) {
        Eigen::MatrixXd w = net.weights(l);
        w(0, 0) = std::numeric_limits<double>::max();
        w(1, 0) = -std::numeric_limits<double>::max();
        net.setWeights(l, w);
    }
    QVERIFY(net.weightsFinite());
    for (int l : net.layerNumbers())
        for (Eigen::Index k = 0; k < net.weights(l).size(); ++k) {
            Network spoilt = net; // shares the weights until addToWeights copies layer l
            Eigen::MatrixXd dw = Eigen::MatrixXd::Zero(net.weights(l).rows(), net.weights(l).cols());
            dw.data()[k] = bad;
            spoilt.addToWeights(l, dw);
            QVERIFY2(!spoilt.weightsFinite(), qPrintable(QString("layer %1, weight %2").arg(l).arg(k)));
        }
    QVERIFY(net.weightsFinite());
}

void TestLayers::ranges_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<std::vector<int>>("expected");
    QTest::newRow("layers 1 … 3") << 1 << 3 << std::vector<int>{1, 2, 3};
    QTest::newRow("populations 0 … 2") << 0 << 2 << std::vector<int>{0, 1, 2};
    QTest::newRow("one layer") << 1 << 1 << std::vector<int>{1};
    QTest::newRow("no layer") << 1 << 0 << std::vector<int>{};
    QTest::newRow("reversed is empty") << 3 << 1 << std::vector<int>{};
}

void TestLayers::ranges()
{
    QFETCH(int, first);
    QFETCH(int, last);
    QFETCH(std::vector<int>, expected);
    const LayerRange range(first, last);
    QCOMPARE(collect(range), expected);
    QCOMPARE(range.size(), static_cast<int>(expected.size()));
    QCOMPARE(range.empty(), expected.empty());
    for (int l = first - 2; l <= last + 2; ++l)
        QCOMPARE(range.contains(l), std::find(expected.begin(), expected.end(), l) != expected.end());
}

void TestLayers::networkNumbers()
{
    const Network net = network();
    QCOMPARE(collect(net.layerNumbers()), (std::vector<int>{1, 2, 3}));
    QCOMPARE(collect(net.populationNumbers()), (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(collect(layerNumbers(2)), (std::vector<int>{1, 2}));
    QCOMPARE(collect(populationNumbers(2)), (std::vector<int>{0, 1, 2}));
}

void TestLayers::ofLayerReadsPositionLMinusOne()
{
    std::vector<int> perLayer{10, 20, 30};
    QCOMPARE(ofLayer(perLayer, 1), 10);
    QCOMPARE(ofLayer(perLayer, 3), 30);
    ofLayer(perLayer, 2) += 5; // writable through a non-const container
    QCOMPARE(perLayer[1], 25);
    const std::vector<int>& constant = perLayer;
    QCOMPARE(ofLayer(constant, 2), 25);
}

void TestLayers::networkAccessors()
{
    const Network net = network();
    QCOMPARE(net.layerCount(), 3);
    QCOMPARE(net.populationSize(0), 3);
    const std::vector<int> sizes{3, 4, 5, 2};
    for (int l : net.layerNumbers()) {
        QCOMPARE(net.layer(l).size, sizes[static_cast<std::size_t>(l)]);
        QCOMPARE(net.populationSize(l), sizes[static_cast<std::size_t>(l)]);
        QCOMPARE(net.weights(l).rows(), Eigen::Index(net.populationSize(l)));
        QCOMPARE(net.weights(l).cols(), Eigen::Index(net.populationSize(l - 1)));
        QVERIFY(net.weights(l) == ofLayer(net.allWeights(), l));
    }
    QCOMPARE(net.allWeights().size(), std::size_t(3));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, net.layer(0));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, net.layer(4));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, net.weights(4));
}

void TestLayers::setAllWeights()
{
    Network net = network();
    std::vector<Eigen::MatrixXd> w = net.allWeights();
    for (int l : net.layerNumbers())
        ofLayer(w, l).setConstant(l * 1e-9);
    net.setAllWeights(w);
    for (int l : net.layerNumbers())
        QCOMPARE(net.weights(l)(0, 0), l * 1e-9);
}

void TestLayers::setAllWeightsRefusesWrongInput_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("badLayer");
    QTest::addColumn<bool>("nonFinite");
    QTest::addColumn<QString>("message");
    QTest::newRow("too few") << 2 << 0 << false << "2 matrices";
    QTest::newRow("too many") << 4 << 0 << false << "4 matrices";
    QTest::newRow("layer 2 transposed") << 3 << 2 << false << "network.layers[1].weights";
    QTest::newRow("layer 3 not finite") << 3 << 3 << true << "network.layers[2].weights";
}

void TestLayers::setAllWeightsRefusesWrongInput()
{
    QFETCH(int, count);
    QFETCH(int, badLayer);
    QFETCH(bool, nonFinite);
    QFETCH(QString, message);
    Network net = network();
    const std::vector<Eigen::MatrixXd> before = net.allWeights();
    std::vector<Eigen::MatrixXd> w = before;
    w.resize(static_cast<std::size_t>(count), Eigen::MatrixXd::Zero(1, 1));
    for (Eigen::MatrixXd& m : w)
        m.setConstant(1e-9);
    if (badLayer > 0 && nonFinite)
        ofLayer(w, badLayer)(0, 0) = std::numeric_limits<double>::infinity();
    else if (badLayer > 0)
        ofLayer(w, badLayer).transposeInPlace();
    try {
        net.setAllWeights(w);
        QFAIL("no exception");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
    QVERIFY(net.allWeights() == before); // nothing changed, not even the layers before the bad one
}

void TestLayers::recordActivity()
{
    const Network net = network();
    SimulationParams sim;
    sim.duration = 0.01;
    const SimulationRecord rec = Simulator(net, sim).runSteps({{1}, {2, 3}, {}});
    QCOMPARE(rec.layers.size(), std::size_t(4));
    for (int l : net.populationNumbers()) {
        QCOMPARE(&rec.activity(l), &rec.layers[static_cast<std::size_t>(l)]);
        QCOMPARE(static_cast<int>(rec.activity(l).spikes.size()), net.populationSize(l));
    }
    QCOMPARE(rec.activity(0).spikes[1], (StepTrain{2, 3}));
}

void TestLayers::gradientAndMetrics()
{
    const Network net = network();
    PatternGradient g;
    g.deltas = net.allWeights();
    g.errors.resize(3);
    g.error(3).push_back({1, 7, -1.0});
    for (int l : net.layerNumbers())
        QCOMPARE(&g.delta(l), &g.deltas[static_cast<std::size_t>(l - 1)]);
    QCOMPARE(g.errors[2].size(), std::size_t(1));
    QVERIFY(g.error(1).empty() && g.error(2).empty());
    g.delta(2).setZero();
    QCOMPARE(g.deltas[1].norm(), 0.0);
    const PatternGradient& constant = g;
    QCOMPARE(constant.error(3).front().step, std::int64_t(7));

    EpochMetrics m;
    m.layerRates = {4.0, 50.0, 12.5};
    QCOMPARE(m.layerRate(1), 4.0);
    QCOMPARE(m.layerRate(3), 12.5);
}

void TestLayers::layerPath()
{
    QCOMPARE(QString::fromStdString(normad::layerPath(1)), QString("network.layers[0]"));
    QCOMPARE(QString::fromStdString(normad::layerPath(3)), QString("network.layers[2]"));
}

QTEST_APPLESS_MAIN(TestLayers)
#include "tst_layers.moc"
