#include "normad/ui/TaskDesigner.h"

#include "AdaptiveColumns.h"
#include "FormWidgets.h"

#include "normad/ui/ImageImportDialog.h"
#include "normad/ui/SpikeRasterEditor.h"

#include "normad/TaskGenerators.h"
#include "normad/TextFormat.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <random>
#include <stdexcept>

namespace normad::ui {

namespace {

QString ms(double seconds, int decimals = 1)
{
    return QString::number(seconds * 1e3, 'f', decimals);
}

QDoubleSpinBox* spin(double min, double max, double step, int decimals, const QString& suffix, const QString& name)
{
    return form::unitSpinBox(min, max, step, decimals, suffix, name);
}

/// Asks for no more width than it needs: AdaptiveColumns puts columns side by side from the sum of
/// their size hints, and the rasters would ask for far more than they can live with.
class NarrowAsItCan : public QWidget {
public:
    QSize sizeHint() const override { return QSize(minimumSizeHint().width(), QWidget::sizeHint().height()); }
};

} // namespace

TaskDesigner::TaskDesigner(ProjectDocument* document, QWidget* parent) : QWidget(parent), m_doc(document)
{
    // ---- Patterns (left) -------------------------------------------------------------------------
    auto* patterns = new QGroupBox(tr("Patterns"));
    m_patternList = new QListWidget;
    m_patternList->setObjectName(QStringLiteral("patternList"));
    m_patternList->setSpacing(2);
    m_patternList->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_addButton = new QPushButton(tr("Add"));
    m_duplicateButton = new QPushButton(tr("Duplicate"));
    m_deleteButton = new QPushButton(tr("Delete"));
    m_upButton = new QPushButton(tr("Move up"));
    m_downButton = new QPushButton(tr("Move down"));
    m_addButton->setObjectName(QStringLiteral("addPattern"));
    m_duplicateButton->setObjectName(QStringLiteral("duplicatePattern"));
    m_deleteButton->setObjectName(QStringLiteral("deletePattern"));
    m_upButton->setObjectName(QStringLiteral("movePatternUp"));
    m_downButton->setObjectName(QStringLiteral("movePatternDown"));
    m_addButton->setToolTip(tr("Add a pattern with empty trains"));
    m_duplicateButton->setToolTip(tr("Copy the selected pattern"));
    m_patternSummary = new QLabel;
    m_patternSummary->setWordWrap(true);
    m_patternSummary->setObjectName(QStringLiteral("patternSummary"));
    auto* patternButtons = new QGridLayout;
    patternButtons->addWidget(m_addButton, 0, 0);
    patternButtons->addWidget(m_duplicateButton, 0, 1);
    patternButtons->addWidget(m_upButton, 1, 0);
    patternButtons->addWidget(m_downButton, 1, 1);
    patternButtons->addWidget(m_deleteButton, 2, 0, 1, 2);
    auto* importImage = new QPushButton(tr("Import image…"));
    importImage->setObjectName(QStringLiteral("importImage"));
    importImage->setToolTip(tr("An image as input or desired trains: rows = neurons, columns = time"));
    patternButtons->addWidget(importImage, 3, 0, 1, 2);
    connect(importImage, &QPushButton::clicked, this, [this] { ImageImportDialog(m_doc, m_pattern, this).exec(); });
    auto* patternLayout = new QVBoxLayout(patterns);
    patternLayout->addWidget(m_patternList, 1);
    patternLayout->addLayout(patternButtons);
    patternLayout->addWidget(m_patternSummary);
    patterns->setFixedWidth(230);

    // ---- Rasters (centre) ------------------------------------------------------------------------
    m_inputs = new SpikeRasterEditor;
    m_inputs->setObjectName(QStringLiteral("inputRaster"));
    m_inputs->setKind(SpikeRasterEditor::Kind::Input);
    m_inputs->setNeuronNoun(tr("input"));
    m_desired = new SpikeRasterEditor;
    m_desired->setObjectName(QStringLiteral("desiredRaster"));
    m_desired->setKind(SpikeRasterEditor::Kind::Desired);
    m_desired->setNeuronNoun(tr("output"));
    m_desired->setMinimumHeight(130);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_inputs);
    splitter->addWidget(m_desired);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("taskStatus"));
    m_status->setWordWrap(true);
    m_warningHeader = new QLabel;
    m_warningHeader->setObjectName(QStringLiteral("warningHeader"));
    m_warningHeader->setWordWrap(true); // one long line must not widen the designer past the window
    m_warningList = new QListWidget;
    m_warningList->setObjectName(QStringLiteral("warningList"));
    m_warningList->setMaximumHeight(86);
    m_warningList->setWordWrap(true);
    m_warningList->setIconSize(QSize(16, 16));
    m_warningList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* centre = new QVBoxLayout;
    centre->addWidget(splitter, 1);
    centre->addWidget(m_status);
    centre->addWidget(m_warningHeader);
    centre->addWidget(m_warningList);

    // ---- Generators and help (right) -------------------------------------------------------------
    auto* gen = new QGroupBox(tr("Generate spike trains"));
    m_genKind = new QComboBox;
    m_genKind->setObjectName(QStringLiteral("generatorKind"));
    m_genKind->addItems({tr("Poisson"), tr("Regular"), tr("Jittered copy"), tr("Clear")});
    m_genTarget = new QComboBox;
    m_genTarget->setObjectName(QStringLiteral("generatorTarget"));
    m_genTarget->addItems(
        {tr("Selected inputs"), tr("All inputs"), tr("Selected desired trains"), tr("All desired trains")});
    m_genTarget->setCurrentIndex(1);
    m_genRate = spin(0, 1000, 5, 1, tr(" Hz"), QStringLiteral("generatorRate"));
    m_genRate->setValue(20);
    m_genSeed = new QSpinBox;
    m_genSeed->setObjectName(QStringLiteral("generatorSeed"));
    m_genSeed->setRange(0, std::numeric_limits<int>::max());
    m_genSeed->setValue(1);
    m_genMinInterval = spin(0, 1000, 0.5, 2, tr(" ms"), QStringLiteral("generatorMinInterval"));
    m_genStart = spin(0, 1e6, 1, 2, tr(" ms"), QStringLiteral("generatorStart"));
    m_genJitter = spin(0, 1000, 0.5, 2, tr(" ms"), QStringLiteral("generatorJitter"));
    m_genJitter->setValue(1.0);
    m_genSource = new QComboBox;
    m_genSource->setObjectName(QStringLiteral("generatorSource"));
    m_genApply = new QPushButton(tr("Apply to pattern"));
    m_genApply->setObjectName(QStringLiteral("generatorApply"));
    m_genForm = new QFormLayout(gen);
    m_genForm->addRow(tr("Generator"), m_genKind);
    m_genForm->addRow(tr("Apply to"), m_genTarget);
    m_genForm->addRow(tr("Rate"), m_genRate);
    m_genForm->addRow(tr("Seed"), m_genSeed);
    m_genForm->addRow(tr("Min. interval"), m_genMinInterval);
    m_genForm->addRow(tr("Start"), m_genStart);
    m_genForm->addRow(tr("Jitter σ"), m_genJitter);
    m_genForm->addRow(tr("Copy of"), m_genSource);
    m_genForm->addRow(m_genApply);

    auto* help = new QGroupBox(tr("Editing"));
    auto* helpText = new QLabel(tr("<table cellspacing=2>"
                                   "<tr><td><b>Click</b></td><td>add a spike (snapped to dt)</td></tr>"
                                   "<tr><td><b>Drag spike</b></td><td>move it (or the selection)</td></tr>"
                                   "<tr><td><b>Drag empty</b></td><td>select a region</td></tr>"
                                   "<tr><td><b>Row number</b></td><td>select a neuron</td></tr>"
                                   "<tr><td><b>Del</b></td><td>delete the selection</td></tr>"
                                   "<tr><td><b>Right-click</b></td><td>delete one spike</td></tr>"
                                   "<tr><td><b>Ctrl+A</b></td><td>select all</td></tr>"
                                   "<tr><td><b>Wheel</b></td><td>zoom time</td></tr>"
                                   "<tr><td><b>Ctrl+wheel</b></td><td>zoom neurons</td></tr>"
                                   "<tr><td><b>Shift+wheel</b></td><td>pan time</td></tr>"
                                   "<tr><td><b>Middle-drag</b></td><td>pan</td></tr>"
                                   "<tr><td><b>Home</b></td><td>show everything</td></tr></table>"));
    helpText->setTextFormat(Qt::RichText);
    auto* helpLayout = new QVBoxLayout(help);
    helpLayout->addWidget(helpText);
    auto* right = new QVBoxLayout;
    right->addWidget(gen);
    right->addWidget(help);
    right->addStretch(1);
    auto* rightWidget = new QWidget;
    rightWidget->setLayout(right);
    rightWidget->setFixedWidth(280);
    right->setContentsMargins(0, 0, 0, 0);

    // Side by side on a wide tab; on a narrower one (1280×800 with the Lessons dock open) the
    // generators and the help go below, and on a narrow one (Inside the rule beside the lessons)
    // the patterns too, under the rasters: the rasters stay whole and in view, never cut off by a
    // sideways scroll.
    auto* rasters = new NarrowAsItCan;
    centre->setContentsMargins(0, 0, 0, 0);
    rasters->setLayout(centre);
    auto* main = new AdaptiveColumns;
    main->setObjectName(QStringLiteral("taskPatternsAndRasters"));
    main->addColumn(patterns, 0);
    main->addColumn(rasters, 1);
    main->setStackedOrder({rasters, patterns});
    auto* columns = new AdaptiveColumns;
    columns->setObjectName(QStringLiteral("taskColumns"));
    columns->addColumn(main, 1);
    columns->addColumn(rightWidget, 0);
    auto* root = new QVBoxLayout(this);
    root->addWidget(columns);
    // The designer scrolls in its tab: a wheel turned over a field nobody clicked scrolls it.
    form::WheelPassesUnfocused::install(this);

    // ---- Wiring ------------------------------------------------------------------------------------
    connect(m_doc, &ProjectDocument::changed, this, &TaskDesigner::refresh);
    connect(m_patternList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_refreshing && row >= 0)
            setCurrentPattern(row);
    });
    connect(m_patternList, &QListWidget::itemChanged, this, &TaskDesigner::renamePattern);
    connect(m_addButton, &QPushButton::clicked, this, &TaskDesigner::addPattern);
    connect(m_duplicateButton, &QPushButton::clicked, this, &TaskDesigner::duplicatePattern);
    connect(m_deleteButton, &QPushButton::clicked, this, &TaskDesigner::deletePattern);
    connect(m_upButton, &QPushButton::clicked, this, [this] { movePattern(-1); });
    connect(m_downButton, &QPushButton::clicked, this, [this] { movePattern(+1); });
    connect(m_inputs, &SpikeRasterEditor::rasterEdited, this,
            [this](const SpikeRaster& r, const QString& text, int mergeId) { commitRaster(false, r, text, mergeId); });
    connect(m_desired, &SpikeRasterEditor::rasterEdited, this,
            [this](const SpikeRaster& r, const QString& text, int mergeId) { commitRaster(true, r, text, mergeId); });
    // One time axis for both rasters: zoom or pan one and the other follows.
    connect(m_inputs, &SpikeRasterEditor::timeWindowChanged, m_desired, &SpikeRasterEditor::setTimeWindow);
    connect(m_desired, &SpikeRasterEditor::timeWindowChanged, m_inputs, &SpikeRasterEditor::setTimeWindow);
    connect(m_warningList, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { setCurrentPattern(item->data(Qt::UserRole).toInt()); });
    connect(m_genKind, &QComboBox::currentIndexChanged, this, &TaskDesigner::updateGeneratorRows);
    connect(m_genTarget, &QComboBox::currentIndexChanged, this, [this] {
        // Desired trains must respect the output neuron's refractory period: start the dead time
        // there so a generated target is reachable.
        const Project& p = m_doc->project();
        const bool desired = m_genTarget->currentIndex() >= 2;
        if (desired && p.network.layerCount() > 0) {
            const double rp = p.network.layer(p.network.layerCount()).neuron.refractoryPeriod + p.simulation.dt;
            if (m_genMinInterval->value() < rp * 1e3)
                m_genMinInterval->setValue(rp * 1e3);
        }
        updateGeneratorRows();
    });
    connect(m_genApply, &QPushButton::clicked, this, [this] { generate(generatorSettings()); });

    updateGeneratorRows();
    refresh(ProjectDocument::Everything);
}

