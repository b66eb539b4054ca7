#pragma once

#include "normad/ui/WorkbenchFeature.h"

#include "normad/DatasetTask.h"
#include "normad/Exports.h"

#include <QHash>
#include <QPair>
#include <QString>
#include <QVector>

#include <functional>
#include <optional>
#include <utility>

class QCPAbstractPlottable;
class QCustomPlot;
class QWidget;

namespace normad::ui {

class ProjectDocument;

/// Full-resolution data (keys, values) to write for a plottable instead of the points it draws: a
/// trace decimated to pixel columns is exported with every sample.
using PlotSeriesData = QHash<const QCPAbstractPlottable*, QPair<QVector<double>, QVector<double>>>;

/// The text of a CSV with the data a plot shows: one row per point of every visible graph, curve
/// and bar series (`series,x_axis,y_axis,x,y`; a series in `full` with its full data instead) and,
/// when the plot has a colour map, per cell of it (a `value` column is added: x, y the cell centre,
/// value the cell's value; empty for the other series). Numbers in formatShortest's form.
QString plotDataCsv(QCustomPlot* plot, const PlotSeriesData& full = {});
/// Writes `plot` as PNG, SVG or PDF (chosen by the extension) and the CSV of its data beside it
/// (FILE-STEM.csv). Both atomically. False with a message in `error`.
bool savePlot(QCustomPlot* plot, const QString& path, QString* error = nullptr);
/// As above, with `csv` as the table beside the picture instead of plotDataCsv() (a plot whose
/// data has a table of its own, e.g. the confusion matrix).
bool savePlot(QCustomPlot* plot, const QString& path, const QString& csv, QString* error = nullptr);
/// Writes a whole widget (the dashboard: the main window) as one PNG, SVG or PDF.
bool saveWidgetImage(QWidget* widget, const QString& path, QString* error = nullptr);

/// File ▸ Export and File ▸ Import: weights, spike trains, a Brian2 script, training log, run
/// manifest, plots and the dashboard, through the engine's exporters. Every export but the script
/// writes the run manifest and the training log beside the file (FILE-STEM.manifest.json,
/// FILE-STEM.log.csv). Imports are undoable edits.
class ExportActions : public WorkbenchFeature {
    Q_OBJECT

public:
    /// Fills File ▸ Export and File ▸ Import.
    explicit ExportActions(WorkbenchShell& shell);

    // Without dialogs (tests, scripting); false with lastError() on failure.
    bool exportWeights(const QString& path);
    bool exportSpikes(const SpikeSource& source, const QString& path);
    /// A standalone Brian2 script that runs pattern `pattern` (0-based) with the project's weights
    /// (docs/exports.md); on success the status bar names the file.
    bool exportBrian2Script(int pattern, const QString& path);
    /// The same for a dataset task: sample `position` (0-based) of `split` of the loaded data, its
    /// encoded inputs written into the script. False (lastError()) while the data is not loaded.
    bool exportBrian2Script(Split split, int position, const QString& path);
    /// Where a dataset task's sample comes from for Export ▸ Brian2 Script: the sample the user
    /// browses (MainWindow hands in the dataset panel's); unset or nothing browsed: the first
    /// training sample.
    using BrowsedSample = std::function<std::optional<std::pair<Split, int>>()>;
    void setBrowsedSample(BrowsedSample browsed) { m_browsedSample = std::move(browsed); }
    /// The trains of `source` for every pattern of the task (its `pattern` is ignored), each in its
    /// own file beside `path`: patternFile(path, k) (each readable by Import ▸ Spike Trains).
    bool exportSpikesOfAllPatterns(SpikeSource source, const QString& path);
    /// "out/xor-inputs.npz", 2 → "out/xor-inputs-pattern2.npz".
    static QString patternFile(const QString& path, int pattern);
    bool exportTrainingLog(const QString& path);
    bool exportManifest(const QString& path);
    /// `csv`: the table beside the picture; empty = the plot's data (plotDataCsv).
    bool exportPlot(QCustomPlot* plot, const QString& name, const QString& path, const QString& csv = {});
    bool exportDashboard(const QString& path);
    /// Replaces the input (or desired) trains of pattern `pattern` with those of a CSV/.npz file,
    /// as one undoable step.
    bool importSpikes(int pattern, bool desired, const QString& path);
    QString lastError() const { return m_error; }

    /// Asks for a file beside the project (PROJECT-`name`.png) and exports `plot` there (another
    /// panel's plot: the runs' overlays).
    void chooseAndExportPlot(QCustomPlot* plot, const QString& name);
    /// The same with `csv` as the table beside the picture (the confusion matrix's own CSV).
    void chooseAndExportPlotWithCsv(QCustomPlot* plot, const QString& name, const QString& csv);

private:
    void chooseAndRun(const QString& title, const QString& filters, const QString& suggestion,
                      const std::function<bool(const QString&)>& run);
    bool fail(const QString& message);
    bool sidecars(const QString& path, const QString& what);
    QString folder() const;
    ProjectDocument* document() const { return shell().document(); }

    QWidget* m_window; // the dialogs' parent
    QString m_error;
    BrowsedSample m_browsedSample;
};

} // namespace normad::ui
