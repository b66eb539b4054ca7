#pragma once

#include "normad/ui/WorkbenchShell.h"

#include <QList>
#include <QObject>
#include <QPair>

class QAction;

namespace normad::ui {

/// One feature of the workbench (lessons, runs, exports, autosave, …): it receives the shell,
/// makes its own actions, menus and docks, and owns its own state. Features do not know each
/// other or the main window; where one feature's signal concerns another, the main window's
/// feature list connects them.
///
/// A new panel: a class deriving from this one whose constructor makes the widget, adds it with
/// addDock() (a new value of Dock) and its actions with addMenuAction(Menu::…); one line in
/// MainWindow::addFeatures(); a row in tst_workbenchshell's table of features.
class WorkbenchFeature : public QObject {
    Q_OBJECT

public:
    /// A child of the shell's window.
    explicit WorkbenchFeature(WorkbenchShell& shell);

    /// The actions this feature put into `menu` (a submenu counts as its menuAction(), a dock as its
    /// toggle in View), in order.
    QList<QAction*> menuActions(Menu menu) const;
    /// Every menu this feature put an action into, in the order it first did.
    QList<Menu> menus() const;

    /// Called by WorkbenchShell::showDock() before it shows one of this feature's docks: a chance to
    /// place it for the window's current layout. Does nothing by default.
    virtual void placeDock(Dock which);

protected:
    WorkbenchShell& shell() const { return m_shell; }
    /// Appends `action` to `menu` (after a separator if `separated`) and remembers it. An action the
    /// menu holds already (a File submenu the shell made where it was first asked for) stays put.
    QAction* addMenuAction(Menu menu, QAction* action, bool separated = false);
    /// Adds a dock this feature owns (see WorkbenchShell::addDock); its toggle is one of this
    /// feature's View entries.
    QDockWidget* addDock(Dock which, QWidget* content, const QString& title, Qt::DockWidgetArea area, bool visible);

private:
    WorkbenchShell& m_shell;
    QList<QPair<Menu, QAction*>> m_menuActions;
};

} // namespace normad::ui
