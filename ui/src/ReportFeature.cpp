#include "normad/ui/ReportFeature.h"

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/ReproducibilityReport.h"
#include "normad/ui/TrainingController.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>

namespace normad::ui {

ReportFeature::ReportFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_report = new QAction(tr("Reproducibility &Report…"), this);
    m_report->setToolTip(tr("Write REPORT.html and REPORT.pdf: parameters, seed, version, learning curves, rasters, "
                            "weights and the command line that retrains the project"));
    connect(m_report, &QAction::triggered, this, &ReportFeature::chooseAndWriteReport);
    addMenuAction(Menu::File, m_report);
    addMenuAction(Menu::Help, m_report, true);

    connect(shell.training(), &TrainingController::finished, this,
            [this](const TrainingResult& result) { m_stopReason = QString::fromStdString(result.message); });
    // Another project: the last session's reason no longer applies.
    connect(shell.document(), &ProjectDocument::filePathChanged, this, [this] { m_stopReason.clear(); });
}

void ReportFeature::chooseAndWriteReport()
{
    QWidget* window = shell().window();
    const QString project = shell().document()->filePath();
    const QString base = project.isEmpty() ? QDir::currentPath() : QFileInfo(project).absolutePath();
    const QString stem = project.isEmpty() ? QStringLiteral("project") : QFileInfo(project).completeBaseName();
    const QString folder = QFileDialog::getExistingDirectory(
        window, tr("Folder for REPORT.html and REPORT.pdf"), QDir(base).filePath(stem + QStringLiteral("-report")));
    if (folder.isEmpty())
        return;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = writeReport(folder);
    QApplication::restoreOverrideCursor();
    if (!ok) {
        QMessageBox::warning(window, tr("Report failed"), m_error);
        return;
    }
    shell().showMessage(
        shell().training()->isActive()
            ? tr("Wrote REPORT.html and REPORT.pdf in %1 (the running session's weights reach the project when it "
                 "stops)")
                  .arg(QDir::toNativeSeparators(folder))
            : tr("Wrote REPORT.html and REPORT.pdf in %1").arg(QDir::toNativeSeparators(folder)),
        10000);
}

bool ReportFeature::writeReport(const QString& folder)
{
    ReportContext context;
    context.projectPath = shell().document()->filePath();
    context.stopReason = m_stopReason;
    try {
        writeReproducibilityReport(shell().document()->project(), folder, context);
    } catch (const std::exception& e) {
        m_error = QString::fromStdString(e.what());
        return false;
    }
    m_error.clear();
    return true;
}

} // namespace normad::ui
