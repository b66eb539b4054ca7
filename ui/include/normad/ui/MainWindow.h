#pragma once

#include "normad/ui/BackgroundJob.h"
#include "normad/ui/TrainingSnapshot.h"
#include "normad/ui/WorkbenchShell.h"

#include "normad/Project.h"
#include "normad/Trainer.h"

#include <QElapsedTimer>
#include <QList>
#include <QMainWindow>
#include <QString>

#include <map>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QProgressBar;
class QTabWidget;
class QTimer;

namespace normad::ui {

class LearningCurvePlot;
class MembranePlot;
class ProjectDocument;
class RasterPlot;
class TrainingController;
class TrainingSettingsPanel;
class WeightPlot;
class WorkbenchFeature;

/// The workbench's main window: a shell (WorkbenchShell) that builds the menus, the central tabs,
/// the live plots and their docks, and runs the features (lessons, runs, exports, …; one
/// WorkbenchFeature each, made in one list in the constructor). The central tabs are the live view
/// (membrane potential above the spike rasters: the plots that show the network learn, given most
/// of the window), the network designer and the task designer. Run settings, learning curves and
/// weights are docks the user can arrange; run control is the toolbar, the Training menu and the
/// status bar.
class MainWindow : public QMainWindow, public WorkbenchShell {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // WorkbenchShell
    QMainWindow* window() override { return this; }
    ProjectDocument* document() const override { return m_document; }
    TrainingController* training() const override { return m_training; }
    void showMessage(const QString& text, int timeoutMs) override;
    QMenu* menu(Menu which) override;
    QDockWidget* addDock(Dock which, QWidget* content, const QString& title, Qt::DockWidgetArea area, bool visible,
                         WorkbenchFeature* owner) override;
    QDockWidget* dock(Dock which) const override;
    bool showDock(Dock which) override;
    QWidget* tab(Tab which) const override;
    void showTab(Tab which) override;
    Tab currentTab() const override;
    QCustomPlot* plot(Plot which) const override;
    QString plotCsv(Plot which) const override;
    WeightPlot* weightPlot() const override { return m_weights; }
    void showPatternPass(std::shared_ptr<const Pattern> pattern, const QString& title) override;
    bool openProject(const QString& path) override;
    void setProject(Project project, const QString& displayName) override;
    bool maybeSave() override;

    /// The status bar's training speed: epochs per second, or, below one epoch a second (datasets),
    /// patterns per second and the seconds an epoch takes.
    static QString speedText(const TrainingSnapshot& snapshot);

    /// The features, in the order they were added (which is the order of their menu entries).
    const QList<WorkbenchFeature*>& features() const { return m_features; }
    /// The feature of class F, or null.
    template <class F> F* feature() const
    {
        for (WorkbenchFeature* f : m_features)
            if (auto* match = qobject_cast<F*>(f))
                return match;
        return nullptr;
    }

    /// Opens a built-in example ("xor", "multilayer", "single"); false for an unknown name.
    bool openExample(const QString& name);
    bool save();
    bool saveAs();
    /// Writes the project to `path` (no dialog).
    bool saveTo(const QString& path);

    /// Restores the window's geometry and dock layout of the last session (QSettings "window/…") or,
    /// the first time, opens maximised on a screen larger than 1280×800; from then on saves them when
    /// the window closes. The application calls it; tests and scripted screenshots do not.
    void restoreLayout();

    /// Asks Save/Discard/Cancel before losing unsaved changes (off in tests).
    void setConfirmUnsavedChanges(bool confirm) { m_confirmUnsaved = confirm; }

