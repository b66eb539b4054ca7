#include "normad/ui/NetworkDesigner.h"

#include "AdaptiveColumns.h"
#include "FormWidgets.h"

#include "normad/ui/BackgroundJob.h"
#include "normad/ui/TopologyView.h"

#include "normad/Schema.h"
#include "normad/TaskGenerators.h"
#include "normad/TextFormat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>
#include <stdexcept>
#include <string>

namespace normad::ui {

namespace {

using F = NetworkDesigner::Field;

QDoubleSpinBox* unitSpin(double min, double max, double step, int decimals, const QString& suffix, const QString& name)
{
    auto* s = form::unitSpinBox(min, max, step, decimals, suffix, name);
    s->setAccelerated(true);
    s->setMinimumWidth(120);
    return s;
}

/// The description of `key` in S's schema; a renamed key fails loudly instead of unlabelling a field.
template <class S> const FieldInfo* described(std::string_view key)
{
    const normad::Field<S>* f = findField(S::schema(), key);
    if (f == nullptr)
        throw std::logic_error("NetworkDesigner: " + std::string(key) + " is not in the schema");
    return &f->info;
}

// Display units: the project holds SI, the fields show what the papers write (the schema's
// displayUnit). The SI value of one display unit (1e-12 for pF) is 1/displayScale, which is exactly
// the double of the literal (1.0/1e12 == 1e-12), so an edit stores what it always stored.
double unitOf(F field)
{
    return 1.0 / NetworkDesigner::fieldInfo(field)->displayScale;
}

/// A spin box for a described real field, in its display unit.
QDoubleSpinBox* describedSpin(F field, double min, double max, double step, int decimals)
{
    const FieldInfo& info = *NetworkDesigner::fieldInfo(field);
    const std::string unit = info.displayUnit.empty() ? info.unit : info.displayUnit;
    const QString suffix = unit.empty() ? QString() : QStringLiteral(" ") + QString::fromStdString(unit);
    return unitSpin(min, max, step, decimals, suffix, QString::fromStdString(info.key));
}

/// True when the field shows a different value than `si` (compared at the field's precision).
bool differs(const QDoubleSpinBox* field, double si, double scale)
{
    return std::abs(field->value() - si / scale) > 0.5 * std::pow(10.0, -field->decimals());
}

void showValue(QDoubleSpinBox* field, double si, double scale)
{
    const QSignalBlocker block(field);
    field->setValue(si / scale);
}

QString bytesText(double bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(bytes, 0, 'f', u == 0 ? 0 : 1).arg(QLatin1String(units[u]));
}

std::size_t spikesFrom(const SpikeRaster& raster, std::int64_t steps, double dt)
{
    std::size_t n = 0;
    for (const auto& train : raster)
        for (double t : train)
            if (std::llround(t / dt) >= steps)
                ++n;
    return n;
}

void trimTo(SpikeRaster& raster, std::int64_t steps, double dt)
{
    for (auto& train : raster)
        std::erase_if(train, [&](double t) { return std::llround(t / dt) >= steps; });
}

} // namespace

NetworkDesigner::NetworkDesigner(ProjectDocument* document, QWidget* parent) : QWidget(parent), m_doc(document)
{
    m_confirm = [this](const QString& question) {
        return QMessageBox::question(this, tr("Delete spikes?"), question, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel) == QMessageBox::Yes;
    };
    m_buildJob = new BackgroundJob<Project>(this);
    connect(m_buildJob, &BackgroundJobBase::failed, this, [this](const QString& message) {
        if (m_buildProgress)
            m_buildProgress->reset();
        refresh();
        showError(m_buildField ? m_buildField : m_size, message);
    });
    // Another project replaced this one: a network still being built belongs to the old one.
    connect(m_doc, &ProjectDocument::replaced, this, [this] {
        if (!m_buildJob->isRunning())
            return;
        m_buildJob->cancel();
        if (m_buildProgress)
            m_buildProgress->reset();
    });
    buildUi();
    m_rateEstimate->setValue(measuredInputRate());
    connect(m_doc, &ProjectDocument::changed, this, [this](ProjectDocument::Changes changes) {
        if (changes & (ProjectDocument::NetworkChanged | ProjectDocument::TrainingChanged |
                       ProjectDocument::TaskChanged | ProjectDocument::WeightsChanged))
            refresh();
    });
    refresh();
}

void NetworkDesigner::setConfirmHandler(std::function<bool(const QString&)> handler)
{
    m_confirm = std::move(handler);
}

bool NetworkDesigner::confirm(const QString& question)
{
    return !m_confirm || m_confirm(question);
}

const FieldInfo* NetworkDesigner::fieldInfo(Field field)
{
    switch (field) {
    case F::InputCount:
    case F::Seed:
        return nullptr;
    case F::LayerSize:
        return described<LayerSpec>("size");
    case F::Capacitance:
        return described<LifParams>("capacitance_F");
    case F::LeakConductance:
        return described<LifParams>("leakConductance_S");
    case F::RestPotential:
        return described<LifParams>("restPotential_V");
    case F::Threshold:
        return described<LifParams>("threshold_V");
    case F::RefractoryPeriod:
        return described<LifParams>("refractoryPeriod_s");
    case F::ClampAtRest:
        return described<LifParams>("clampAtRest");
    case F::LearningRate:
        return described<LayerSpec>("learningRate_A");
    case F::Trainable:
        return described<LayerSpec>("trainable");
    case F::InitKind:
        return described<WeightInit>("kind");
    case F::InitMean:
        return described<WeightInit>("mean_A");
    case F::InitStd:
        return described<WeightInit>("stddev_A");
    case F::InitLow:
        return described<WeightInit>("low_A");
    case F::InitHigh:
        return described<WeightInit>("high_A");
    case F::TauDecay:
        return described<SynapseParams>("tauDecay_s");
    case F::TauRise:
        return described<SynapseParams>("tauRise_s");
    case F::TimeStep:
        return described<SimulationParams>("dt_s");
    case F::Duration:
        return described<SimulationParams>("duration_s");
    }
    return nullptr;
}

void NetworkDesigner::addField(QFormLayout* form, Field field, QWidget* widget, const QString& label)
{
    QString text = label;
    if (const FieldInfo* info = fieldInfo(field)) {
        text = QString::fromStdString(info->label);
        widget->setToolTip(QString::fromStdString(info->help));
    }
    if (auto* box = qobject_cast<QCheckBox*>(widget)) {
        box->setText(text); // a check box carries its own label
        form->addRow(box);
    } else {
        form->addRow(text, widget);
    }
    auto* error = new QLabel;
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #c92a2a;"));
    error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(error);
    form->setRowVisible(error, false);
    m_errors.insert(widget, {form, error});
    m_fields[field] = widget;
    // A message answers one edit: the next edit of the field clears it (connected before the
    // field's commit, which shows a new one if that edit is refused too).
    auto clear = [this, widget] { showError(widget, {}); };
    if (auto* spin = qobject_cast<QAbstractSpinBox*>(widget))
        connect(spin, &QAbstractSpinBox::editingFinished, this, clear);
    else if (auto* edit = qobject_cast<QLineEdit*>(widget))
        connect(edit, &QLineEdit::editingFinished, this, clear);
    else if (auto* combo = qobject_cast<QComboBox*>(widget))
        connect(combo, &QComboBox::activated, this, clear);
    else if (auto* check = qobject_cast<QCheckBox*>(widget))
        connect(check, &QCheckBox::clicked, this, clear);
}

void NetworkDesigner::buildUi()
{
    // ---- Topology picture ------------------------------------------------------------------------
    m_topology = new TopologyView;
    m_topology->setObjectName(QStringLiteral("topologyView"));
    m_topology->setMinimumHeight(210);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("networkSummary"));
    connect(m_topology, &TopologyView::populationClicked, this, &NetworkDesigner::setCurrentLayer);

