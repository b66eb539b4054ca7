#pragma once

#include "normad/ui/WorkbenchFeature.h"

#include <QString>

class QAction;

namespace normad::ui {

/// The reproducibility report (ReproducibilityReport): File ▸ Reproducibility Report…, also under
/// Help. It remembers why the last training session ended, which the report states.
class ReportFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit ReportFeature(WorkbenchShell& shell);

    QAction* reportAction() const { return m_report; }
    /// Asks for a folder and writes the report there.
    void chooseAndWriteReport();
    /// Writes REPORT.html, REPORT.pdf and REPORT-project.json into `folder` (no dialog); false with
    /// lastError() on failure.
    bool writeReport(const QString& folder);
    QString lastError() const { return m_error; }
    /// Why the last training session ended ("" before one ended), as the report states it.
    QString lastStopReason() const { return m_stopReason; }

private:
    QAction* m_report;
    QString m_error;
    QString m_stopReason;
};

} // namespace normad::ui
