#include "normad/ui/MainWindow.h"

#include "normad/ui/NetworkDesigner.h"
#include "normad/ui/RunHistory.h"
#include "normad/ui/TaskDesigner.h"

#include "normad/ui/LearningCurvePlot.h"
#include "normad/ui/MembranePlot.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RasterPlot.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/TrainingSettingsPanel.h"
#include "normad/ui/WeightPlot.h"

// The features (one class each; see addFeatures()).
#include "normad/ui/AutosaveFeature.h"
#include "normad/ui/DatasetFeature.h"
#include "normad/ui/ExportActions.h"
#include "normad/ui/ImageImportFeature.h"
#include "normad/ui/LessonRunner.h"
#include "normad/ui/LessonsFeature.h"
#include "normad/ui/RecentFilesFeature.h"
#include "normad/ui/ReportFeature.h"
#include "normad/ui/RuleInspectorFeature.h"
#include "normad/ui/RunsFeature.h"
#include "normad/ui/RunsPanel.h"
#include "normad/ui/UndoHistoryFeature.h"

#include "normad/Examples.h"
#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"
#include "normad/TrainingParams.h"
#include "normad/Version.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScreen>
#include <QSettings>

#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace normad::ui {

namespace {
constexpr int plotRefreshMs = 40;  // ~25 frames/s at most: coalesces the worker's ≤30 snapshots/s
constexpr int plotCostFactor = 20; // a refresh costing c ms waits ≥ 20·c ms: ≤ 5 % of the GUI thread

/// A dataset task trains once its data has loaded (ProjectDocument::loadedDataset).
bool trainable(const ProjectDocument& document)
{
    const Project& p = document.project();
    return p.network.layerCount() > 0 && (p.dataset ? document.loadedDataset() != nullptr : !p.task.patterns.empty());
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    m_document = new ProjectDocument(this);
    m_training = new TrainingController(m_document, this);

    m_designers = new QTabWidget(this);
    m_designers->setDocumentMode(true);
    QWidget* live = createLivePage();
    m_tabPages[Tab::Live] = m_tabContents[Tab::Live] = live;
    m_designers->addTab(live, tr("Live training"));
    m_networkDesigner = new NetworkDesigner(m_document, this);
    m_taskDesigner = new TaskDesigner(m_document, this);
    addTab(Tab::Network, m_networkDesigner, tr("Network"));
    addTab(Tab::Task, m_taskDesigner, tr("Task"));
    setCentralWidget(m_designers);

    m_plotTimer = new QTimer(this);
    m_plotTimer->setSingleShot(true);
    m_plotTimer->setInterval(plotRefreshMs);
    connect(m_plotTimer, &QTimer::timeout, this, &MainWindow::refreshPlots);

    createActions();
    createDocks();
    createStatusBar();
    addFeatures();
    finishMenus();

    connect(m_document, &ProjectDocument::changed, this,
            [this](ProjectDocument::Changes changes) { documentChanged(static_cast<int>(changes)); });
    connect(m_document, &ProjectDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ProjectDocument::datasetChanged, this, [this] { documentChanged(0); });
    connect(&m_passJob, &BackgroundJobBase::failed, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    connect(m_document, &ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_training, &TrainingController::snapshotReady, this, [this] {
        if (!m_plotTimer->isActive())
            m_plotTimer->start();
    });
    connect(m_training, &TrainingController::stateChanged, this, [this](TrainingSnapshot::State state) {
        if (state == TrainingSnapshot::State::Running)
            m_endOfRun.clear(); // a new session: its epochs are what counts now
        // A session that ends or pauses is drawn at once, not after the refresh budget's wait (up to
        // 250 ms): a run shorter than that would otherwise show hardly a frame of itself.
        if (state == TrainingSnapshot::State::Finished || state == TrainingSnapshot::State::Paused) {
            m_plotTimer->stop();
            refreshPlots();
        }
        updateActions();
        updateTitle(); // a session marks the project modified (hasUnsavedWork)
    });
    connect(m_training, &TrainingController::finished, this, &MainWindow::trainingFinished);
    connect(m_training, &TrainingController::failed, this, [this](const QString& message) {
        statusBar()->showMessage(message, 15000);
        updateActions();
    });

    resize(1280, 800);
    documentChanged(ProjectDocument::Everything);
}

MainWindow::~MainWindow()
{
    // Stop the worker before the plots and the document it reports to go away.
    m_training->shutdown();
}

template <class F, class... Args> F* MainWindow::add(Args&&... args)
{
    auto* feature = new F(*this, std::forward<Args>(args)...);
    m_features.append(feature);
    return feature;
}

void MainWindow::addFeatures()
{
    // The order is the order of the features' entries in the shared menus (File, View, Help).
    add<RecentFilesFeature>();
    auto* exports = add<ExportActions>();
    add<AutosaveFeature>();
    add<UndoHistoryFeature>();
    auto* lessons = add<LessonsFeature>();
    auto* inspector = add<RuleInspectorFeature>();
    auto* runs = add<RunsFeature>();
    add<ImageImportFeature>();
    add<ReportFeature>();
    auto* datasets = add<DatasetFeature>();

    // Where one feature's request is another's job.
    connect(lessons->runner(), &LessonRunner::inspectRequested, inspector, &RuleInspectorFeature::inspect);
    connect(runs->panel(), &RunsPanel::exportRequested, exports, &ExportActions::chooseAndExportPlot);
    connect(static_cast<NetworkDesigner*>(m_networkDesigner), &NetworkDesigner::historyEnded, runs->history(),
            &RunHistory::keepPastHistory);
    connect(datasets, &DatasetFeature::exportRequested, exports, &ExportActions::chooseAndExportPlotWithCsv);
    exports->setBrowsedSample([datasets] { return datasets->browsedSample(); });
    connect(datasets, &DatasetFeature::evaluated, this, [this, datasets] {
        if (m_training->isActive() || !datasets->lastEvaluation())
            return;
        showEndOfRun(tr("%1 accuracy %2 % (evaluation with the current weights)")
                         .arg(QString::fromStdString(toString(datasets->lastEvaluatedSplit())))
                         .arg(100.0 * datasets->lastEvaluation()->accuracy, 0, 'f', 1));
    });
    lessons->runner()->datasetAction = [datasets](const QString& action, const QJsonObject& args) -> QString {
        const QString name = args.value(QStringLiteral("split")).toString();
        const Split split = name.isEmpty() ? Split::Test : splitFromString(name.toStdString());
        if (action == QLatin1String("showSample"))
            return datasets->showSample(split, args.value(QStringLiteral("position")).toInt())
                       ? QString()
                       : tr("the %1 split is empty").arg(name);
        if (action == QLatin1String("evaluate")) {
            datasets->evaluate(split);
            return {};
        }
        return datasets->openMisclassified();
    };
}

void MainWindow::addTab(Tab which, QWidget* content, const QString& title)
{
    // A designer wider than the space the docks leave scrolls instead of widening the window
    // beyond the screen (the network designer needs ~1200 px side by side).
    auto* scroll = new QScrollArea(m_designers);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_designers->addTab(scroll, title);
    m_tabPages[which] = scroll;
    m_tabContents[which] = content;
}

QWidget* MainWindow::tab(Tab which) const
{
    const auto it = m_tabContents.find(which);
    return it == m_tabContents.end() ? nullptr : it->second;
}

void MainWindow::showTab(Tab which)
{
    if (const auto it = m_tabPages.find(which); it != m_tabPages.end())
        m_designers->setCurrentWidget(it->second);
}

Tab MainWindow::currentTab() const
{
    for (const auto& [which, page] : m_tabPages)
        if (page == m_designers->currentWidget())
            return which;
    return Tab::Live;
}

QMenu* MainWindow::menu(Menu which)
{
    if (const auto it = m_menus.find(which); it != m_menus.end())
        return it->second;
    // Only the File submenus are made on demand: where the first feature that fills them asks.
    QMenu* made = nullptr;
    if (which == Menu::Export)
        made = menu(Menu::File)->addMenu(tr("&Export"));
    else if (which == Menu::Import)
        made = menu(Menu::File)->addMenu(tr("&Import"));
    Q_ASSERT_X(made, "MainWindow::menu", toString(which));
    m_menus[which] = made;
    return made;
}

QDockWidget* MainWindow::addDock(Dock which, QWidget* content, const QString& title, Qt::DockWidgetArea area,
                                 bool visible, WorkbenchFeature* owner)
{
    Q_ASSERT_X(!m_docks.count(which), "MainWindow::addDock", toString(which));
    auto* d = new QDockWidget(title, this);
    d->setObjectName(QLatin1String(toString(which)) + QStringLiteral("Dock")); // for saveState()/restoreState()
    d->setWidget(content);
    addDockWidget(area, d);
    if (!visible)
        d->hide();
    menu(Menu::View)->addAction(d->toggleViewAction());
    m_docks[which] = d;
    if (owner) {
        m_dockOwners[which] = owner;
        // Shown from a menu, a dock goes where showDock() puts it (the inspector beside the live
        // plot docks while the lessons are open), not back below the live view, squeezing it.
        connect(d->toggleViewAction(), &QAction::triggered, this, [this, which](bool checked) {
            if (checked)
                showDock(which);
        });
    }
    return d;
}

QDockWidget* MainWindow::dock(Dock which) const
{
    const auto it = m_docks.find(which);
    return it == m_docks.end() ? nullptr : it->second;
}

bool MainWindow::showDock(Dock which)
{
    QDockWidget* d = dock(which);
    if (!d)
        return false;
    if (const auto owner = m_dockOwners.find(which); owner != m_dockOwners.end())
        owner->second->placeDock(which); // before it shows: shown first where it was, the window could grow
    d->show();
    d->raise();
    return true;
}

QCustomPlot* MainWindow::plot(Plot which) const
{
    switch (which) {
    case Plot::Membrane:
        return m_membrane->plot();
    case Plot::Raster:
        return m_raster->plot();
    case Plot::LearningCurves:
        return m_curves->plot();
    case Plot::Weights:
        return m_weights->plot();
    }
    return nullptr;
}

QString MainWindow::plotCsv(Plot which) const
{
    // The membrane plot draws its traces decimated to pixel columns; its export has every sample.
    return which == Plot::Membrane ? plotDataCsv(m_membrane->plot(), m_membrane->fullTraces())
                                   : plotDataCsv(plot(which));
}

void MainWindow::showMessage(const QString& text, int timeoutMs)
{
    statusBar()->showMessage(text, timeoutMs);
}

namespace {
/// The platform's bindings of `key` followed by each of `extra` that the platform does not bind.
QList<QKeySequence> withStandardKeys(QKeySequence::StandardKey key, const QList<QKeySequence>& extra)
{
    QList<QKeySequence> keys = QKeySequence::keyBindings(key);
    for (const QKeySequence& k : extra)
        if (!keys.contains(k))
            keys.append(k);
    return keys;
}
} // namespace

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_menus[Menu::File] = file;
    file->addAction(tr("&New"), QKeySequence::New, this, &MainWindow::newProject);
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::chooseProject);
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save);
    // The standard keys plus the ones people type on every desktop: Qt's generic X11 key theme has no
    // Save As binding and only Ctrl+Shift+Z for Redo, so Ctrl+Shift+S and Ctrl+Y did nothing there.
    m_saveAs = file->addAction(tr("Save &As…"), this, &MainWindow::saveAs);
    m_saveAs->setShortcuts(withStandardKeys(QKeySequence::SaveAs, {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)}));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    m_menus[Menu::Edit] = edit;
    QAction* undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts(withStandardKeys(
        QKeySequence::Redo, {QKeySequence(Qt::CTRL | Qt::Key_Y), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)}));
    m_redo = redo;
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* examples = menuBar()->addMenu(tr("E&xamples"));
    m_menus[Menu::Examples] = examples;
    for (const Example& e : normad::examples()) {
        const QString name = QString::fromStdString(e.name);
        // The layer sizes come from the example's network, never from a literal.
        const QString sizes = QString::fromStdString(e.layerSizes());
        QAction* action = examples->addAction(tr("%1 (%2)").arg(QString::fromStdString(e.title), sizes), this,
                                              [this, name] { openExample(name); });
        action->setStatusTip(QString::fromStdString(e.summary()));
        action->setData(name);
    }

    QMenu* run = menuBar()->addMenu(tr("&Training"));
    m_menus[Menu::Training] = run;
    QToolBar* bar = addToolBar(tr("Run control"));
    bar->setObjectName(QStringLiteral("runControlToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto action = [&](const QString& text, QStyle::StandardPixmap icon, const QKeySequence& key, auto slot) {
        QAction* a = run->addAction(style()->standardIcon(icon), text);
        a->setShortcut(key);
        a->setToolTip(key.isEmpty() ? text : tr("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
        connect(a, &QAction::triggered, this, slot);
        bar->addAction(a);
        return a;
    };
    m_start =
        action(tr("Start"), QStyle::SP_MediaPlay, QKeySequence(Qt::CTRL | Qt::Key_R), [this] { m_training->start(); });
    m_pause = action(tr("Pause"), QStyle::SP_MediaPause, QKeySequence(), [this] { m_training->togglePause(); });
    // Space starts, pauses and resumes from anywhere in the window (README). It is a window action of
    // its own, enabled whenever the project can train: a disabled Pause (idle) would hand the key to the
    // focused widget, and a focused combo box or button would open or click instead. Text fields still
    // take Space: they claim it before any shortcut (ShortcutOverride).
    m_startPauseKey = new QAction(tr("Start, pause or resume"), this);
    m_startPauseKey->setShortcut(QKeySequence(Qt::Key_Space));
    m_startPauseKey->setShortcutContext(Qt::WindowShortcut);
    connect(m_startPauseKey, &QAction::triggered, this, [this] { m_training->togglePause(); });
    addAction(m_startPauseKey);
    m_pause->setToolTip(tr("Pause or resume (Space)"));
    m_stepPattern = action(tr("Step pattern"), QStyle::SP_MediaSeekForward, QKeySequence(Qt::Key_F10),
                           [this] { m_training->stepPattern(); });
    m_stepEpoch = action(tr("Step epoch"), QStyle::SP_MediaSkipForward, QKeySequence(Qt::Key_F11),
                         [this] { m_training->stepEpoch(); });
    m_stop =
        action(tr("Stop"), QStyle::SP_MediaStop, QKeySequence(Qt::SHIFT | Qt::Key_F5), [this] { m_training->stop(); });
    m_evaluate = action(tr("Evaluate"), QStyle::SP_FileDialogContentsView, QKeySequence(Qt::Key_F9),
                        [this] { evaluateChosenPattern(); });
    m_evaluate->setStatusTip(tr("A forward pass of the pattern chosen under 'Plots follow' with the current weights, "
                                "shown in the live plots; nothing is learned"));
    run->addSeparator();
    bar->addSeparator();
    m_resetWeights = action(tr("Reset weights"), QStyle::SP_BrowserReload, QKeySequence(),
                            [this] { m_training->resetWeights(m_document->project().seed); });
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Plots follow: "), bar));
    m_patternChooser = new QComboBox(bar);
    m_patternChooser->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_patternChooser->setToolTip(tr("Pattern whose latest presentation the membrane and raster plots show; for a "
                                    "dataset task every sample as presented, the latest of one class, or one sample"));
    bar->addWidget(m_patternChooser);
    connect(m_patternChooser, &QComboBox::currentIndexChanged, this, [this] {
        followChosenPattern();
        if (!m_training->isActive()) // no session to follow: show the chosen pattern's pass now
            evaluateChosenPattern();
    });
    // Pace: full speed solves XOR in under a second; a class needs to see it happen.
    bar->addWidget(new QLabel(tr(" Pace: "), bar));
    m_pace = new QComboBox(bar);
    m_pace->addItem(tr("full speed"), 0.0);
    for (const double eps : {50.0, 20.0, 10.0, 5.0, 2.0, 1.0})
        m_pace->addItem(tr("%1 epochs/s").arg(eps), eps);
    m_pace->setToolTip(tr("At most this many epochs per second, so learning can be watched (lessons start at 10)"));
    bar->addWidget(m_pace);
    connect(m_pace, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_training->setPace(m_pace->itemData(index).toDouble()); });
    connect(m_training, &TrainingController::paceChanged, this, [this](double eps) {
        const int index = m_pace->findData(eps);
        if (index >= 0) {
            m_pace->setCurrentIndex(index);
        } else { // a pace set elsewhere (a lesson) that the list lacks
            m_pace->addItem(tr("%1 epochs/s").arg(eps), eps);
            m_pace->setCurrentIndex(m_pace->count() - 1);
        }
    });

    m_menus[Menu::View] = menuBar()->addMenu(tr("&View"));
    m_menus[Menu::View]->addAction(bar->toggleViewAction());
    m_menus[Menu::Help] = menuBar()->addMenu(tr("&Help"));
}

void MainWindow::finishMenus()
{
    QMenu* file = menu(Menu::File);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu* help = menu(Menu::Help);
    help->addSeparator();
    help->addAction(tr("&About NormAD Workbench"), this, &MainWindow::showAbout);
}

QWidget* MainWindow::createLivePage()
{
    auto* page = new QWidget(this);
    m_summary = new QLabel(page);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setContentsMargins(8, 4, 8, 2);
    m_membrane = new MembranePlot(page);
    m_raster = new RasterPlot(page);
    auto* split = new QSplitter(Qt::Vertical, page);
    split->setObjectName(QStringLiteral("liveSplitter"));
    split->setChildrenCollapsible(false);
    split->addWidget(m_membrane);
    split->addWidget(m_raster);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    // The live view shown again gets the latest picture at once.
    connect(m_designers, &QTabWidget::currentChanged, this, [this, page](int) {
        if (m_plotTimer && m_designers->currentWidget() == page && !m_plotTimer->isActive())
            m_plotTimer->start();
    });
    return page;
}

void MainWindow::createDocks()
{
    setDockNestingEnabled(true);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    m_settings = new TrainingSettingsPanel(m_document, this);
    m_training->setThreads(m_settings->threads()->value());
    connect(m_settings, &TrainingSettingsPanel::threadsChanged, m_training, &TrainingController::setThreads);
    m_curves = new LearningCurvePlot(this);
    m_weights = new WeightPlot(this);
    const auto left = Qt::LeftDockWidgetArea;
    // The settings scroll as a whole when the dock is short (a rule has up to seven settings): the
    // window's minimum height stays within a 1280×800 screen, and no inner box shows two rows at a time.
    auto* settingsScroll = new QScrollArea(this);
    settingsScroll->setWidget(m_settings);
    settingsScroll->setWidgetResizable(true);
    settingsScroll->setFrameShape(QFrame::NoFrame);
    settingsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QDockWidget* settings = addDock(Dock::RunSettings, settingsScroll, tr("Run settings"), left, true, nullptr);
    QDockWidget* curves = addDock(Dock::LearningCurves, m_curves, tr("Learning curves"), left, true, nullptr);
    QDockWidget* weights = addDock(Dock::Weights, m_weights, tr("Weights"), left, true, nullptr);
    splitDockWidget(settings, curves, Qt::Vertical);
    splitDockWidget(curves, weights, Qt::Vertical);
    // A dock shown again gets the latest picture at once.
    for (QDockWidget* d : {settings, curves, weights})
        connect(d, &QDockWidget::visibilityChanged, this, [this](bool visible) {
            if (visible && !m_plotTimer->isActive())
                m_plotTimer->start();
        });

    connect(m_membrane, &MembranePlot::probesChanged, m_training, &TrainingController::setProbes);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_arranged) {
        m_arranged = true;
        arrangeDocks();
    }
}