    // ---- Layer stack -------------------------------------------------------------------------------
    auto* stack = new QGroupBox(tr("Layers"));
    m_layerList = new QListWidget;
    m_layerList->setObjectName(QStringLiteral("layerList"));
    m_layerList->setSpacing(2);
    // About six layers in view (it scrolls beyond): the synapse and grid settings below stay visible at 800 px.
    m_layerList->setMaximumHeight(6 * (m_layerList->fontMetrics().height() + 8) + 4);
    m_addLayer = new QPushButton(tr("Add hidden layer"));
    m_addLayer->setObjectName(QStringLiteral("addLayer"));
    m_addLayer->setToolTip(tr("Insert a LIF layer above the selected one (initialised to stay active)"));
    m_removeLayer = new QPushButton(tr("Remove"));
    m_removeLayer->setObjectName(QStringLiteral("removeLayer"));
    m_moveUp = new QPushButton(tr("Move up"));
    m_moveDown = new QPushButton(tr("Move down"));
    m_moveUp->setToolTip(tr("Move the layer towards the inputs"));
    m_moveDown->setToolTip(tr("Move the layer towards the output"));
    auto* stackButtons = new QGridLayout;
    stackButtons->addWidget(m_addLayer, 0, 0, 1, 2);
    stackButtons->addWidget(m_moveUp, 1, 0);
    stackButtons->addWidget(m_moveDown, 1, 1);
    stackButtons->addWidget(m_removeLayer, 2, 0, 1, 2);
    auto* stackLayout = new QVBoxLayout(stack);
    stackLayout->addWidget(m_layerList, 1);
    stackLayout->addLayout(stackButtons);
    stack->setFixedWidth(250);
    connect(m_layerList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_refreshing && row >= 0)
            setCurrentLayer(row);
    });
    connect(m_addLayer, &QPushButton::clicked, this, [this] { addHiddenLayer(); });
    connect(m_removeLayer, &QPushButton::clicked, this, [this] { removeLayer(m_layer); });
    connect(m_moveUp, &QPushButton::clicked, this, [this] { moveLayer(m_layer, -1); });
    connect(m_moveDown, &QPushButton::clicked, this, [this] { moveLayer(m_layer, +1); });

    // ---- Inputs page -------------------------------------------------------------------------------
    auto* inputsPage = new QGroupBox(tr("Input population"));
    auto* inputsForm = new QFormLayout(inputsPage);
    m_inputCount = new QSpinBox;
    m_inputCount->setObjectName(QStringLiteral("inputCount"));
    m_inputCount->setRange(0, 10'000'000); // 0 is refused by the network, with a message, not silently
    m_inputCount->setKeyboardTracking(false);
    m_inputCount->setAccelerated(true);
    m_inputCount->setSuffix(tr(" neurons"));
    addField(inputsForm, F::InputCount, m_inputCount, tr("Input neurons"));
    auto* inputsNote = new QLabel(tr("Inputs are spike sources: their trains are the patterns' input rasters "
                                     "(Task designer). Growing the population adds empty trains to every pattern; "
                                     "shrinking it removes the last trains, after asking if they hold spikes. "
                                     "Layer 1's weights are redrawn from its initialisation."));
    inputsNote->setWordWrap(true);
    inputsForm->addRow(inputsNote);
    connect(m_inputCount, &QSpinBox::editingFinished, this, [this] {
        if (!m_refreshing && m_inputCount->value() != m_doc->project().network.inputCount())
            setInputCount(m_inputCount->value());
    });

    // ---- LIF page: neurons -------------------------------------------------------------------------
    auto* neurons = new QGroupBox(tr("Neurons"));
    auto* neuronForm = new QFormLayout(neurons);
    m_size = new QSpinBox;
    m_size->setObjectName(QStringLiteral("layerSize"));
    m_size->setRange(0, 10'000'000); // 0 is refused by the network, with a message, not silently
    m_size->setKeyboardTracking(false);
    m_size->setAccelerated(true);
    m_size->setSuffix(tr(" neurons"));
    m_capacitance = describedSpin(F::Capacitance, 0, 1e6, 10, 1);
    m_leak = describedSpin(F::LeakConductance, 0, 1e5, 1, 2);
    m_rest = describedSpin(F::RestPotential, -500, 500, 1, 2);
    m_threshold = describedSpin(F::Threshold, -500, 500, 1, 2);
    m_refractory = describedSpin(F::RefractoryPeriod, 0, 1000, 0.5, 2);
    m_clamp = new QCheckBox;
    m_derived = new QLabel;
    m_derived->setObjectName(QStringLiteral("derivedNeuron"));
    m_resetNeuron = new QPushButton(tr("Reset to paper defaults"));
    m_resetNeuron->setObjectName(QStringLiteral("resetNeuron"));
    m_resetNeuron->setToolTip(tr("C = 300 pF, gL = 30 nS, EL = −70 mV, VT = 20 mV, Rp = 3 ms"));
    addField(neuronForm, F::LayerSize, m_size);
    addField(neuronForm, F::Capacitance, m_capacitance);
    addField(neuronForm, F::LeakConductance, m_leak);
    addField(neuronForm, F::RestPotential, m_rest);
    addField(neuronForm, F::Threshold, m_threshold);
    addField(neuronForm, F::RefractoryPeriod, m_refractory);
    addField(neuronForm, F::ClampAtRest, m_clamp);
    neuronForm->addRow(tr("Derived"), m_derived);
    neuronForm->addRow(m_resetNeuron);
    connect(m_size, &QSpinBox::editingFinished, this, [this] {
        if (!m_refreshing && m_layer >= 1 && m_size->value() != m_doc->project().network.layer(m_layer).size)
            setLayerSize(m_layer, m_size->value());
    });
    connect(m_capacitance, &QDoubleSpinBox::editingFinished, this,
            [this] { commitNeuronField(F::Capacitance, &LifParams::capacitance, tr("capacitance")); });
    connect(m_leak, &QDoubleSpinBox::editingFinished, this,
            [this] { commitNeuronField(F::LeakConductance, &LifParams::leakConductance, tr("leak conductance")); });
    connect(m_rest, &QDoubleSpinBox::editingFinished, this,
            [this] { commitNeuronField(F::RestPotential, &LifParams::restPotential, tr("rest potential")); });
    connect(m_threshold, &QDoubleSpinBox::editingFinished, this,
            [this] { commitNeuronField(F::Threshold, &LifParams::threshold, tr("threshold")); });
    connect(m_refractory, &QDoubleSpinBox::editingFinished, this,
            [this] { commitNeuronField(F::RefractoryPeriod, &LifParams::refractoryPeriod, tr("refractory period")); });
    connect(m_clamp, &QCheckBox::toggled, this, [this](bool on) {
        if (m_refreshing || m_layer < 1)
            return;
        LifParams n = m_doc->project().network.layer(m_layer).neuron;
        n.clampAtRest = on;
        setNeuron(m_layer, n, tr("Change layer %1 clamp at rest").arg(m_layer));
    });
    connect(m_resetNeuron, &QPushButton::clicked, this, [this] {
        if (m_layer >= 1)
            setNeuron(m_layer, LifParams{}, tr("Reset layer %1 neurons to paper defaults").arg(m_layer));
    });

    // ---- LIF page: learning and initialisation ---------------------------------------------------
    auto* learning = new QGroupBox(tr("Learning"));
    auto* learningForm = new QFormLayout(learning);
    m_learningRate = describedSpin(F::LearningRate, 0, 1e6, 0.05, 4);
    m_trainable = new QCheckBox;
    addField(learningForm, F::LearningRate, m_learningRate);
    addField(learningForm, F::Trainable, m_trainable);
    connect(m_learningRate, &QDoubleSpinBox::editingFinished, this, [this] {
        if (m_refreshing || m_layer < 1)
            return;
        if (!differs(m_learningRate, m_doc->project().network.layer(m_layer).learningRate, unitOf(F::LearningRate)))
            return;
        const double r = m_learningRate->value() * unitOf(F::LearningRate);
        const int l = m_layer;
        commit(m_learningRate, tr("Change layer %1 learning rate").arg(l), ProjectDocument::NetworkChanged,
               [&](Project& p) { p.network.layer(l).learningRate = r; });
    });
    connect(m_trainable, &QCheckBox::toggled, this, [this](bool on) {
        if (m_refreshing || m_layer < 1)
            return;
        const int l = m_layer;
        commit(m_trainable, on ? tr("Make layer %1 trainable").arg(l) : tr("Freeze layer %1").arg(l),
               ProjectDocument::NetworkChanged, [&](Project& p) { p.network.layer(l).trainable = on; });
    });

    auto* init = new QGroupBox(tr("Weight initialisation"));
    m_initForm = new QFormLayout(init);
    m_initKind = new QComboBox;
    m_initKind->addItems({tr("Zero"), tr("Constant"), tr("Normal"), tr("Uniform")});
    m_initMean = describedSpin(F::InitMean, -1e6, 1e6, 0.1, 4);
    m_initStd = describedSpin(F::InitStd, 0, 1e6, 0.1, 4);
    m_initLow = describedSpin(F::InitLow, -1e6, 1e6, 0.1, 4);
    m_initHigh = describedSpin(F::InitHigh, -1e6, 1e6, 0.1, 4);
    m_rateEstimate = unitSpin(0.1, 1000, 1, 1, tr(" Hz"), QStringLiteral("rateEstimate"));
    m_rateEstimate->setToolTip(tr("Mean rate of this layer's presynaptic neurons; layer 1 starts from the task's "
                                  "measured input rate"));
    m_keepActive = new QPushButton(tr("Keep active"));
    m_keepActive->setObjectName(QStringLiteral("keepActive"));
    m_keepActive->setToolTip(tr("Normal init whose mean drive is 0.8 × rheobase for this fan-in and rate "
                                "(silent neurons get no gradient)"));
    addField(m_initForm, F::InitKind, m_initKind);
    addField(m_initForm, F::InitMean, m_initMean);
    addField(m_initForm, F::InitStd, m_initStd);
    addField(m_initForm, F::InitLow, m_initLow);
    addField(m_initForm, F::InitHigh, m_initHigh);
    m_initForm->addRow(tr("Presynaptic rate"), m_rateEstimate); // a planning value, never refused
    m_initForm->addRow(QString(), m_keepActive);                // its own row: beside the rate it widened the form
    auto* initNote = new QLabel(tr("Changing the initialisation redraws this layer's weights."));
    initNote->setWordWrap(true);
    initNote->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    m_initForm->addRow(initNote);
    connect(m_initKind, &QComboBox::currentIndexChanged, this, [this] { commitInit(); });
    for (QDoubleSpinBox* f : {m_initMean, m_initStd, m_initLow, m_initHigh})
        connect(f, &QDoubleSpinBox::editingFinished, this, [this] { commitInit(); });
    connect(m_keepActive, &QPushButton::clicked, this, [this] { keepActive(m_layer, m_rateEstimate->value()); });

    // Neurons beside Learning and Weight initialisation where the width allows; at 1280×800 (docks
    // beside the tabs) they stack, so nothing of the selected layer is cut off or scrolls sideways.
    auto* lifPage = new AdaptiveColumns;
    lifPage->setObjectName(QStringLiteral("layerForms"));
    auto* lifRightWidget = new QWidget;
    auto* lifRight = new QVBoxLayout(lifRightWidget);
    lifRight->setContentsMargins(0, 0, 0, 0);
    lifRight->addWidget(learning);
    lifRight->addWidget(init);
    lifRight->addStretch(1);
    lifPage->addColumn(neurons);
    lifPage->addColumn(lifRightWidget);

    m_pages = new QStackedWidget;
    m_pages->addWidget(inputsPage);
    m_pages->addWidget(lifPage);
    m_layerTitle = new QLabel;
    QFont titleFont = m_layerTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_layerTitle->setFont(titleFont);
    auto* details = new QVBoxLayout;
    details->addWidget(m_layerTitle);
    details->addWidget(m_pages, 1);

    // ---- Synapse, grid, seed ---------------------------------------------------------------------
    auto* global = new QGroupBox(tr("Synapses and simulation"));
    auto* globalForm = new QFormLayout(global);
    m_tauDecay = describedSpin(F::TauDecay, 0, 10000, 0.25, 3);
    m_tauRise = describedSpin(F::TauRise, 0, 10000, 0.25, 3);
    m_dt = describedSpin(F::TimeStep, 0.001, 100, 0.05, 3);
    m_duration = describedSpin(F::Duration, 0.1, 1e6, 10, 1);
    m_seed = new QLineEdit;
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,19}")), m_seed));
    m_redraw = new QPushButton(tr("Redraw all weights"));
    m_redraw->setObjectName(QStringLiteral("redrawWeights"));
    m_redraw->setToolTip(tr("Draw every layer's weights again from its initialisation with this seed "
                            "(discards trained weights; undoable)"));
    addField(globalForm, F::TauDecay, m_tauDecay);
    addField(globalForm, F::TauRise, m_tauRise);
    addField(globalForm, F::TimeStep, m_dt);
    addField(globalForm, F::Duration, m_duration);
    addField(globalForm, F::Seed, m_seed, tr("Seed"));
    globalForm->addRow(m_redraw);
    global->setFixedWidth(300);
    auto commitSynapse = [this] {
        const SynapseParams& s = m_doc->project().network.synapse();
        if (m_refreshing || (!differs(m_tauDecay, s.tauDecay, unitOf(F::TauDecay)) &&
                             !differs(m_tauRise, s.tauRise, unitOf(F::TauRise))))
            return;
        SynapseParams next = s;
        next.tauDecay = m_tauDecay->value() * unitOf(F::TauDecay);
        next.tauRise = m_tauRise->value() * unitOf(F::TauRise);
        setSynapse(next);
    };
    connect(m_tauDecay, &QDoubleSpinBox::editingFinished, this, commitSynapse);
    connect(m_tauRise, &QDoubleSpinBox::editingFinished, this, commitSynapse);
    connect(m_dt, &QDoubleSpinBox::editingFinished, this, [this] { commitSimulation(); });
    connect(m_duration, &QDoubleSpinBox::editingFinished, this, [this] { commitSimulation(); });
    connect(m_seed, &QLineEdit::editingFinished, this, [this] {
        bool ok = false;
        const std::uint64_t seed = m_seed->text().toULongLong(&ok);
        if (m_refreshing || !ok || seed == m_doc->project().seed)
            return;
        commit(m_seed, tr("Change seed"), ProjectDocument::TrainingChanged, [&](Project& p) { p.seed = seed; });
    });
    connect(m_redraw, &QPushButton::clicked, this, [this] {
        commit(m_redraw, tr("Redraw weights"), ProjectDocument::WeightsChanged, [](Project& p) {
            p.hasWeights = false;
            p.ensureWeights();
        });
    });

    // ---- Assembly ------------------------------------------------------------------------------------
    // Two columns, not four: the layer list above the synapse and grid settings, the selected layer's
    // forms beside them. Side by side the four needed ~1220 px; at 1280×800 the docks leave ~840, and
    // with a dataset's dock open ~480: then the two columns stack too.
    auto* leftWidget = new QWidget;
    auto* left = new QVBoxLayout(leftWidget);
    left->setContentsMargins(0, 0, 0, 0);
    left->addWidget(stack);
    left->addWidget(global);
    left->addStretch(1);
    auto* detailsWidget = new QWidget;
    details->setContentsMargins(0, 0, 0, 0);
    detailsWidget->setLayout(details);
    auto* bottom = new AdaptiveColumns;
    bottom->setObjectName(QStringLiteral("designerColumns"));
    bottom->addColumn(leftWidget, 0);
    bottom->addColumn(detailsWidget, 1);
    m_summary->setWordWrap(true); // its memory figures are long; a narrow tab wraps them
    auto* root = new QVBoxLayout(this);
    root->addWidget(m_topology, 1);
    root->addWidget(m_summary);
    root->addWidget(bottom, 2);
    // The designer scrolls in its tab: a wheel turned over a field nobody clicked scrolls it.
    form::WheelPassesUnfocused::install(this);
}

