#pragma once

// One training run as `normad train` does it — the dataset read and checked, the trainer run, the
// result files written — shared by `train` and by each run of `sweep`.

#include "CliSupport.h"

#include "normad/Cancellation.h"
#include "normad/Checkpoint.h"
#include "normad/EpochMetrics.h"
#include "normad/Project.h"
#include "normad/Trainer.h"

#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace normad {
class TrainingObserver;
}

namespace normad::cli {

/// The MPI ranks of a data-parallel run (docs/parallel-training.md): the group the trainer splits
/// batches over, and the collective that agrees on set-up errors ("" = every rank succeeded, else
/// the first failing rank's message). Empty: one process.
struct TrainingRanks {
    DataParallelGroup* group = nullptr;
    std::function<std::string(const std::string&)> firstError;
    bool writer() const { return group == nullptr || group->rank() == 0; }
};

/// The ranks agreed that the set-up failed (on this rank or another): rank 0 reports `message`.
struct SetupFailed {
    std::string message;
    std::exception_ptr own; ///< this rank's own exception, if it failed itself
};

/// Under MPI: every rank runs `step`; the ranks then agree, and all throw SetupFailed if any failed.
/// Without ranks: runs `step` (its exceptions pass through).
void agreeOnSetup(const TrainingRanks& ranks, const std::function<void()>& step);

/// What one training run gave and which files it wrote.
struct TrainingOutputs {
    TrainingResult result;
    EpochMetrics finalEvaluation; ///< the result's, or (cancelled run) a pass made after the stop
    bool dataset = false;         ///< a dataset task (accuracy.csv instead of output_spikes.csv)
    std::vector<std::string> written;
    std::vector<std::string> notes;
    int checkpointEpoch = -1; ///< the epoch of the last checkpoint written, or −1
};

/// How a run writes checkpoints (docs/checkpoints.md) and where its files end up.
struct RunPlan {
    /// The folder `out` is published as (names in `written`, data paths in trained.json); empty: `out` itself.
    std::filesystem::path publishedAs;
    /// Where checkpoints go (atomically replaced); empty: none.
    std::filesystem::path checkpointFile;
    int everyEpochs = 0;     ///< a checkpoint after every this many epochs (0: not by epochs)
    double everySeconds = 0; ///< … and/or at the first epoch end this long after the last one (0: not by time)
    /// The run's settings a checkpoint records (projectDirectory, maxEpochs, plotFolder); the
    /// project, network and trainer state are filled in at each checkpoint.
    Checkpoint settings;
    /// Continue from this state (the project's network is then the checkpoint's).
    const TrainerState* resumeFrom = nullptr;
};

/// Trains `project` (weights drawn: Project::ensureWeights) for at most `maxEpochs` and writes into
/// `out` (existing): trained.json, manifest.json, metrics.csv, and accuracy.csv (dataset task) or
/// output_spikes.csv; with `plotDir`, the plots. `projectDirectory` is where the project's
/// relative data paths start. Throws std::invalid_argument for bad data files. `threads`: the
/// trainer's thread count (Trainer::setThreads; 1 by default, as a sweep already runs runs side by
/// side). With `ranks`, every rank trains its shards and rank 0 alone writes. `plan`: checkpoints,
/// resuming, and the folder `out` becomes.
TrainingOutputs trainAndWrite(const Project& project, const std::string& projectDirectory,
                              const std::filesystem::path& out, int maxEpochs, TrainingObserver* observer,
                              const CancelFlag* cancel, const std::optional<std::string>& plotDir = std::nullopt,
                              int threads = 1, const TrainingRanks& ranks = {}, const RunPlan& plan = {});

/// One human-readable line of an epoch's (or the final evaluation's) metrics.
std::string metricsText(const EpochMetrics& m);
/// An epoch's (or the final evaluation's) metrics as in `train --json`.
Json metricsJson(const EpochMetrics& m);
/// `normad train`'s exit code for a stop reason.
int exitCodeFor(StopReason reason);

} // namespace normad::cli
