// MainWindow's runs and baselines, kept out of MainWindow.cpp: the run history, the Runs dock and
// the bookmark/branch actions, attached through the window's public interface.

#include "normad/ui/RunsAndBaselines.h"

#include "normad/ui/ExportActions.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RunHistory.h"
#include "normad/ui/RunsPanel.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include <qcustomplot.h>

#include <memory>

namespace normad::ui {

namespace {
QMenu* menuTitled(MainWindow* window, const QString& title)
{
    for (QAction* a : window->menuBar()->actions())
        if (a->menu() && a->menu()->title() == title)
            return a->menu();
    return nullptr;
}
} // namespace

RunsPanel* installRunsAndBaselines(MainWindow* window)
{
    auto* history = new RunHistory(window->document(), window->training(), window);
    history->setObjectName(QStringLiteral("runHistory"));
    auto* panel = new RunsPanel(history, window);
    panel->setObjectName(QStringLiteral("runsPanel"));

    auto* dock = new QDockWidget(MainWindow::tr("Runs"), window);
    dock->setObjectName(QStringLiteral("runsDock"));
    dock->setWidget(panel);
    window->addDockWidget(Qt::RightDockWidgetArea, dock);
    dock->hide();  // shown on request, or when there is something to compare
    dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    dock->toggleViewAction()->setToolTip(MainWindow::tr("Compare the learning curves and final rasters of kept runs"));
    if (QMenu* view = menuTitled(window, MainWindow::tr("&View")))
        view->addAction(dock->toggleViewAction());

    // A second run is the moment a comparison means something: show it once, unasked.
    auto shownOnce = std::make_shared<bool>(false);
    QObject::connect(history, &RunHistory::runsChanged, dock, [history, dock, window, shownOnce] {
        if (history->runs().empty())
            return;
        const Run& last = history->runs().back();
        window->statusBar()->showMessage(MainWindow::tr("Kept run %1 (View ▸ Runs compares runs)").arg(last.label()), 8000);
        if (history->runs().size() >= 2 && !*shownOnce && !dock->isVisible()) {
            *shownOnce = true;
            dock->show();
            dock->raise();
        }
    });

    if (QMenu* training = menuTitled(window, MainWindow::tr("&Training"))) {
        training->addSeparator();
        QAction* bookmark = training->addAction(MainWindow::tr("&Bookmark Weights"));
        bookmark->setObjectName(QStringLiteral("bookmarkAction"));
        bookmark->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
        bookmark->setToolTip(MainWindow::tr("Keep the current weights and history to branch from later"));
        QObject::connect(bookmark, &QAction::triggered, panel, [history, panel, window] {
            const int index = history->addBookmark();
            panel->bookmarkChooser()->setCurrentIndex(index);
            window->statusBar()->showMessage(
                MainWindow::tr("Bookmarked “%1”").arg(history->bookmarks()[static_cast<std::size_t>(index)].name), 5000);
        });
        QMenu* branch = training->addMenu(MainWindow::tr("Branch from Book&mark"));
        branch->setObjectName(QStringLiteral("branchMenu"));
        branch->setEnabled(false);
        QObject::connect(history, &RunHistory::bookmarksChanged, branch,
                         [history, branch] { branch->setEnabled(!history->bookmarks().empty()); });
        QObject::connect(branch, &QMenu::aboutToShow, branch, [history, branch, window] {
            branch->clear();
            for (std::size_t i = 0; i < history->bookmarks().size(); ++i)
                branch->addAction(history->bookmarks()[i].name, window, [history, window, i] {
                    if (const QString error = history->branchFrom(static_cast<int>(i)); !error.isEmpty())
                        QMessageBox::warning(window, MainWindow::tr("Cannot branch"), error);
                });
        });
        training->addAction(dock->toggleViewAction());
    }

    QObject::connect(panel, &RunsPanel::exportRequested, window, [window](QCustomPlot* plot, const QString& name) {
        const QString stem = QFileInfo(window->document()->filePath()).completeBaseName();
        const QString suggestion = (stem.isEmpty() ? QStringLiteral("project") : stem) + QLatin1Char('-') + name + QStringLiteral(".png");
        const QString path = QFileDialog::getSaveFileName(window, MainWindow::tr("Export Plot"),
                                                          QFileInfo(window->document()->filePath()).dir().filePath(suggestion),
                                                          MainWindow::tr("Images (*.png *.svg *.pdf)"));
        if (path.isEmpty())
            return;
        if (ExportActions* exports = window->exportActions(); exports && !exports->exportPlot(plot, name, path))
            QMessageBox::warning(window, MainWindow::tr("Export failed"), exports->lastError());
        else
            window->statusBar()->showMessage(MainWindow::tr("Exported %1").arg(path), 5000);
    });
    return panel;
}

} // namespace normad::ui
