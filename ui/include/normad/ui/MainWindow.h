#pragma once

#include "normad/ui/TrainingSnapshot.h"

#include "normad/Project.h"
#include "normad/Trainer.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QString>

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
class RecentFiles;
class Autosave;
class ExportActions;

/// The workbench's main window. The central tabs are the live view (membrane potential above the
/// spike rasters: the plots that show the network learn, given most of the window), the network
/// designer and the task designer. Run settings, learning curves and weights are docks the user
/// can arrange; run control is the toolbar, the Training menu and the status bar.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ProjectDocument* document() const { return m_document; }
    TrainingController* training() const { return m_training; }

    /// Adds a designer (network, task, …) as a central tab after the live view.
    void addDesigner(QWidget* designer, const QString& title);
    QTabWidget* designerTabs() const { return m_designers; }

    /// Loads a project file; shows a message box naming the problem if it cannot be read.
    bool openProject(const QString& path);
    /// Shows a project that is already in memory (an example, a recovered file); `displayName`
    /// titles it until it is saved.
    void setProject(Project project, const QString& displayName);
    /// Opens a built-in example ("xor", "multilayer", "single"); false for an unknown name.
    bool openExample(const QString& name);
    bool save();
    bool saveAs();
    /// Writes the project to `path` (no dialog).
    bool saveTo(const QString& path);

    /// Asks Save/Discard/Cancel before losing unsaved changes (off in tests).
    void setConfirmUnsavedChanges(bool confirm) { m_confirmUnsaved = confirm; }

    // Actions, for tests and for the designers' context menus.
    QAction* startAction() const { return m_start; }
    QAction* pauseAction() const { return m_pause; }
    QAction* stepPatternAction() const { return m_stepPattern; }
    QAction* stepEpochAction() const { return m_stepEpoch; }
    QAction* stopAction() const { return m_stop; }
    QAction* resetWeightsAction() const { return m_resetWeights; }
    MembranePlot* membranePlot() const { return m_membrane; }
    RasterPlot* rasterPlot() const { return m_raster; }
    LearningCurvePlot* learningCurvePlot() const { return m_curves; }
    WeightPlot* weightPlot() const { return m_weights; }
    // Projects and exports (ProjectsAndExports.cpp).
    RecentFiles* recentFiles() const { return m_recent; }
    Autosave* autosave() const { return m_autosave; }
    ExportActions* exportActions() const { return m_exports; }
    /// Number of times the plots were refreshed from a snapshot.
    int plotRefreshCount() const { return m_refreshes; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    /// Recent files, autosave, the undo history dock, File ▸ Export/Import (ProjectsAndExports.cpp).
    void installProjectsAndExports();
    /// Lessons dock, rule inspector dock, File ▸ Open Lesson… (Teaching.cpp).
    void installTeaching();
    void createActions();
    void createDocks();
    QWidget* createLivePage();
    /// The default arrangement for the window's size when first shown: docks in a left column
    /// of about a third of the width, weights tabbed behind the learning curves below 1600 px.
    void arrangeDocks();
    void createStatusBar();
    void newProject();
    void chooseProject();
    void showAbout();
    bool maybeSave();
    void updateTitle();
    void updateActions();
    void documentChanged(int changes);
    void refreshPlots();
    void showStatus(const TrainingSnapshot& snapshot);
    void trainingFinished(const TrainingResult& result);
    QDockWidget* addPlotDock(QWidget* plot, const QString& title, const QString& objectName, Qt::DockWidgetArea area);

    ProjectDocument* m_document = nullptr;
    RecentFiles* m_recent = nullptr;
    Autosave* m_autosave = nullptr;
    ExportActions* m_exports = nullptr;
    QWidget* m_networkDesigner = nullptr;
    QWidget* m_taskDesigner = nullptr;
    TrainingController* m_training = nullptr;
    QString m_untitledName;
    bool m_confirmUnsaved = true;
    int m_refreshes = 0;

    QTabWidget* m_designers = nullptr;
    QLabel* m_summary = nullptr;
    QDockWidget* m_settingsDock = nullptr;
    QDockWidget* m_curvesDock = nullptr;
    QDockWidget* m_weightsDock = nullptr;
    bool m_arranged = false;
    int m_shownPattern = -1;
    std::shared_ptr<const PatternView> m_drawnView;  // the pass the live view shows (held: no address reuse)
    bool m_liveWasVisible = false;
    QElapsedTimer m_curvesDrawn;  // last pattern the status bar named (kept after a session ends)
    TrainingSettingsPanel* m_settings = nullptr;
    MembranePlot* m_membrane = nullptr;
    RasterPlot* m_raster = nullptr;
    LearningCurvePlot* m_curves = nullptr;
    WeightPlot* m_weights = nullptr;
    QComboBox* m_patternChooser = nullptr;
    QTimer* m_plotTimer = nullptr;
    QMenu* m_viewMenu = nullptr;

    QAction* m_start = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_stepPattern = nullptr;
    QAction* m_stepEpoch = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_resetWeights = nullptr;

    QLabel* m_epochLabel = nullptr;
    QLabel* m_patternLabel = nullptr;
    QLabel* m_correlationLabel = nullptr;
    QLabel* m_speedLabel = nullptr;
    QProgressBar* m_progress = nullptr;
};

} // namespace normad::ui
