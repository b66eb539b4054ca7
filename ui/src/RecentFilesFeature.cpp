#include "normad/ui/RecentFilesFeature.h"

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RecentFiles.h"

#include <QMainWindow>
#include <QMenu>

namespace normad::ui {

RecentFilesFeature::RecentFilesFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_recent = new RecentFiles(this);
    m_menu = m_recent->createMenu(tr("Open &Recent"), shell.window());
    addMenuAction(Menu::File, m_menu->menuAction(), true);
    connect(m_recent, &RecentFiles::openRequested, this, [this](const QString& path) {
        if (this->shell().maybeSave())
            this->shell().openProject(path);
    });
    // The document names its file after every open and save (and "" for a project from memory).
    connect(shell.document(), &ProjectDocument::filePathChanged, m_recent, [this](const QString& path) {
        if (!path.isEmpty())
            m_recent->add(path);
    });
}

} // namespace normad::ui
