// Network and task designers: editing through the mouse and the fields, one undo step per edit,
// refusals shown with the engine's reason, topology changes that keep the task consistent.

#include "normad/ui/NetworkDesigner.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/SpikeRasterEditor.h"
#include "normad/ui/TaskDesigner.h"

#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QMetaEnum>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <QUndoStack>

#include <cmath>
#include <limits>
#include <map>
#include <random>

using namespace normad;
using namespace normad::ui;

namespace {

bool contains(const SpikeTrain& train, double t)
{
    for (double s : train)
        if (std::abs(s - t) < 1e-12)
            return true;
    return false;
}

bool onGrid(double t, double dt)
{
    return std::abs(t / dt - std::round(t / dt)) < 1e-6;
}

} // namespace

class TestDesigners : public QObject {
    Q_OBJECT

private:
    /// A document holding the spike-train XOR, and a task designer showing it at 1280×800.
    struct TaskFixture {
        ProjectDocument doc;
        TaskDesigner designer{&doc};
        TaskFixture()
        {
            doc.reset(generators::xorTask(1));
            designer.resize(1280, 800);
            designer.show();
        }
        const Pattern& pattern(int i = 0) const { return doc.project().task.patterns.at(static_cast<std::size_t>(i)); }
    };

private slots:
    void clickAddsSnappedSpike();
    void dragMovesSpikeAsOneUndoStep();
    void dragRefusesCollisionBySnappingToFreeStep();
    void rubberBandAndDeleteRemoveExactlySelection();
    void ctrlASelectsEverything();
    void zoomAndPan();
    void invalidLayerSizeIsRefusedWithReason();
    void badValueIsRefusedInItsField_data();
    void badValueIsRefusedInItsField();
    void zeroTimeConstantTypedInFieldIsRefused();
    void outputCountResizesDesiredTrainsInOneStep();
    void shrinkingOutputsAsksBeforeDeletingSpikes();
    void inputCountResizesInputsAndKeepsOtherWeights();
    void addRemoveMoveLayers();
    void neuronFieldsUseUserUnits();
    void fieldsAreDescribedByTheirSchema_data();
    void fieldsAreDescribedByTheirSchema();
    void keepActiveFillsActiveInit();
    void poissonGeneratorIsDeterministic();
    void refractoryWarningForDesiredSpikes1msApart();
    void tooLargeNetworkIsRefusedWithEstimate();
    void patternListEdits();
};

void TestDesigners::clickAddsSnappedSpike()
{
    TaskFixture f;
    SpikeRasterEditor* editor = f.designer.desiredEditor();
    const double dt = f.doc.project().simulation.dt;
    editor->setTimeWindow(0.040, 0.020); // ≥ 3 px per step: the click lands on a known step
    const auto before = f.pattern().desired[0];
    QTest::mouseClick(editor, Qt::LeftButton, {}, editor->positionOf(0, 0.05032));
    const SpikeTrain& after = f.pattern().desired[0];
    QCOMPARE(after.size(), before.size() + 1);
    QVERIFY2(contains(after, 503 * dt), "the spike lands on step round(50.32 ms / 0.1 ms) = 503");
    for (double t : after)
        QVERIFY(onGrid(t, dt));
    QVERIFY(std::is_sorted(after.begin(), after.end()));
    QCOMPARE(f.doc.undoStack()->count(), 1);
    QCOMPARE(f.doc.undoStack()->text(0), QStringLiteral("Add spike"));

    // Clicking the same step again does not double it (one spike per step).
    QTest::mouseClick(editor, Qt::LeftButton, {}, editor->positionOf(0, 0.0503) + QPoint(0, 4));
    QCOMPARE(f.pattern().desired[0].size(), before.size() + 1);
    QCOMPARE(f.doc.undoStack()->count(), 1);
}

