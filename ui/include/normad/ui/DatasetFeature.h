#pragma once

#include "normad/ui/BackgroundJob.h"
#include "normad/ui/WorkbenchFeature.h"

#include "normad/DatasetTask.h"
#include "normad/Evaluation.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QCustomPlot;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

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

    /// Evaluates the document's network on `split` off the GUI thread; evaluated() follows.
    void evaluate(Split split);
    /// The latest evaluation and the split it was made on (nothing before the first).
    const std::optional<ClassEvaluation>& lastEvaluation() const { return m_last; }
    Split lastEvaluatedSplit() const { return m_lastSplit; }
    /// Lists the samples of confusion cell (true class, predicted class) below the matrix.
    void listCell(int trueClass, int predicted);
    /// Opens entry `row` of the sample list in the live plots (and in the sample browser).
    void openListedSample(int row);
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
    QAction* m_evaluate = nullptr;
    BackgroundJob<LoadOutcome> m_load;
    BackgroundJob<ClassEvaluation> m_evaluation;
    std::optional<ClassEvaluation> m_last;
    Split m_lastSplit = Split::Test;
    std::vector<Split> m_shownSplits; // the panel's sets, in order
    const void* m_shownHistory = nullptr;
    bool m_docksShown = false; // shown once per project, then the user decides
    FileChooser m_chooseFile;
};

} // namespace normad::ui
