#pragma once

#include <QObject>
#include <QString>

namespace normad::ui {

class MainWindow;
struct ReportFiles;

/// MainWindow's image import and reproducibility report, kept out of MainWindow.cpp:
/// File ▸ Import ▸ Image as Spike Raster…, File ▸ Reproducibility Report… (also under Help).
class ImagesAndReports : public QObject {
    Q_OBJECT

public:
    /// Adds the menu entries to `window`'s File, Import and Help menus.
    explicit ImagesAndReports(MainWindow* window);

    /// Opens the image import dialog on the task designer's selected pattern (modal).
    void importImage();
    /// Asks for a folder and writes the report there.
    void chooseAndWriteReport();
    /// Writes REPORT.html, REPORT.pdf and REPORT-project.json into `folder` (no dialog); false with
    /// lastError() on failure.
    bool writeReport(const QString& folder);
    QString lastError() const { return m_error; }
    /// Why the last training session ended ("" before one ended), as the report states it.
    QString lastStopReason() const { return m_stopReason; }

private:
    MainWindow* m_window;
    QString m_error;
    QString m_stopReason;
};

} // namespace normad::ui