void TestDesigners::dragMovesSpikeAsOneUndoStep()
{
    TaskFixture f;
    SpikeRasterEditor* editor = f.designer.desiredEditor();
    const double dt = f.doc.project().simulation.dt;
    editor->setTimeWindow(0.030, 0.040);
    const SpikeTrain original = f.pattern().desired[0];
    QVERIFY(contains(original, 0.040)); // the XOR target's first spike

    QTest::mousePress(editor, Qt::LeftButton, {}, editor->positionOf(0, 0.040));
    for (double t = 0.041; t <= 0.0551; t += 0.001)
        QTest::mouseMove(editor, editor->positionOf(0, t));
    QTest::mouseRelease(editor, Qt::LeftButton, {}, editor->positionOf(0, 0.055));

    const SpikeTrain moved = f.pattern().desired[0];
    QCOMPARE(moved.size(), original.size());
    QVERIFY(!contains(moved, 0.040));
    QVERIFY(contains(moved, 550 * dt));
    QCOMPARE(f.doc.undoStack()->count(), 1);
    QCOMPARE(f.doc.undoStack()->text(0), QStringLiteral("Move spike"));

    // A second drag is a second step, not merged into the first.
    QTest::mousePress(editor, Qt::LeftButton, {}, editor->positionOf(0, 550 * dt));
    QTest::mouseMove(editor, editor->positionOf(0, 0.058));
    QTest::mouseMove(editor, editor->positionOf(0, 0.060));
    QTest::mouseRelease(editor, Qt::LeftButton, {}, editor->positionOf(0, 0.060));
    QCOMPARE(f.doc.undoStack()->count(), 2);
    QVERIFY(contains(f.pattern().desired[0], 600 * dt));

    f.doc.undoStack()->undo();
    QCOMPARE(f.pattern().desired[0], moved);
    f.doc.undoStack()->undo();
    QCOMPARE(f.pattern().desired[0], original);
    QCOMPARE(editor->raster()[0], original); // the editor follows undo
    f.doc.undoStack()->redo();
    QCOMPARE(f.pattern().desired[0], moved);
}

void TestDesigners::dragRefusesCollisionBySnappingToFreeStep()
{
    TaskFixture f;
    SpikeRasterEditor* editor = f.designer.desiredEditor();
    const double dt = f.doc.project().simulation.dt;
    // Desired train 0 has spikes at 40 and 90 ms; drag the 40 ms one onto 90 ms.
    editor->setTimeWindow(0.030, 0.070);
    QTest::mousePress(editor, Qt::LeftButton, {}, editor->positionOf(0, 0.040));
    QTest::mouseMove(editor, editor->positionOf(0, 0.060));
    QTest::mouseMove(editor, editor->positionOf(0, 0.090));
    QTest::mouseRelease(editor, Qt::LeftButton, {}, editor->positionOf(0, 0.090));
    const SpikeTrain& train = f.pattern().desired[0];
    QCOMPARE(train.size(), std::size_t(3));
    QVERIFY(contains(train, 0.090));
    // The moved spike sits on the nearest free step beside 90 ms, never on it.
    QVERIFY(contains(train, 899 * dt) || contains(train, 901 * dt));
    for (std::size_t k = 1; k < train.size(); ++k)
        QVERIFY(std::llround(train[k] / dt) > std::llround(train[k - 1] / dt));
}