void TaskDesigner::updateGeneratorRows()
{
    const auto kind = static_cast<Generator::Kind>(m_genKind->currentIndex());
    m_genForm->setRowVisible(m_genRate, kind == Generator::Kind::Poisson || kind == Generator::Kind::Regular);
    m_genForm->setRowVisible(m_genSeed, kind == Generator::Kind::Poisson || kind == Generator::Kind::Jittered);
    m_genForm->setRowVisible(m_genMinInterval, kind == Generator::Kind::Poisson);
    m_genForm->setRowVisible(m_genStart, kind == Generator::Kind::Poisson || kind == Generator::Kind::Regular);
    m_genForm->setRowVisible(m_genJitter, kind == Generator::Kind::Jittered);
    m_genForm->setRowVisible(m_genSource, kind == Generator::Kind::Jittered);
}

TaskDesigner::Generator TaskDesigner::generatorSettings() const
{
    Generator g;
    g.kind = static_cast<Generator::Kind>(m_genKind->currentIndex());
    g.target = static_cast<Generator::Target>(m_genTarget->currentIndex());
    g.rateHz = m_genRate->value();
    g.seed = static_cast<std::uint64_t>(m_genSeed->value());
    g.minInterval = m_genMinInterval->value() * 1e-3;
    g.start = m_genStart->value() * 1e-3;
    g.jitter = m_genJitter->value() * 1e-3;
    g.sourcePattern = std::max(0, m_genSource->currentIndex());
    return g;
}

