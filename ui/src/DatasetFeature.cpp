#include "normad/ui/DatasetFeature.h"

#include "normad/ui/AccuracyCurvePlot.h"
#include "normad/ui/ConfusionMatrixPlot.h"
#include "normad/ui/DatasetPanel.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingController.h"

#include "normad/TextFormat.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace normad::ui {

namespace {

QString splitName(Split split)
{
    switch (split) {
    case Split::Train:
        return QObject::tr("training");
    case Split::Validation:
        return QObject::tr("validation");
    case Split::Test:
        return QObject::tr("test");
    }
    return {};
}

QString className(const std::vector<std::string>& names, int k)
{
    if (k == undecidedClass)
        return QObject::tr("undecided");
    return k >= 0 && k < static_cast<int>(names.size()) ? QString::fromStdString(names[static_cast<std::size_t>(k)])
                                                        : QObject::tr("class %1").arg(k);
}

QString percent(double fraction)
{
    return std::isnan(fraction) ? QStringLiteral("–") : QStringLiteral("%1 %").arg(100.0 * fraction, 0, 'f', 1);
}

/// A project's description of its source: format, files and what they hold.
QString describe(const LoadedDataset& data)
{
    const DatasetTaskSpec& spec = data.spec();
    const Dataset& d = data.dataset();
    QStringList files;
    for (const DataFileReference& f : spec.source.files)
        files << QFileInfo(QString::fromStdString(f.path)).fileName();
    for (const DataFileReference& f : spec.source.testFiles)
        files << QObject::tr("%1 (test)").arg(QFileInfo(QString::fromStdString(f.path)).fileName());
    const QString shape = d.isImage()
                              ? QObject::tr("%1 × %2 images").arg(d.imageWidth()).arg(d.imageHeight())
                              : QString::fromStdString(plural(static_cast<long long>(d.featureCount()), "feature"));
    long long samples = static_cast<long long>(d.sampleCount());
    if (const Dataset* test = data.testDataset())
        samples += static_cast<long long>(test->sampleCount());
    return QObject::tr("<b>%1</b>: %2<br>%3 · %4 · %5 · %6 coding → %7 inputs · decision: %8")
        .arg(QString::fromStdString(spec.source.format), files.join(QStringLiteral(", ")).toHtmlEscaped(),
             QString::fromStdString(plural(samples, "sample")),
             QString::fromStdString(plural(d.classCount(), "class", "classes")), shape)
        .arg(QString::fromStdString(toString(spec.encoding.kind)))
        .arg(data.inputCount())
        .arg(QString::fromStdString(toString(spec.decision)));
}

} // namespace

