#pragma once

#include "normad/ui/TrainingSnapshot.h"

#include "normad/Cancellation.h"
#include "normad/Project.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

namespace normad::ui {

/// What the report says besides the project itself.
struct ReportContext {
    QString projectPath; ///< the project's file, named in the command line (empty: unsaved)
    QString stopReason;  ///< why the last training session ended, if known ("" = not recorded)
    int maxPatterns = 8; ///< final rasters of at most this many patterns (for simulateReportPasses)
};

/// Files a report consists of.
struct ReportFiles {
    QString html;    ///< REPORT.html: self-contained, images as base64 PNG data URIs
    QString pdf;     ///< REPORT.pdf: the same HTML printed through QTextDocument, A4
    QString project; ///< REPORT-project.json: the project to retrain from (seeded weights, no history)
};

/// The parameters of a project as (key path, value) rows, from the project file's JSON
/// (normad::projectToJson) so no parameter is missed: every leaf except spike times, weights and
/// the history, which are summarised ("network.layers[1].neuron.capacitance" → "3e-10").
QList<QPair<QString, QString>> reportParameterRows(const Project& project);

/// One pattern's forward pass with the report's weights, as the raster plot shows it.
struct ReportPass {
    std::shared_ptr<const PatternView> view; ///< spikes of every population, desired output spikes
    std::string problem;                     ///< why the pass stopped early, "" when it completed
};

/// The simulations a report shows: the forward pass of the first min(maxPatterns, P) patterns with
/// the project's weights (drawn from the seed when it carries none). Engine work only, no widgets:
/// it runs off the GUI thread (ReportFeature starts it as a BackgroundJob). Stops early, returning
/// what it has, when `cancel` is raised.
std::vector<ReportPass> simulateReportPasses(const Project& project, int maxPatterns,
                                             const CancelFlag* cancel = nullptr);

/// One-click reproducibility report (Help ▸ Reproducibility report…): title, date, version, project
/// name and description, seed, dt, T, topology, every parameter, the training variant, the history
/// summary with the final metrics, learning curves, the final rasters of the patterns in `passes`
/// (from simulateReportPasses on the same project) and a weight heat map per layer, and the command
/// line that retrains the project headless. Simulates nothing: renders the workbench's plots
/// offscreen (GUI thread; the offscreen platform is fine). Writes into `folder` (created if needed);
/// throws std::runtime_error naming a file that cannot be written.
ReportFiles writeReproducibilityReport(const Project& project, const QString& folder, const ReportContext& context,
                                       const std::vector<ReportPass>& passes);

} // namespace normad::ui