QString NetworkDesigner::layerName(int layer) const
{
    const int count = m_doc->project().network.layerCount();
    if (layer == 0)
        return tr("Inputs");
    return layer == count ? tr("Output") : tr("Hidden %1").arg(layer);
}

double NetworkDesigner::measuredInputRate() const
{
    const Project& p = m_doc->project();
    double spikes = 0, trains = 0;
    for (const Pattern& pattern : p.task.patterns) {
        spikes += static_cast<double>(spikeCount(pattern.inputs));
        trains += static_cast<double>(pattern.inputs.size());
    }
    const double rate = trains > 0 ? spikes / (trains * p.simulation.duration) : 0.0;
    return rate > 0 ? rate : 20.0;
}

// ---------------------------------------------------------------------------------------------------
// Refresh

void NetworkDesigner::setCurrentLayer(int layer)
{
    const int count = m_doc->project().network.layerCount();
    const int next = std::clamp(layer, 0, count);
    if (next != m_layer)
        clearErrors();
    m_layer = next;
    // The rate estimate follows the layer: measured inputs for layer 1, the rate "keep active" aims
    // at (≈ 20 Hz) for deeper layers.
    const QSignalBlocker block(m_rateEstimate);
    m_rateEstimate->setValue(m_layer <= 1 ? measuredInputRate() : 20.0);
    refresh();
}

