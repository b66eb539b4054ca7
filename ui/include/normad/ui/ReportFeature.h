#pragma once

#include "normad/ui/BackgroundJob.h"
#include "normad/ui/ReproducibilityReport.h"
#include "normad/ui/WorkbenchFeature.h"

#include <QString>

#include <vector>

class QAction;

namespace normad::ui {

/// The reproducibility report (ReproducibilityReport): File ▸ Reproducibility Report…, also under
/// Help. It remembers why the last training session ended, which the report states. The patterns'
/// forward passes run off the GUI thread (a BackgroundJob, latest request wins); the plots are then
/// rendered and the files written when the passes arrive.
class ReportFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit ReportFeature(WorkbenchShell& shell);

    QAction* reportAction() const { return m_report; }
    /// Asks for a folder and writes the report there.
    void chooseAndWriteReport();
    /// Starts writing REPORT.html, REPORT.pdf and REPORT-project.json into `folder` (no dialog) for
    /// the project as it is now, and returns at once: reportWritten or reportFailed follows. A newer
    /// request supersedes one still simulating.
    void writeReport(const QString& folder);
    /// A report is being prepared (its simulations are running).
    bool isWriting() const { return m_job.isRunning(); }
    /// The last failure's message ("" after a report was written).
    QString lastError() const { return m_error; }
    /// Why the last training session ended ("" before one ended), as the report states it.
    QString lastStopReason() const { return m_stopReason; }

signals:
    void reportWritten(const QString& folder);
    void reportFailed(const QString& message);

private:
    void start(const QString& folder, bool warnOnFailure);
    void fail(const QString& message);

    QAction* m_report;
    BackgroundJob<std::vector<ReportPass>> m_job;
    QString m_error;
    QString m_stopReason;
    bool m_warnOnFailure = false; // the latest request came from the menu's folder dialog
};

} // namespace normad::ui
