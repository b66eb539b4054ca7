// The rule inspector shows exactly the engine's update: its Δw bars equal NormadRule::compute's
// delta for the pattern and neuron, and the per-instant contributions sum to Δw_ij.

#include "normad/NormadRule.h"
#include "normad/Simulator.h"
#include "normad/TaskGenerators.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RuleInspection.h"
#include "normad/ui/RuleInspector.h"
#include "normad/ui/RuleInspectorFeature.h"
#include "normad/ui/WeightPlot.h"

#include <QDockWidget>
#include <QTableWidget>
#include <QtTest>

#include <qcustomplot.h>

using namespace normad;

namespace {

/// Delivers what is queued (layout requests, resizes, geometry changes from the platform) without
/// waiting for time to pass; a round may queue the next, hence a few. True, for use in conditions.
bool processLayouts()
{
    for (int round = 0; round < 3; ++round)
        QCoreApplication::processEvents();
    return true;
}

// Single neuron with random weights, so that it fires (extra spikes: e = −1) and misses (e = +1).
Project singleCase()
{
    Project p = generators::singleNeuron(4);
    p.network.layer(1).init = WeightInit{};
    p.network.layer(1).init.kind = WeightInit::Kind::Normal;
    p.network.layer(1).init.mean = 0.4e-9;
    p.network.layer(1).init.stddev = 1e-9;
    p.network.initializeWeights(4);
    p.hasWeights = true;
    return p;
}

// The engine's update for one pattern, computed here independently of the inspector.
PatternGradient engineUpdate(const Project& p, int pattern)
{
    const Pattern& pat = p.task.patterns[static_cast<std::size_t>(pattern)];
    const SimulationRecord rec = Simulator(p.network, p.simulation).run(pat.inputs);
    std::vector<StepTrain> desired;
    for (const SpikeTrain& t : pat.desired)
        desired.push_back(toSteps(t, p.simulation.dt));
    return NormadRule(p.network, p.simulation, p.training).compute(p.network, rec, desired);
}

} // namespace

class TestRuleInspector : public QObject {
    Q_OBJECT

private slots:
    void barsEqualEngineUpdate_data();
    void barsEqualEngineUpdate();
    void weightMapClickExplainsSynapse();
};

void TestRuleInspector::barsEqualEngineUpdate_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<int>("pattern");
    QTest::addColumn<int>("layer");
    QTest::newRow("single neuron") << "single" << 0 << 1;
    QTest::newRow("xor output") << "xor" << 2 << 2;
    QTest::newRow("xor hidden layer") << "xor" << 1 << 1;
    QTest::newRow("3-layer, first hidden") << "multilayer" << 0 << 1;
}

void TestRuleInspector::barsEqualEngineUpdate()
{
    QFETCH(QString, task);
    QFETCH(int, pattern);
    QFETCH(int, layer);
    Project p = task == "single" ? singleCase() : task == "xor" ? generators::xorTask(1) : generators::multilayer(2);
    p.ensureWeights();
    const PatternGradient g = engineUpdate(p, pattern);
    // The neuron of that layer with the most error entries: a case where Δw is far from zero.
    const auto& errors = g.error(layer);
    std::vector<int> count(static_cast<std::size_t>(p.network.populationSize(layer)), 0);
    for (const ErrorEntry& e : errors)
        ++count[static_cast<std::size_t>(e.neuron)];
    const int neuron = static_cast<int>(std::max_element(count.begin(), count.end()) - count.begin());
    QVERIFY2(count[static_cast<std::size_t>(neuron)] >= 2, "the case must have error instants");
    const Eigen::RowVectorXd expected = g.delta(layer).row(neuron);
    QVERIFY(expected.norm() > 0.05 * p.network.layer(layer).learningRate);

    ui::ProjectDocument doc;
    doc.reset(p);
    ui::RuleInspector inspector(&doc, nullptr);
    inspector.resize(1200, 800);
    QSignalSpy shown(&inspector, &ui::RuleInspector::inspected);
    inspector.inspect(layer, neuron, pattern, -1);
    QVERIFY(inspector.isComputing()); // off the GUI thread
    QVERIFY(shown.wait(20000));
    const ui::RuleInspection* r = inspector.inspection();
    QVERIFY2(r, qPrintable(inspector.problem()));
    QCOMPARE(r->request.pattern, pattern);

    // Bars (nA) = the engine's Δw_ij (A) × 1e9, every synapse, to 1e-12 nA.
    QCPBars* bars = inspector.deltaBars();
    QCOMPARE(bars->data()->size(), static_cast<int>(expected.size()));
    for (int j = 0; j < expected.size(); ++j) {
        const auto it = bars->data()->at(j);
        QCOMPARE(qRound(it->key), j);
        QVERIFY2(std::abs(it->value - expected(j) * 1e9) <= 1e-12,
                 qPrintable(QStringLiteral("synapse %1: bar %2 nA, engine %3 nA")
                                .arg(j)
                                .arg(it->value, 0, 'g', 17)
                                .arg(expected(j) * 1e9, 0, 'g', 17)));
    }
    // The error train shown is the engine's E^l for this neuron.
    int own = 0;
    for (const ErrorEntry& e : errors)
        own += e.neuron == neuron;
    QCOMPARE(static_cast<int>(r->errors.size()), own);

    // Per-instant contributions r·E[n]·d̂_j[n]/‖d̂[n]‖ sum to Δw_ij, every synapse.
    QCOMPARE(r->contributions.rows(), static_cast<Eigen::Index>(own));
    const double scale = p.network.layer(layer).learningRate *
                         std::max(1.0, r->contributions.cwiseAbs().maxCoeff() / p.network.layer(layer).learningRate);
    for (int j = 0; j < expected.size(); ++j)
        QVERIFY2(std::abs(r->contributions.col(j).sum() - expected(j)) <= 1e-12 * scale * own,
                 qPrintable(QStringLiteral("synapse %1: Σ %2, engine %3")
                                .arg(j)
                                .arg(r->contributions.col(j).sum())
                                .arg(expected(j))));
    // The table of the explained synapse ends with Σ and the engine's value, equal to display precision.
    QTableWidget* table = inspector.contributionTable();
    QCOMPARE(table->rowCount(), own + 2);
    const double sum = table->item(own, 5)->text().toDouble(), engine = table->item(own + 1, 5)->text().toDouble();
    QVERIFY(std::abs(sum - engine) <= 1e-5 * std::max(std::abs(engine), 1e-6));
    QVERIFY(std::abs(engine - expected(inspector.explainedSynapse()) * 1e9) <= 1e-5 * std::max(std::abs(engine), 1e-6));
    // The explained synapse defaults to the largest |Δw_ij|.
    Eigen::Index largest = 0;
    expected.cwiseAbs().maxCoeff(&largest);
    QCOMPARE(inspector.explainedSynapse(), static_cast<int>(largest));
    QVERIFY(inspector.equations()->text().contains(QStringLiteral("%1 nA").arg(r->rate * 1e9, 0, 'g', 4)));
}