void NetworkDesigner::refresh()
{
    m_refreshing = true;
    const Project& p = m_doc->project();
    const Network& net = p.network;
    m_layer = std::clamp(m_layer, 0, net.layerCount());

    std::vector<TopologyView::Population> pops;
    pops.push_back({tr("Inputs"), net.inputCount(), true});
    for (int l : net.layerNumbers())
        pops.push_back({layerName(l), net.layer(l).size, net.layer(l).trainable});
    m_topology->setPopulations(std::move(pops));
    m_topology->setCurrent(m_layer);
    const double limit = memoryLimit();
    m_summary->setText(tr("%1 · %2 synapses · %3 of weights, a run ≈ %4%5 · dt = %6 ms, T = %7 ms "
                          "(%8 steps)")
                           .arg(QString::fromStdString(plural(net.layerCount(), "LIF layer")))
                           .arg(QLocale().toString(static_cast<qlonglong>(net.synapseCount())))
                           .arg(bytesText(Network::weightBytes(net.inputCount(), net.layers())))
                           .arg(bytesText(runMemory(net.inputCount(), net.layers()).total()))
                           .arg(limit > 0 ? tr(" (limit %1)").arg(bytesText(limit)) : QString())
                           .arg(p.simulation.dt * 1e3, 0, 'g', 4)
                           .arg(p.simulation.duration * 1e3, 0, 'g', 6)
                           .arg(QLocale().toString(static_cast<qlonglong>(p.simulation.steps()))));

    refreshLayerList();
    refreshDetails();

    showValue(m_tauDecay, net.synapse().tauDecay, unitOf(F::TauDecay));
    showValue(m_tauRise, net.synapse().tauRise, unitOf(F::TauRise));
    showValue(m_dt, p.simulation.dt, unitOf(F::TimeStep));
    showValue(m_duration, p.simulation.duration, unitOf(F::Duration));
    m_seed->setText(QString::number(p.seed));
    m_refreshing = false;
}