QPushButton* TaskDesigner::patternButton(PatternButton button) const
{
    switch (button) {
    case PatternButton::Add:
        return m_addButton;
    case PatternButton::Duplicate:
        return m_duplicateButton;
    case PatternButton::Delete:
        return m_deleteButton;
    case PatternButton::MoveUp:
        return m_upButton;
    case PatternButton::MoveDown:
        return m_downButton;
    }
    return nullptr;
}

void TaskDesigner::setCurrentPattern(int index)
{
    const int count = static_cast<int>(m_doc->project().task.patterns.size());
    index = std::clamp(index, 0, std::max(0, count - 1));
    if (index != m_pattern) {
        m_pattern = index;
        m_inputs->clearSelection();
        m_desired->clearSelection();
    }
    {
        const QSignalBlocker block(m_patternList);
        m_patternList->setCurrentRow(m_pattern);
    }
    refreshEditors();
}

void TaskDesigner::refresh(ProjectDocument::Changes changes)
{
    if (!(changes &
          (ProjectDocument::TaskChanged | ProjectDocument::NetworkChanged | ProjectDocument::TrainingChanged)))
        return;
    const int count = static_cast<int>(m_doc->project().task.patterns.size());
    m_pattern = std::clamp(m_pattern, 0, std::max(0, count - 1));
    refreshPatternList();
    refreshEditors();
    refreshWarnings();
}