    // Actions, for tests and for the designers' context menus.
    QAction* startAction() const { return m_start; }
    QAction* pauseAction() const { return m_pause; }
    /// Space: starts when idle, pauses when running, resumes when paused (a window-wide shortcut).
    QAction* startPauseKeyAction() const { return m_startPauseKey; }
    /// "Plots follow": the pattern whose presentations the live plots show.
    QComboBox* patternChooser() const { return m_patternChooser; }
    /// The status bar's quality figure: C during training (named online or end-of-epoch
    /// evaluation), the end-of-run evaluation after it (a dataset task's accuracy).
    QString correlationText() const;
    /// Pace: at most so many epochs per second (item data; 0 = full speed).
    QComboBox* paceChooser() const { return m_pace; }
    QAction* stepPatternAction() const { return m_stepPattern; }
    QAction* stepEpochAction() const { return m_stepEpoch; }
    QAction* stopAction() const { return m_stop; }
    /// Evaluate (F9): a forward pass of the chosen pattern with the current weights, no update.
    QAction* evaluateAction() const { return m_evaluate; }
    /// Shows the pattern chosen under "Plots follow" (pattern 0 for "latest"; for a dataset task
    /// the chosen training sample, or the first of the chosen class) evaluated with the document's
    /// weights in the live plots; false when there is nothing to evaluate (nothing trainable, or
    /// a session is active).
    bool evaluateChosenPattern();
    QAction* resetWeightsAction() const { return m_resetWeights; }
    QAction* saveAsAction() const { return m_saveAs; }
    QAction* redoAction() const { return m_redo; }
    MembranePlot* membranePlot() const { return m_membrane; }
    RasterPlot* rasterPlot() const { return m_raster; }
    LearningCurvePlot* learningCurvePlot() const { return m_curves; }
    /// "Paused" in the status bar, shown while a session is paused.
    QLabel* pausedIndicator() const { return m_pausedLabel; }
    /// Number of times the plots were refreshed from a snapshot.
    int plotRefreshCount() const { return m_refreshes; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    /// Adds a designer as a central tab after the live view, in a scroll area.
    void addTab(Tab which, QWidget* content, const QString& title);
    /// Makes the features, in the order of their menu entries, and connects the ones that talk.
    void addFeatures();
    /// The "Plots follow" entries for the project (and its loaded dataset); keeps the choice if it still exists.
    void fillPatternChooser();
    /// Shows `text` in place of C until the next session (or another network or task).
    void showEndOfRun(const QString& text);
    /// Tells the training which pattern (or class) the chosen entry follows.
    void followChosenPattern();
    template <class F, class... Args> F* add(Args&&... args);
    void createActions();
    /// The menus' closing entries (File ▸ Quit, Help ▸ About), after every feature's.
    void finishMenus();
    void createDocks();
    QWidget* createLivePage();
    /// The default arrangement for the window's size when first shown: docks in a left column
    /// of about a third of the width, weights tabbed behind the learning curves below 1600 px.
    void arrangeDocks();
    void createStatusBar();
    void newProject();
    void chooseProject();
    void showAbout();
    void updateTitle();
    /// Unsaved edits, or a training session whose results are not in the document yet.
    bool hasUnsavedWork() const;
    /// The name the title and the save prompt show: the file's, else the example's or "Untitled".
    QString projectName() const;
    void updateActions();
    void documentChanged(int changes);
    void refreshPlots();
    void showStatus(const TrainingSnapshot& snapshot);
    void trainingFinished(const TrainingResult& result);

    ProjectDocument* m_document = nullptr;
    QList<WorkbenchFeature*> m_features;
    std::map<Menu, QMenu*> m_menus;
    std::map<Dock, QDockWidget*> m_docks;
    std::map<Dock, WorkbenchFeature*> m_dockOwners;
    std::map<Tab, QWidget*> m_tabPages;    // the tab widget's pages (scroll areas for the designers)
    std::map<Tab, QWidget*> m_tabContents; // what they show
    QWidget* m_networkDesigner = nullptr;
    QWidget* m_taskDesigner = nullptr;
    TrainingController* m_training = nullptr;
    QString m_untitledName;
    bool m_confirmUnsaved = true;
    int m_refreshes = 0;
    double m_lastRefreshMs = 0; // the last refreshPlots()'s own time, ms (its replots come on top)

    QTabWidget* m_designers = nullptr;
    QLabel* m_summary = nullptr;
    bool m_arranged = false;
    int m_shownPattern = -1; // last pattern the status bar named (kept after a session ends)
    BackgroundJob<std::shared_ptr<const PatternView>> m_passJob; // showPatternPass()
    std::shared_ptr<const PatternView> m_drawnView; // the pass the live view shows (held: no address reuse)
    bool m_liveWasVisible = false;
    QElapsedTimer m_curvesDrawn; // when the learning curves were last redrawn (≤ 4×/s while running)
    TrainingSettingsPanel* m_settings = nullptr;
    MembranePlot* m_membrane = nullptr;
    RasterPlot* m_raster = nullptr;
    LearningCurvePlot* m_curves = nullptr;
    WeightPlot* m_weights = nullptr;
    QComboBox* m_patternChooser = nullptr;
    QComboBox* m_pace = nullptr;
    QTimer* m_plotTimer = nullptr;

    QAction* m_start = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_startPauseKey = nullptr;
    QAction* m_evaluate = nullptr;
    QAction* m_saveAs = nullptr;
    QAction* m_redo = nullptr;
    QAction* m_stepPattern = nullptr;
    QAction* m_stepEpoch = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_resetWeights = nullptr;

    QLabel* m_epochLabel = nullptr;
    QLabel* m_patternLabel = nullptr;
    QLabel* m_correlationLabel = nullptr;
    /// After a session: the end-of-run evaluation the status bar shows instead of the last
    /// epoch's online figures, until the next session or another network, task or weights.
    QString m_endOfRun;
    QLabel* m_speedLabel = nullptr;
    QLabel* m_pausedLabel = nullptr;
    bool m_remembersLayout = false; // restoreLayout() was called: save the layout on close
    QProgressBar* m_progress = nullptr;
};

} // namespace normad::ui
