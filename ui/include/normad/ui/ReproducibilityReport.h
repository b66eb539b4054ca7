#pragma once

#include "normad/Project.h"

#include <QString>
#include <QStringList>

namespace normad::ui {

/// What the report says besides the project itself.
struct ReportContext {
    QString projectPath;   ///< the project's file, named in the command line (empty: unsaved)
    QString stopReason;    ///< why the last training session ended, if known ("" = not recorded)
    int maxPatterns = 8;   ///< final rasters of at most this many patterns
};

/// Files a report consists of.
struct ReportFiles {
    QString html;          ///< REPORT.html: self-contained, images as base64 PNG data URIs
    QString pdf;           ///< REPORT.pdf: the same HTML printed through QTextDocument, A4
    QString project;       ///< REPORT-project.json: the project to retrain from (seeded weights, no history)
};

/// The parameters of a project as (key path, value) rows, from the project file's JSON
/// (normad::projectToJson) so no parameter is missed: every leaf except spike times, weights and
/// the history, which are summarised ("network.layers[1].neuron.capacitance" → "3e-10").
QList<QPair<QString, QString>> reportParameterRows(const Project& project);

/// One-click reproducibility report (Help ▸ Reproducibility report…): title, date, version, project
/// name and description, seed, dt, T, topology, every parameter, the training variant, the history
/// summary with the final metrics, learning curves, the final rasters of the first patterns and a
/// weight heat map per layer, and the command line that retrains the project headless. Renders the
/// workbench's plots offscreen (needs a QApplication; the offscreen platform is fine). Writes into
/// `folder` (created if needed); throws std::runtime_error naming a file that cannot be written.
ReportFiles writeReproducibilityReport(const Project& project, const QString& folder, const ReportContext& context = {});

} // namespace normad::ui