DatasetFeature::DatasetFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    QWidget* parent = shell.window();

    // The dataset dock: loading status above the panel.
    auto* datasetPage = new QWidget(parent);
    m_status = new QLabel(datasetPage);
    m_status->setWordWrap(true);
    // Percent of the load (LoadedDataset::load reports checked and read bytes).
    m_busy = new QProgressBar(datasetPage);
    m_busy->setRange(0, 100);
    m_busy->setFormat(tr("%p %"));
    m_busy->setMaximumWidth(160);
    m_cancel = new QPushButton(tr("Cancel"), datasetPage);
    m_reload = new QPushButton(tr("Load data"), datasetPage);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_busy);
    statusRow->addWidget(m_cancel);
    statusRow->addWidget(m_reload);
    m_panel = new DatasetPanel(datasetPage);
    auto* datasetLayout = new QVBoxLayout(datasetPage);
    datasetLayout->setContentsMargins(0, 0, 0, 0);
    datasetLayout->addLayout(statusRow);
    datasetLayout->addWidget(m_panel, 1);
    connect(m_cancel, &QPushButton::clicked, this, &DatasetFeature::cancelLoading);
    connect(m_reload, &QPushButton::clicked, this, &DatasetFeature::load);
    connect(m_panel, &DatasetPanel::failed, this, [this](const QString& m) { this->shell().showMessage(m, 15000); });

    // The confusion dock: the matrix above the samples of the clicked cell.
    auto* confusionPage = new QWidget(parent);
    m_confusion = new ConfusionMatrixPlot(confusionPage);
    m_evaluationStatus = new QLabel(confusionPage);
    m_evaluationStatus->setWordWrap(true);
    m_samples = new QListWidget(confusionPage);
    m_samples->setToolTip(tr("Double-click (or Enter) opens the sample in the live plots"));
    auto* evaluateButton = new QPushButton(tr("Evaluate on test split"), confusionPage);
    m_evaluationBusy = new QProgressBar(confusionPage);
    m_evaluationBusy->setRange(0, 100);
    m_evaluationBusy->setFormat(tr("%p %"));
    m_evaluationBusy->setMaximumWidth(160);
    m_evaluationBusy->setVisible(false);
    m_evaluationCancel = new QPushButton(tr("Cancel"), confusionPage);
    m_evaluationCancel->setVisible(false);
    connect(m_evaluationCancel, &QPushButton::clicked, this, &DatasetFeature::cancelEvaluation);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, &DatasetFeature::showProgress);
    auto* confusionSplit = new QSplitter(Qt::Vertical, confusionPage);
    confusionSplit->addWidget(m_confusion);
    confusionSplit->addWidget(m_samples);
    confusionSplit->setStretchFactor(0, 3);
    confusionSplit->setStretchFactor(1, 1);
    auto* confusionLayout = new QVBoxLayout(confusionPage);
    confusionLayout->setContentsMargins(0, 0, 0, 0);
    auto* evaluateRow = new QHBoxLayout;
    evaluateRow->addWidget(m_evaluationStatus, 1);
    evaluateRow->addWidget(m_evaluationBusy);
    evaluateRow->addWidget(m_evaluationCancel);
    evaluateRow->addWidget(evaluateButton);
    confusionLayout->addLayout(evaluateRow);
    confusionLayout->addWidget(confusionSplit, 1);
    connect(m_confusion, &ConfusionMatrixPlot::cellClicked, this, &DatasetFeature::listCell);
    connect(m_samples, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { openListedSample(m_samples->row(item)); });

    m_accuracy = new AccuracyCurvePlot(parent);

    addDock(Dock::Dataset, datasetPage, tr("Dataset"), Qt::RightDockWidgetArea, false);
    addDock(Dock::Accuracy, m_accuracy, tr("Accuracy"), Qt::LeftDockWidgetArea, false);
    addDock(Dock::Confusion, confusionPage, tr("Confusion matrix"), Qt::RightDockWidgetArea, false);

    m_evaluate = new QAction(tr("E&valuate on Test Split"), this);
    m_evaluate->setToolTip(
        tr("Forward pass of every test sample with the current weights: accuracy and confusion matrix"));
    connect(m_evaluate, &QAction::triggered, this, [this] { evaluate(Split::Test); });
    connect(evaluateButton, &QPushButton::clicked, m_evaluate, &QAction::trigger);
    connect(m_evaluate, &QAction::changed, evaluateButton,
            [this, evaluateButton] { evaluateButton->setEnabled(m_evaluate->isEnabled()); });
    addMenuAction(Menu::Training, m_evaluate, true);

    auto* exportConfusion = new QAction(tr("C&onfusion Matrix…"), this);
    connect(exportConfusion, &QAction::triggered, this,
            [this] { emit exportRequested(m_confusion->plot(), QStringLiteral("confusion"), m_confusion->csv()); });
    addMenuAction(Menu::Export, exportConfusion);
    auto* exportAccuracy = new QAction(tr("&Accuracy Curves…"), this);
    connect(exportAccuracy, &QAction::triggered, this,
            [this] { emit exportRequested(m_accuracy->plot(), QStringLiteral("accuracy"), QString()); });
    addMenuAction(Menu::Export, exportAccuracy);

    m_chooseFile = [parent](const QString& message, const QString& oldPath, bool folder) {
        const auto answer = QMessageBox::question(parent, tr("Data file moved or changed"),
                                                  tr("%1\n\nLocate the data to use?").arg(message),
                                                  QMessageBox::Open | QMessageBox::Cancel, QMessageBox::Open);
        if (answer != QMessageBox::Open)
            return QString();
        const QString start = QFileInfo(oldPath).absolutePath();
        return folder ? QFileDialog::getExistingDirectory(parent, tr("Locate the image folder"), start)
                      : QFileDialog::getOpenFileName(parent, tr("Locate %1").arg(QFileInfo(oldPath).fileName()), start);
    };

    ProjectDocument* document = shell.document();
    connect(document, &ProjectDocument::replaced, this, &DatasetFeature::documentReplaced);
    connect(document, &ProjectDocument::changed, this,
            [this](ProjectDocument::Changes changes) { documentChanged(static_cast<int>(changes)); });
    connect(document, &ProjectDocument::datasetChanged, this, &DatasetFeature::showLoaded);
    connect(shell.training(), &TrainingController::snapshotReady, this, [this] {
        // A task of patterns has no accuracy to draw: replotting its (hidden) curves at every
        // snapshot cost the GUI thread time taken from training.
        if (!this->shell().document()->project().dataset)
            return;
        const SnapshotPtr snapshot = this->shell().training()->latestSnapshot();
        if (snapshot && snapshot->history && snapshot->history.get() != m_shownHistory) {
            m_shownHistory = snapshot->history.get();
            showHistory(*snapshot->history);
        }
    });
    // After a session: the test split (or validation, without one) read off the trained weights.
    connect(shell.training(), &TrainingController::finished, this, [this] {
        const auto& data = this->shell().document()->loadedDataset();
        if (!data)
            return;
        const Split split = !data->patterns(Split::Test).empty()         ? Split::Test
                            : !data->patterns(Split::Validation).empty() ? Split::Validation
                                                                         : Split::Train;
        evaluate(split);
    });
    connect(&m_load, &BackgroundJobBase::failed, this, [this](const QString& message) {
        const QString text = tr("Cannot load the dataset: %1").arg(message);
        setStatus(text, false);
        this->shell().showMessage(text, 15000);
        emit loadFailed(text);
    });
    connect(&m_evaluation, &BackgroundJobBase::failed, this, [this](const QString& message) {
        m_evaluationStatus->setText(tr("Evaluation failed: %1").arg(message));
        this->shell().showMessage(m_evaluationStatus->text(), 15000);
        updateActions();
    });
    documentReplaced();
}