void NetworkDesigner::refreshLayerList()
{
    const Network& net = m_doc->project().network;
    const QSignalBlocker block(m_layerList);
    m_layerList->clear();
    m_layerList->addItem(tr("Inputs — %1 spike sources").arg(net.inputCount()));
    for (int l : net.layerNumbers()) {
        const LayerSpec& spec = net.layer(l);
        m_layerList->addItem(tr("%1. %2 — %3 LIF%4")
                                 .arg(l)
                                 .arg(layerName(l))
                                 .arg(spec.size)
                                 .arg(spec.trainable ? QString() : tr(", frozen")));
    }
    m_layerList->setCurrentRow(m_layer);
    m_removeLayer->setEnabled(m_layer >= 1 && net.layerCount() > 1);
    m_moveUp->setEnabled(m_layer > 1);
    m_moveDown->setEnabled(m_layer >= 1 && m_layer < net.layerCount());
}

void NetworkDesigner::refreshDetails()
{
    const Project& p = m_doc->project();
    const Network& net = p.network;
    if (m_layer == 0) {
        m_pages->setCurrentIndex(0);
        m_layerTitle->setText(tr("Inputs"));
        const QSignalBlocker block(m_inputCount);
        m_inputCount->setValue(net.inputCount());
        return;
    }
    m_pages->setCurrentIndex(1);
    const LayerSpec& spec = net.layer(m_layer);
    m_layerTitle->setText(
        tr("Layer %1 · %2 · fan-in %3").arg(m_layer).arg(layerName(m_layer)).arg(net.populationSize(m_layer - 1)));
    {
        const QSignalBlocker block(m_size);
        m_size->setValue(spec.size);
    }
    showValue(m_capacitance, spec.neuron.capacitance, unitOf(F::Capacitance));
    showValue(m_leak, spec.neuron.leakConductance, unitOf(F::LeakConductance));
    showValue(m_rest, spec.neuron.restPotential, unitOf(F::RestPotential));
    showValue(m_threshold, spec.neuron.threshold, unitOf(F::Threshold));
    showValue(m_refractory, spec.neuron.refractoryPeriod, unitOf(F::RefractoryPeriod));
    {
        const QSignalBlocker block(m_clamp);
        m_clamp->setChecked(spec.neuron.clampAtRest);
    }
    m_derived->setText(tr("τ<sub>L</sub> = C/g<sub>L</sub> = %1 ms · rheobase %2 nA")
                           .arg(spec.neuron.membraneTimeConstant() * 1e3, 0, 'g', 4)
                           .arg(spec.neuron.rheobase() * 1e9, 0, 'g', 4));
    m_resetNeuron->setEnabled(!(spec.neuron.capacitance == LifParams{}.capacitance &&
                                spec.neuron.leakConductance == LifParams{}.leakConductance &&
                                spec.neuron.restPotential == LifParams{}.restPotential &&
                                spec.neuron.threshold == LifParams{}.threshold &&
                                spec.neuron.refractoryPeriod == LifParams{}.refractoryPeriod &&
                                spec.neuron.clampAtRest == LifParams{}.clampAtRest));
    showValue(m_learningRate, spec.learningRate, unitOf(F::LearningRate));
    {
        const QSignalBlocker block(m_trainable);
        m_trainable->setChecked(spec.trainable);
    }
    {
        const QSignalBlocker block(m_initKind);
        m_initKind->setCurrentIndex(static_cast<int>(spec.init.kind));
    }
    showValue(m_initMean, spec.init.mean, unitOf(F::InitMean));
    showValue(m_initStd, spec.init.stddev, unitOf(F::InitStd));
    showValue(m_initLow, spec.init.low, unitOf(F::InitLow));
    showValue(m_initHigh, spec.init.high, unitOf(F::InitHigh));
    const auto kind = spec.init.kind;
    m_initForm->setRowVisible(m_initMean, kind == WeightInit::Kind::Constant || kind == WeightInit::Kind::Normal);
    m_initForm->setRowVisible(m_initStd, kind == WeightInit::Kind::Normal);
    m_initForm->setRowVisible(m_initLow, kind == WeightInit::Kind::Uniform);
    m_initForm->setRowVisible(m_initHigh, kind == WeightInit::Kind::Uniform);
    // Error rows of hidden fields stay hidden.
    for (QDoubleSpinBox* f : {m_initMean, m_initStd, m_initLow, m_initHigh}) {
        const FieldError e = m_errors.value(f);
        if (!m_initForm->isRowVisible(f) && e.label)
            m_initForm->setRowVisible(e.label, false);
    }
}

// ---------------------------------------------------------------------------------------------------
// Commits

