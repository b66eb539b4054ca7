#pragma once

#include "normad/ui/BackgroundJob.h"
#include "normad/ui/WorkbenchFeature.h"

#include "normad/DatasetTask.h"
#include "normad/Evaluation.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

class QAction;
class QCustomPlot;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTimer;

namespace normad::ui {

class AccuracyCurvePlot;
class ConfusionMatrixPlot;
class DatasetPanel;

/// Dataset tasks in the workbench (issue 16): loads a dataset project's data off the GUI thread
/// (with a busy bar and Cancel) and hands it to the document for training; when a referenced file
/// has moved or changed, says what differs and asks for it. Its docks: the dataset panel (source,
/// class counts, sample browser), the accuracy curves (beside the learning curves, live while
/// training) and the confusion matrix of the latest evaluation (after training, and on demand with
/// Training ▸ Evaluate on Test Split), whose cells list their samples; a listed sample opens in the
/// live plots as a forward pass.
class DatasetFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit DatasetFeature(WorkbenchShell& shell);

    DatasetPanel* panel() const { return m_panel; }
    AccuracyCurvePlot* accuracyPlot() const { return m_accuracy; }
    ConfusionMatrixPlot* confusionPlot() const { return m_confusion; }
    /// The samples of the last clicked cell; activating one opens it.
    QListWidget* sampleList() const { return m_samples; }
    QAction* evaluateAction() const { return m_evaluate; }
    bool isLoading() const { return m_load.isRunning(); }
    bool isEvaluating() const { return m_evaluation.isRunning(); }
    /// The percent bars of a running load (dataset dock) and evaluation (confusion dock), each
    /// beside its Cancel button; also named in the status bar while they run.
    QProgressBar* loadProgressBar() const { return m_busy; }
    QProgressBar* evaluationProgressBar() const { return m_evaluationBusy; }
    /// Cancels a running evaluation (the previous confusion matrix stays).
    void cancelEvaluation();

    /// Evaluates the document's network on `split` off the GUI thread; evaluated() follows.
    void evaluate(Split split);
    /// The latest evaluation and the split it was made on (nothing before the first).
    const std::optional<ClassEvaluation>& lastEvaluation() const { return m_last; }
    Split lastEvaluatedSplit() const { return m_lastSplit; }
    /// Lists the samples of confusion cell (true class, predicted class) below the matrix.
    void listCell(int trueClass, int predicted);
    /// Opens entry `row` of the sample list in the live plots (and in the sample browser).
    void openListedSample(int row);
    /// Browses sample `position` of `split` in the dataset panel (and shows the panel); while the
    /// data loads, once it is loaded. False when no dataset is loaded or the split is empty; the
    /// position is clamped to the split.
    bool showSample(Split split, int position);
    /// The sample the dataset panel browses (split and 0-based position in it, as showSample() takes
    /// them); nothing while no dataset is shown. What Export ▸ Brian2 Script runs for a dataset task.
    std::optional<std::pair<Split, int>> browsedSample() const;
    /// Lists the most frequent confusion of the latest evaluation (the largest cell off the
    /// diagonal, undecided included; ties: the first in reading order) and opens its first sample in
    /// the live plots. Returns an empty string, or why not (no evaluation yet, every sample right).
    QString openMisclassified();
    /// Cancels a running load (the dataset stays unloaded until Load is pressed).
    void cancelLoading();
    /// Loads (again) the document's dataset.
    void load();

    /// Asked when a data file is missing or changed: `message` says what differs, `oldPath` is where
    /// it was; returns the file (or folder) to use instead, or an empty string to give up. By default
    /// a message box, then a file dialog; tests replace it.
    using FileChooser = std::function<QString(const QString& message, const QString& oldPath, bool folder)>;
    void setFileChooser(FileChooser chooser) { m_chooseFile = std::move(chooser); }

    /// Places the accuracy dock behind the learning curves, the confusion matrix behind the panel.
    void placeDock(Dock which) override;

signals:
    /// An evaluation was shown (lastEvaluation()).
    void evaluated();
    /// Loading failed or was given up: `message` says why (also in the panel and the status bar).
    void loadFailed(const QString& message);
    /// File ▸ Export of one of this feature's plots; `csv` is the table to write beside it (empty:
    /// the plot's own data). MainWindow hands it to ExportActions.
    void exportRequested(QCustomPlot* plot, const QString& name, const QString& csv);

private:
    /// What a load ended with: the data, or the reference that did not match.
    struct LoadOutcome {
        std::shared_ptr<const LoadedDataset> data;
        std::optional<DataFileCheck> mismatch;
        std::string field;
        DataFileReference reference;
    };

    void documentReplaced();
    void documentChanged(int changes);
    void loaded(LoadOutcome outcome);
    void locateFile(const LoadOutcome& outcome);
    void showLoaded();
    void showHistory(const std::vector<EpochMetrics>& history);
    void showEvaluation(ClassEvaluation evaluation, Split split);
    void setStatus(const QString& text, bool busy);
    /// Copies the running jobs' fractions (written by their threads) into the bars; ~10×/s.
    void showProgress();
    void updateActions();
    QString projectDirectory() const;
    int setIndexOf(Split split) const;

    DatasetPanel* m_panel = nullptr;
    AccuracyCurvePlot* m_accuracy = nullptr;
    ConfusionMatrixPlot* m_confusion = nullptr;
    QListWidget* m_samples = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_evaluationStatus = nullptr;
    QProgressBar* m_busy = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_reload = nullptr;
    QProgressBar* m_evaluationBusy = nullptr;
    QPushButton* m_evaluationCancel = nullptr;
    QTimer* m_progressTimer = nullptr;
    QString m_evaluationText; ///< "Evaluating the test split (10 000 samples)"
    // Written by the job's thread, read by showProgress(); a new job gets a new one (latest wins).
    std::shared_ptr<std::atomic<double>> m_loadFraction;
    std::shared_ptr<std::atomic<double>> m_evaluationFraction;
    QAction* m_evaluate = nullptr;
    BackgroundJob<LoadOutcome> m_load;
    BackgroundJob<ClassEvaluation> m_evaluation;
    std::optional<ClassEvaluation> m_last;
    Split m_lastSplit = Split::Test;
    std::vector<Split> m_shownSplits; // the panel's sets, in order
    const void* m_shownHistory = nullptr;
    bool m_docksShown = false; // shown once per project, then the user decides
    FileChooser m_chooseFile;
    std::optional<std::pair<Split, int>> m_pendingSample; ///< showSample() asked for while loading
};

} // namespace normad::ui