void TestDesigners::rubberBandAndDeleteRemoveExactlySelection()
{
    TaskFixture f;
    SpikeRaster inputs = f.pattern().inputs;
    inputs[0] = {0.010, 0.050, 0.120};
    inputs[1] = {0.020, 0.090};
    inputs[2] = {0.030};
    inputs[3] = {0.040};
    QVERIFY(f.doc.edit("setup", ProjectDocument::TaskChanged, [&](Project& p) { p.task.patterns[0].inputs = inputs; })
                .isEmpty());
    const int stepsBefore = f.doc.undoStack()->count();

    SpikeRasterEditor* editor = f.designer.inputEditor();
    editor->setNeuronWindow(0, 10); // tall rows
    const QPoint from = editor->positionOf(0, 0.005);
    const QPoint to = editor->positionOf(2, 0.100);
    QTest::mousePress(editor, Qt::LeftButton, {}, from);
    QTest::mouseMove(editor, (from + to) / 2);
    QTest::mouseMove(editor, to);
    QTest::mouseRelease(editor, Qt::LeftButton, {}, to);
    QCOMPARE(f.doc.undoStack()->count(), stepsBefore); // selecting is not an edit
    QCOMPARE(editor->selectedSpikes().size(), std::size_t(5));
    QCOMPARE(editor->selectedNeurons(), (std::vector<int>{0, 1, 2}));

    QTest::keyClick(editor, Qt::Key_Delete);
    QCOMPARE(f.doc.undoStack()->count(), stepsBefore + 1);
    const SpikeRaster& after = f.pattern().inputs;
    QCOMPARE(after[0], (SpikeTrain{0.120}));
    QCOMPARE(after[1], SpikeTrain{});
    QCOMPARE(after[2], SpikeTrain{});
    QCOMPARE(after[3], (SpikeTrain{0.040}));
    for (std::size_t i = 4; i < after.size(); ++i)
        QCOMPARE(after[i], inputs[i]);
    f.doc.undoStack()->undo();
    QCOMPARE(f.pattern().inputs, inputs);
}

void TestDesigners::ctrlASelectsEverything()
{
    TaskFixture f;
    SpikeRasterEditor* editor = f.designer.inputEditor();
    QTest::keyClick(editor, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(editor->selectedSpikes().size(), spikeCount(f.pattern().inputs));
    QTest::keyClick(editor, Qt::Key_Escape);
    QVERIFY(editor->selectedSpikes().empty());
}

void TestDesigners::zoomAndPan()
{
    TaskFixture f;
    SpikeRasterEditor* editor = f.designer.inputEditor();
    const double span = editor->timeSpan();
    const QPoint centre = editor->plotRect().center();
    QWheelEvent zoomIn(centre, editor->mapToGlobal(centre), {}, {0, 120}, Qt::NoButton, Qt::NoModifier,
                       Qt::NoScrollPhase, false);
    QApplication::sendEvent(editor, &zoomIn);
    QVERIFY(editor->timeSpan() < span);
    // The desired raster shares the time axis.
    QCOMPARE(f.designer.desiredEditor()->timeSpan(), editor->timeSpan());
    const double start = editor->timeStart();
    QWheelEvent pan(centre, editor->mapToGlobal(centre), {}, {0, -120}, Qt::NoButton, Qt::ShiftModifier,
                    Qt::NoScrollPhase, false);
    QApplication::sendEvent(editor, &pan);
    QVERIFY(editor->timeStart() > start);
    const int rows = editor->visibleNeurons();
    QWheelEvent zoomRows(centre, editor->mapToGlobal(centre), {}, {0, 240}, Qt::NoButton, Qt::ControlModifier,
                         Qt::NoScrollPhase, false);
    QApplication::sendEvent(editor, &zoomRows);
    QVERIFY(editor->visibleNeurons() < rows);
}

void TestDesigners::invalidLayerSizeIsRefusedWithReason()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    designer.setCurrentLayer(1);
    const int hidden = doc.project().network.layer(1).size;
    const QString error = designer.setLayerSize(1, 0);
    QVERIFY2(error.contains("size") && error.contains("at least 1"), qPrintable(error));
    QCOMPARE(designer.fieldErrorSource(NetworkDesigner::Field::LayerSize), error); // shown in the form's words
    QCOMPARE(doc.project().network.layer(1).size, hidden);
    QCOMPARE(doc.undoStack()->count(), 0);
    auto* size = qobject_cast<QSpinBox*>(designer.field(NetworkDesigner::Field::LayerSize));
    QVERIFY(size);
    QCOMPARE(size->value(), hidden); // the field reverted

    // The next valid commit clears the message.
    QVERIFY(designer.setLayerSize(1, hidden + 5).isEmpty());
    QVERIFY(designer.fieldError(NetworkDesigner::Field::LayerSize).isEmpty());
    QCOMPARE(doc.undoStack()->text(0), QStringLiteral("Change layer 1 size"));
}

