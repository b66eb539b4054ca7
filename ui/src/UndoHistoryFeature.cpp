#include "normad/ui/UndoHistoryFeature.h"

#include "normad/ui/ProjectDocument.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QUndoView>

namespace normad::ui {

UndoHistoryFeature::UndoHistoryFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_view = new QUndoView(shell.document()->undoStack(), shell.window());
    m_view->setEmptyLabel(tr("<opened>"));
    QDockWidget* dock = addDock(Dock::History, m_view, tr("History"), Qt::LeftDockWidgetArea, true);
    if (QDockWidget* settings = shell.dock(Dock::RunSettings)) {
        shell.window()->tabifyDockWidget(settings, dock);
        settings->raise();
    }
    dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
}

} // namespace normad::ui
