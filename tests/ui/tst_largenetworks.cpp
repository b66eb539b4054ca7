// Issue 10, point 2: huge layers. The run's memory is estimated before anything is allocated and
// compared with what the machine can spare; a refusal names the field, the value and the estimate;
// a large network is built off the GUI thread (cancellable) and undo shares unchanged weights.
// Scenarios drive the real window offscreen; conditions are awaited, never slept.

#include "normad/MemoryBudget.h"
#include "normad/RunMemory.h"
#include "normad/TaskGenerators.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/NetworkDesigner.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/WeightPlot.h"

#include <QAbstractSpinBox>
#include <QElapsedTimer>
#include <QProgressDialog>
#include <QPushButton>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <qcustomplot.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>

using namespace normad;

namespace {

/// Resident memory of this process, bytes (/proc/self/statm).
double residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    double size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

/// Types `text` into `spin` and presses Enter, as a user does.
void typeInto(QAbstractSpinBox* spin, const QString& text)
{
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, text);
    QTest::keyClick(spin, Qt::Key_Return);
}

/// The longest the GUI thread went without handling a 10 ms timer while `condition` was awaited
/// (at most `timeoutMs`), ms. A frozen GUI thread shows up as one long gap.
template <typename Condition> qint64 longestStall(Condition condition, int timeoutMs)
{
    QElapsedTimer clock, sinceTick;
    clock.start();
    sinceTick.start();
    qint64 worst = 0;
    QTimer tick;
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        worst = std::max(worst, sinceTick.elapsed());
        sinceTick.restart();
    });
    tick.start();
    while (!condition() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return std::max(worst, sinceTick.elapsed());
}

struct WindowAtNetworkTab {
    ui::MainWindow window;
    ui::NetworkDesigner* designer = nullptr;
    QAbstractSpinBox* size = nullptr;

    WindowAtNetworkTab()
    {
        window.setConfirmUnsavedChanges(false);
        window.resize(1280, 800);
        if (!window.openExample(QStringLiteral("xor")))
            return;
        window.show();
        window.activateWindow();
        if (!QTest::qWaitForWindowActive(&window))
            return;
        window.showTab(ui::Tab::Network);
        designer = window.findChild<ui::NetworkDesigner*>();
        designer->setCurrentLayer(1);
        size = qobject_cast<QAbstractSpinBox*>(designer->field(ui::NetworkDesigner::Field::LayerSize));
    }
};

} // namespace

class TestLargeNetworks : public QObject {
    Q_OBJECT

private slots:
    void estimateCountsWhatARunAllocates();
    void limitComesFromTheMachine();
    void copiesShareWeightsUntilOneChanges();
    void undoKeepsOneCopyOfUnchangedWeights();
    void hugeLayerIsRefusedAndTheWindowStaysResponsive();
    void largeLayerIsBuiltOffTheGuiThread();
    void buildingALargeLayerCanBeCancelled();
    void weightPlotDrawsALargeLayerInTheBackground();
};

void TestLargeNetworks::estimateCountsWhatARunAllocates()
{
    const Project p = generators::xorTask(1);
    std::vector<LayerSpec> layers = p.network.layers();
    layers.front().size = 100000;
    RunMemoryOptions options;
    options.threads = 2;
    options.weightCopies = 4;
    options.probedNeurons = 8;
    options.fixedBytes = 1e6;
    TrainingParams online = p.training;
    online.schedule = UpdateSchedule::Online;
    const RunMemoryEstimate e = estimateRunMemory(p.network.inputCount(), layers, p.simulation, online, options);
    const double w = Network::weightBytes(p.network.inputCount(), layers);
    QCOMPARE(e.weights, w);
    QCOMPARE(e.copies, 4 * w);
    QCOMPARE(e.updates, 2 * w);               // the pattern's ΔW and the one shown
    QCOMPARE(e.batchSums, 0.0);               // online: no batch sums
    QVERIFY(e.simulation > 100000 * 8.0 * 8); // every neuron's state, at least
    QCOMPARE(e.membranes, 2.0 * 8 * p.simulation.steps() * 8);
    QCOMPARE(e.fixed, 1e6);
    QCOMPARE(e.total(), e.weights + e.copies + e.updates + e.batchSums + e.simulation + e.membranes + e.fixed);

    TrainingParams batch = online;
    batch.schedule = UpdateSchedule::Batch;
    const RunMemoryEstimate b = estimateRunMemory(p.network.inputCount(), layers, p.simulation, batch, options);
    QCOMPARE(b.updates, 9 * w);       // ThreadPool::stream's window of 4 × threads passes, plus the one shown
    QCOMPARE(b.batchSums, 4 * w * 2); // a 256-bit sum per weight per thread (Trainer::batchSumBytes)
    QVERIFY(b.total() > e.total());
    const QString text = QString::fromStdString(b.describe());
    QVERIFY2(text.contains("weights") && text.contains("MiB"), qPrintable(text));
}