void TestDesigners::badValueIsRefusedInItsField_data()
{
    // A neuron or synapse value the engine refuses: its reason appears beside the field it names.
    using F = NetworkDesigner::Field;
    QTest::addColumn<NetworkDesigner::Field>("field");
    QTest::addColumn<QString>("key");  // the project-file key the refusal names
    QTest::addColumn<double>("value"); // SI units
    QTest::addColumn<QString>("reason");
    QTest::newRow("negative tauDecay") << F::TauDecay << "tauDecay_s" << -5e-3 << "greater than 0";
    QTest::newRow("zero tauRise") << F::TauRise << "tauRise_s" << 0.0 << "greater than 0";
    QTest::newRow("tauRise not shorter than tauDecay") << F::TauRise << "tauRise_s" << 1.0 << "shorter than tauDecay";
    QTest::newRow("zero capacitance") << F::Capacitance << "capacitance_F" << 0.0 << "greater than 0";
    QTest::newRow("negative leak conductance")
        << F::LeakConductance << "leakConductance_S" << -1e-9 << "greater than 0";
    QTest::newRow("rest potential not a number")
        << F::RestPotential << "restPotential_V" << std::numeric_limits<double>::quiet_NaN() << "finite";
    QTest::newRow("threshold below rest") << F::Threshold << "threshold_V" << -0.1 << "above the rest potential";
    QTest::newRow("negative refractory period") << F::RefractoryPeriod << "refractoryPeriod_s" << -1e-3 << "negative";
}

void TestDesigners::badValueIsRefusedInItsField()
{
    using F = NetworkDesigner::Field;
    QFETCH(NetworkDesigner::Field, field);
    QFETCH(QString, key);
    QFETCH(double, value);
    QFETCH(QString, reason);
    static const std::map<F, double SynapseParams::*> synapseFields = {{F::TauDecay, &SynapseParams::tauDecay},
                                                                       {F::TauRise, &SynapseParams::tauRise}};
    static const std::map<F, double LifParams::*> neuronFields = {{F::Capacitance, &LifParams::capacitance},
                                                                  {F::LeakConductance, &LifParams::leakConductance},
                                                                  {F::RestPotential, &LifParams::restPotential},
                                                                  {F::Threshold, &LifParams::threshold},
                                                                  {F::RefractoryPeriod, &LifParams::refractoryPeriod}};
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    const std::string before = projectToJson(doc.project());
    NetworkDesigner designer(&doc);
    QString error;
    if (synapseFields.contains(field)) {
        SynapseParams synapse = doc.project().network.synapse();
        synapse.*synapseFields.at(field) = value;
        error = designer.setSynapse(synapse);
    } else {
        QVERIFY(neuronFields.contains(field));
        LifParams neuron = doc.project().network.layer(1).neuron;
        neuron.*neuronFields.at(field) = value;
        error = designer.setNeuron(1, neuron);
    }
    QVERIFY2(error.contains(key) && error.contains(reason), qPrintable(error));
    QCOMPARE(designer.fieldErrorSource(field), error); // shown in the form's words
    // Only that field shows it: the others of its group stay clear.
    for (const auto& [other, member] : synapseFields)
        if (other != field)
            QVERIFY(designer.fieldError(other).isEmpty());
    for (const auto& [other, member] : neuronFields)
        if (other != field)
            QVERIFY(designer.fieldError(other).isEmpty());
    QVERIFY(projectToJson(doc.project()) == before); // nothing changed
    QCOMPARE(doc.undoStack()->count(), 0);
}