namespace {
const QString geometryKey = QStringLiteral("window/geometry");
const QString stateKey = QStringLiteral("window/state");
constexpr int layoutVersion = 1; // raise when the docks change: an old layout is then not restored
} // namespace

void MainWindow::restoreLayout()
{
    m_remembersLayout = true;
    const QSettings settings;
    if (restoreGeometry(settings.value(geometryKey).toByteArray())) {
        // The user's own dock layout replaces the default arrangement made at the first show.
        m_arranged = restoreState(settings.value(stateKey).toByteArray(), layoutVersion);
        return;
    }
    // First start: a larger screen is used whole. Sized here as well as maximised, so the docks are
    // arranged for the final width (and a desktop without a window manager gets the size too).
    const QScreen* screen = this->screen();
    const QRect available = screen ? screen->availableGeometry() : QRect();
    if (available.width() > 1280 && available.height() > 800) {
        setGeometry(available);
        setWindowState(windowState() | Qt::WindowMaximized);
    }
}

void MainWindow::arrangeDocks()
{
    const int w = width(), h = height();
    // Below ~1600 px the left column cannot hold three readable plots: weights (the least
    // watched) go behind the learning curves as a tab.
    const bool roomy = w >= 1600 && h >= 950;
    QDockWidget* settings = dock(Dock::RunSettings);
    QDockWidget* curves = dock(Dock::LearningCurves);
    QDockWidget* weights = dock(Dock::Weights);
    if (!roomy) {
        tabifyDockWidget(curves, weights);
        curves->raise();
    }
    const int column = std::clamp(w * 3 / 10, 340, 560);
    resizeDocks({settings}, {column}, Qt::Horizontal);
    // The settings' rule description wraps: ask its layout how tall it is at the column's width. The
    // learning curves keep room for two readable plots (≥ 300 px together, with their dock's title, check
    // boxes and tab bar); the settings scroll beyond what is left.
    int titleBar = settings->sizeHint().height() - settings->widget()->sizeHint().height();
    if (!tabifiedDockWidgets(settings).isEmpty())
        titleBar += 34; // the tab bar below tabbed docks
    const int wanted =
        titleBar + std::max(m_settings->sizeHint().height(), m_settings->layout()->totalHeightForWidth(column - 24)) +
        16;
    // resizeDocks shares out the column in proportion to the sizes asked for when they do not fit it
    // exactly, so the curves ask for what the settings leave (the column: the docks' present heights).
    const int placed = settings->height() + curves->height() + (roomy ? weights->height() : 0);
    const int available = placed > 100 ? placed : h;
    constexpr int curvesNeed = 400;
    const int settingsHeight = std::max(std::min(wanted, available - curvesNeed - (roomy ? curvesNeed : 0)), 200);
    if (roomy)
        resizeDocks({settings, curves, weights},
                    {settingsHeight, (available - settingsHeight) * 55 / 100, (available - settingsHeight) * 45 / 100},
                    Qt::Vertical);
    else
        resizeDocks({settings, curves}, {settingsHeight, std::max(1, available - settingsHeight)}, Qt::Vertical);
}