void TestLargeNetworks::limitComesFromTheMachine()
{
    std::ifstream meminfo("/proc/meminfo");
    std::string key, unit;
    double available = -1;
    double value = 0;
    while (meminfo >> key >> value) {
        std::getline(meminfo, unit);
        if (key == "MemAvailable:")
            available = value * 1024;
    }
    QVERIFY(available > 0);
    // MemAvailable moves as other programs run: the same within 10 %.
    QVERIFY(std::abs(static_cast<double>(availableMemoryBytes()) - available) < 0.1 * available);
    QVERIFY(runMemoryLimitBytes() > 0 && runMemoryLimitBytes() < availableMemoryBytes());
    ui::ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    ui::NetworkDesigner designer(&doc);
    QVERIFY(std::abs(designer.memoryLimit() - runMemoryLimitBytes()) < 0.1 * available);
    designer.setMemoryLimit(123e6);
    QCOMPARE(designer.memoryLimit(), 123e6);
}

void TestLargeNetworks::copiesShareWeightsUntilOneChanges()
{
    Project p = generators::xorTask(1);
    p.ensureWeights();
    const Network copy = p.network;
    for (int l : p.network.layerNumbers())
        QVERIFY(copy.sharesWeights(p.network, l));
    const Eigen::MatrixXd before = p.network.weights(1);
    p.network.addToWeights(1, Eigen::MatrixXd::Constant(before.rows(), before.cols(), 1e-9));
    QVERIFY(!copy.sharesWeights(p.network, 1)); // written: copied first
    QVERIFY(copy.sharesWeights(p.network, 2));  // untouched layer: still one matrix
    QVERIFY(copy.weights(1) == before);         // the copy kept its values
    QVERIFY(p.network.weights(1) != before);
}

void TestLargeNetworks::undoKeepsOneCopyOfUnchangedWeights()
{
    // An edit of anything but the weights stores no weights: before, after and the project share one
    // matrix per layer. A reshape keeps the old matrices once (in its undo step) and the new ones
    // once (shared by the project and the step); undo and redo restore them bit for bit.
    ui::ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    const Network original = doc.project().network;
    QVERIFY(
        doc.edit("rate", ui::ProjectDocument::NetworkChanged, [](Project& p) { p.network.layer(1).learningRate *= 2; })
            .isEmpty());
    for (int l : original.layerNumbers())
        QVERIFY(doc.project().network.sharesWeights(original, l));
    ui::NetworkDesigner designer(&doc);
    QCOMPARE(designer.setLayerSize(1, 80), QString());
    const Network reshaped = doc.project().network;
    QCOMPARE(reshaped.populationSize(1), 80);
    doc.undoStack()->undo();
    for (int l : original.layerNumbers())
        QVERIFY(doc.project().network.sharesWeights(original, l));
    doc.undoStack()->redo();
    for (int l : reshaped.layerNumbers())
        QVERIFY(doc.project().network.sharesWeights(reshaped, l));
    doc.undoStack()->undo();
    doc.undoStack()->undo();
    QCOMPARE(doc.project().network.layer(1).learningRate, original.layer(1).learningRate);
    QVERIFY(doc.project().network.weights(1) == original.weights(1));
}