void TestDesigners::zeroTimeConstantTypedInFieldIsRefused()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    designer.show();
    auto* tau = qobject_cast<QDoubleSpinBox*>(designer.field(NetworkDesigner::Field::TauRise));
    QVERIFY(tau);
    QCOMPARE(tau->value(), 1.25); // ms
    tau->setFocus();
    tau->selectAll();
    QTest::keyClicks(tau, "0");
    QTest::keyClick(tau, Qt::Key_Return);
    const QString refusal = designer.fieldErrorSource(NetworkDesigner::Field::TauRise);
    QVERIFY2(refusal.contains("tauRise_s"), qPrintable(refusal));
    // Shown in the form's words: its label, the value in ms, what the field went back to.
    QVERIFY2(designer.fieldError(NetworkDesigner::Field::TauRise).startsWith("Rise τ2: must be greater than 0"),
             qPrintable(designer.fieldError(NetworkDesigner::Field::TauRise)));
    QCOMPARE(tau->value(), 1.25); // reverted
    QCOMPARE(doc.undoStack()->count(), 0);

    // A valid value typed into the field is one step, converted to seconds.
    tau->selectAll();
    QTest::keyClicks(tau, "2");
    QTest::keyClick(tau, Qt::Key_Return);
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.project().network.synapse().tauRise, 2e-3);
    QVERIFY(designer.fieldError(NetworkDesigner::Field::TauRise).isEmpty());
}

void TestDesigners::outputCountResizesDesiredTrainsInOneStep()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    const Project before = doc.project();
    QVERIFY(designer.setLayerSize(2, 3).isEmpty());
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.project().network.outputCount(), 3);
    for (std::size_t p = 0; p < doc.project().task.patterns.size(); ++p) {
        const Pattern& pattern = doc.project().task.patterns[p];
        QCOMPARE(pattern.desired.size(), std::size_t(3));
        QCOMPARE(pattern.desired[0], before.task.patterns[p].desired[0]);
        QVERIFY(pattern.desired[1].empty() && pattern.desired[2].empty());
        QCOMPARE(pattern.inputs, before.task.patterns[p].inputs);
    }
    // The output layer is redrawn at its new shape; the hidden layer keeps its weights.
    QCOMPARE(doc.project().network.weights(2).rows(), 3);
    QVERIFY(doc.project().network.weights(1) == before.network.weights(1));
    doc.undoStack()->undo();
    QCOMPARE(doc.project().task.patterns[0].desired.size(), std::size_t(1));
    QCOMPARE(doc.project().network.outputCount(), 1);
}

void TestDesigners::shrinkingOutputsAsksBeforeDeletingSpikes()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    QVERIFY(designer.setLayerSize(2, 3).isEmpty());
    QVERIFY(doc.edit("spike", ProjectDocument::TaskChanged, [](Project& p) { p.task.patterns[1].desired[2] = {0.1}; })
                .isEmpty());
    int asked = 0;
    designer.setConfirmHandler([&](const QString& q) {
        ++asked;
        return q.contains("1 spike") ? false : true;
    });
    QVERIFY(!designer.setLayerSize(2, 2).isEmpty());
    QCOMPARE(asked, 1);
    QCOMPARE(doc.project().network.outputCount(), 3);
    designer.setConfirmHandler([&](const QString&) {
        ++asked;
        return true;
    });
    QVERIFY(designer.setLayerSize(2, 2).isEmpty());
    QCOMPARE(asked, 2);
    QCOMPARE(doc.project().task.patterns[1].desired.size(), std::size_t(2));
    // Growing never asks.
    QVERIFY(designer.setLayerSize(2, 4).isEmpty());
    QCOMPARE(asked, 2);
}

void TestDesigners::inputCountResizesInputsAndKeepsOtherWeights()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    const Project before = doc.project();
    QVERIFY(designer.setInputCount(70).isEmpty());
    QCOMPARE(doc.undoStack()->count(), 1);
    for (const Pattern& p : doc.project().task.patterns)
        QCOMPARE(p.inputs.size(), std::size_t(70));
    QCOMPARE(doc.project().network.weights(1).cols(), 70);
    QVERIFY(doc.project().network.weights(2) == before.network.weights(2));
}

