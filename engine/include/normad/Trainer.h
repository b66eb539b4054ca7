#pragma once

#include "normad/Cancellation.h"
#include "normad/ClassTargets.h"
#include "normad/DataParallelGroup.h"
#include "normad/DatasetTask.h"
#include "normad/EpochMetrics.h"
#include "normad/ExactSum.h"
#include "normad/LearningRule.h"
#include "normad/Network.h"
#include "normad/PatternSet.h"
#include "normad/SimulationParams.h"
#include "normad/Task.h"
#include "normad/TrainerState.h"
#include "normad/TrainingParams.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace normad {

class ThreadPool;
class TrainingObserver;

enum class StopReason {
    None, ///< still running / not started
    MaxEpochs,
    Converged, ///< every pattern reached the target correlation in one epoch
    Stagnated,
    Cancelled,
    NonFinite,    ///< a membrane potential or weight stopped being finite
    SilentLayer,  ///< a trainable hidden layer emitted no spike for `silentEpochs` epochs
    RunawayLayer, ///< a layer fired above `runawayRate`
};
std::string toString(StopReason);

struct TrainingResult {
    StopReason reason = StopReason::None;
    std::string message;     ///< user-facing explanation of the stop
    int epochs = 0;          ///< epochs completed
    int convergedEpoch = -1; ///< first epoch in which every pattern met the target, or −1
    double bestMinCorrelation = 0;
    std::vector<EpochMetrics> history;
    /// Forward pass of every pattern with the final weights (no update). Dataset tasks: of the
    /// validation split (the training split when it is empty), summaries and validationAccuracy only.
    EpochMetrics finalEvaluation;
    double seconds = 0;
};

/// Trains a network on a task with the rule the params select (RuleRegistry.h), pattern by pattern. Stateful, so a GUI
/// can step patterns or epochs, pause between them and resume; run() loops until a stop criterion. Deterministic for a
/// seed: the seed drives only the presentation order (weights are initialised by the caller through
/// Network::initializeWeights).
///
/// One code path for both kinds of task: the patterns presented are a PatternSet — the inline
/// Task's patterns, or a dataset's training split. A dataset task (second constructor) differs in
/// what is measured, not in how a pattern is trained: its epochs go over the training split in
/// epochOrder(seed, epoch) order (always shuffled; shufflePatterns is for inline tasks), per-pattern
/// metrics are summarised, not kept, each epoch records trainAccuracy and validationAccuracy,
/// convergence is not judged (there is no target correlation for a class) and stagnation is judged
/// on the validation accuracy.
///
/// Parallel epochs (docs/parallel-training.md): in batch and mini-batch modes the patterns of a
/// batch see the same weights, so they are simulated on a thread pool (setThreads) as one stream
/// (ThreadPool::stream: no barrier between passes, at most 4 × threads alive), and their updates are summed exactly
/// (ExactSum) — the trained weights are the same bits for any thread count or rank count. Metrics, accuracy, spike
/// counts and the observer's patternFinished are then taken in presentation order on the calling thread, so the history
/// is identical too. Online mode is sequential by definition (each pattern sees the previous one's update). Evaluation
/// passes run on the same pool.
class Trainer {
public:
    Trainer(Network network, Task task, SimulationParams sim, TrainingParams params, std::uint64_t seed = 1);
    /// A dataset task: trains on data->patterns(Split::Train), decides classes with data->decision().
    /// Throws std::invalid_argument when the network's input or output count differs from the
    /// dataset's (naming both).
    Trainer(Network network, std::shared_ptr<const LoadedDataset> data, SimulationParams sim, TrainingParams params,
            std::uint64_t seed = 1);
    ~Trainer();
    Trainer(Trainer&&) noexcept;
    Trainer& operator=(Trainer&&) noexcept;

    const Network& network() const { return m_network; }
    /// The inline task; empty for a dataset task.
    const Task& task() const { return m_task; }
    /// What an epoch presents: the task's patterns or the dataset's training split.
    const PatternSet& trainingSet() const { return m_set; }
    /// The dataset of a dataset task, or nullptr.
    const std::shared_ptr<const LoadedDataset>& dataset() const { return m_data; }
    const SimulationParams& simulation() const { return m_sim; }
    const TrainingParams& params() const { return m_params; }
    /// Replaces the weights (e.g. "reset weights"); clears the history.
    void setNetwork(Network network);