void TestLargeNetworks::hugeLayerIsRefusedAndTheWindowStaysResponsive()
{
    WindowAtNetworkTab f;
    QVERIFY(f.size);
    QTRY_VERIFY(f.size->isVisible());
    // The machine's own limit, but at most 16 GiB: 10 000 000 hidden neurons need far more on any machine.
    f.designer->setMemoryLimit(std::min(runMemoryLimitBytes(), 16.0 * 1024 * 1024 * 1024));
    const auto& undo = *f.window.document()->undoStack();
    const int steps = undo.count();
    const int hidden = f.window.document()->project().network.populationSize(1);
    const double rssBefore = residentBytes();
    QElapsedTimer typing;
    typing.start();
    typeInto(f.size, QStringLiteral("10000000"));
    QVERIFY2(typing.elapsed() < 2000, qPrintable(QString::number(typing.elapsed())));
    QCOMPARE(undo.count(), steps);
    QCOMPARE(f.window.document()->project().network.populationSize(1), hidden);
    QVERIFY(!f.designer->isBuilding());
    const QString message = f.designer->fieldError(ui::NetworkDesigner::Field::LayerSize);
    for (const char* part : {"Neurons", "you entered", "weights", "GiB", "set back to"})
        QVERIFY2(message.contains(QLatin1String(part)), qPrintable(message));
    QVERIFY2(message.contains(QLocale().toString(10000000.0, 'g', 10) + QLatin1String(" neurons")),
             qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("network.")), qPrintable(message));
    QCOMPARE(f.size->text(), QStringLiteral("%1 neurons").arg(hidden));
    // Still painting and handling events; nothing large was allocated.
    QVERIFY(longestStall([] { return false; }, 300) < 250);
    QVERIFY2(residentBytes() - rssBefore < 100e6, qPrintable(QString::number(residentBytes() - rssBefore)));
}

void TestLargeNetworks::largeLayerIsBuiltOffTheGuiThread()
{
    // 100 000 hidden neurons (46.5 MiB of weights): accepted, drawn on a background job while the
    // window keeps handling events, and afterwards the process holds at most 4× the weights more
    // than before (the project and its undo step share them; plots are screen-sized).
    WindowAtNetworkTab f;
    QVERIFY(f.size);
    QTRY_VERIFY(f.size->isVisible());
    QTRY_VERIFY(f.window.training()->latestSnapshot()->state == ui::TrainingSnapshot::State::Idle);
    const auto& undo = *f.window.document()->undoStack();
    const int steps = undo.count();
    const Project& project = f.window.document()->project();
    std::vector<LayerSpec> layers = project.network.layers();
    layers.front().size = 100000;
    const double weights = Network::weightBytes(project.network.inputCount(), layers);
    for (int round = 0; round < 5; ++round)
        QCoreApplication::processEvents();
    const double rssBefore = residentBytes();

    typeInto(f.size, QStringLiteral("100000"));
    QVERIFY(f.designer->isBuilding()); // the typing returned at once; the network is being drawn
    const qint64 stall = longestStall(
        [&] { return !f.designer->isBuilding() && f.window.document()->project().network.populationSize(1) == 100000; },
        60000);
    QCOMPARE(f.window.document()->project().network.populationSize(1), 100000);
    QCOMPARE(undo.count(), steps + 1);
    QCOMPARE(f.designer->fieldError(ui::NetworkDesigner::Field::LayerSize), QString());
    // Drawing happens on the job; what remains on the GUI thread is its reaction to the committed
    // network (validation scan, the views' refresh; the weight plot neither copies the weights nor
    // reduces a large layer there any more, weightPlotDrawsALargeLayerInTheBackground): 1.3 s
    // measured with a load average of 11 on 2 cores before that, 7.7 s before the job. A generous
    // bound, not a benchmark.
    qInfo("longest gap between two 10 ms ticks while the layer was built and landed: %lld ms", stall);
    QVERIFY2(stall < 2000, qPrintable(QStringLiteral("the GUI thread stalled %1 ms").arg(stall)));
    // The worker reloads the new project and the plots show it.
    QTRY_VERIFY_WITH_TIMEOUT(f.window.training()->latestSnapshot()->weights.size() == 2 &&
                                 f.window.training()->latestSnapshot()->weights.front().rows() == 100000,
                             20000);
    for (int round = 0; round < 20; ++round)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    const double grown = residentBytes() - rssBefore;
    QVERIFY2(grown <= 4 * weights, qPrintable(QStringLiteral("%1 MiB more for %2 MiB of weights")
                                                  .arg(grown / 1048576, 0, 'f', 1)
                                                  .arg(weights / 1048576, 0, 'f', 1)));
    // Undo brings the small network back in one step.
    f.window.document()->undoStack()->undo();
    QCOMPARE(f.window.document()->project().network.populationSize(1), 50);
}

