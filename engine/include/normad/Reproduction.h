#pragma once

#include "normad/Cancellation.h"
#include "normad/Project.h"
#include "normad/Shard.h"
#include "normad/Trainer.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace normad {

/// The papers' experiments run over many seeds (spec §4–§5): the engine behind `normad reproduce`
/// and docs/reproduction.md.
namespace reproduction {

/// One configuration of an experiment: builds the trial's project from its seed.
struct Variant {
    std::string name;        ///< short id, e.g. "normad-tau1ms"
    std::string description; ///< one line for tables
    std::function<Project(std::uint64_t seed)> make;
    /// > 0: after the first success, keep training this many epochs and judge the criterion on the
    /// network at the end of each (does the solution stay solved?). The trainer's own convergence
    /// stop is off then; success and epochs to success are judged exactly as it would.
    int epochsAfterSuccess = 0;
};

struct Experiment {
    std::string id; ///< "single", "xor", "multilayer"
    std::string title;
    std::string protocol; ///< what is run and what counts as success
    std::vector<Variant> variants;
};

/// The built-in experiments.
const std::vector<Experiment>& experiments();
/// Throws std::invalid_argument listing the known ids.
const Experiment& experiment(const std::string& id);

struct TrialResult {
    std::uint64_t seed = 0;
    bool success = false;           ///< the project's convergence criterion was met
    int epochs = 0;                 ///< epochs run
    int epochsToSuccess = -1;       ///< first epoch meeting the criterion, −1 if never
    double finalMinCorrelation = 0; ///< worst pattern of the final evaluation
    double bestMinCorrelation = 0;
    double seconds = 0;
    StopReason reason = StopReason::None;
    /// Per epoch, worst pattern and mean over patterns: of the end-of-epoch evaluation when the
    /// project judges convergence on it (TrainingParams::convergeOnEvaluation), else of the training passes.
    std::vector<double> minCorrelation;
    std::vector<double> meanCorrelation;
    /// Read from a run folder (RunOptions::folder), not trained by this call.
    bool kept = false;
    /// Variant::epochsAfterSuccess: epochs trained after the first success, and how many of them ended
    /// with a network that still met the criterion.
    int epochsAfterSuccess = 0;
    int heldEpochs = 0;
};

/// A trial as the JSON object of its trial.json (seed, success, epochs, epochs_to_success,
/// final_min_correlation, best_min_correlation, seconds, stop_reason, min_correlation and
/// mean_correlation per epoch; NaN as null), one line per member. `normad reproduce --json` prints
/// the same members but the curves.
std::string trialJson(const TrialResult& trial);

struct VariantSummary {
    std::string name;
    std::string description;
    std::string rule; ///< describeVariant() of the trials' training parameters
    std::vector<TrialResult> trials;
    int successes() const;
    double meanEpochsToSuccess() const;   ///< over successful trials; NaN if none
    double medianEpochsToSuccess() const; ///< over successful trials; NaN if none
    double meanFinalCorrelation() const;
    double seconds() const;     ///< summed wall time of the trials
    int epochsAfterSuccess = 0; ///< Variant::epochsAfterSuccess
    /// With epochsAfterSuccess > 0: trials that succeeded, trained all those epochs after it (no guard
    /// stopped them) and met the criterion at the end of every one.
    int stayedSolved() const;
    /// Of all epochs trained after a first success, the fraction that ended meeting the criterion; NaN if none.
    double heldFraction() const;
};

struct RunOptions {
    int trials = 10;
    std::uint64_t firstSeed = 1;       ///< trials use seeds firstSeed … firstSeed + trials − 1
    int threads = 1;                   ///< trials run in parallel; results do not depend on it
    int maxEpochs = -1;                ///< overrides each project's maxEpochs when ≥ 0
    std::vector<std::string> variants; ///< run only these (all when empty); unknown names throw
    /// Project fields set in every trial's project after its variant made it: (path, JSON value) as
    /// setFieldJson (normad/ProjectFields.h) takes them, e.g. {"training.rules.normad.epsilonLag",
    /// "\"nextStep\""}. A bad path or value throws std::invalid_argument before any trial runs.
    std::vector<std::pair<std::string, std::string>> settings;
    /// ≥ 0: every variant's Variant::epochsAfterSuccess (train this many epochs past the first success
    /// and count those that still meet the criterion; 0 = stop at it); −1: each variant's own.
    int stayEpochs = -1;
    /// Trials are the runs of a sweep: trial j is variant j / trials with seed firstSeed + j mod
    /// trials. With a folder, trial j's result is kept in FOLDER/run-NNNN/trial.json (NNNN = j) and
    /// claimed there (RunClaim) while it trains: a rerun with the same options reads finished trials
    /// instead of training them, and processes sharing the folder never train one twice. The folder's
    /// plan.json records the options; other options are refused (std::invalid_argument). Empty: nothing
    /// is kept.
    std::string folder;
    /// Train only the trials j with j mod count = index. With a folder, the summaries also hold the
    /// other shards' trials finished there, so a last run without a shard gives the whole table.
    Shard shard;
};

/// Called after each finished trial (from worker threads, serialised by the runner).
using TrialCallback = std::function<void(const Variant&, const TrialResult&)>;

/// Runs every selected variant over the seeds. Deterministic: trial results depend only on the
/// variant and the seed. Cancelled trials, trials of other shards not finished in the folder and
/// trials another process is training are left out of the summaries.
std::vector<VariantSummary> run(const Experiment& experiment, const RunOptions& options,
                                const TrialCallback& onTrial = {}, const CancelFlag* cancel = nullptr);

/// Trains one trial.
TrialResult runTrial(const Variant& variant, std::uint64_t seed, int maxEpochs = -1,
                     const CancelFlag* cancel = nullptr);

} // namespace reproduction
} // namespace normad