void TaskDesigner::refreshPatternList()
{
    m_refreshing = true;
    const QSignalBlocker block(m_patternList);
    const auto& patterns = m_doc->project().task.patterns;
    // Rebuild only when names or count differ, so an in-place rename keeps the editor state.
    bool same = m_patternList->count() == static_cast<int>(patterns.size());
    for (int i = 0; same && i < m_patternList->count(); ++i)
        same = m_patternList->item(i)->text() == QString::fromStdString(patterns[static_cast<std::size_t>(i)].name);
    if (!same) {
        m_patternList->clear();
        for (const Pattern& p : patterns) {
            auto* item = new QListWidgetItem(QString::fromStdString(p.name));
            item->setFlags(item->flags() | Qt::ItemIsEditable);
            m_patternList->addItem(item);
        }
    }
    m_patternList->setCurrentRow(m_pattern);
    const QSignalBlocker blockSource(m_genSource);
    const int source = m_genSource->currentIndex();
    m_genSource->clear();
    for (const Pattern& p : patterns)
        m_genSource->addItem(QString::fromStdString(p.name));
    m_genSource->setCurrentIndex(std::clamp(source, 0, std::max(0, m_genSource->count() - 1)));
    m_deleteButton->setEnabled(patterns.size() > 1);
    m_upButton->setEnabled(m_pattern > 0);
    m_downButton->setEnabled(m_pattern + 1 < static_cast<int>(patterns.size()));
    m_refreshing = false;
}