void TestDesigners::addRemoveMoveLayers()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    designer.setCurrentLayer(1);
    const int hidden = doc.project().network.layer(1).size;
    QVERIFY(designer.addHiddenLayer().isEmpty());
    QCOMPARE(doc.project().network.layerCount(), 3);
    QCOMPARE(doc.undoStack()->text(0), QStringLiteral("Add hidden layer"));
    QCOMPARE(designer.currentLayer(), 2);
    // The new layer sits between hidden 1 and the output; the output still has 1 neuron.
    QCOMPARE(doc.project().network.outputCount(), 1);
    QCOMPARE(doc.project().network.weights(2).cols(), hidden);
    QVERIFY(designer.setLayerSize(2, 7).isEmpty());
    QVERIFY(designer.moveLayer(2, -1).isEmpty());
    QCOMPARE(doc.project().network.layer(1).size, 7);
    QCOMPARE(doc.project().network.layer(2).size, hidden);
    QVERIFY(designer.removeLayer(1).isEmpty());
    QCOMPARE(doc.project().network.layerCount(), 2);
    QCOMPARE(doc.project().network.layer(1).size, hidden);
    QVERIFY(designer.removeLayer(1).isEmpty());
    // The last layer cannot go: the engine's reason comes back.
    const QString error = designer.removeLayer(1);
    QVERIFY2(error.contains("layer"), qPrintable(error));
    QCOMPARE(doc.project().network.layerCount(), 1);
    QCOMPARE(doc.project().task.patterns[0].desired.size(), std::size_t(1));
}

void TestDesigners::neuronFieldsUseUserUnits()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    designer.show();
    designer.setCurrentLayer(1);
    auto* c = qobject_cast<QDoubleSpinBox*>(designer.field(NetworkDesigner::Field::Capacitance));
    auto* vt = qobject_cast<QDoubleSpinBox*>(designer.field(NetworkDesigner::Field::Threshold));
    QVERIFY(c && vt);
    QCOMPARE(c->suffix(), QStringLiteral(" pF")); // the schema's display unit
    QCOMPARE(vt->suffix(), QStringLiteral(" mV"));
    QCOMPARE(c->value(), 300.0);
    QCOMPARE(vt->value(), 20.0);
    c->setFocus();
    c->selectAll();
    QTest::keyClicks(c, "250");
    QTest::keyClick(c, Qt::Key_Return);
    QCOMPARE(doc.project().network.layer(1).neuron.capacitance, 250e-12);
    QCOMPARE(doc.undoStack()->text(0), QStringLiteral("Change layer 1 capacitance"));
    // Threshold below rest is refused with the engine's reason under the threshold field.
    LifParams n = doc.project().network.layer(1).neuron;
    n.threshold = -80e-3;
    QVERIFY(designer.setNeuron(1, n).contains("threshold"));
    QVERIFY(designer.fieldError(NetworkDesigner::Field::Threshold).contains("rest potential"));
    // Reset to paper defaults is one step.
    QTest::mouseClick(designer.resetNeuronButton(), Qt::LeftButton);
    QCOMPARE(doc.project().network.layer(1).neuron.capacitance, 300e-12);
    QCOMPARE(doc.undoStack()->count(), 2);
}

void TestDesigners::fieldsAreDescribedByTheirSchema_data()
{
    QTest::addColumn<NetworkDesigner::Field>("field");
    const QMetaEnum fields = QMetaEnum::fromType<NetworkDesigner::Field>();
    for (int i = 0; i < fields.keyCount(); ++i)
        QTest::newRow(fields.key(i)) << static_cast<NetworkDesigner::Field>(fields.value(i));
}

void TestDesigners::fieldsAreDescribedByTheirSchema()
{
    QFETCH(NetworkDesigner::Field, field);
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    designer.setCurrentLayer(1);
    QWidget* widget = designer.field(field);
    QVERIFY(widget);
    const FieldInfo* info = NetworkDesigner::fieldInfo(field);
    if (!info) {
        const bool undescribed = field == NetworkDesigner::Field::InputCount || field == NetworkDesigner::Field::Seed;
        QVERIFY2(undescribed, "every field a struct describes takes its description from the schema");
        return;
    }
    // Label, help and unit as the schema states them.
    QCOMPARE(widget->toolTip(), QString::fromStdString(info->help));
    QString label;
    if (auto* box = qobject_cast<QCheckBox*>(widget)) {
        label = box->text();
    } else {
        auto* form = qobject_cast<QFormLayout*>(widget->parentWidget()->layout());
        QVERIFY(form);
        auto* text = qobject_cast<QLabel*>(form->labelForField(widget));
        QVERIFY(text);
        label = text->text();
    }
    QCOMPARE(label, QString::fromStdString(info->label));
    if (auto* spin = qobject_cast<QDoubleSpinBox*>(widget))
        QCOMPARE(spin->suffix(), QStringLiteral(" ") + QString::fromStdString(info->displayUnit));
}