void TestRuleInspector::weightMapClickExplainsSynapse()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setProject(generators::xorTask(1), QStringLiteral("XOR"));
    QDockWidget* weightsDock = w.dock(ui::Dock::Weights);
    weightsDock->show();
    weightsDock->raise();
    // The click below is aimed with the plot's axes: wait until the raised dock is laid out and shown.
    QCustomPlot* plot = w.weightPlot()->plot();
    QTRY_VERIFY(processLayouts() && plot->isVisible() && !plot->visibleRegion().isEmpty() && plot->width() >= 200);
    plot->replot();
    QSignalSpy clicked(w.weightPlot(), &ui::WeightPlot::synapseClicked);
    // Hidden layer shown first? The plot follows its layer chooser (output by default): choose layer 1.
    w.weightPlot()->selectLayer(1);
    QCOMPARE(w.weightPlot()->selectedLayer(), 1);
    plot->replot();
    QCPAxisRect* map = plot->axisRect(0);
    const int pre = 7, post = 3;
    const QPoint at(qRound(map->axis(QCPAxis::atBottom)->coordToPixel(pre)),
                    qRound(map->axis(QCPAxis::atLeft)->coordToPixel(post)));
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, at);
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.first().at(0).toInt(), 1);
    QCOMPARE(clicked.first().at(1).toInt(), post);
    QCOMPARE(clicked.first().at(2).toInt(), pre);
    QDockWidget* inspectorDock = w.dock(ui::Dock::Inspector);
    QVERIFY(inspectorDock->isVisible());
    auto* inspector = w.feature<ui::RuleInspectorFeature>()->inspector();
    QTRY_VERIFY_WITH_TIMEOUT(!inspector->isComputing(), 20000);
    QVERIFY2(inspector->inspection(), qPrintable(inspector->problem()));
    QCOMPARE(inspector->inspection()->request.layer, 1);
    QCOMPARE(inspector->inspection()->request.neuron, post);
    QCOMPARE(inspector->explainedSynapse(), pre);
    // Clicking a Δw bar of the inspector explains that synapse instead.
    QCustomPlot* iplot = inspector->plot();
    iplot->replot();
    QCPAxisRect* barRect = inspector->deltaBars()->keyAxis()->axisRect();
    const QPoint bar(qRound(barRect->axis(QCPAxis::atBottom)->coordToPixel(12)), barRect->center().y());
    QTest::mouseClick(iplot, Qt::LeftButton, Qt::NoModifier, bar);
    QTRY_COMPARE_WITH_TIMEOUT(inspector->explainedSynapse(), 12, 20000);
}

QTEST_MAIN(TestRuleInspector)
#include "tst_ruleinspector.moc"