void TaskDesigner::refreshEditors()
{
    const Project& p = m_doc->project();
    m_inputs->setGrid(p.simulation.dt, p.simulation.duration);
    m_desired->setGrid(p.simulation.dt, p.simulation.duration);
    const double rp =
        p.network.layerCount() > 0 ? p.network.layer(p.network.layerCount()).neuron.refractoryPeriod : 0.0;
    m_desired->setMinimumSpacing(rp);
    if (p.task.patterns.empty()) {
        m_inputs->setRaster({});
        m_desired->setRaster({});
        m_patternSummary->clear();
        return;
    }
    const Pattern& pattern = p.task.patterns[static_cast<std::size_t>(m_pattern)];
    m_inputs->setRaster(pattern.inputs);
    m_desired->setRaster(pattern.desired);
    const auto neurons = [](const SpikeRaster& raster) {
        return QString::fromStdString(plural(static_cast<long long>(raster.size()), "neuron"));
    };
    m_inputs->setTitle(tr("Input spikes · %1").arg(neurons(pattern.inputs)));
    m_desired->setTitle(
        tr("Desired output spikes · %1 · at most one spike per time step").arg(neurons(pattern.desired)));
    const auto inSpikes = spikeCount(pattern.inputs);
    const double rate =
        pattern.inputs.empty()
            ? 0.0
            : static_cast<double>(inSpikes) / (static_cast<double>(pattern.inputs.size()) * p.simulation.duration);
    m_patternSummary->setText(tr("%1 input spikes (mean %2 Hz)\n%3 desired spikes\nT = %4 ms, dt = %5 ms")
                                  .arg(inSpikes)
                                  .arg(rate, 0, 'f', 1)
                                  .arg(spikeCount(pattern.desired))
                                  .arg(ms(p.simulation.duration, 0))
                                  .arg(ms(p.simulation.dt, 3)));
    m_upButton->setEnabled(m_pattern > 0);
    m_downButton->setEnabled(m_pattern + 1 < static_cast<int>(p.task.patterns.size()));
}