QString DatasetFeature::projectDirectory() const
{
    const QString path = shell().document()->filePath();
    return path.isEmpty() ? QDir::currentPath() : QFileInfo(path).absolutePath();
}

void DatasetFeature::placeDock(Dock which)
{
    QMainWindow* window = shell().window();
    QDockWidget* mine = shell().dock(which);
    if (which == Dock::Accuracy) {
        if (QDockWidget* curves = shell().dock(Dock::LearningCurves); curves && curves->isVisible())
            window->tabifyDockWidget(curves, mine);
    } else if (which == Dock::Confusion) {
        if (QDockWidget* data = shell().dock(Dock::Dataset); data && data->isVisible())
            window->tabifyDockWidget(data, mine);
    }
}

void DatasetFeature::documentReplaced()
{
    m_pendingSample.reset();
    m_load.cancel();
    m_evaluation.cancel();
    m_last.reset();
    m_samples->clear();
    m_confusion->setMatrix(ConfusionMatrix(0), {});
    m_evaluationStatus->clear();
    m_docksShown = false;
    m_shownHistory = nullptr;
    showHistory(shell().document()->project().history);
    if (shell().document()->project().dataset)
        load();
    else
        showLoaded();
}

void DatasetFeature::documentChanged(int changes)
{
    const Project& p = shell().document()->project();
    if (changes & ProjectDocument::HistoryChanged) {
        m_shownHistory = nullptr;
        showHistory(p.history);
    }
    if (changes == ProjectDocument::Everything)
        return; // reset(): documentReplaced() handles it
    const auto& data = shell().document()->loadedDataset();
    // The data depends on the task's dataset section and, through the encoding, on the time grid.
    const bool gridChanged =
        data && (data->simulation().dt != p.simulation.dt || data->simulation().duration != p.simulation.duration);
    if ((changes & ProjectDocument::TaskChanged) || gridChanged) {
        shell().document()->setLoadedDataset(nullptr);
        if (p.dataset)
            load();
        else
            showLoaded();
    }
}

void DatasetFeature::load()
{
    const Project& p = shell().document()->project();
    if (!p.dataset) {
        showLoaded();
        return;
    }
    shell().document()->setLoadedDataset(nullptr);
    setStatus(tr("Loading the dataset (%1)…").arg(QString::fromStdString(p.dataset->source.format)), true);
    // Cancel takes effect between files and steps of the load (LoadedDataset::load checks the flag).
    m_loadFraction = std::make_shared<std::atomic<double>>(0.0);
    m_busy->setValue(0);
    m_progressTimer->start();
    m_load.start(
        [spec = *p.dataset, simulation = p.simulation, directory = projectDirectory().toStdString(),
         fraction = m_loadFraction](const CancelFlag& cancel) {
            LoadOutcome outcome;
            DatasetLoadOptions options;
            options.progress = [fraction](double f) { fraction->store(f); };
            try {
                outcome.data = LoadedDataset::load(spec, directory, simulation, &cancel, options);
            } catch (const DataFileMismatch& mismatch) {
                outcome.mismatch = mismatch.check();
                outcome.field = mismatch.field();
                outcome.reference = mismatch.reference();
            }
            return outcome;
        },
        [this](LoadOutcome outcome) { loaded(std::move(outcome)); });
    updateActions();
}