QString NetworkDesigner::formMessage(QWidget* field, const QString& error) const
{
    const auto entry = m_errors.find(field);
    if (error.isEmpty() || entry == m_errors.end())
        return error;
    // The form's own label for the field ("Capacitance"), not the file's path to it.
    QString label;
    if (auto* box = qobject_cast<QCheckBox*>(field))
        label = box->text();
    else if (auto* l = qobject_cast<QLabel*>(entry->form->labelForField(field)))
        label = l->text();
    label = label.remove(QLatin1Char('&')).trimmed();
    if (label.endsWith(QLatin1Char(':')))
        label.chop(1);
    // The engine's refusals read "path.to.key_unit: reason (got value)".
    static const QRegularExpression pathed(QStringLiteral("^[A-Za-z_][\\w.\\[\\]]*: (.*)$"),
                                           QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression got(QStringLiteral("\\s*\\(got ([^)]*)\\)"));
    QString reason = error;
    if (const QRegularExpressionMatch m = pathed.match(error); m.hasMatch())
        reason = m.captured(1);
    // The refused value in the field's unit (the engine speaks SI).
    QString entered;
    if (const QRegularExpressionMatch m = got.match(reason); m.hasMatch()) {
        entered = m.captured(1);
        bool number = false;
        const double si = entered.toDouble(&number);
        Field which = Field::Seed;
        bool known = false;
        for (const auto& [f, w] : m_fields)
            if (w == field) {
                which = f;
                known = true;
            }
        if (auto* spin = qobject_cast<QDoubleSpinBox*>(field); number && spin && known && fieldInfo(which))
            entered = QLocale().toString(si / unitOf(which), 'g', 6) + spin->suffix();
        else if (auto* ispin = qobject_cast<QSpinBox*>(field); number && ispin)
            entered = QLocale().toString(si, 'g', 10) + ispin->suffix();
        reason.remove(m.capturedStart(0), m.capturedLength(0));
    }
    QString shown;
    if (auto* spin = qobject_cast<QAbstractSpinBox*>(field))
        shown = spin->text();
    else if (auto* combo = qobject_cast<QComboBox*>(field))
        shown = combo->currentText();
    else if (auto* edit = qobject_cast<QLineEdit*>(field))
        shown = edit->text();
    QString text = label.isEmpty() ? reason : tr("%1: %2").arg(label, reason);
    if (!entered.isEmpty())
        text += tr(" (you entered %1)").arg(entered);
    if (!shown.isEmpty())
        text += tr("; set back to %1").arg(shown);
    return text;
}

void NetworkDesigner::showError(QWidget* field, const QString& error)
{
    const auto it = m_errors.find(field);
    if (it == m_errors.end())
        return;
    it->label->setText(formMessage(field, error));
    it->label->setToolTip(error); // the file's path to the value, for whoever edits the file
    it->form->setRowVisible(it->label, !error.isEmpty());
    field->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("border: 1px solid #c92a2a;"));
}

void NetworkDesigner::clearErrors()
{
    for (auto it = m_errors.begin(); it != m_errors.end(); ++it)
        showError(it.key(), {});
}

QWidget* NetworkDesigner::field(Field field) const
{
    const auto it = m_fields.find(field);
    return it == m_fields.end() ? nullptr : it->second;
}

QString NetworkDesigner::fieldError(Field f) const
{
    const FieldError e = m_errors.value(field(f));
    return e.label && e.form->isRowVisible(e.label) ? e.label->text() : QString();
}

QString NetworkDesigner::fieldErrorSource(Field f) const
{
    const FieldError e = m_errors.value(field(f));
    return e.label && e.form->isRowVisible(e.label) ? e.label->toolTip() : QString();
}

void NetworkDesigner::showErrorAmong(const QString& error, std::initializer_list<Field> candidates, Field fallback)
{
    // The engine's refusals start with the path of the value they refuse: "….threshold_V: must be …".
    Field target = fallback;
    for (Field f : candidates) {
        const QString named = QLatin1Char('.') + QString::fromStdString(fieldInfo(f)->key) + QLatin1Char(':');
        if (!error.isEmpty() && error.contains(named)) {
            target = f;
            break;
        }
    }
    for (Field f : candidates)
        showError(field(f), f == target ? error : QString());
}

QString NetworkDesigner::commit(QWidget* field, const QString& text, ProjectDocument::Changes changes,
                                const std::function<void(Project&)>& mutate)
{
    const QString error = m_doc->edit(text, changes, mutate);
    if (!error.isEmpty())
        refresh(); // the field reverts to the project's value; the reason, naming it, stays beside it
    showError(field, error);
    return error;
}

QString NetworkDesigner::commitTopology(QWidget* field, const QString& text, int inputs, std::vector<LayerSpec> layers,
                                        const reshape::LayerOrigin& origin)
{
    // An empty stack is refused by validation below; do not ask about spikes first.
    const int outputs = layers.empty() ? m_doc->project().network.outputCount() : layers.back().size;
    const std::size_t lost = reshape::spikesLost(m_doc->project().task, inputs, outputs);
    // A size the network refuses anyway (0) is not worth a question about spikes: its refusal follows.
    bool sizesValid = inputs >= 1;
    for (const LayerSpec& spec : layers)
        sizesValid = sizesValid && spec.size >= 1;
    if (sizesValid && lost > 0 &&
        !confirm(tr("This change removes neurons whose trains hold %1 in the patterns. Delete them?")
                     .arg(QString::fromStdString(plural(static_cast<long long>(lost), "spike"))))) {
        refresh();
        return tr("cancelled");
    }
    if (const QString refusal = memoryRefusal(field, inputs, layers); !refusal.isEmpty()) {
        refresh(); // the field reverts; the refusal names the value entered and the estimate
        showError(field, refusal);
        return refusal;
    }
    if (sizesValid && Network::weightBytes(inputs, layers) >= backgroundBuildBytes) {
        buildInBackground(field, text, inputs, std::move(layers), origin);
        return {};
    }
    const Project before = m_doc->project();
    const QString error = commit(
        field, text, ProjectDocument::NetworkChanged | ProjectDocument::WeightsChanged | ProjectDocument::TaskChanged,
        [&](Project& p) { reshape::apply(p, inputs, layers, origin); });
    // Curves that mixed two networks misled: the old history goes to the runs, the new starts empty.
    if (error.isEmpty() && !before.history.empty() && m_doc->project().history.empty())
        emit historyEnded(before);
    return error;
}

bool NetworkDesigner::isBuilding() const
{
    return m_buildJob->isRunning();
}

double NetworkDesigner::memoryLimit() const
{
    return m_memoryLimit > 0 ? m_memoryLimit : runMemoryLimitBytes();
}

RunMemoryEstimate NetworkDesigner::runMemory(int inputs, const std::vector<LayerSpec>& layers) const
{
    const Project& p = m_doc->project();
    RunMemoryOptions options;
    options.threads = 0; // the Threads setting may be raised to every core at any time
    options.weightCopies = guiWeightCopies;
    // The live plots probe a few neurons per layer (MembranePlot); their buffers are decimated to
    // the screen's pixels and do not grow with the network.
    options.probedNeurons = 4 * static_cast<std::int64_t>(layers.size());
    options.fixedBytes = 32.0 * 1024 * 1024;
    return estimateRunMemory(inputs, layers, p.simulation, p.training, options);
}