void TaskDesigner::refreshWarnings()
{
    const Project& p = m_doc->project();
    m_warningTexts.clear();
    m_warningList->clear();
    const double rp =
        p.network.layerCount() > 0 ? p.network.layer(p.network.layerCount()).neuron.refractoryPeriod : 0.0;
    for (std::size_t i = 0; i < p.task.patterns.size(); ++i) {
        const Pattern& pattern = p.task.patterns[i];
        for (const auto& v : SpikeRasterEditor::spacingViolations(pattern.desired, rp, p.simulation.dt)) {
            const QString text = tr("“%1”, output %2: %3 → %4 ms is only %5 ms; the refractory period (%6 ms) "
                                    "makes the second spike unreachable")
                                     .arg(QString::fromStdString(pattern.name))
                                     .arg(v.neuron)
                                     .arg(ms(v.first))
                                     .arg(ms(v.second))
                                     .arg(ms(v.second - v.first))
                                     .arg(ms(rp));
            m_warningTexts << text;
            auto* item = new QListWidgetItem(style()->standardIcon(QStyle::SP_MessageBoxWarning), text);
            item->setData(Qt::UserRole, static_cast<int>(i));
            m_warningList->addItem(item);
        }
    }
    m_warningList->setVisible(!m_warningTexts.isEmpty());
    if (m_warningTexts.isEmpty()) {
        m_warningHeader->setText(
            tr("✓ Every desired spike respects the output refractory period (%1 ms).").arg(ms(rp)));
        m_warningHeader->setStyleSheet(QStringLiteral("color: #2b8a3e;"));
    } else {
        m_warningHeader->setText(tr("⚠ %1 — double-click one to show its pattern:")
                                     .arg(QString::fromStdString(plural(m_warningTexts.size(), "spacing warning"))));
        m_warningHeader->setStyleSheet(QStringLiteral("color: #c92a2a; font-weight: bold;"));
    }
}

void TaskDesigner::report(const QString& error)
{
    m_lastError = error;
    if (error.isEmpty()) {
        m_status->clear();
        m_status->setStyleSheet({});
    } else {
        m_status->setText(tr("Refused: %1").arg(error));
        m_status->setStyleSheet(QStringLiteral("color: #c92a2a;"));
    }
}

QString TaskDesigner::editTask(const QString& text, const std::function<void(Task&)>& mutate)
{
    const QString error = m_doc->edit(text, ProjectDocument::TaskChanged, [&](Project& p) { mutate(p.task); });
    report(error);
    return error;
}

void TaskDesigner::commitRaster(bool desired, const SpikeRaster& raster, const QString& text, int mergeId)
{
    const int index = m_pattern;
    const QString error = m_doc->edit(
        text, ProjectDocument::TaskChanged,
        [&](Project& p) {
            Pattern& pattern = p.task.patterns.at(static_cast<std::size_t>(index));
            (desired ? pattern.desired : pattern.inputs) = raster;
        },
        mergeId);
    report(error);
}

QString TaskDesigner::generate(const Generator& g)
{
    const Project& project = m_doc->project();
    const bool desired = g.target == Generator::Target::SelectedDesired || g.target == Generator::Target::AllDesired;
    const bool selectedOnly =
        g.target == Generator::Target::SelectedInputs || g.target == Generator::Target::SelectedDesired;
    SpikeRasterEditor* editor = desired ? m_desired : m_inputs;
    std::vector<int> neurons;
    if (selectedOnly) {
        neurons = editor->selectedNeurons();
    } else {
        for (int n = 0; n < editor->neuronCount(); ++n)
            neurons.push_back(n);
    }
    if (neurons.empty()) {
        const QString error = tr("no %1 neurons selected — drag over their rows or click their numbers first")
                                  .arg(desired ? tr("output") : tr("input"));
        report(error);
        return error;
    }
    QString what;
    switch (g.kind) {
    case Generator::Kind::Poisson:
        what = tr("Poisson");
        break;
    case Generator::Kind::Regular:
        what = tr("regular");
        break;
    case Generator::Kind::Jittered:
        what = tr("jittered");
        break;
    case Generator::Kind::Clear:
        what = {};
        break;
    }
    const QString trains = desired ? tr("desired trains") : tr("inputs");
    const QString text =
        g.kind == Generator::Kind::Clear ? tr("Clear %1").arg(trains) : tr("Generate %1 %2").arg(what, trains);
    const int index = m_pattern;
    const double dt = project.simulation.dt, duration = project.simulation.duration;
    return editTask(text, [&](Task& task) {
        if (!(g.rateHz >= 0))
            throw std::invalid_argument("generator.rate: must not be negative");
        if (!(g.jitter >= 0))
            throw std::invalid_argument("generator.jitter: must not be negative");
        Pattern& pattern = task.patterns.at(static_cast<std::size_t>(index));
        SpikeRaster& raster = desired ? pattern.desired : pattern.inputs;
        std::mt19937_64 rng(g.seed);
        const Pattern& source = task.patterns.at(
            static_cast<std::size_t>(std::clamp(g.sourcePattern, 0, static_cast<int>(task.patterns.size()) - 1)));
        const SpikeRaster sourceRaster = desired ? source.desired : source.inputs;
        for (int n : neurons) {
            SpikeTrain& train = raster.at(static_cast<std::size_t>(n));
            switch (g.kind) {
            case Generator::Kind::Poisson:
                train = generators::poisson(g.rateHz, duration, dt, rng, g.minInterval, g.start);
                break;
            case Generator::Kind::Regular:
                train = generators::regular(g.rateHz, duration, dt, g.start);
                break;
            case Generator::Kind::Jittered:
                train = generators::jittered(sourceRaster.at(static_cast<std::size_t>(n)), g.jitter, duration, dt, rng);
                break;
            case Generator::Kind::Clear:
                train.clear();
                break;
            }
        }
    });
}

