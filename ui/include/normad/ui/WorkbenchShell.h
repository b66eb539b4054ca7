#pragma once

#include "normad/Project.h"

#include <Qt>

#include <memory>

class QCustomPlot;
class QDockWidget;
class QMainWindow;
class QMenu;
class QString;
class QWidget;

namespace normad::ui {

class ProjectDocument;
class TrainingController;
class WeightPlot;
class WorkbenchFeature;

/// The window's menus. File ▸ Export and File ▸ Import are submenus of File, made where they are
/// first asked for (so a feature's place in the feature list decides the File menu's order).
enum class Menu { File, Export, Import, Edit, Examples, Training, View, Help };
/// The window's docks: the shell's own (run settings, learning curves, weights) and the features'.
enum class Dock {
    RunSettings,
    LearningCurves,
    Weights,
    History,
    Lessons,
    Inspector,
    Runs,
    Dataset,
    Accuracy,
    Confusion
};
/// The central tabs.
enum class Tab { Live, Network, Task };
/// The live plots.
enum class Plot { Membrane, Raster, LearningCurves, Weights };

/// What a workbench feature (lessons, runs, exports, …; see WorkbenchFeature) may use of the main
/// window: the open project and its training, the status bar, and the menus, docks, tabs and plots
/// by name. The main window implements it; features include this header, never MainWindow.h.
/// Menus exist for the window's life; a dock or a menu a feature adds stays there.
class WorkbenchShell {
public:
    virtual ~WorkbenchShell() = default;

    /// The window itself: the parent of dialogs, and its dock layout (tabify, resizeDocks).
    virtual QMainWindow* window() = 0;
    virtual ProjectDocument* document() const = 0;
    virtual TrainingController* training() const = 0;
    /// A message in the status bar for `timeoutMs` milliseconds (0: until the next one).
    virtual void showMessage(const QString& text, int timeoutMs) = 0;

    /// The menu; the shell's own entries come first, its closing ones (Quit, About) after every feature's.
    virtual QMenu* menu(Menu which) = 0;

    /// Adds `content` as dock `which` in `area` (hidden unless `visible`) and its toggle to View.
    /// `owner` (may be null) is asked to place the dock before showDock() shows it. Adding a dock
    /// twice is a programming error.
    virtual QDockWidget* addDock(Dock which, QWidget* content, const QString& title, Qt::DockWidgetArea area,
                                 bool visible, WorkbenchFeature* owner) = 0;
    /// The dock, or null if no feature of this window adds it.
    virtual QDockWidget* dock(Dock which) const = 0;
    /// Places (see addDock), shows and raises the dock; false if this window has no such dock.
    virtual bool showDock(Dock which) = 0;

    /// The content of a central tab (the designer itself, not its scroll area).
    virtual QWidget* tab(Tab which) const = 0;
    virtual void showTab(Tab which) = 0;
    virtual Tab currentTab() const = 0;

    /// The QCustomPlot a live plot draws into (for exports).
    virtual QCustomPlot* plot(Plot which) const = 0;
    /// The CSV beside an exported picture of `which`: its data in full (every sample of a trace the
    /// plot draws decimated), as plotDataCsv() writes it.
    virtual QString plotCsv(Plot which) const = 0;
    /// The weight map (its clicks explain a synapse).
    virtual WeightPlot* weightPlot() const = 0;

    /// Shows one forward pass of `pattern` (inputs and desired outputs) through the project's
    /// network with its current weights in the live plots and brings the live tab forward; the
    /// pass runs off the GUI thread. `title` names it in the status bar ("sample 12 (Sandal)").
    /// The plots follow training again with its next snapshot.
    virtual void showPatternPass(std::shared_ptr<const Pattern> pattern, const QString& title) = 0;

    /// Loads a project file; a message box names the problem if it cannot be read.
    virtual bool openProject(const QString& path) = 0;
    /// Shows a project that is already in memory; `displayName` titles it until it is saved.
    virtual void setProject(Project project, const QString& displayName) = 0;
    /// Asks Save/Discard/Cancel before unsaved changes would be lost; false if the user cancels.
    virtual bool maybeSave() = 0;
};

/// "File", "RunSettings", … (for messages and QMainWindow::saveState object names, never for lookups).
const char* toString(Menu which);
const char* toString(Dock which);
const char* toString(Tab which);

} // namespace normad::ui