    int completedEpochs() const { return m_completedEpochs; }
    /// True once a stop criterion other than cancellation was reached.
    bool finished() const { return m_result.reason != StopReason::None && m_result.reason != StopReason::Cancelled; }
    const TrainingResult& result() const { return m_result; }
    const std::vector<EpochMetrics>& history() const { return m_result.history; }

    /// Presents the next pattern of the current epoch (starting an epoch if needed): forward pass,
    /// metrics, update (applied now when online, at the epoch's end when batch). Returns false if
    /// cancelled during the pass (nothing is changed then) or training had already finished.
    bool stepPattern(TrainingObserver* observer = nullptr, const CancelFlag* cancel = nullptr);
    /// Presents the rest of the current epoch. Returns false if cancelled or finished.
    bool stepEpoch(TrainingObserver* observer = nullptr, const CancelFlag* cancel = nullptr);
    /// Runs epochs until a stop criterion (max epochs from the params, or `maxEpochs` if ≥ 0).
    /// A cancelled run can be resumed by calling run() again. `betweenEpochs` is called after each
    /// epoch that training continues past (not after the last one), when state() is available: the
    /// place to write a checkpoint.
    const TrainingResult& run(TrainingObserver* observer = nullptr, const CancelFlag* cancel = nullptr,
                              int maxEpochs = -1, const std::function<void()>& betweenEpochs = {});

    /// True between two epochs, where state() is available. An epoch that was cancelled before its
    /// first pattern has already drawn its order, so it does not count as a boundary.
    bool atEpochBoundary() const { return m_order.empty(); }
    /// The state to continue from later (a checkpoint). Throws std::logic_error inside an epoch.
    TrainerState state() const;
    /// Continues from `state`, taken from a trainer with the same settings, seed and task whose network
    /// was then the one this trainer holds: the following epochs give the same bits as that trainer's
    /// would have. Throws std::invalid_argument naming the field for a state that cannot be one.
    void restore(const TrainerState& state);

    /// Forward pass of every pattern with the current weights; no update.
    EpochMetrics evaluate(const CancelFlag* cancel = nullptr) const;
    /// Metrics of one pattern's forward pass.
    PatternMetrics measure(const SimulationRecord& record, const Pattern& pattern) const;

    /// Membrane potentials recorded on training passes (handed to the observer).
    void setRecordRequest(RecordRequest request) { m_record = std::move(request); }

    /// Threads for training and evaluation passes, including the caller; 0 = every core (the
    /// default). Changes no result, only the speed; online mode trains on one thread regardless.
    void setThreads(int threads);
    /// The thread count asked for (0 = every core).
    int threads() const { return m_threads; }
    /// Splits every batch over the ranks of `group` (MPI; nullptr = this process alone). Online
    /// mode cannot be split over more than one rank (throws std::invalid_argument; a group of one is
    /// ignored). With a group, patternFinished is not
    /// reported (a rank does not hold the other ranks' passes); epochs and the end are.
    void setGroup(DataParallelGroup* group);