void TaskDesigner::addPattern()
{
    const Project& p = m_doc->project();
    const int next = static_cast<int>(p.task.patterns.size());
    if (editTask(tr("Add pattern"), [&](Task& task) {
            Pattern pattern;
            pattern.name = tr("Pattern %1").arg(next + 1).toStdString();
            pattern.inputs.resize(static_cast<std::size_t>(p.network.inputCount()));
            pattern.desired.resize(static_cast<std::size_t>(p.network.outputCount()));
            task.patterns.push_back(std::move(pattern));
        }).isEmpty())
        setCurrentPattern(next);
}

void TaskDesigner::duplicatePattern()
{
    const int index = m_pattern;
    if (editTask(tr("Duplicate pattern"), [&](Task& task) {
            Pattern copy = task.patterns.at(static_cast<std::size_t>(index));
            copy.name += tr(" (copy)").toStdString();
            task.patterns.insert(task.patterns.begin() + index + 1, std::move(copy));
        }).isEmpty())
        setCurrentPattern(index + 1);
}

void TaskDesigner::deletePattern()
{
    const int index = m_pattern;
    editTask(tr("Delete pattern"), [&](Task& task) { task.patterns.erase(task.patterns.begin() + index); });
}

void TaskDesigner::movePattern(int delta)
{
    const int index = m_pattern;
    const int target = index + delta;
    if (target < 0 || target >= static_cast<int>(m_doc->project().task.patterns.size()))
        return;
    m_pattern = target; // follow the moved pattern before the refresh the edit triggers
    if (!editTask(delta < 0 ? tr("Move pattern up") : tr("Move pattern down"), [&](Task& task) {
             std::swap(task.patterns.at(static_cast<std::size_t>(index)),
                       task.patterns.at(static_cast<std::size_t>(target)));
         }).isEmpty())
        m_pattern = index;
    setCurrentPattern(m_pattern);
}

void TaskDesigner::renamePattern(QListWidgetItem* item)
{
    if (m_refreshing)
        return;
    const int index = m_patternList->row(item);
    const std::string name = item->text().trimmed().toStdString();
    if (index < 0 || name == m_doc->project().task.patterns.at(static_cast<std::size_t>(index)).name)
        return;
    if (name.empty()) {
        report(tr("a pattern needs a name"));
        refreshPatternList();
        return;
    }
    editTask(tr("Rename pattern"), [&](Task& task) { task.patterns.at(static_cast<std::size_t>(index)).name = name; });
}

} // namespace normad::ui