void TestDesigners::keepActiveFillsActiveInit()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    const Eigen::MatrixXd w2 = doc.project().network.weights(2);
    QVERIFY(designer.keepActive(1, 20.0).isEmpty());
    const WeightInit expected = generators::activeInit(60, 20.0, LifParams{}, doc.project().network.synapse());
    QCOMPARE(doc.project().network.layer(1).init.mean, expected.mean);
    QCOMPARE(doc.project().network.layer(1).init.stddev, expected.stddev);
    // Layer 1's weights are redrawn from the new init; layer 2's are kept.
    Project fresh = doc.project();
    fresh.hasWeights = false;
    fresh.ensureWeights();
    QVERIFY(doc.project().network.weights(1) == fresh.network.weights(1));
    QVERIFY(doc.project().network.weights(2) == w2);
    QCOMPARE(doc.undoStack()->count(), 1);
}

void TestDesigners::poissonGeneratorIsDeterministic()
{
    TaskFixture f;
    f.designer.setCurrentPattern(1);
    f.designer.inputEditor()->setSelectedNeurons({3, 5, 7});
    const SpikeRaster before = f.pattern(1).inputs;
    TaskDesigner::Generator g;
    g.kind = TaskDesigner::Generator::Kind::Poisson;
    g.target = TaskDesigner::Generator::Target::SelectedInputs;
    g.rateHz = 50;
    g.seed = 7;
    g.minInterval = 2e-3;
    QVERIFY(f.designer.generate(g).isEmpty());
    QCOMPARE(f.doc.undoStack()->count(), 1);
    QCOMPARE(f.doc.undoStack()->text(0), QStringLiteral("Generate Poisson inputs"));
    const Project& p = f.doc.project();
    std::mt19937_64 rng(7);
    for (int n : {3, 5, 7}) {
        const SpikeTrain expected = generators::poisson(50, p.simulation.duration, p.simulation.dt, rng, 2e-3, 0.0);
        QCOMPARE(f.pattern(1).inputs[static_cast<std::size_t>(n)], expected);
        QVERIFY(!expected.empty());
    }
    for (std::size_t n = 0; n < before.size(); ++n)
        if (n != 3 && n != 5 && n != 7)
            QCOMPARE(f.pattern(1).inputs[n], before[n]);
    QCOMPARE(f.pattern(0).inputs, p.task.patterns[0].inputs);

    // Same seed again: same trains, another step; another seed: different trains.
    const SpikeRaster first = f.pattern(1).inputs;
    QVERIFY(f.designer.generate(g).isEmpty());
    QCOMPARE(f.pattern(1).inputs, first);
    g.seed = 8;
    QVERIFY(f.designer.generate(g).isEmpty());
    QVERIFY(f.pattern(1).inputs[3] != first[3]);

    // Nothing selected: refused with a reason, nothing changes.
    f.designer.inputEditor()->clearSelection();
    const int steps = f.doc.undoStack()->count();
    QVERIFY(f.designer.generate(g).contains("selected"));
    QCOMPARE(f.doc.undoStack()->count(), steps);

    // Desired trains: all of them, respecting a dead time.
    g.target = TaskDesigner::Generator::Target::AllDesired;
    g.minInterval = 4e-3;
    QVERIFY(f.designer.generate(g).isEmpty());
    const SpikeTrain& d = f.pattern(1).desired[0];
    QVERIFY(!d.empty());
    for (std::size_t k = 1; k < d.size(); ++k)
        QVERIFY(d[k] - d[k - 1] >= 4e-3 - 1e-12);
}