void DatasetFeature::cancelLoading()
{
    if (!m_load.isRunning())
        return;
    m_load.cancel();
    setStatus(tr("Loading cancelled: the project cannot train until its data is loaded."), false);
    emit loadFailed(m_status->text());
}

void DatasetFeature::loaded(LoadOutcome outcome)
{
    if (outcome.mismatch) {
        locateFile(outcome);
        return;
    }
    shell().document()->setLoadedDataset(std::move(outcome.data));
    if (!m_docksShown) {
        m_docksShown = true;
        shell().showDock(Dock::Dataset);
        shell().showDock(Dock::Accuracy);
    }
}

void DatasetFeature::locateFile(const LoadOutcome& outcome)
{
    const DataFileCheck& check = *outcome.mismatch;
    const QString message = QString::fromStdString(check.message);
    setStatus(message, false);
    const bool folder = shell().document()->project().dataset->source.format == "image-folder";
    const QString chosen =
        m_chooseFile ? m_chooseFile(message, QString::fromStdString(check.resolvedPath), folder) : QString();
    if (chosen.isEmpty()) {
        const QString text =
            tr("%1 — the project cannot train until its data is found (Load data retries).").arg(message);
        setStatus(text, false);
        emit loadFailed(text);
        return;
    }
    // "task.dataset.source.files[1]" or "…testFiles[0]": which reference the chosen file replaces.
    static const QRegularExpression fieldPattern(QStringLiteral("\\.(files|testFiles)\\[(\\d+)\\]$"));
    const auto match = fieldPattern.match(QString::fromStdString(outcome.field));
    if (!match.hasMatch()) {
        const QString text = tr("Cannot tell which data file %1 names.").arg(QString::fromStdString(outcome.field));
        setStatus(text, false);
        emit loadFailed(text);
        return;
    }
    const bool test = match.captured(1) == QLatin1String("testFiles");
    const auto index = static_cast<std::size_t>(match.captured(2).toULongLong());
    DataFileReference reference;
    try {
        const std::string directory = projectDirectory().toStdString();
        reference = folder ? referenceDataFolder(chosen.toStdString(), directory)
                           : referenceDataFile(chosen.toStdString(), directory);
    } catch (const std::exception& e) {
        const QString text = QString::fromStdString(e.what());
        setStatus(text, false);
        emit loadFailed(text);
        return;
    }
    // One undoable edit; its TaskChanged loads the data again from the new reference.
    const QString error =
        shell().document()->edit(tr("Locate data file"), ProjectDocument::TaskChanged, [&](Project& p) {
            auto& files = test ? p.dataset->source.testFiles : p.dataset->source.files;
            if (index < files.size())
                files[index] = reference;
        });
    if (!error.isEmpty()) {
        setStatus(error, false);
        emit loadFailed(error);
    }
}

int DatasetFeature::setIndexOf(Split split) const
{
    for (std::size_t i = 0; i < m_shownSplits.size(); ++i)
        if (m_shownSplits[i] == split)
            return static_cast<int>(i);
    return -1;
}

void DatasetFeature::showLoaded()
{
    const Project& p = shell().document()->project();
    const auto& data = shell().document()->loadedDataset();
    m_shownSplits.clear();
    if (!data) {
        if (!p.dataset) {
            m_panel->clear();
            setStatus(QString(), false);
        } else if (!isLoading()) {
            m_panel->setSource(tr("The dataset is not loaded."), {});
        }
        updateActions();
        return;
    }
    std::vector<SampleSet> sets;
    for (Split split : {Split::Train, Split::Validation, Split::Test}) {
        const PatternSet& set = data->patterns(split);
        if (set.empty() || !set.encoded())
            continue;
        // Aliasing: the panel's pointer keeps the whole loaded dataset alive.
        sets.push_back({splitName(split), std::shared_ptr<const EncodedDataset>(data, set.encoded()), set.samples(),
                        data->simulation().duration});
        m_shownSplits.push_back(split);
    }
    m_panel->setSource(describe(*data), std::move(sets));
    if (const auto pending = std::exchange(m_pendingSample, std::nullopt))
        if (const int index = setIndexOf(pending->first); index >= 0)
            m_panel->showSample(index, pending->second);
    setStatus(tr("Loaded: training %1, validation %2, test %3 samples.")
                  .arg(data->patterns(Split::Train).size())
                  .arg(data->patterns(Split::Validation).size())
                  .arg(data->patterns(Split::Test).size()),
              false);
    updateActions();
}