QString NetworkDesigner::memoryRefusal(QWidget* field, int inputs, const std::vector<LayerSpec>& layers) const
{
    const double limit = memoryLimit();
    if (limit <= 0 || inputs < 1)
        return {};
    for (const LayerSpec& spec : layers)
        if (spec.size < 1)
            return {}; // refused by the network itself, with its own reason
    const RunMemoryEstimate need = runMemory(inputs, layers);
    if (need.total() <= limit)
        return {};
    // Worded as the engine words a refusal ("path: reason (got value)"), so that the field shows
    // it in the form's words with the value entered.
    QString path = QStringLiteral("network");
    QString value;
    if (field == m_inputCount) {
        path = QStringLiteral("network.inputs");
        value = QString::number(inputs);
    } else if (field == m_size && layerNumbers(static_cast<int>(layers.size())).contains(m_layer)) {
        path = QString::fromStdString(layerPath(m_layer) + ".size");
        value = QString::number(ofLayer(layers, m_layer).size);
    }
    QString text =
        tr("%1: a training run of this network would need about %2, more than the %3 this computer "
           "can spare now (%4 synapses)")
            .arg(path, QString::fromStdString(need.describe()), QString::fromStdString(binaryBytesText(limit)),
                 QLocale().toString(static_cast<double>(Network::weightBytes(inputs, layers)) / 8, 'f', 0));
    if (!value.isEmpty())
        text += tr(" (got %1)").arg(value);
    return text;
}

void NetworkDesigner::buildInBackground(QWidget* field, const QString& text, int inputs, std::vector<LayerSpec> layers,
                                        const reshape::LayerOrigin& origin)
{
    const Project before = m_doc->project(); // shares its weights (copy-on-write): no large copy
    const int undoIndex = m_doc->undoStack()->index();
    m_buildField = field;
    const double synapses = Network::weightBytes(inputs, layers) / sizeof(double);
    if (!m_buildProgress) {
        m_buildProgress = new QProgressDialog(this);
        m_buildProgress->setObjectName(QStringLiteral("networkBuildProgress"));
        m_buildProgress->setWindowTitle(tr("Building the network"));
        m_buildProgress->setWindowModality(Qt::WindowModal);
        m_buildProgress->setAutoClose(true); // reset() hides it
        m_buildProgress->setAutoReset(false);
        m_buildProgress->setMinimumDuration(200);
        connect(m_buildProgress, &QProgressDialog::canceled, this, [this] {
            m_buildJob->cancel();
            m_buildProgress->reset();
            refresh(); // the field shows the project's size again
        });
    }
    m_buildProgress->setLabelText(tr("Drawing %1 weights…").arg(QLocale().toString(synapses, 'f', 0)));
    m_buildProgress->setRange(0, 0); // busy: drawing has no useful fraction to show beyond "working"
    m_buildProgress->setValue(0);
    m_buildJob->start(
        [before, inputs, layers = std::move(layers), origin](const CancelFlag& cancel) {
            Project built = before;
            if (!reshape::apply(built, inputs, layers, origin, &cancel))
                return before; // cancelled: never delivered
            built.validate();
            return built;
        },
        [this, field, text, before, undoIndex](Project built) {
            m_buildProgress->reset();
            if (m_doc->undoStack()->index() != undoIndex ||
                m_doc->project().network.inputCount() != before.network.inputCount()) {
                refresh();
                showError(field, tr("network: the project changed while the network was built; enter the size "
                                    "again"));
                return;
            }
            const QString error =
                commit(field, text,
                       ProjectDocument::NetworkChanged | ProjectDocument::WeightsChanged | ProjectDocument::TaskChanged,
                       [&built](Project& p) { p = std::move(built); });
            if (error.isEmpty() && !before.history.empty() && m_doc->project().history.empty())
                emit historyEnded(before);
        });
}

QString NetworkDesigner::setInputCount(int inputs)
{
    const Network& net = m_doc->project().network;
    auto origin = reshape::identity(net.layerCount());
    return commitTopology(m_inputCount, tr("Change input count"), inputs, net.layers(), origin);
}

QString NetworkDesigner::setLayerSize(int layer, int size)
{
    const Network& net = m_doc->project().network;
    if (!net.layerNumbers().contains(layer))
        return tr("no layer %1").arg(layer);
    auto layers = net.layers();
    ofLayer(layers, layer).size = size;
    return commitTopology(m_size, tr("Change layer %1 size").arg(layer), net.inputCount(), std::move(layers),
                          reshape::identity(net.layerCount()));
}

QString NetworkDesigner::setNeuron(int layer, const LifParams& neuron, const QString& text)
{
    if (!m_doc->project().network.layerNumbers().contains(layer))
        return tr("no layer %1").arg(layer);
    // Attribute a refusal to the field it names ("….threshold_V: must be above …"): the file key is
    // the member's name with its unit (LifParams::schema()).
    const QString error =
        m_doc->edit(text.isEmpty() ? tr("Change layer %1 neurons").arg(layer) : text, ProjectDocument::NetworkChanged,
                    [&](Project& p) { p.network.layer(layer).neuron = neuron; });
    if (!error.isEmpty())
        refresh();
    showErrorAmong(
        error,
        {F::Capacitance, F::LeakConductance, F::RestPotential, F::Threshold, F::RefractoryPeriod, F::ClampAtRest},
        F::Capacitance);
    return error;
}

void NetworkDesigner::commitNeuronField(Field f, double LifParams::*member, const QString& what)
{
    if (m_refreshing || m_layer < 1)
        return;
    auto* box = static_cast<QDoubleSpinBox*>(field(f));
    const double unit = unitOf(f);
    LifParams n = m_doc->project().network.layer(m_layer).neuron;
    if (!differs(box, n.*member, unit))
        return;
    n.*member = box->value() * unit;
    setNeuron(m_layer, n, tr("Change layer %1 %2").arg(m_layer).arg(what));
}

QString NetworkDesigner::setSynapse(const SynapseParams& synapse)
{
    const QString error = m_doc->edit(tr("Change synapse time constants"), ProjectDocument::NetworkChanged,
                                      [&](Project& p) { p.network.setSynapse(synapse); });
    if (!error.isEmpty())
        refresh();
    showErrorAmong(error, {F::TauDecay, F::TauRise}, F::TauDecay);
    return error;
}

