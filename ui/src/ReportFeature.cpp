#include "normad/ui/ReportFeature.h"

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/ReproducibilityReport.h"
#include "normad/ui/TrainingController.h"

#include <QAction>
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

    connect(&m_job, &BackgroundJobBase::failed, this, &ReportFeature::fail);
    // Only the menu's request warns in a dialog; writeReport() reports through reportFailed alone.
    connect(this, &ReportFeature::reportFailed, this, [this](const QString& message) {
        if (!m_warnOnFailure)
            return;
        this->shell().showMessage(QString(), 0);
        QMessageBox::warning(this->shell().window(), tr("Report failed"), message);
    });
    connect(this, &ReportFeature::reportWritten, this, [this](const QString& folder) {
        this->shell().showMessage(
            this->shell().training()->isActive()
                ? tr("Wrote REPORT.html and REPORT.pdf in %1 (the running session's weights reach the project when "
                     "it stops)")
                      .arg(QDir::toNativeSeparators(folder))
                : tr("Wrote REPORT.html and REPORT.pdf in %1").arg(QDir::toNativeSeparators(folder)),
            10000);
    });
}

void ReportFeature::chooseAndWriteReport()
{
    QWidget* window = shell().window();
    const QString project = shell().document()->filePath();
    const QString base = project.isEmpty() ? QDir::currentPath() : QFileInfo(project).absolutePath();
    const QString stem = project.isEmpty() ? QStringLiteral("project") : QFileInfo(project).completeBaseName();
    const QString folder = QFileDialog::getExistingDirectory(window, tr("Folder for REPORT.html and REPORT.pdf"),
                                                             QDir(base).filePath(stem + QStringLiteral("-report")));
    if (folder.isEmpty())
        return;
    shell().showMessage(tr("Writing the report into %1…").arg(QDir::toNativeSeparators(folder)), 0);
    start(folder, true);
}

void ReportFeature::writeReport(const QString& folder)
{
    start(folder, false);
}

void ReportFeature::start(const QString& folder, bool warnOnFailure)
{
    m_warnOnFailure = warnOnFailure;
    // Copies for the pool thread: it must not read the document, which the GUI keeps editing.
    const Project project = shell().document()->project();
    ReportContext context;
    context.projectPath = shell().document()->filePath();
    context.stopReason = m_stopReason;
    const int maxPatterns = context.maxPatterns;
    m_job.start([project,
                 maxPatterns](const CancelFlag& cancel) { return simulateReportPasses(project, maxPatterns, &cancel); },
                [this, project, folder, context](std::vector<ReportPass> passes) {
                    // The plots are widgets: they are rendered here, on the GUI thread.
                    try {
                        writeReproducibilityReport(project, folder, context, passes);
                    } catch (const std::exception& e) {
                        fail(QString::fromStdString(e.what()));
                        return;
                    }
                    m_error.clear();
                    emit reportWritten(folder);
                });
}

void ReportFeature::fail(const QString& message)
{
    m_error = message;
    emit reportFailed(message);
}

} // namespace normad::ui