void TestDesigners::refractoryWarningForDesiredSpikes1msApart()
{
    TaskFixture f;
    QVERIFY(f.designer.warnings().isEmpty());
    QVERIFY(f.doc
                .edit("close spikes", ProjectDocument::TaskChanged,
                      [](Project& p) {
                          p.task.patterns[0].desired[0] = {0.040, 0.041, 0.090};
                      })
                .isEmpty());
    QCOMPARE(f.designer.warnings().size(), 1);
    QVERIFY2(f.designer.warnings().front().contains("40.0") && f.designer.warnings().front().contains("41.0"),
             qPrintable(f.designer.warnings().front()));
    const auto flagged = f.designer.desiredEditor()->spacingViolations();
    QCOMPARE(flagged.size(), std::size_t(1));
    QCOMPARE(flagged[0].first, 0.040);
    QCOMPARE(flagged[0].second, 0.041);
    // 5 ms apart is fine with R_p = 3 ms.
    QVERIFY(f.doc
                .edit("apart", ProjectDocument::TaskChanged,
                      [](Project& p) {
                          p.task.patterns[0].desired[0] = {0.040, 0.045};
                      })
                .isEmpty());
    QVERIFY(f.designer.warnings().isEmpty());
}

void TestDesigners::tooLargeNetworkIsRefusedWithEstimate()
{
    ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    NetworkDesigner designer(&doc);
    const int hidden = doc.project().network.layer(1).size;
    QVERIFY(designer.setInputCount(200000).isEmpty());
    // 76 MiB of weights: built off the GUI thread (tst_largenetworks), the edit lands when drawn.
    QTRY_VERIFY_WITH_TIMEOUT(!designer.isBuilding(), 30000);
    QCOMPARE(doc.project().network.inputCount(), 200000);
    const int steps = doc.undoStack()->count();
    const QString error = designer.setLayerSize(1, 200000);
    QVERIFY2(error.contains("GiB") && error.contains("298"), qPrintable(error));
    QCOMPARE(designer.fieldErrorSource(NetworkDesigner::Field::LayerSize), error); // shown in the form's words
    QCOMPARE(doc.project().network.layer(1).size, hidden);
    QCOMPARE(doc.undoStack()->count(), steps);
}

void TestDesigners::patternListEdits()
{
    TaskFixture f;
    const auto count = f.doc.project().task.patterns.size();
    auto button = [&](TaskDesigner::PatternButton b) { return f.designer.patternButton(b); };
    f.designer.setCurrentPattern(1);
    QTest::mouseClick(button(TaskDesigner::PatternButton::Duplicate), Qt::LeftButton);
    QCOMPARE(f.doc.project().task.patterns.size(), count + 1);
    QCOMPARE(f.pattern(2).inputs, f.pattern(1).inputs);
    QCOMPARE(f.designer.currentPattern(), 2);
    QTest::mouseClick(button(TaskDesigner::PatternButton::MoveUp), Qt::LeftButton);
    QCOMPARE(f.designer.currentPattern(), 1);
    QVERIFY(QString::fromStdString(f.pattern(1).name).endsWith("(copy)"));
    QListWidget* list = f.designer.patternList();
    list->item(1)->setText("renamed");
    QCOMPARE(f.pattern(1).name, std::string("renamed"));
    QCOMPARE(f.doc.undoStack()->text(f.doc.undoStack()->count() - 1), QStringLiteral("Rename pattern"));
    QTest::mouseClick(button(TaskDesigner::PatternButton::Add), Qt::LeftButton);
    QCOMPARE(f.doc.project().task.patterns.size(), count + 2);
    const Pattern& added = f.doc.project().task.patterns.back();
    QCOMPARE(added.inputs.size(), std::size_t(60));
    QCOMPARE(spikeCount(added.inputs) + spikeCount(added.desired), std::size_t(0));
    QCOMPARE(f.designer.currentPattern(), static_cast<int>(count + 1));
    QTest::mouseClick(button(TaskDesigner::PatternButton::Delete), Qt::LeftButton);
    QCOMPARE(f.doc.project().task.patterns.size(), count + 1);
    QCOMPARE(f.doc.undoStack()->count(), 5);
}

QTEST_MAIN(TestDesigners)
#include "tst_designers.moc"