void DatasetFeature::showHistory(const std::vector<EpochMetrics>& history)
{
    std::vector<int> epochs;
    std::vector<double> train, validation;
    for (const EpochMetrics& e : history) {
        epochs.push_back(e.epoch);
        train.push_back(e.trainAccuracy);
        validation.push_back(e.validationAccuracy);
    }
    m_accuracy->setCurves(epochs, train, validation);
}

void DatasetFeature::evaluate(Split split)
{
    const auto& data = shell().document()->loadedDataset();
    if (!data) {
        shell().showMessage(tr("No dataset is loaded to evaluate on."), 8000);
        return;
    }
    if (data->patterns(split).empty()) {
        m_evaluationStatus->setText(tr("The %1 split is empty: nothing to evaluate.").arg(splitName(split)));
        return;
    }
    Project project = shell().document()->project();
    project.ensureWeights();
    m_evaluationText =
        tr("Evaluating the %1 split (%2)")
            .arg(splitName(split))
            .arg(QString::fromStdString(plural(static_cast<long long>(data->patterns(split).size()), "sample")));
    m_evaluationStatus->setText(m_evaluationText + QStringLiteral("…"));
    m_evaluationFraction = std::make_shared<std::atomic<double>>(0.0);
    m_evaluationBusy->setValue(0);
    m_evaluationBusy->setVisible(true);
    m_evaluationCancel->setVisible(true);
    m_progressTimer->start();
    m_evaluation.start(
        [network = std::move(project.network), simulation = project.simulation, training = project.training, data,
         split, fraction = m_evaluationFraction](const CancelFlag& cancel) {
            return normad::evaluate(network, data->patterns(split), simulation, training, data->decision(),
                                    data->targets(), &cancel, [fraction](std::size_t done, std::size_t total) {
                                        fraction->store(static_cast<double>(done) / static_cast<double>(total));
                                    });
        },
        [this, split](ClassEvaluation evaluation) { showEvaluation(std::move(evaluation), split); });
    updateActions();
}

void DatasetFeature::cancelEvaluation()
{
    if (!m_evaluation.isRunning())
        return;
    m_evaluation.cancel();
    m_evaluationStatus->setText(tr("Evaluation cancelled."));
    shell().showMessage(m_evaluationStatus->text(), 5000);
    updateActions();
}

void DatasetFeature::showProgress()
{
    const bool loading = m_load.isRunning(), evaluating = m_evaluation.isRunning();
    const auto percent = [](const std::shared_ptr<std::atomic<double>>& f) {
        return f ? static_cast<int>(std::lround(100.0 * f->load())) : 0;
    };
    // The last fraction a job wrote stays on its bar (100 % once it is done).
    m_busy->setValue(percent(m_loadFraction));
    m_evaluationBusy->setValue(percent(m_evaluationFraction));
    if (evaluating) {
        // Also in the status bar: Training ▸ Evaluate runs while the confusion dock may be hidden.
        shell().showMessage(tr("%1: %2 %").arg(m_evaluationText).arg(percent(m_evaluationFraction)), 2000);
    }
    m_evaluationBusy->setVisible(evaluating);
    m_evaluationCancel->setVisible(evaluating);
    if (!loading && !evaluating)
        m_progressTimer->stop();
}

void DatasetFeature::showEvaluation(ClassEvaluation evaluation, Split split)
{
    const auto& data = shell().document()->loadedDataset();
    const std::vector<std::string> names = data ? data->classNames() : std::vector<std::string>{};
    const ConfusionMatrix& m = evaluation.confusion;
    const QString caption = tr("%1 split: %2 of %3 correct (accuracy %4)")
                                .arg(splitName(split))
                                .arg(m.correct())
                                .arg(m.total())
                                .arg(percent(evaluation.accuracy));
    m_confusion->setMatrix(m, names, caption);
    m_evaluationStatus->setText(tr("Click a cell to list its samples."));
    if (split == Split::Test)
        m_accuracy->setTestAccuracy(evaluation.accuracy);
    m_samples->clear();
    m_last = std::move(evaluation);
    m_lastSplit = split;
    shell().showDock(Dock::Confusion);
    shell().showMessage(caption, 10000);
    updateActions();
    emit evaluated();
}