void NetworkDesigner::commitInit()
{
    if (m_refreshing || m_layer < 1)
        return;
    const WeightInit& old = m_doc->project().network.layer(m_layer).init;
    WeightInit init = old;
    init.kind = static_cast<WeightInit::Kind>(m_initKind->currentIndex());
    const double nA = unitOf(F::InitMean); // every init field is shown in nA
    init.mean = differs(m_initMean, old.mean, nA) ? m_initMean->value() * nA : old.mean;
    init.stddev = differs(m_initStd, old.stddev, nA) ? m_initStd->value() * nA : old.stddev;
    init.low = differs(m_initLow, old.low, nA) ? m_initLow->value() * nA : old.low;
    init.high = differs(m_initHigh, old.high, nA) ? m_initHigh->value() * nA : old.high;
    if (init.kind == old.kind && init.mean == old.mean && init.stddev == old.stddev && init.low == old.low &&
        init.high == old.high)
        return;
    QWidget* field = init.kind != old.kind       ? static_cast<QWidget*>(m_initKind)
                     : init.mean != old.mean     ? m_initMean
                     : init.stddev != old.stddev ? m_initStd
                     : init.low != old.low       ? m_initLow
                                                 : m_initHigh;
    const Network& net = m_doc->project().network;
    auto layers = net.layers();
    ofLayer(layers, m_layer).init = init;
    auto origin = reshape::identity(net.layerCount());
    ofLayer(origin, m_layer) = 0; // redraw this layer from its new init
    commitTopology(field, tr("Change layer %1 initialisation").arg(m_layer), net.inputCount(), std::move(layers),
                   origin);
}

QString NetworkDesigner::keepActive(int layer, double inputRateHz)
{
    const Network& net = m_doc->project().network;
    if (!net.layerNumbers().contains(layer))
        return tr("select a LIF layer");
    auto layers = net.layers();
    LayerSpec& spec = ofLayer(layers, layer);
    spec.init = generators::activeInit(net.populationSize(layer - 1), inputRateHz, spec.neuron, net.synapse());
    auto origin = reshape::identity(net.layerCount());
    ofLayer(origin, layer) = 0;
    return commitTopology(m_initKind, tr("Keep layer %1 active (initialisation)").arg(layer), net.inputCount(),
                          std::move(layers), origin);
}

void NetworkDesigner::commitSimulation()
{
    if (m_refreshing)
        return;
    const Project& p = m_doc->project();
    const bool dtChanged = differs(m_dt, p.simulation.dt, unitOf(F::TimeStep));
    const bool durationChanged = differs(m_duration, p.simulation.duration, unitOf(F::Duration));
    if (!dtChanged && !durationChanged)
        return;
    const double dt = dtChanged ? m_dt->value() * unitOf(F::TimeStep) : p.simulation.dt;
    const double duration = durationChanged ? m_duration->value() * unitOf(F::Duration) : p.simulation.duration;
    const std::int64_t steps = std::llround(duration / dt);
    std::size_t lost = 0;
    for (const Pattern& pattern : p.task.patterns)
        lost += spikesFrom(pattern.inputs, steps, dt) + spikesFrom(pattern.desired, steps, dt);
    if (lost > 0 && !confirm(tr("The trial becomes %1 ms long: %2 at or after its end will be deleted.")
                                 .arg(duration * 1e3, 0, 'g', 6)
                                 .arg(QString::fromStdString(plural(static_cast<long long>(lost), "spike"))))) {
        refresh();
        return;
    }
    commit(dtChanged ? m_dt : m_duration, dtChanged ? tr("Change time step") : tr("Change trial length"),
           ProjectDocument::TrainingChanged | ProjectDocument::TaskChanged, [&](Project& project) {
               project.simulation.dt = dt;
               project.simulation.duration = duration;
               for (Pattern& pattern : project.task.patterns) {
                   trimTo(pattern.inputs, steps, dt);
                   trimTo(pattern.desired, steps, dt);
               }
           });
}

QString NetworkDesigner::addHiddenLayer()
{
    const Network& net = m_doc->project().network;
    const int count = net.layerCount();
    // New layer goes right above the selected hidden layer, or just below the output.
    const int position = (m_layer >= 1 && m_layer < count) ? m_layer + 1 : count; // 1-based index of the new layer
    auto layers = net.layers();
    LayerSpec spec;
    spec.size = net.populationSize(position - 1) >= 1 ? std::min(net.populationSize(position - 1), 50) : 20;
    spec.learningRate = position > 1 ? ofLayer(layers, position - 1).learningRate // the layer below
                                     : layers.front().learningRate;
    const double rate = position == 1 ? measuredInputRate() : 20.0;
    spec.init = generators::activeInit(net.populationSize(position - 1), rate, spec.neuron, net.synapse());
    layers.insert(layers.begin() + (position - 1), spec);
    reshape::LayerOrigin origin;
    for (int l : layerNumbers(count + 1))
        origin.push_back(l < position ? l : (l == position ? 0 : l - 1));
    const QString error =
        commitTopology(m_addLayer, tr("Add hidden layer"), net.inputCount(), std::move(layers), origin);
    if (error.isEmpty())
        setCurrentLayer(position);
    return error;
}

QString NetworkDesigner::removeLayer(int layer)
{
    const Network& net = m_doc->project().network;
    const int count = net.layerCount();
    if (layer < 1 || layer > count)
        return tr("select a LIF layer to remove");
    auto layers = net.layers();
    layers.erase(layers.begin() + (layer - 1));
    reshape::LayerOrigin origin;
    for (int l : layerNumbers(count - 1))
        origin.push_back(l < layer ? l : l + 1);
    const QString name = layer == count ? tr("Remove output layer") : tr("Remove layer %1").arg(layer);
    const QString error = commitTopology(m_removeLayer, name, net.inputCount(), std::move(layers), origin);
    if (error.isEmpty())
        setCurrentLayer(std::min(layer, count - 1));
    return error;
}

QString NetworkDesigner::moveLayer(int layer, int delta)
{
    const Network& net = m_doc->project().network;
    const int count = net.layerCount();
    const int target = layer + delta;
    if (layer < 1 || target < 1 || target > count)
        return tr("cannot move layer %1 there").arg(layer);
    auto layers = net.layers();
    std::swap(ofLayer(layers, layer), ofLayer(layers, target));
    auto origin = reshape::identity(count);
    std::swap(ofLayer(origin, layer), ofLayer(origin, target));
    const QString error = commitTopology(
        m_removeLayer, delta < 0 ? tr("Move layer %1 up").arg(layer) : tr("Move layer %1 down").arg(layer),
        net.inputCount(), std::move(layers), origin);
    if (error.isEmpty())
        setCurrentLayer(target);
    return error;
}

} // namespace normad::ui