    /// Bytes the exact batch sums take: one 256-bit integer per weight per thread (0 when online).
    static double batchSumBytes(const Network& network, const TrainingParams& params, int threads);

private:
    struct PatternOutcome;
    ThreadPool& pool() const;
    /// Forward pass, update and measurements of the pattern at `position` of the epoch's order.
    PatternOutcome computePattern(int position, bool forObserver, const CancelFlag* cancel) const;
    /// Adds a completed pass's update to `worker`'s batch sum (batch and mini-batch modes).
    void addToBatchSum(PatternOutcome& outcome, int worker);
    /// Frees a summed pass's update (its batch sum holds it); takeFromBatchSum then makes it again.
    void freeSummedGradient(PatternOutcome& outcome);
    /// Undoes addToBatchSum for a pass that is not kept.
    void takeFromBatchSum(const PatternOutcome& outcome);
    /// Turns a completed pass into a cancelled one when `cancel` is set; true when its update is in a
    /// batch sum, which the caller must then take out (takeFromBatchSum) once the workers are done.
    bool dropIfCancelled(PatternOutcome& outcome, const CancelFlag* cancel);
    /// Positions [begin, end) of the epoch as one ThreadPool::stream: each pass computed, summed into
    /// its worker's batch sum (and freed there unless `observer` wants it), then handed to finish() in
    /// order on this thread — a pass a cancel came before as a cancelled one. Passes not kept are taken
    /// out of the sums once every worker has returned. finish() returning false ends the stream.
    void streamPasses(int begin, int end, TrainingObserver* observer, const CancelFlag* cancel,
                      const std::function<bool(PatternOutcome&)>& finish);
    /// Presents positions [first, last) of the epoch, computed on the pool; they must lie within one batch.
    bool presentChunk(int first, int last, TrainingObserver* observer, const CancelFlag* cancel);
    /// Presents the rest of the current batch split over the ranks of m_group.
    bool presentShardedBatch(int last, const CancelFlag* cancel, TrainingObserver* observer);
    /// In presentation order: the metrics of a presented pattern, the update when online, the batch
    /// end and the observer. Returns false when training stopped.
    bool finishPattern(const PatternOutcome& outcome, TrainingObserver* observer, bool applyAtBatchEnd);
    /// The position one past the end of the batch that contains m_position.
    int batchEnd() const;
    void ensureBatchSums();
    void prepare();
    void beginEpoch();
    /// Adds the batch's exact sum to the weights; false (and training stopped) when it overflowed or is not finite.
    bool applyBatch(TrainingObserver* observer);
    /// The class decided on a forward pass (dataset tasks).
    int decide(const SimulationRecord& record) const;
    /// Dataset tasks: the evaluation pass of `split` (summaries, accuracy in validationAccuracy).
    EpochMetrics evaluateSplit(Split split, const CancelFlag* cancel) const;
    void finishEpoch(TrainingObserver* observer);
    /// Ends training; `evaluated` is a forward pass with the current weights already made, if any.
    void stop(StopReason reason, std::string message, TrainingObserver* observer,
              const EpochMetrics* evaluated = nullptr);

    Network m_network;
    Task m_task;
    std::shared_ptr<const LoadedDataset> m_data;
    PatternSet m_set;
    SimulationParams m_sim;
    TrainingParams m_params;
    std::vector<std::vector<SpikeTrain>> m_distinctTargets; // per output neuron: the task's distinct desired trains
    std::unique_ptr<LearningRule> m_rule;                   // built by the registry entry of m_params.rule
    std::vector<Eigen::MatrixXd> m_ruleState;               // per layer: the rule's per-weight state (adaptUpdate)
    std::mt19937_64 m_rng;
    RecordRequest m_record;

    int m_completedEpochs = 0;
    std::uint64_t m_seed = 1;
    std::vector<int> m_order; // presentation order of the current epoch
    int m_position = 0;       // next position in m_order; m_order.size() = epoch not started
    EpochMetrics m_current;
    // Exact batch sums, one per pool worker (merged into the first at the batch end); entry
    // offsets of layer l = m_layerOffsets[l − 1].
    std::vector<ExactSum> m_batchSums;
    std::vector<std::size_t> m_layerOffsets;
    int m_threads = 0;
    mutable std::unique_ptr<ThreadPool> m_pool;
    DataParallelGroup* m_group = nullptr;
    std::vector<std::int64_t> m_layerSpikes;
    int m_silentStreak = 0;
    int m_sinceImprovement = 0;
    int m_inBatch = 0;          // patterns summed in m_batchSums (mini-batch)
    int m_correct = 0;          // training passes decided right in this epoch (dataset tasks)
    double m_bestAccuracy = -1; // best validation (or training) accuracy so far (dataset tasks)
    std::chrono::steady_clock::time_point m_epochStart;
    TrainingResult m_result;
};

} // namespace normad