void MainWindow::createStatusBar()
{
    m_epochLabel = new QLabel(this);
    m_patternLabel = new QLabel(this);
    m_correlationLabel = new QLabel(this);
    m_correlationLabel->setToolTip(
        tr("C: correlation of actual and desired output trains (1 = identical).\n"
           "online: measured on each pattern's forward pass during the epoch, before its own update;\n"
           "end-of-epoch evaluation: every pattern again with the epoch-end weights (when the run makes one);\n"
           "end-of-run evaluation: every pattern with the final weights, shown after training ends.\n"
           "Dataset tasks show accuracy the same way (online training passes, validation, test)."));
    m_speedLabel = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(180);
    m_progress->setFormat(tr("%v / %m epochs"));
    m_progress->setVisible(false);
    // A paused session looks like a finished one in the plots: say so where the eye goes.
    m_pausedLabel = new QLabel(tr("<b>⏸ Paused</b> (Space resumes)"), this);
    m_pausedLabel->setVisible(false);
    statusBar()->addPermanentWidget(m_pausedLabel);
    for (QLabel* l : {m_epochLabel, m_patternLabel, m_correlationLabel, m_speedLabel})
        statusBar()->addPermanentWidget(l);
    statusBar()->addPermanentWidget(m_progress);
}

bool MainWindow::openProject(const QString& path)
{
    try {
        Project project = loadProject(path.toStdString());
        m_training->stopAndWait();
        m_untitledName.clear();
        m_document->reset(std::move(project), QFileInfo(path).absoluteFilePath()); // the recent files hear of it
        statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
        if (!m_document->project().history.empty())
            evaluateChosenPattern(); // a trained project opens showing what it learned, not empty plots
        return true;
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot open project"), QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::setProject(Project project, const QString& displayName)
{
    m_training->stopAndWait();
    m_untitledName = displayName;
    m_document->reset(std::move(project));
}

bool MainWindow::openExample(const QString& name)
{
    if (!maybeSave())
        return false;
    // The menu's examples only: a dataset example's project refers to data files beside it, which an
    // untitled project has nowhere to keep (the CLI's `normad example iris` writes them).
    const auto& menu = examples();
    const auto example =
        std::find_if(menu.begin(), menu.end(), [&](const Example& e) { return e.name == name.toStdString(); });
    if (example == menu.end())
        return false;
    setProject(example->make(1), QString::fromStdString(example->title));
    return true;
}

void MainWindow::newProject()
{
    if (!maybeSave())
        return;
    // A trainable starting point the designers then reshape: one LIF neuron, 100 Poisson inputs.
    Project p = generators::singleNeuron(1);
    p.name = tr("Untitled").toStdString();
    setProject(std::move(p), tr("Untitled"));
}

void MainWindow::chooseProject()
{
    if (!maybeSave())
        return;
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Project"), QFileInfo(m_document->filePath()).path(),
                                     tr("NormAD projects (*.json);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    return saveTo(m_document->filePath());
}

bool MainWindow::saveAs()
{
    QString suggestion = m_document->filePath();
    if (suggestion.isEmpty())
        suggestion = (m_untitledName.isEmpty() ? tr("project") : m_untitledName) + QStringLiteral(".json");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save Project As"), suggestion, tr("NormAD projects (*.json)"));
    return !path.isEmpty() && saveTo(path);
}

bool MainWindow::saveTo(const QString& path)
{
    // A running session's weights reach the document when it stops; saving keeps training going
    // and writes the document as it stands.
    try {
        saveProject(m_document->project(), path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot save project"), QString::fromStdString(e.what()));
        return false;
    }
    m_untitledName.clear();
    m_document->markSaved(QFileInfo(path).absoluteFilePath()); // the recent files hear of it
    statusBar()->showMessage(m_training->isActive()
                                 ? tr("Saved %1 (the running session is saved when it stops)").arg(path)
                                 : tr("Saved %1").arg(path),
                             5000);
    updateTitle();
    return true;
}

bool MainWindow::hasUnsavedWork() const
{
    // A running or paused session changes the project: its epochs and weights reach the document
    // when it stops, so until then the document alone would say "saved" while work would be lost.
    return m_document->isModified() || m_training->isActive();
}

QString MainWindow::projectName() const
{
    return m_document->filePath().isEmpty() && !m_untitledName.isEmpty() ? m_untitledName : m_document->displayName();
}

bool MainWindow::maybeSave()
{
    if (!hasUnsavedWork() || !m_confirmUnsaved)
        return true;
    const QString question = m_training->isActive()
                                 ? tr("%1 is training: its epochs and trained weights are not saved yet. Save them?")
                                 : tr("%1 has unsaved changes. Save them?");
    const auto answer = QMessageBox::warning(this, tr("Unsaved changes"), question.arg(projectName()),
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save) {
        m_training->stopAndWait(); // the session's weights go into the document first
        return save();
    }
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // The session's weights go into the document first, so the question below covers them.
    m_training->stopAndWait();
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_training->shutdown();
    if (m_remembersLayout) {
        QSettings settings;
        settings.setValue(geometryKey, saveGeometry());
        settings.setValue(stateKey, saveState(layoutVersion));
    }
    event->accept();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About NormAD Workbench"),
                       tr("<h3>NormAD Workbench %1</h3><p>Supervised learning of precise spike times in "
                          "feed-forward networks of leaky integrate-and-fire neurons with NormAD "
                          "(Anwani &amp; Rajendran, IJCNN 2015; Neurocomputing 2020).</p>")
                           .arg(QString::fromLatin1(versionString())));
}

void MainWindow::updateTitle()
{
    if (!trainable(*m_document) && m_document->filePath().isEmpty() && m_untitledName.isEmpty()) {
        setWindowTitle(tr("NormAD Workbench"));
        setWindowModified(false);
        return;
    }
    setWindowTitle(tr("%1[*] — NormAD Workbench").arg(projectName()));
    setWindowModified(hasUnsavedWork());
}

void MainWindow::updateActions()
{
    using State = TrainingController::State;
    const bool canTrain = trainable(*m_document);
    const State state = m_training->state();
    const bool active = m_training->isActive();
    // Start begins a session; a paused one is continued by Resume only (one button per meaning).
    m_start->setEnabled(canTrain && !active);
    m_pause->setEnabled(canTrain && active);
    m_startPauseKey->setEnabled(canTrain);
    const bool paused = state == State::Paused; // idle shows a disabled Pause, not a Resume of nothing
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_pausedLabel->setVisible(paused);
    m_stepPattern->setEnabled(canTrain);
    m_stepEpoch->setEnabled(canTrain);
    m_stop->setEnabled(active);
    m_evaluate->setEnabled(canTrain && !active);
    m_resetWeights->setEnabled(canTrain);
    m_progress->setVisible(active);
    // A session's weights are committed to the document when it stops; editing the network or the
    // task under a running or paused session would discard them, so the designers wait.
    for (QWidget* designer : {static_cast<QWidget*>(m_networkDesigner), static_cast<QWidget*>(m_taskDesigner)}) {
        designer->setEnabled(!active);
        designer->setToolTip(active ? tr("Stop training to edit the network or the task") : QString());
    }
}

void MainWindow::documentChanged(int changes)
{
    const Project& p = m_document->project();
    updateTitle();
    if (changes & (ProjectDocument::NetworkChanged | ProjectDocument::TaskChanged | ProjectDocument::TrainingChanged)) {
        m_membrane->setProject(p);
        m_raster->setProject(p);
        m_weights->setProject(p);
        m_training->setProbes(m_membrane->probes());
        fillPatternChooser();
    } else if (changes == 0) { // the dataset was loaded or dropped: its samples are the choices
        fillPatternChooser();
    } else if (changes & ProjectDocument::WeightsChanged) {
        m_weights->showNetwork(p.network);
    }
    if (changes & (ProjectDocument::NetworkChanged | ProjectDocument::TaskChanged))
        m_shownPattern = -1; // another network or task: the last pattern named no longer applies
    // Another network, task or weights (reset, undo): the end-of-run evaluation no longer applies.
    // A session's own commit (weights and history) comes just before its end is shown.
    if ((changes &
         (ProjectDocument::NetworkChanged | ProjectDocument::TaskChanged | ProjectDocument::WeightsChanged)) &&
        !m_endOfRun.isEmpty()) {
        m_endOfRun.clear();
        m_correlationLabel->setText(tr("C –"));
    }
    if (p.dataset && !m_document->loadedDataset()) {
        m_summary->setText(tr("<b>%1</b> · its dataset is not loaded yet (View ▸ Dataset)")
                               .arg(QString::fromStdString(p.name).toHtmlEscaped()));
        m_summary->setToolTip(QString::fromStdString(p.description));
    } else if (!trainable(*m_document)) {
        m_summary->setText(tr("Create a project with <b>File ▸ New</b>, open one with <b>File ▸ Open…</b> "
                              "or try <b>Examples ▸ Spike-based XOR</b>."));
        m_summary->setToolTip(QString());
    } else {
        // One compact line above the plots; the description is the tooltip.
        QStringList sizes{QString::number(p.network.inputCount())};
        for (int l : p.network.layerNumbers())
            sizes << QString::number(p.network.populationSize(l));
        const QString hint = p.history.empty()
                                 ? tr(" · press <b>Start</b> (Space or Ctrl+R) to train, Space again pauses")
                                 : tr(" · %n epoch(s) trained", nullptr, static_cast<int>(p.history.size()));
        // A dataset task presents its training split: the samples an epoch goes over.
        const std::size_t presented = m_document->loadedDataset()
                                          ? m_document->loadedDataset()->patterns(Split::Train).size()
                                          : p.task.patterns.size();
        const QString what =
            p.dataset ? tr("%1 training sample(s)").arg(presented) : tr("%1 pattern(s)").arg(presented);
        m_summary->setText(
            tr("<b>%1</b> · network %2 · %3 of %4 ms · dt = %5 ms%6")
                .arg(QString::fromStdString(p.name).toHtmlEscaped(), sizes.join(QStringLiteral(" → ")), what)
                .arg(p.simulation.duration * 1e3)
                .arg(p.simulation.dt * 1e3)
                .arg(hint));
        m_summary->setToolTip(QString::fromStdString(p.description));
    }
    m_progress->setRange(0, std::max(1, p.training.maxEpochs));
    updateActions();
}

void MainWindow::refreshPlots()
{
    const SnapshotPtr snapshot = m_training->latestSnapshot();
    if (!snapshot)
        return;
    ++m_refreshes;
    QElapsedTimer own;
    own.start();
    const bool running = snapshot->state == TrainingSnapshot::State::Running;
    // Every millisecond the GUI thread paints is taken from training on a busy machine (two cores
    // shared with the trainer's threads). Keep the refreshes to about a twentieth of the time: the
    // interval follows the last frame's cost, its replots and the data handed to the plots.
    double cost = m_lastRefreshMs;
    for (QCustomPlot* plot : {m_membrane->plot(), m_raster->plot(), m_curves->plot(), m_weights->plot()})
        if (plot->isVisible())
            cost += plot->replotTime(false);
    m_plotTimer->setInterval(std::clamp(static_cast<int>(plotCostFactor * cost), plotRefreshMs, 250));

    // Hidden plots cost nothing (they are redrawn when shown again); the live view is redrawn
    // only for a new pass, and the learning curves at most 4×/s while running.
    const bool liveVisible = m_membrane->isVisible() || m_raster->isVisible();
    if (liveVisible && (snapshot->view != m_drawnView || !m_liveWasVisible)) {
        m_drawnView = snapshot->view;
        if (m_membrane->isVisible())
            m_membrane->showSnapshot(*snapshot);
        if (m_raster->isVisible())
            m_raster->showSnapshot(*snapshot);
    }
    m_liveWasVisible = liveVisible;
    if (m_curves->isVisible() && (!running || !m_curvesDrawn.isValid() || m_curvesDrawn.elapsed() >= 250)) {
        m_curvesDrawn.start();
        m_curves->showSnapshot(*snapshot);
    }
    if (m_weights->isVisible())
        m_weights->showSnapshot(snapshot);
    showStatus(*snapshot);
    m_lastRefreshMs = own.nsecsElapsed() * 1e-6;
}

void MainWindow::showStatus(const TrainingSnapshot& s)
{
    const auto& data = m_document->loadedDataset();
    const int patterns =
        static_cast<int>(data ? data->patterns(Split::Train).size() : m_document->project().task.patterns.size());
    m_epochLabel->setText(tr("Epoch %1").arg(s.completedEpochs));
    // After a session the worker starts afresh from the document (lastPattern −1); the status
    // bar keeps naming the pattern presented last.
    if (s.lastPattern >= 0)
        m_shownPattern = s.lastPattern;
    m_patternLabel->setText(m_shownPattern >= 0 && m_shownPattern < patterns
                                ? tr("Pattern %1/%2").arg(m_shownPattern + 1).arg(patterns)
                                : tr("Pattern –/%1").arg(patterns));
    if (!m_endOfRun.isEmpty()) {
        m_correlationLabel->setText(m_endOfRun);
    } else if (s.history && !s.history->empty()) {
        const EpochMetrics& e = s.history->back();
        // Which C: the end-of-epoch evaluation (every pattern with the epoch-end weights) when the
        // run makes one, else the online C of the training passes (each before its own update).
        const bool evaluated = std::isfinite(e.evaluatedMinCorrelation);
        QString text =
            evaluated
                ? tr("C end-of-epoch evaluation: min %1 · mean %2")
                      .arg(e.evaluatedMinCorrelation, 0, 'f', 3)
                      .arg(e.evaluatedMeanCorrelation, 0, 'f', 3)
                : tr("C online: min %1 · mean %2").arg(e.minCorrelation, 0, 'f', 3).arg(e.meanCorrelation, 0, 'f', 3);
        if (std::isfinite(e.trainAccuracy)) // a dataset task: accuracy is what it is judged by
            text = tr("accuracy online %1 % · validation %2 % · C online mean %3")
                       .arg(100.0 * e.trainAccuracy, 0, 'f', 1)
                       .arg(std::isfinite(e.validationAccuracy) ? QString::number(100.0 * e.validationAccuracy, 'f', 1)
                                                                : QStringLiteral("–"))
                       .arg(e.meanCorrelation, 0, 'f', 3);
        m_correlationLabel->setText(text);
    } else {
        m_correlationLabel->setText(tr("C –"));
    }
    m_speedLabel->setText(s.state == TrainingSnapshot::State::Running ? speedText(s) : QString());
    m_progress->setValue(std::min(s.sessionEpochs, m_progress->maximum()));
}

QString MainWindow::speedText(const TrainingSnapshot& s)
{
    if (s.epochsPerSecond >= 1 || s.epochsPerSecond <= 0 || s.patternsPerEpoch <= 0)
        return tr("%1 epochs/s").arg(s.epochsPerSecond, 0, 'f', s.epochsPerSecond < 10 ? 2 : 0);
    // Slower than an epoch a second (datasets): patterns per second, and how long an epoch takes.
    const double patterns = s.epochsPerSecond * s.patternsPerEpoch;
    return tr("%1 patterns/s · %2 s per epoch")
        .arg(patterns, 0, 'f', patterns < 10 ? 1 : 0)
        .arg(1.0 / s.epochsPerSecond, 0, 'f', 1);
}

void MainWindow::showPatternPass(std::shared_ptr<const Pattern> pattern, const QString& title)
{
    Project project = m_document->project();
    project.ensureWeights();
    const RecordRequest probes = m_membrane->probes();
    const int epoch = static_cast<int>(project.history.size());
    m_passJob.start(
        [network = std::move(project.network), simulation = project.simulation, pattern, probes,
         epoch](const CancelFlag& cancel) {
            const SimulationRecord record = Simulator(network, simulation).run(pattern->inputs, probes, &cancel);
            if (record.status != SimulationStatus::Completed)
                throw std::runtime_error(record.message);
            auto view = std::make_shared<PatternView>();
            view->epoch = epoch;
            for (const LayerActivity& layer : record.layers)
                view->spikes.push_back(layer.spikes);
            for (const SpikeTrain& train : pattern->desired)
                view->desired.push_back(toSteps(train, simulation.dt));
            view->membranes = record.membranes;
            return std::shared_ptr<const PatternView>(std::move(view));
        },
        [this, title](std::shared_ptr<const PatternView> view) {
            TrainingSnapshot shown;
            if (const SnapshotPtr latest = m_training->latestSnapshot())
                shown = *latest;
            shown.view = view;
            shown.dt = m_document->project().simulation.dt;
            shown.duration = m_document->project().simulation.duration;
            // Held as the drawn pass: the refresh timer leaves it until training shows a new one.
            m_drawnView = view;
            showTab(Tab::Live);
            m_membrane->showSnapshot(shown);
            m_raster->showSnapshot(shown);
            statusBar()->showMessage(tr("Showing %1").arg(title), 10000);
        });
}

void MainWindow::fillPatternChooser()
{
    const Project& p = m_document->project();
    const QSignalBlocker block(m_patternChooser);
    const int previous = m_patternChooser->currentIndex();
    m_patternChooser->clear();
    // Each entry: the pattern to follow (Qt::UserRole, −1 = any) and the class (Qt::UserRole + 1, −1 = any).
    auto add = [this](const QString& text, int pattern, int label) {
        m_patternChooser->addItem(text);
        const int row = m_patternChooser->count() - 1;
        m_patternChooser->setItemData(row, pattern, Qt::UserRole);
        m_patternChooser->setItemData(row, label, Qt::UserRole + 1);
    };
    if (p.dataset) {
        // 60 000 samples cannot be listed: every sample as presented, the latest of each class,
        // and the first training sample of each class as a fixed one to watch (numbered by its
        // place in the training split, as the status bar counts patterns).
        add(tr("every sample as presented"), -1, -1);
        if (const auto& data = m_document->loadedDataset()) {
            const PatternSet& train = data->patterns(Split::Train);
            const std::vector<std::string>& names = data->classNames();
            auto name = [&](int k) {
                return k >= 0 && k < static_cast<int>(names.size())
                           ? QString::fromStdString(names[static_cast<std::size_t>(k)])
                           : tr("class %1").arg(k);
            };
            for (int k = 0; k < data->classCount(); ++k)
                add(tr("latest of class %1").arg(name(k)), -1, k);
            for (int k = 0; k < data->classCount(); ++k)
                for (std::size_t i = 0; i < train.size(); ++i)
                    if (train.label(i) == k) {
                        add(tr("training sample %1 (%2)").arg(i + 1).arg(name(k)), static_cast<int>(i), -1);
                        break;
                    }
        }
    } else {
        add(tr("latest pattern"), -1, -1);
        for (std::size_t i = 0; i < p.task.patterns.size(); ++i) {
            const QString name = QString::fromStdString(p.task.patterns[i].name);
            add(name.isEmpty() ? tr("pattern %1").arg(i) : tr("%1: %2").arg(i).arg(name), static_cast<int>(i), -1);
        }
    }
    m_patternChooser->setCurrentIndex(previous > 0 && previous < m_patternChooser->count() ? previous : 0);
    followChosenPattern();
}

void MainWindow::followChosenPattern()
{
    const int row = std::max(0, m_patternChooser->currentIndex());
    m_training->followPattern(m_patternChooser->itemData(row, Qt::UserRole).toInt());
    m_training->followClass(m_patternChooser->itemData(row, Qt::UserRole + 1).toInt());
}

bool MainWindow::evaluateChosenPattern()
{
    const Project& p = m_document->project();
    if (!trainable(*m_document) || m_training->isActive())
        return false; // a session's weights are not in the document yet
    const int row = std::max(0, m_patternChooser->currentIndex());
    const int chosen = m_patternChooser->itemData(row, Qt::UserRole).toInt();
    if (const auto& data = m_document->loadedDataset(); p.dataset && data) {
        // The chosen sample, or the first training sample of the chosen class, or the first of all.
        const PatternSet& train = data->patterns(Split::Train);
        const int label = m_patternChooser->itemData(row, Qt::UserRole + 1).toInt();
        std::size_t position = chosen >= 0 ? static_cast<std::size_t>(chosen) : 0;
        if (chosen < 0 && label >= 0)
            while (position + 1 < train.size() && train.label(position) != label)
                ++position;
        if (position >= train.size())
            return false;
        showPatternPass(train.pattern(position), tr("training sample %1 (%2) evaluated with the current weights")
                                                     .arg(position + 1)
                                                     .arg(QString::fromStdString(train.pattern(position)->name)));
        return true;
    }
    const int count = static_cast<int>(p.task.patterns.size());
    const int k = std::clamp(chosen, 0, count - 1);
    const auto pattern = std::make_shared<const Pattern>(p.task.patterns[static_cast<std::size_t>(k)]);
    showPatternPass(pattern, tr("pattern %1 evaluated with the current weights (no update)").arg(k));
    return true;
}

QString MainWindow::correlationText() const
{
    return m_correlationLabel->text();
}

void MainWindow::showEndOfRun(const QString& text)
{
    m_endOfRun = text;
    m_correlationLabel->setText(text);
}

void MainWindow::trainingFinished(const TrainingResult& result)
{
    statusBar()->showMessage(tr("Training ended: %1").arg(QString::fromStdString(result.message)), 15000);
    // The last epoch's online C was measured before its updates: the status bar now shows the
    // trained network's own evaluation (a dataset task's test accuracy follows from its feature).
    const EpochMetrics& e = result.finalEvaluation;
    if (std::isfinite(e.validationAccuracy))
        showEndOfRun(
            tr("validation accuracy %1 % (end-of-run evaluation)").arg(100.0 * e.validationAccuracy, 0, 'f', 1));
    else if (e.presented > 0 || !e.patterns.empty())
        showEndOfRun(tr("C end-of-run evaluation: min %1 · mean %2")
                         .arg(e.minCorrelation, 0, 'f', 3)
                         .arg(e.meanCorrelation, 0, 'f', 3));
    updateActions();
    // The plots end on the trained network's answer, not on a pass from before the last update.
    evaluateChosenPattern();
}

} // namespace normad::ui