void TestLargeNetworks::buildingALargeLayerCanBeCancelled()
{
    // A million hidden neurons take seconds to draw: the progress dialog shows, Cancel ends the job,
    // and the project, its undo history and the field are as before.
    WindowAtNetworkTab f;
    QVERIFY(f.size);
    QTRY_VERIFY(f.size->isVisible());
    const auto& undo = *f.window.document()->undoStack();
    const int steps = undo.count();
    typeInto(f.size, QStringLiteral("1000000"));
    QVERIFY(f.designer->isBuilding());
    auto* progress = f.designer->findChild<QProgressDialog*>(QStringLiteral("networkBuildProgress"));
    QVERIFY(progress);
    QTRY_VERIFY_WITH_TIMEOUT(progress->isVisible(), 5000);
    QVERIFY2(progress->labelText().contains(QLatin1String("weights")), qPrintable(progress->labelText()));
    auto* cancel = progress->findChild<QPushButton*>();
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!f.designer->isBuilding());
    QTRY_VERIFY(!progress->isVisible());
    QCOMPARE(undo.count(), steps);
    QCOMPARE(f.window.document()->project().network.populationSize(1), 50);
    QCOMPARE(f.size->text(), QStringLiteral("50 neurons"));
    // The cancelled result is never applied, even once the job has ended in the background (nothing
    // to await: the window keeps handling events for a while and nothing changes).
    QVERIFY(longestStall([] { return false; }, 500) < 500);
    QCOMPARE(undo.count(), steps);
}

void TestLargeNetworks::weightPlotDrawsALargeLayerInTheBackground()
{
    // 100 000 hidden neurons: W¹ holds 6 000 000 synapses. Choosing it returns at once and the map
    // and histogram are reduced on a background job (the GUI thread does not do it); the picture is
    // the one drawn on the GUI thread. The 1 × 100 000 output layer is drawn as screen-sized bars.
    Project project = generators::xorTask(1);
    std::vector<LayerSpec> layers = project.network.layers();
    layers.front().size = 100000;
    project.network = Network(project.network.inputCount(), layers, project.network.synapse());
    project.network.initializeWeights(3);
    project.hasWeights = true;
    ui::WeightPlot background, here;
    here.setDrawInBackground(false);
    for (ui::WeightPlot* plot : {&background, &here})
        plot->setProject(project);
    background.selectLayer(1);
    here.selectLayer(1);
    QVERIFY(background.isDrawing()); // returned before the picture was computed
    QTRY_VERIFY_WITH_TIMEOUT(!background.isDrawing(), 20000);
    QCOMPARE(background.backgroundDraws(), 1);
    QCOMPARE(here.backgroundDraws(), 0);
    const auto colorMap = [](const ui::WeightPlot& plot) {
        for (int i = 0; i < plot.plot()->plottableCount(); ++i)
            if (auto* map = qobject_cast<QCPColorMap*>(plot.plot()->plottable(i)))
                return map;
        return static_cast<QCPColorMap*>(nullptr);
    };
    QCPColorMapData* drawn = colorMap(background)->data();
    QCPColorMapData* reference = colorMap(here)->data();
    QCOMPARE(drawn->keySize(), 60);                            // every presynaptic input …
    QCOMPARE(drawn->valueSize(), ui::WeightPlot::maxMapCells); // … and blocks of postsynaptic neurons
    QCOMPARE(reference->valueSize(), drawn->valueSize());
    int differing = 0;
    for (int r = 0; r < drawn->valueSize(); ++r)
        for (int c = 0; c < drawn->keySize(); ++c)
            differing += drawn->cell(c, r) != reference->cell(c, r);
    QCOMPARE(differing, 0);
    QVERIFY(colorMap(background)->dataRange() == colorMap(here)->dataRange());

    here.selectLayer(2);
    int bars = 0;
    for (int i = 0; i < here.plot()->plottableCount(); ++i)
        if (auto* b = qobject_cast<QCPBars*>(here.plot()->plottable(i)); b && b->visible())
            bars = std::max(bars, b->data()->size());
    QCOMPARE(bars, ui::WeightPlot::maxMapCells);
}

QTEST_MAIN(TestLargeNetworks)
#include "tst_largenetworks.moc"