void DatasetFeature::listCell(int trueClass, int predicted)
{
    m_samples->clear();
    if (!m_last)
        return;
    const auto& data = shell().document()->loadedDataset();
    const std::vector<std::string> names = data ? data->classNames() : std::vector<std::string>{};
    for (std::size_t i = 0; i < m_last->predictions.size(); ++i) {
        const SamplePrediction& s = m_last->predictions[i];
        if (s.trueClass != trueClass || s.predicted != predicted)
            continue;
        auto* item = new QListWidgetItem(
            tr("sample %1: %2 → %3").arg(s.sample).arg(className(names, s.trueClass), className(names, s.predicted)),
            m_samples);
        item->setData(Qt::UserRole, static_cast<qulonglong>(i)); // position in the evaluated set
    }
    m_evaluationStatus->setText(tr("%1 → %2: %3")
                                    .arg(className(names, trueClass), className(names, predicted),
                                         QString::fromStdString(plural(m_samples->count(), "sample"))));
}

void DatasetFeature::openListedSample(int row)
{
    const auto& data = shell().document()->loadedDataset();
    QListWidgetItem* item = m_samples->item(row);
    if (!data || !item || !m_last)
        return;
    const auto position = static_cast<std::size_t>(item->data(Qt::UserRole).toULongLong());
    const PatternSet& set = data->patterns(m_lastSplit);
    if (position >= set.size())
        return;
    shell().showPatternPass(set.pattern(position), item->text());
    if (const int index = setIndexOf(m_lastSplit); index >= 0)
        m_panel->showSample(index, static_cast<int>(position));
}

bool DatasetFeature::showSample(Split split, int position)
{
    if (isLoading()) { // shown when the data is there (a lesson sets the encoding, then shows a sample)
        m_pendingSample = std::pair{split, position};
        shell().showDock(Dock::Dataset);
        return true;
    }
    const int index = setIndexOf(split);
    if (index < 0)
        return false;
    shell().showDock(Dock::Dataset);
    m_panel->showSample(index, position);
    return true;
}

std::optional<std::pair<Split, int>> DatasetFeature::browsedSample() const
{
    const int set = m_panel->currentSet();
    if (set < 0 || set >= static_cast<int>(m_shownSplits.size()) || m_panel->currentPosition() < 0)
        return std::nullopt;
    return std::pair{m_shownSplits[static_cast<std::size_t>(set)], m_panel->currentPosition()};
}

QString DatasetFeature::openMisclassified()
{
    if (!m_last)
        return isEvaluating() ? tr("the evaluation is still running: wait for the confusion matrix")
                              : tr("nothing has been evaluated yet");
    const ConfusionMatrix& m = m_last->confusion;
    const int k = m.classCount();
    int bestTrue = -1, bestPredicted = 0;
    std::size_t best = 0;
    for (int t = 0; t < k; ++t)
        for (int p = 0; p <= k; ++p) {
            if (p == t)
                continue;
            const std::size_t n = p == k ? m.undecided(t) : m.count(t, p);
            if (n > best) {
                best = n;
                bestTrue = t;
                bestPredicted = p == k ? undecidedClass : p;
            }
        }
    if (bestTrue < 0)
        return tr("every evaluated sample was classified correctly");
    shell().showDock(Dock::Confusion);
    listCell(bestTrue, bestPredicted);
    m_samples->setCurrentRow(0);
    openListedSample(0);
    return {};
}

void DatasetFeature::setStatus(const QString& text, bool busy)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_busy->setVisible(busy);
    m_cancel->setVisible(busy);
    m_reload->setVisible(!busy && shell().document()->project().dataset && !shell().document()->loadedDataset());
}

void DatasetFeature::updateActions()
{
    showProgress();
    m_evaluate->setEnabled(shell().document()->loadedDataset() != nullptr && !m_evaluation.isRunning());
    m_reload->setVisible(!isLoading() && shell().document()->project().dataset && !shell().document()->loadedDataset());
}

} // namespace normad::ui
