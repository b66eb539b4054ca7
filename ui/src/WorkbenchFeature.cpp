#include "normad/ui/WorkbenchFeature.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>

namespace normad::ui {

WorkbenchFeature::WorkbenchFeature(WorkbenchShell& shell) : QObject(shell.window()), m_shell(shell)
{
}

QList<QAction*> WorkbenchFeature::menuActions(Menu menu) const
{
    QList<QAction*> list;
    for (const auto& [m, action] : m_menuActions)
        if (m == menu)
            list.append(action);
    return list;
}

QList<Menu> WorkbenchFeature::menus() const
{
    QList<Menu> list;
    for (const auto& entry : m_menuActions)
        if (!list.contains(entry.first))
            list.append(entry.first);
    return list;
}

void WorkbenchFeature::placeDock(Dock)
{
}

QAction* WorkbenchFeature::addMenuAction(Menu menu, QAction* action, bool separated)
{
    QMenu* m = m_shell.menu(menu);
    if (!m->actions().contains(action)) {
        if (separated)
            m->addSeparator(); // consecutive separators collapse: a block after another's needs no care
        m->addAction(action);
    }
    m_menuActions.append({menu, action});
    return action;
}

QDockWidget* WorkbenchFeature::addDock(Dock which, QWidget* content, const QString& title, Qt::DockWidgetArea area,
                                       bool visible)
{
    QDockWidget* dock = m_shell.addDock(which, content, title, area, visible, this);
    m_menuActions.append({Menu::View, dock->toggleViewAction()}); // the shell put it there
    return dock;
}

} // namespace normad::ui
