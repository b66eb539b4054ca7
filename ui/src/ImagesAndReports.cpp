#include "normad/ui/ImagesAndReports.h"

#include "normad/ui/ImageImportDialog.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/ReproducibilityReport.h"
#include "normad/ui/TaskDesigner.h"
#include "normad/ui/TrainingController.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace normad::ui {

ImagesAndReports::ImagesAndReports(MainWindow* window) : QObject(window), m_window(window)
{
    setObjectName(QStringLiteral("imagesAndReports"));
    auto* report = new QAction(tr("Reproducibility &Report…"), this);
    report->setObjectName(QStringLiteral("reportAction"));
    report->setToolTip(tr("Write REPORT.html and REPORT.pdf: parameters, seed, version, learning curves, rasters, "
                          "weights and the command line that retrains the project"));
    connect(report, &QAction::triggered, this, &ImagesAndReports::chooseAndWriteReport);
    auto* image = new QAction(tr("&Image as Spike Raster…"), this);
    image->setObjectName(QStringLiteral("importImageAction"));
    connect(image, &QAction::triggered, this, &ImagesAndReports::importImage);

    if (auto* import = window->findChild<QMenu*>(QStringLiteral("importMenu")))
        import->addAction(image);
    for (QAction* a : window->menuBar()->actions()) {
        QMenu* menu = a->menu();
        if (!menu)
            continue;
        if (menu->title() == tr("&Help")) {
            menu->addSeparator();
            menu->addAction(report);
        } else if (menu->title() == tr("&File")) {
            // After the Export and Import submenus, in the block above Quit.
            QAction* quit = nullptr;
            for (QAction* f : menu->actions())
                if (f->shortcut() == QKeySequence(QKeySequence::Quit))
                    quit = f;
            QAction* before = quit;
            const QList<QAction*> actions = menu->actions();
            if (quit && actions.indexOf(quit) > 0 && actions[actions.indexOf(quit) - 1]->isSeparator())
                before = actions[actions.indexOf(quit) - 1];
            before ? menu->insertAction(before, report) : menu->addAction(report);
        }
    }
    connect(window->training(), &TrainingController::finished, this,
            [this](const TrainingResult& result) { m_stopReason = QString::fromStdString(result.message); });
    // Another project: the last session's reason no longer applies.
    connect(window->document(), &ProjectDocument::filePathChanged, this, [this] { m_stopReason.clear(); });
}

void ImagesAndReports::importImage()
{
    auto* task = m_window->findChild<TaskDesigner*>();
    if (m_window->training()->isActive()) {
        QMessageBox::information(m_window, tr("Import Image"), tr("Stop training to edit the task."));
        return;
    }
    ImageImportDialog dialog(m_window->document(), task ? task->currentPattern() : 0, m_window);
    dialog.exec();
}

void ImagesAndReports::chooseAndWriteReport()
{
    const QString project = m_window->document()->filePath();
    const QString base = project.isEmpty() ? QDir::currentPath() : QFileInfo(project).absolutePath();
    const QString stem = project.isEmpty() ? QStringLiteral("project") : QFileInfo(project).completeBaseName();
    const QString folder = QFileDialog::getExistingDirectory(
        m_window, tr("Folder for REPORT.html and REPORT.pdf"), QDir(base).filePath(stem + QStringLiteral("-report")));
    if (folder.isEmpty())
        return;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = writeReport(folder);
    QApplication::restoreOverrideCursor();
    if (!ok) {
        QMessageBox::warning(m_window, tr("Report failed"), m_error);
        return;
    }
    m_window->statusBar()->showMessage(
        m_window->training()->isActive()
            ? tr("Wrote REPORT.html and REPORT.pdf in %1 (the running session's weights reach the project when it stops)")
                  .arg(QDir::toNativeSeparators(folder))
            : tr("Wrote REPORT.html and REPORT.pdf in %1").arg(QDir::toNativeSeparators(folder)),
        10000);
}

bool ImagesAndReports::writeReport(const QString& folder)
{
    ReportContext context;
    context.projectPath = m_window->document()->filePath();
    context.stopReason = m_stopReason;
    try {
        writeReproducibilityReport(m_window->document()->project(), folder, context);
    } catch (const std::exception& e) {
        m_error = QString::fromStdString(e.what());
        return false;
    }
    m_error.clear();
    return true;
}

} // namespace normad::ui
