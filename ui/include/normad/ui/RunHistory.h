#pragma once

#include "normad/ui/BackgroundJob.h"

#include "normad/EpochMetrics.h"
#include "normad/Project.h"
#include "normad/SpikeTrain.h"
#include "normad/Trainer.h"
#include "normad/TrainingParams.h"

#include <Eigen/Core>

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace normad::ui {

class ProjectDocument;
class TrainingController;

/// One finished training session, kept for comparison (issue 6): the settings it ran with, the
/// project's whole per-epoch history at its end (a branch carries the epochs of its bookmark), the
/// final weights, and every pattern's output spikes of a forward pass with those weights.
struct Run {
    int id = 0;   ///< 1, 2, … in the order the runs ended (never reused)
    QString name; ///< editable; defaults to rule · variant · seed · epochs
    TrainingParams training;
    std::uint64_t seed = 1;
    int sessionEpochs = 0;                ///< epochs trained in this session
    QString stopMessage;                  ///< why the session ended
    std::vector<EpochMetrics> history;    ///< project numbering: epoch 1 … history.size()
    std::vector<Eigen::MatrixXd> weights; ///< W^l at index l−1, amperes
    double dt = 1e-4;                     ///< s
    double duration = 0;                  ///< s
    QStringList patternNames;
    std::vector<std::vector<StepTrain>> desired; ///< per pattern, per output neuron, grid steps
    /// Per pattern, per output neuron: spikes of a forward pass with the final weights (grid steps).
    /// Computed off the GUI thread; empty until outputsReady.
    std::vector<std::vector<StepTrain>> outputs;
    bool outputsReady = false;
    bool checked = true; ///< shown in the comparison plots

    /// "#3 ReSuMe a = 0, τ = 5 ms · seed 1 · 40 epochs"
    QString label() const;
};

/// Weights and history length stored to branch from later.
struct Bookmark {
    int id = 0;
    QString name;
    std::vector<Eigen::MatrixXd> weights; ///< W^l at index l−1
    std::vector<EpochMetrics> history;    ///< the history up to the bookmarked epoch
    int epochs() const { return static_cast<int>(history.size()); }
};

/// The runs and bookmarks of the open project, in memory (cleared when another project is opened).
/// Every session the TrainingController finishes with at least one epoch becomes a Run.
class RunHistory : public QObject {
    Q_OBJECT

public:
    RunHistory(ProjectDocument* document, TrainingController* training, QObject* parent = nullptr);
    ~RunHistory() override;

    const std::vector<Run>& runs() const { return m_runs; }
    /// The document whose sessions become runs.
    ProjectDocument* document() const { return m_document; }
    const std::vector<Bookmark>& bookmarks() const { return m_bookmarks; }
    /// Index of the run with `id`, or −1.
    int indexOf(int id) const;

    /// Keeps the document's current state as a run (what happens when a session ends).
    void addRun(const Project& project, int sessionEpochs, const QString& stopMessage);
    /// Keeps `before`'s training history as a past run when its network is reshaped, unless the last
    /// run already holds exactly that history and those weights (the session just ended).
    void keepPastHistory(const Project& before);
    void setName(int index, const QString& name);
    void setChecked(int index, bool checked);
    void removeRun(int index);
    void clear();

    /// Stores the document's weights and history as a bookmark (stopping an active session first, so
    /// that its weights are in the document). `name` empty: "Epoch N · rule". Returns its index.
    int addBookmark(const QString& name = {});
    /// Restores bookmark `index`'s weights and truncates the history to its epoch as one undoable
    /// edit. Returns the error message, empty on success.
    QString branchFrom(int index);

    /// Default run name: rule and its main settings, seed, epochs.
    static QString defaultName(const TrainingParams& training, std::uint64_t seed, int epochs);

signals:
    void runsChanged();
    /// Run `index` got its output spikes (or was renamed, checked or unchecked).
    void runUpdated(int index);
    void bookmarksChanged();
    /// A run's final forward pass failed: a user-facing message (the run is kept without rasters).
    void failed(const QString& message);

private:
    using Outputs = std::vector<std::vector<StepTrain>>;
    void evaluate(const Run& run, const Project& project);
    void setOutputs(int id, Outputs outputs);

    ProjectDocument* m_document;
    TrainingController* m_training;
    std::vector<Run> m_runs;
    std::vector<Bookmark> m_bookmarks;
    int m_nextRun = 1;
    int m_nextBookmark = 1;
    // Each run's final forward passes are a background job of their own (by run id): deleting
    // the job cancels it and drops its result.
    std::map<int, std::unique_ptr<BackgroundJob<Outputs>>> m_evaluations;
};

} // namespace normad::ui
