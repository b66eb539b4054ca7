#include "normad/ui/RunsFeature.h"

#include "normad/ui/RunHistory.h"
#include "normad/ui/RunsPanel.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>

namespace normad::ui {

RunsFeature::RunsFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_history = new RunHistory(shell.document(), shell.training(), this);
    m_panel = new RunsPanel(m_history, shell.window());
    // Shown on request, or when there is something to compare.
    QDockWidget* dock = addDock(Dock::Runs, m_panel, tr("Runs"), Qt::RightDockWidgetArea, false);
    dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    dock->toggleViewAction()->setToolTip(tr("Compare the learning curves and final rasters of kept runs"));
    connect(m_history, &RunHistory::runsChanged, this, &RunsFeature::runsChanged);
    // A run whose final spikes could not be computed is kept without rasters; the user learns why.
    connect(m_history, &RunHistory::failed, this,
            [this](const QString& message) { this->shell().showMessage(message, 15000); });

    m_bookmark = new QAction(tr("&Bookmark Weights"), this);
    m_bookmark->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    m_bookmark->setToolTip(tr("Keep the current weights and history to branch from later"));
    connect(m_bookmark, &QAction::triggered, this, &RunsFeature::bookmark);
    addMenuAction(Menu::Training, m_bookmark, true);
    m_branch = new QMenu(tr("Branch from Book&mark"), shell.window());
    m_branch->setEnabled(false);
    connect(m_history, &RunHistory::bookmarksChanged, m_branch,
            [this] { m_branch->setEnabled(!m_history->bookmarks().empty()); });
    connect(m_branch, &QMenu::aboutToShow, this, &RunsFeature::fillBranchMenu);
    addMenuAction(Menu::Training, m_branch->menuAction());
    addMenuAction(Menu::Training, dock->toggleViewAction());
}

void RunsFeature::runsChanged()
{
    if (m_history->runs().empty())
        return;
    const Run& last = m_history->runs().back();
    // The dock stays where the user left it: opening itself took the plots' width at 1280×800. The
    // status bar says where the comparison is.
    shell().showMessage(tr("Kept run %1 (View ▸ Runs or Ctrl+Shift+R compares runs)").arg(last.label()), 8000);
}

void RunsFeature::bookmark()
{
    const int index = m_history->addBookmark();
    m_panel->bookmarkChooser()->setCurrentIndex(index);
    const QString name = m_history->bookmarks()[static_cast<std::size_t>(index)].name;
    shell().showMessage(tr("Bookmarked “%1”").arg(name), 5000);
}

void RunsFeature::fillBranchMenu()
{
    m_branch->clear();
    for (std::size_t i = 0; i < m_history->bookmarks().size(); ++i)
        m_branch->addAction(m_history->bookmarks()[i].name, this, [this, i] {
            if (const QString error = m_history->branchFrom(static_cast<int>(i)); !error.isEmpty())
                QMessageBox::warning(shell().window(), tr("Cannot branch"), error);
        });
}

} // namespace normad::ui
