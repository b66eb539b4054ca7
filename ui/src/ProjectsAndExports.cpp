// MainWindow's project-file extras, kept out of MainWindow.cpp: recent files, autosave, the undo
// history dock and the Export/Import menus.

#include "normad/ui/MainWindow.h"

#include "normad/ui/Autosave.h"
#include "normad/ui/ExportActions.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RecentFiles.h"

#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QUndoStack>
#include <QUndoView>

namespace normad::ui {

void MainWindow::installProjectsAndExports()
{
    // The File menu is the first one; the extras go above its Quit.
    QMenu* file = menuBar()->actions().value(0) ? menuBar()->actions().value(0)->menu() : nullptr;
    if (!file)
        file = menuBar()->addMenu(tr("&File"));
    QAction* quit = nullptr;
    for (QAction* a : file->actions())
        if (a->shortcut() == QKeySequence(QKeySequence::Quit))
            quit = a;

    m_recent = new RecentFiles(this);
    QMenu* recent = m_recent->createMenu(tr("Open &Recent"), file);
    recent->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recent, &RecentFiles::openRequested, this, [this](const QString& path) {
        if (maybeSave())
            openProject(path);
    });
    // Export and Import are built into a scratch menu, then moved in front of Quit with Open Recent.
    auto* scratch = new QMenu(this); // owns the submenus; never shown itself
    m_exports = new ExportActions(this, scratch);
    QList<QAction*> extras{recent->menuAction(), nullptr};
    extras << scratch->actions();
    extras << nullptr;
    for (QAction* a : extras) {
        if (!a)
            quit ? file->insertSeparator(quit) : file->addSeparator();
        else if (quit)
            file->insertAction(quit, a);
        else
            file->addAction(a);
    }

    m_autosave = new Autosave(m_document, this);
    connect(m_autosave, &Autosave::failed, this, [this](const QString& message) { statusBar()->showMessage(message, 15000); });

    // Edit ▸ history: every undoable step by name; clicking one goes back (or forward) to it.
    auto* view = new QUndoView(m_document->undoStack(), this);
    view->setEmptyLabel(tr("<opened>"));
    auto* dock = new QDockWidget(tr("History"), this);
    dock->setObjectName(QStringLiteral("historyDock"));
    dock->setWidget(view);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    if (auto* settings = findChild<QDockWidget*>(QStringLiteral("runSettingsDock"))) {
        tabifyDockWidget(settings, dock);
        settings->raise();
    }
    for (QAction* a : menuBar()->actions())
        if (a->menu() && a->menu()->title() == tr("&View"))
            a->menu()->addAction(dock->toggleViewAction());
    dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
}

} // namespace normad::ui
