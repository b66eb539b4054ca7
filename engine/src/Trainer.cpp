#include "normad/Trainer.h"

#include "normad/DatasetSplit.h"
#include "normad/Evaluation.h"
#include "normad/Metrics.h"
#include "normad/Pattern.h"
#include "normad/RuleRegistry.h"
#include "normad/TextFormat.h"
#include "normad/ThreadPool.h"
#include "normad/TrainingObserver.h"

#include "EnumNames.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace normad {

namespace {
constexpr auto stopReasonNames = {
    std::pair{StopReason::None, "running"},
    std::pair{StopReason::MaxEpochs, "max-epochs"},
    std::pair{StopReason::Converged, "converged"},
    std::pair{StopReason::Stagnated, "stagnated"},
    std::pair{StopReason::Cancelled, "cancelled"},
    std::pair{StopReason::NonFinite, "non-finite"},
    std::pair{StopReason::SilentLayer, "silent-layer"},
    std::pair{StopReason::RunawayLayer, "runaway-layer"},
};
} // namespace

std::string toString(StopReason r)
{
    return detail::enumName<StopReason>(stopReasonNames, r);
}

namespace {

std::vector<StepTrain> stepsOf(const SpikeRaster& raster, double dt)
{
    std::vector<StepTrain> steps;
    steps.reserve(raster.size());
    for (const SpikeTrain& t : raster)
        steps.push_back(toSteps(t, dt));
    return steps;
}

/// Per output neuron, the distinct desired trains among `rasters` (what "classified" compares with).
void addDistinct(std::vector<std::vector<SpikeTrain>>& distinct, const SpikeRaster& desired)
{
    for (std::size_t o = 0; o < desired.size() && o < distinct.size(); ++o) {
        auto& targets = distinct[o];
        if (std::find(targets.begin(), targets.end(), desired[o]) == targets.end())
            targets.push_back(desired[o]);
    }
}

} // namespace

/// What one training pass produced. The record and gradient are kept only until the pattern is
/// finished (at most ThreadPool::stream's window of them, 4 × threads, are alive); the rest is small
/// and is what MPI ranks exchange.
struct Trainer::PatternOutcome {
    int position = 0;
    int summedBy = -1;          // the worker whose batch sum holds this pass's update (−1: not summed)
    bool gradientFreed = false; // summed, then freed by the worker that made it (no observer wants it)
    SimulationStatus status = SimulationStatus::Completed; // Cancelled also for a cancelled gradient
    std::string message;
    PatternMetrics metrics;
    int predicted = undecidedClass;
    std::vector<std::int64_t> layerSpikes; // per layer 1 … L
    std::shared_ptr<const Pattern> pattern;
    SimulationRecord record;
    PatternGradient gradient;
};

Trainer::~Trainer() = default;
Trainer::Trainer(Trainer&&) noexcept = default;
Trainer& Trainer::operator=(Trainer&&) noexcept = default;

Trainer::Trainer(Network network, Task task, SimulationParams sim, TrainingParams params, std::uint64_t seed)
    : m_network(std::move(network)), m_task(std::move(task)), m_sim(sim), m_params(params), m_rng(seed), m_seed(seed)
{
    m_sim.validate();
    m_params.validate();
    m_task.validate(m_network.inputCount(), m_network.outputCount(), m_sim.duration, m_sim.dt);
    m_set = PatternSet::fromTask(m_task);
    m_distinctTargets.resize(static_cast<std::size_t>(m_network.outputCount()));
    for (const Pattern& p : m_task.patterns)
        addDistinct(m_distinctTargets, p.desired);
    prepare();
}

Trainer::Trainer(Network network, std::shared_ptr<const LoadedDataset> data, SimulationParams sim,
                 TrainingParams params, std::uint64_t seed)
    : m_network(std::move(network)), m_data(std::move(data)), m_sim(sim), m_params(params), m_rng(seed), m_seed(seed)
{
    if (!m_data)
        throw std::invalid_argument("Trainer: no dataset");
    m_sim.validate();
    m_params.validate();
    if (static_cast<std::size_t>(m_network.inputCount()) != m_data->inputCount())
        throw std::invalid_argument("network.inputs: the dataset's encoding gives " +
                                    std::to_string(m_data->inputCount()) + " inputs (got " +
                                    std::to_string(m_network.inputCount()) + ")");
    if (static_cast<std::size_t>(m_network.outputCount()) != m_data->outputCount())
        throw std::invalid_argument("network.layers: the output layer needs one neuron per class (" +
                                    std::to_string(m_data->outputCount()) + ") (got " +
                                    std::to_string(m_network.outputCount()) + ")");
    m_set = m_data->patterns(Split::Train);
    if (m_set.empty())
        throw std::invalid_argument("task.dataset.split: the training split is empty");
    m_distinctTargets.resize(static_cast<std::size_t>(m_network.outputCount()));
    for (const SpikeRaster& target : m_data->targets())
        addDistinct(m_distinctTargets, target);
    prepare();
}

void Trainer::prepare()
{
    m_rule = findRule(m_params.rule).create(m_network, m_sim, m_params.settings());
    m_ruleState.assign(static_cast<std::size_t>(m_network.layerCount()), Eigen::MatrixXd());
    m_layerOffsets.clear();
    std::size_t offset = 0;
    for (int l : m_network.layerNumbers()) {
        m_layerOffsets.push_back(offset);
        offset += static_cast<std::size_t>(m_network.weights(l).size());
    }
    m_layerOffsets.push_back(offset); // the total
    m_batchSums.clear();
}

void Trainer::setThreads(int threads)
{
    if (threads < 0)
        throw std::invalid_argument("threads: must be 0 (every core) or more (got " + std::to_string(threads) + ")");
    if (threads == m_threads)
        return;
    // A batch in progress keeps its sum: merge the per-worker sums before their number changes.
    if (m_batchSums.size() > 1)
        for (std::size_t w = 1; w < m_batchSums.size(); ++w)
            m_batchSums.front().add(m_batchSums[w]);
    if (!m_batchSums.empty())
        m_batchSums.resize(1);
    m_threads = threads;
    m_pool.reset();
}

void Trainer::setGroup(DataParallelGroup* group)
{
    if (group && group->size() > 1 && m_params.schedule == UpdateSchedule::Online)
        throw std::invalid_argument("training.schedule: online training is sequential by definition (each pattern "
                                    "sees the previous pattern's update) and cannot be split over " +
                                    std::to_string(group->size()) +
                                    " processes; use batch or mini-batch, or run without mpirun");
    // One online process needs no group: each pattern's update is applied at once, as always.
    m_group = (group && m_params.schedule == UpdateSchedule::Online) ? nullptr : group;
}

double Trainer::batchSumBytes(const Network& network, const TrainingParams& params, int threads)
{
    if (params.schedule == UpdateSchedule::Online)
        return 0;
    double weights = 0;
    for (int l : network.layerNumbers())
        weights += static_cast<double>(network.weights(l).size());
    return weights * ExactSum::limbsPerEntry * 8.0 * ThreadPool::resolve(threads);
}

ThreadPool& Trainer::pool() const
{
    if (!m_pool)
        m_pool = std::make_unique<ThreadPool>(m_threads);
    return *m_pool;
}

void Trainer::ensureBatchSums()
{
    const std::size_t workers = static_cast<std::size_t>(pool().size());
    const std::size_t entries = m_layerOffsets.back();
    if (m_batchSums.empty())
        m_batchSums.emplace_back(entries);
    while (m_batchSums.size() < workers)
        m_batchSums.emplace_back(entries);
}

void Trainer::setNetwork(Network network)
{
    m_network = std::move(network);
    prepare();
    m_completedEpochs = 0;
    m_order.clear();
    m_position = 0;
    m_inBatch = m_correct = 0;
    m_bestAccuracy = -1;
    m_silentStreak = m_sinceImprovement = 0;
    m_result = {};
}

PatternMetrics Trainer::measure(const SimulationRecord& record, const Pattern& pattern) const
{
    const MetricParams& mp = m_params.metrics;
    PatternMetrics m;
    const LayerActivity& out = record.layers.back();
    double vr2 = 0;
    m.minCorrelation = 1.0;
    m.classified = true;
    for (std::size_t o = 0; o < pattern.desired.size(); ++o) {
        const SpikeTrain actual = toTimes(out.spikes[o], m_sim.dt);
        const SpikeTrain& desired = pattern.desired[o];
        // Both empty: nothing was wanted and nothing came, a perfect answer (C's 0/0 guard aside).
        const double c = (actual.empty() && desired.empty())
                             ? 1.0
                             : metrics::correlation(desired, actual, mp.kernel, mp.correlationWidth);
        m.correlation += c;
        m.minCorrelation = std::min(m.minCorrelation, c);
        // Classified: strictly closer to its own target than to every other distinct target (§4.1).
        for (const SpikeTrain& other : m_distinctTargets[o])
            if (other != desired && metrics::correlation(other, actual, mp.kernel, mp.correlationWidth) >= c)
                m.classified = false;
        const double vr = metrics::vanRossumDistance(desired, actual, mp.vanRossumTau);
        vr2 += vr * vr;
        const metrics::SpikeMatch match = metrics::matchSpikes(desired, actual, mp.matchTolerance);
        m.missing += match.missing;
        m.extra += match.extra;
        m.outputSpikes += static_cast<int>(actual.size());
        m.desiredSpikes += static_cast<int>(desired.size());
        m.spikeCountError += std::abs(static_cast<int>(actual.size()) - static_cast<int>(desired.size()));
    }
    if (!pattern.desired.empty())
        m.correlation /= static_cast<double>(pattern.desired.size());
    m.vanRossum = std::sqrt(vr2);
    const std::vector<StepTrain> desiredSteps = stepsOf(pattern.desired, m_sim.dt);
    m.errorInstants = static_cast<int>(outputErrors(desiredSteps, out.spikes).size());
    m.cost = 0.5 * m.errorInstants;
    m.converged = m.minCorrelation >= m_params.targetCorrelation &&
                  (m_params.convergence == Convergence::Correlation || m.classified);
    return m;
}

void Trainer::beginEpoch()
{
    m_order.resize(m_set.size());
    if (m_set.hasClasses()) {
        // Dataset tasks are always shuffled, by (seed, epoch) alone: a resumed or re-run epoch
        // presents the same order whatever happened before it.
        std::vector<std::size_t> positions(m_set.size());
        std::iota(positions.begin(), positions.end(), std::size_t{0});
        const std::vector<std::size_t> order =
            epochOrder(positions, m_seed, static_cast<std::uint64_t>(m_completedEpochs));
        std::copy(order.begin(), order.end(), m_order.begin());
    } else {
        std::iota(m_order.begin(), m_order.end(), 0);
        if (m_params.shufflePatterns)
            std::shuffle(m_order.begin(), m_order.end(), m_rng);
    }
    m_position = 0;
    m_current = {};
    m_current.epoch = m_completedEpochs + 1;
    if (!m_set.hasClasses())
        m_current.patterns.assign(m_set.size(), {});
    m_layerSpikes.assign(static_cast<std::size_t>(m_network.layerCount()), 0);
    for (ExactSum& sum : m_batchSums)
        sum.reset();
    m_inBatch = 0;
    m_correct = 0;
    m_epochStart = std::chrono::steady_clock::now();
}

bool Trainer::applyBatch(TrainingObserver* observer)
{
    const int patterns = m_inBatch;
    m_inBatch = 0;
    if (m_batchSums.empty())
        return true;
    ExactSum& sum = m_batchSums.front();
    for (std::size_t w = 1; w < m_batchSums.size(); ++w)
        if (m_batchSums[w].additions() > 0) {
            sum.add(m_batchSums[w]);
            m_batchSums[w].reset();
        }
    if (m_group)
        m_group->allreduce(sum); // every rank now holds the whole batch's exact sum
    if (sum.additions() == 0)
        return true;
    if (!sum.finite() || sum.overflowed()) {
        const std::string what =
            !sum.finite() ? "was not finite (NaN or infinite)" : "exceeded the exact-sum range of ±2^32 A per pattern";
        stop(StopReason::NonFinite,
             "the weight update of a batch of " + plural(patterns, "pattern") + " in epoch " +
                 std::to_string(m_current.epoch) + " " + what + "; lower the learning rate or initial weights",
             observer);
        return false;
    }
    for (int l : m_network.layerNumbers()) {
        const Eigen::MatrixXd& w = m_network.weights(l);
        Eigen::MatrixXd dw(w.rows(), w.cols());
        sum.values(std::span<double>(dw.data(), static_cast<std::size_t>(dw.size())), ofLayer(m_layerOffsets, l));
        if (m_rule->hasUpdateState()) // every rank holds the same sum, so the same state
            m_rule->adaptUpdate(m_network, l, learningRateScale(m_params, m_completedEpochs), dw,
                                ofLayer(m_ruleState, l));
        m_network.addToWeights(l, dw);
    }
    sum.reset();
    return true;
}

int Trainer::decide(const SimulationRecord& record) const
{
    const LayerActivity& out = record.layers.back();
    SpikeRaster output;
    output.reserve(out.spikes.size());
    for (const StepTrain& t : out.spikes)
        output.push_back(toTimes(t, m_sim.dt));
    return decideClass(output, m_data->targets(), m_data->decision(), m_params.metrics.vanRossumTau);
}

Trainer::PatternOutcome Trainer::computePattern(int position, bool forObserver, const CancelFlag* cancel) const
{
    PatternOutcome o;
    o.position = position;
    const auto index = static_cast<std::size_t>(m_order[static_cast<std::size_t>(position)]);
    o.pattern = m_set.pattern(index);
    const Pattern& pattern = *o.pattern;
    const RecordRequest record = forObserver ? m_record : RecordRequest{};
    const Simulator sim(m_network, m_sim);
    o.record = sim.runSteps(stepsOf(pattern.inputs, m_sim.dt), record, cancel);
    o.status = o.record.status;
    o.message = o.record.message;
    if (o.status != SimulationStatus::Completed)
        return o;
    const double scale = learningRateScale(m_params, m_completedEpochs);
    const std::vector<StepTrain> desired = stepsOf(pattern.desired, m_sim.dt);
    o.gradient = m_rule->compute(m_network, o.record, desired, scale, cancel);
    if (o.gradient.cancelled) { // nothing of this pattern is applied: a resumed run redoes it
        o.status = SimulationStatus::Cancelled;
        return o;
    }
    o.metrics = measure(o.record, pattern);
    if (m_set.hasClasses())
        o.predicted = decide(o.record);
    o.layerSpikes.reserve(static_cast<std::size_t>(m_network.layerCount()));
    for (int l : m_network.layerNumbers())
        o.layerSpikes.push_back(o.record.activity(l).totalSpikes());
    return o;
}

int Trainer::batchEnd() const
{
    const int size = static_cast<int>(m_order.size());
    switch (m_params.schedule) {
    case UpdateSchedule::Online:
        return std::min(size, m_position + 1);
    case UpdateSchedule::MiniBatch:
        return std::min(size, m_position + (m_params.batchSize - m_inBatch));
    case UpdateSchedule::Batch:
        break;
    }
    return size;
}

bool Trainer::finishPattern(const PatternOutcome& outcome, TrainingObserver* observer, bool applyAtBatchEnd)
{
    const int index = m_order[static_cast<std::size_t>(outcome.position)];
    const int label = m_set.label(static_cast<std::size_t>(index));
    if (m_set.hasClasses()) {
        m_current.accumulate(outcome.metrics); // summaries only (EpochMetrics)
        m_correct += outcome.predicted == label ? 1 : 0;
    } else {
        m_current.patterns[static_cast<std::size_t>(index)] = outcome.metrics;
    }
    for (int l : m_network.layerNumbers())
        ofLayer(m_layerSpikes, l) += ofLayer(outcome.layerSpikes, l);
    if (m_params.schedule == UpdateSchedule::Online) {
        for (int l : m_network.layerNumbers()) {
            if (m_rule->hasUpdateState()) {
                Eigen::MatrixXd step = outcome.gradient.delta(l);
                m_rule->adaptUpdate(m_network, l, learningRateScale(m_params, m_completedEpochs), step,
                                    ofLayer(m_ruleState, l));
                m_network.addToWeights(l, step);
            } else {
                m_network.addToWeights(l, outcome.gradient.delta(l));
            }
        }
    } else {
        ++m_inBatch;
        if (applyAtBatchEnd && m_params.schedule == UpdateSchedule::MiniBatch && m_inBatch >= m_params.batchSize &&
            !applyBatch(observer))
            return false;
    }
    if (observer && !m_group && observer->wantsPatterns())
        observer->patternFinished({m_current.epoch, index, m_position, *outcome.pattern, outcome.record,
                                   outcome.gradient, outcome.metrics, m_network, label, outcome.predicted,
                                   m_set.sampleIndex(static_cast<std::size_t>(index))});
    ++m_position;
    if (m_position >= static_cast<int>(m_order.size()))
        finishEpoch(observer);
    return true;
}

void Trainer::addToBatchSum(PatternOutcome& outcome, int worker)
{
    if (m_params.schedule == UpdateSchedule::Online || outcome.status != SimulationStatus::Completed)
        return;
    // Each worker adds into its own sum; the sums are exact, so the order of the passes does not matter.
    ExactSum& sum = m_batchSums[static_cast<std::size_t>(worker)];
    for (int l : m_network.layerNumbers()) {
        const Eigen::MatrixXd& d = outcome.gradient.delta(l);
        sum.add(std::span<const double>(d.data(), static_cast<std::size_t>(d.size())), ofLayer(m_layerOffsets, l));
    }
    outcome.summedBy = worker;
}

void Trainer::freeSummedGradient(PatternOutcome& outcome)
{
    // Freed on the thread that allocated it, at once: freed later by the calling thread, the updates
    // crossed malloc arenas and two threads gave 1.72× instead of 1.93× on the first Fashion-MNIST
    // epoch of docs/scaling.md.
    if (outcome.summedBy < 0)
        return;
    outcome.gradient = {};
    outcome.gradientFreed = true;
}

void Trainer::takeFromBatchSum(const PatternOutcome& outcome)
{
    if (outcome.summedBy < 0)
        return;
    // A freed update is made again: the same pass with the same weights gives the same bits (rare:
    // only passes computed ahead of a cancel are taken out).
    const PatternOutcome again =
        outcome.gradientFreed ? computePattern(outcome.position, false, nullptr) : PatternOutcome{};
    const PatternGradient& gradient = outcome.gradientFreed ? again.gradient : outcome.gradient;
    ExactSum& sum = m_batchSums[static_cast<std::size_t>(outcome.summedBy)];
    for (int l : m_network.layerNumbers()) {
        const Eigen::MatrixXd& d = gradient.delta(l);
        sum.subtract(std::span<const double>(d.data(), static_cast<std::size_t>(d.size())), ofLayer(m_layerOffsets, l));
    }
}

bool Trainer::dropIfCancelled(PatternOutcome& outcome, const CancelFlag* cancel)
{
    // A pass computed ahead of its turn is finished only if no cancel came before its turn: a stop
    // lands where it would have landed with the passes presented one by one.
    if (outcome.status != SimulationStatus::Completed || !cancelled(cancel))
        return false;
    outcome.status = SimulationStatus::Cancelled;
    return outcome.summedBy >= 0;
}

void Trainer::streamPasses(int begin, int end, TrainingObserver* observer, const CancelFlag* cancel,
                           const std::function<bool(PatternOutcome&)>& finish)
{
    const bool patterns = observer && observer->wantsPatterns();
    const bool forObserver = patterns && observer->wantsMembranes();
    if (m_params.schedule != UpdateSchedule::Online)
        ensureBatchSums();
    std::optional<PatternOutcome> dropped; // a completed pass a cancel came before
    // A stream, not chunks: a worker takes the next pass as soon as it is free (no barrier between
    // passes), and the passes are finished in presentation order here as they become ready.
    pool().stream(
        static_cast<std::size_t>(end - begin), 0,
        [&](std::size_t i, int worker) {
            PatternOutcome o = computePattern(begin + static_cast<int>(i), forObserver, cancel);
            addToBatchSum(o, worker);
            if (!patterns) { // only an observer of patterns looks at them: freed where they were made, at once
                o.record = {};
                freeSummedGradient(o);
            }
            return o;
        },
        [&](std::size_t, PatternOutcome& o) {
            if (dropIfCancelled(o, cancel))
                dropped = o; // taken out of its sum once no worker adds to it any more
            return finish(o);
        },
        // Only the passes before the first that did not complete count (as if presented one by one):
        // later ones that completed are taken out of the sums again, and a resumed run redoes them.
        [&](std::size_t, PatternOutcome& o) { takeFromBatchSum(o); });
    if (dropped)
        takeFromBatchSum(*dropped);
}

bool Trainer::presentChunk(int first, int last, TrainingObserver* observer, const CancelFlag* cancel)
{
    bool presented = true;
    streamPasses(first, last, observer, cancel, [&](PatternOutcome& o) {
        if (o.status == SimulationStatus::NonFinite) {
            stop(StopReason::NonFinite, o.message, observer);
            presented = false;
        } else if (o.status != SimulationStatus::Completed) {
            m_result.reason = StopReason::Cancelled;
            m_result.message = "cancelled by request";
            presented = false;
        } else if (!finishPattern(o, observer, true)) {
            presented = false;
        }
        return presented;
    });
    return presented;
}

bool Trainer::stepPattern(TrainingObserver* observer, const CancelFlag* cancel)
{
    if (finished())
        return false;
    if (m_order.empty() || m_position >= static_cast<int>(m_order.size()))
        beginEpoch();
    if (m_group)
        return presentShardedBatch(batchEnd(), cancel, observer);
    return presentChunk(m_position, m_position + 1, observer, cancel);
}

void Trainer::finishEpoch(TrainingObserver* observer)
{
    if (!applyBatch(observer))
        return;
    const bool classes = m_set.hasClasses();
    if (classes)
        m_current.finishSummary();
    else
        m_current.summarize();
    const double trialSeconds = m_sim.duration * static_cast<double>(m_set.size());
    m_current.layerRates.clear();
    for (int l : m_network.layerNumbers())
        m_current.layerRates.push_back(static_cast<double>(ofLayer(m_layerSpikes, l)) /
                                       (m_network.populationSize(l) * trialSeconds));
    // convergeOnEvaluation: the criterion is checked on a forward pass with the epoch-end weights
    // (docs/xor-research.md); the update rule itself is unchanged. The epoch's `converged` then says
    // whether the network as it stands meets the criterion, and that pass is the final evaluation.
    std::optional<EpochMetrics> evaluation;
    // Checked once: the observer below sees the network read-only.
    const bool finite = m_network.weightsFinite();
    if (classes) {
        // A class has no target correlation to converge to: dataset tasks run to max epochs or stagnation.
        m_current.converged = false;
        m_current.trainAccuracy = static_cast<double>(m_correct) / static_cast<double>(m_current.presented);
        const PatternSet& validation = m_data->patterns(Split::Validation);
        if (!validation.empty() && finite)
            m_current.validationAccuracy = normad::evaluate(m_network, validation, m_sim, m_params, m_data->decision(),
                                                            m_data->targets(), nullptr, {}, &pool(), m_group)
                                               .accuracy;
    } else if (m_params.convergeOnEvaluation && finite) {
        evaluation = evaluate();
        m_current.converged = evaluation->converged && evaluation->patterns.size() == m_set.size();
        m_current.evaluatedMinCorrelation = evaluation->minCorrelation;
        m_current.evaluatedMeanCorrelation = evaluation->meanCorrelation;
    }
    m_current.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_epochStart).count();
    ++m_completedEpochs;
    m_result.history.push_back(m_current);
    m_result.epochs = m_completedEpochs;
    m_order.clear();
    if (observer)
        observer->epochFinished(m_current, m_network);

    // Stop criteria, in order of severity.
    if (!finite) {
        stop(StopReason::NonFinite, "a weight became non-finite in epoch " + std::to_string(m_current.epoch), observer);
        return;
    }
    for (int l : m_network.layerNumbers()) {
        const double rate = m_current.layerRate(l);
        if (m_params.runawayRate > 0 && rate > m_params.runawayRate) {
            std::ostringstream s;
            s << "layer " << l << " fired at " << rate << " Hz on average in epoch " << m_current.epoch
              << ", above the runaway limit of " << m_params.runawayRate
              << " Hz; lower the learning rate or initial weights";
            stop(StopReason::RunawayLayer, s.str(), observer);
            return;
        }
    }
    bool silent = false;
    int silentLayer = 0;
    for (int l = 1; l < m_network.layerCount(); ++l)
        if (m_network.layer(l).trainable && ofLayer(m_layerSpikes, l) == 0) {
            silent = true;
            silentLayer = l;
            break;
        }
    m_silentStreak = silent ? m_silentStreak + 1 : 0;
    if (m_params.silentEpochs > 0 && m_silentStreak >= m_params.silentEpochs) {
        stop(StopReason::SilentLayer,
             "hidden layer " + std::to_string(silentLayer) + " emitted no spike for any pattern in " +
                 std::to_string(m_silentStreak) +
                 " epochs in a row; silent neurons receive no gradient (spec A3): raise its initial weights",
             observer);
        return;
    }
    if (m_current.converged) {
        if (m_result.convergedEpoch < 0)
            m_result.convergedEpoch = m_current.epoch;
        std::ostringstream s;
        s << "every pattern reached C ≥ " << m_params.targetCorrelation
          << (m_params.convergence == Convergence::Classification
                  ? " and was closer to its own target than to any other"
                  : "")
          << " in epoch " << m_current.epoch;
        stop(StopReason::Converged, s.str(), observer, evaluation ? &*evaluation : nullptr);
        return;
    }
    if (classes) {
        // Stagnation of a dataset task: the validation accuracy (the training accuracy without a
        // validation split) has not improved.
        m_result.bestMinCorrelation = std::max(m_result.bestMinCorrelation, m_current.minCorrelation);
        const bool judgedOnValidation = std::isfinite(m_current.validationAccuracy);
        const double accuracy = judgedOnValidation ? m_current.validationAccuracy : m_current.trainAccuracy;
        if (accuracy > m_bestAccuracy + 1e-12 || m_completedEpochs == 1) {
            m_bestAccuracy = std::max(m_bestAccuracy, accuracy);
            m_sinceImprovement = 0;
        } else {
            ++m_sinceImprovement;
        }
        if (m_params.stagnationEpochs > 0 && m_sinceImprovement >= m_params.stagnationEpochs) {
            std::ostringstream s;
            s << "the " << (judgedOnValidation ? "validation" : "training") << " accuracy has not improved for "
              << m_sinceImprovement << " epochs (best " << formatShortest(100 * m_bestAccuracy) << " %)";
            stop(StopReason::Stagnated, s.str(), observer);
        }
        return;
    }
    if (m_current.minCorrelation > m_result.bestMinCorrelation + 1e-12 || m_completedEpochs == 1) {
        m_result.bestMinCorrelation = std::max(m_result.bestMinCorrelation, m_current.minCorrelation);
        m_sinceImprovement = 0;
    } else {
        ++m_sinceImprovement;
    }
    if (m_params.stagnationEpochs > 0 && m_sinceImprovement >= m_params.stagnationEpochs) {
        stop(StopReason::Stagnated,
             "the worst pattern's correlation has not improved for " + std::to_string(m_sinceImprovement) + " epochs",
             observer);
        return;
    }
}

void Trainer::stop(StopReason reason, std::string message, TrainingObserver* observer, const EpochMetrics* evaluated)
{
    m_result.reason = reason;
    m_result.message = std::move(message);
    m_result.bestMinCorrelation = std::max(m_result.bestMinCorrelation, m_current.minCorrelation);
    m_result.finalEvaluation = evaluated ? *evaluated : evaluate();
    if (observer)
        observer->trainingFinished(m_result);
}

bool Trainer::stepEpoch(TrainingObserver* observer, const CancelFlag* cancel)
{
    if (finished())
        return false;
    const int epoch = m_completedEpochs;
    while (m_completedEpochs == epoch) {
        if (m_order.empty() || m_position >= static_cast<int>(m_order.size()))
            beginEpoch();
        bool presented;
        if (m_group) {
            presented = presentShardedBatch(batchEnd(), cancel, observer);
        } else {
            // The rest of the batch as one stream over the pool (batchEnd() is the next pattern when
            // online: each pattern sees the previous update).
            presented = presentChunk(m_position, batchEnd(), observer, cancel);
        }
        if (!presented)
            return false;
        if (finished())
            break;
    }
    return true;
}

const TrainingResult& Trainer::run(TrainingObserver* observer, const CancelFlag* cancel, int maxEpochs,
                                   const std::function<void()>& betweenEpochs)
{
    auto start = std::chrono::steady_clock::now();
    const int limit = maxEpochs >= 0 ? maxEpochs : m_params.maxEpochs;
    if (m_result.reason == StopReason::Cancelled)
        m_result.reason = StopReason::None;
    while (!finished()) {
        if (m_completedEpochs >= limit && (m_order.empty() || m_position == 0)) {
            stop(StopReason::MaxEpochs, "reached the maximum of " + std::to_string(limit) + " epochs", observer);
            break;
        }
        if (cancelled(cancel) || !stepEpoch(observer, cancel)) {
            if (!finished()) {
                m_result.reason = StopReason::Cancelled;
                m_result.message = "cancelled by request after " + std::to_string(m_completedEpochs) + " epochs";
                if (observer)
                    observer->trainingFinished(m_result);
            }
            break;
        }
        if (betweenEpochs && !finished() && m_completedEpochs < limit && atEpochBoundary()) {
            // The time so far belongs to the state a checkpoint takes.
            const auto now = std::chrono::steady_clock::now();
            m_result.seconds += std::chrono::duration<double>(now - start).count();
            start = now;
            betweenEpochs();
        }
    }
    m_result.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return m_result;
}

TrainerState Trainer::state() const
{
    if (!atEpochBoundary())
        throw std::logic_error("Trainer::state: only between epochs (epoch " + std::to_string(m_current.epoch) +
                               " is in progress)");
    TrainerState s;
    s.completedEpochs = m_completedEpochs;
    std::ostringstream rng;
    rng << m_rng;
    s.rng = rng.str();
    s.silentStreak = m_silentStreak;
    s.sinceImprovement = m_sinceImprovement;
    s.bestAccuracy = m_bestAccuracy;
    s.convergedEpoch = m_result.convergedEpoch;
    s.bestMinCorrelation = m_result.bestMinCorrelation;
    s.seconds = m_result.seconds;
    s.history = m_result.history;
    if (m_rule->hasUpdateState())
        s.ruleState = m_ruleState;
    return s;
}

void Trainer::restore(const TrainerState& s)
{
    auto refuse = [](const std::string& field, const std::string& value, const std::string& why) {
        throw std::invalid_argument("trainer." + field + ": " + why + " (got " + value + ")");
    };
    if (s.completedEpochs < 0)
        refuse("completedEpochs", std::to_string(s.completedEpochs), "must be 0 or more");
    if (s.history.size() != static_cast<std::size_t>(s.completedEpochs))
        refuse("history", std::to_string(s.history.size()) + " entries",
               "needs one entry per completed epoch (" + std::to_string(s.completedEpochs) + ")");
    if (!s.ruleState.empty()) {
        if (s.ruleState.size() != static_cast<std::size_t>(m_network.layerCount()))
            refuse("ruleState", std::to_string(s.ruleState.size()) + " layers",
                   "needs one matrix per layer (" + std::to_string(m_network.layerCount()) + ")");
        for (int l : m_network.layerNumbers()) {
            const Eigen::MatrixXd& m = ofLayer(s.ruleState, l);
            if (m.size() != 0 && (m.rows() != m_network.weights(l).rows() || m.cols() != m_network.weights(l).cols()))
                refuse("ruleState[" + std::to_string(l - 1) + "]",
                       std::to_string(m.rows()) + "×" + std::to_string(m.cols()),
                       "must have the shape of layer " + std::to_string(l) + "'s weights");
        }
    }
    std::mt19937_64 rng;
    std::istringstream text(s.rng);
    text >> rng;
    if (!text)
        refuse("rng", "\"" + s.rng.substr(0, 40) + (s.rng.size() > 40 ? "…" : "") + "\"",
               "is not the state of a std::mt19937_64 generator");
    m_rng = rng;
    m_completedEpochs = s.completedEpochs;
    m_order.clear();
    m_position = 0;
    // Between epochs a trainer's current epoch is the last one finished (stop() reads it).
    m_current = s.history.empty() ? EpochMetrics{} : s.history.back();
    for (ExactSum& sum : m_batchSums)
        sum.reset();
    m_inBatch = m_correct = 0;
    m_silentStreak = s.silentStreak;
    m_sinceImprovement = s.sinceImprovement;
    m_bestAccuracy = s.bestAccuracy;
    m_result = {};
    m_result.epochs = s.completedEpochs;
    m_result.convergedEpoch = s.convergedEpoch;
    m_result.bestMinCorrelation = s.bestMinCorrelation;
    m_result.seconds = s.seconds;
    m_result.history = s.history;
    if (s.ruleState.empty())
        m_ruleState.assign(static_cast<std::size_t>(m_network.layerCount()), Eigen::MatrixXd());
    else
        m_ruleState = s.ruleState;
}

namespace {
/// One evaluation pass: its status, metrics, decided class and spikes per layer.
struct EvaluationOutcome {
    SimulationStatus status = SimulationStatus::Completed;
    PatternMetrics metrics;
    int predicted = undecidedClass;
    std::vector<std::int64_t> layerSpikes;
};
} // namespace

EpochMetrics Trainer::evaluate(const CancelFlag* cancel) const
{
    if (m_set.hasClasses())
        return evaluateSplit(m_data->patterns(Split::Validation).empty() ? Split::Train : Split::Validation, cancel);
    EpochMetrics e;
    e.epoch = m_completedEpochs;
    const auto start = std::chrono::steady_clock::now();
    const Simulator sim(m_network, m_sim);
    std::vector<std::int64_t> spikes(static_cast<std::size_t>(m_network.layerCount()), 0);
    // Passes run on the pool; results are taken in pattern order, so the figures are the same for any thread count.
    pool().ordered(
        m_set.size(), 0,
        [&](std::size_t p) {
            EvaluationOutcome o;
            const std::shared_ptr<const Pattern> pattern = m_set.pattern(p);
            const SimulationRecord rec = sim.runSteps(stepsOf(pattern->inputs, m_sim.dt), {}, cancel);
            o.status = rec.status;
            if (o.status != SimulationStatus::Completed)
                return o;
            o.metrics = measure(rec, *pattern);
            for (int l : m_network.layerNumbers())
                o.layerSpikes.push_back(rec.activity(l).totalSpikes());
            return o;
        },
        [&](std::size_t, const EvaluationOutcome& o) {
            if (o.status != SimulationStatus::Completed)
                return false;
            e.patterns.push_back(o.metrics);
            for (int l : m_network.layerNumbers())
                ofLayer(spikes, l) += ofLayer(o.layerSpikes, l);
            return true;
        });
    e.summarize();
    for (int l : m_network.layerNumbers())
        e.layerRates.push_back(static_cast<double>(ofLayer(spikes, l)) /
                               (m_network.populationSize(l) * m_sim.duration * static_cast<double>(m_set.size())));
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return e;
}

EpochMetrics Trainer::evaluateSplit(Split split, const CancelFlag* cancel) const
{
    EpochMetrics e;
    e.epoch = m_completedEpochs;
    const auto start = std::chrono::steady_clock::now();
    const PatternSet& set = m_data->patterns(split);
    const Simulator sim(m_network, m_sim);
    std::vector<std::int64_t> spikes(static_cast<std::size_t>(m_network.layerCount()), 0);
    int correct = 0;
    // Shared over the ranks of a data-parallel run (each simulates its block), consumed in order on all.
    const auto encode = [&](const EvaluationOutcome& o, std::vector<std::uint8_t>& out) {
        putBytes(out, static_cast<std::int32_t>(o.status));
        putBytes(out, static_cast<std::int32_t>(o.predicted));
        putBytes(out, o.metrics);
        for (int l : m_network.layerNumbers())
            putBytes(out, o.layerSpikes.empty() ? std::int64_t{0} : ofLayer(o.layerSpikes, l));
    };
    const auto decode = [&](const std::vector<std::uint8_t>& in, std::size_t& at) {
        EvaluationOutcome o;
        o.status = static_cast<SimulationStatus>(takeBytes<std::int32_t>(in, at));
        o.predicted = takeBytes<std::int32_t>(in, at);
        o.metrics = takeBytes<PatternMetrics>(in, at);
        for ([[maybe_unused]] int l : m_network.layerNumbers())
            o.layerSpikes.push_back(takeBytes<std::int64_t>(in, at));
        return o;
    };
    orderedOverRanks(
        m_group, &pool(), set.size(),
        [&](std::size_t p) {
            EvaluationOutcome o;
            const std::shared_ptr<const Pattern> pattern = set.pattern(p);
            const SimulationRecord rec = sim.runSteps(stepsOf(pattern->inputs, m_sim.dt), {}, cancel);
            o.status = rec.status;
            if (o.status != SimulationStatus::Completed)
                return o;
            o.metrics = measure(rec, *pattern);
            o.predicted = decide(rec);
            for (int l : m_network.layerNumbers())
                o.layerSpikes.push_back(rec.activity(l).totalSpikes());
            return o;
        },
        [&](std::size_t p, const EvaluationOutcome& o) {
            if (o.status != SimulationStatus::Completed)
                return false;
            e.accumulate(o.metrics);
            correct += o.predicted == set.label(p) ? 1 : 0;
            for (int l : m_network.layerNumbers())
                ofLayer(spikes, l) += ofLayer(o.layerSpikes, l);
            return true;
        },
        encode, decode);
    e.finishSummary();
    e.converged = false;
    if (e.presented > 0)
        e.validationAccuracy = static_cast<double>(correct) / e.presented;
    for (int l : m_network.layerNumbers())
        e.layerRates.push_back(static_cast<double>(ofLayer(spikes, l)) /
                               (m_network.populationSize(l) * m_sim.duration * std::max(1, e.presented)));
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return e;
}

bool Trainer::presentShardedBatch(int last, const CancelFlag* cancel, TrainingObserver* observer)
{
    const int first = m_position;
    const int count = last - first;
    // Contiguous shards in rank order: the gathered outcomes are then in presentation order.
    const auto [shardBegin, shardEnd] = shareOf(static_cast<std::size_t>(count), m_group->rank(), m_group->size());
    const int begin = first + static_cast<int>(shardBegin);
    const int end = first + static_cast<int>(shardEnd);
    std::vector<std::uint8_t> local;
    // A failure anywhere stops training before this batch is applied, so each pass is summed at once;
    // no observer sees a rank's passes (patternFinished is not reported with a group).
    streamPasses(begin, end, nullptr, cancel, [&](PatternOutcome& o) {
        putBytes(local, static_cast<std::int32_t>(o.status));
        putBytes(local, static_cast<std::int32_t>(o.predicted));
        putBytes(local, o.metrics);
        for (int l : m_network.layerNumbers())
            putBytes(local, o.layerSpikes.empty() ? std::int64_t{0} : ofLayer(o.layerSpikes, l));
        putBytes(local, static_cast<std::uint64_t>(o.message.size()));
        local.insert(local.end(), o.message.begin(), o.message.end());
        return o.status == SimulationStatus::Completed; // later passes of this shard would not count
    });
    const std::vector<std::uint8_t> all = m_group->allgather(local);
    std::size_t at = 0;
    int position = first;
    while (at < all.size()) {
        PatternOutcome o;
        o.position = position++;
        o.status = static_cast<SimulationStatus>(takeBytes<std::int32_t>(all, at));
        o.predicted = takeBytes<std::int32_t>(all, at);
        o.metrics = takeBytes<PatternMetrics>(all, at);
        for ([[maybe_unused]] int l : m_network.layerNumbers())
            o.layerSpikes.push_back(takeBytes<std::int64_t>(all, at));
        const auto length = takeBytes<std::uint64_t>(all, at);
        if (at + length > all.size())
            throw std::runtime_error("data-parallel training: a rank sent a truncated message");
        o.message.assign(reinterpret_cast<const char*>(all.data() + at), length);
        at += length;
        if (o.status == SimulationStatus::NonFinite) {
            stop(StopReason::NonFinite, o.message, observer);
            return false;
        }
        if (o.status != SimulationStatus::Completed) {
            // A rank was cancelled: the partial batch is dropped and the run ends (a data-parallel run is not resumed).
            for (ExactSum& sum : m_batchSums)
                sum.reset();
            m_order.clear();
            m_result.reason = StopReason::Cancelled;
            m_result.message = "cancelled by request";
            return false;
        }
        if (!finishPattern(o, observer, true))
            return false;
    }
    if (position != last)
        throw std::runtime_error("data-parallel training: the ranks returned " + std::to_string(position - first) +
                                 " of " + std::to_string(count) + " patterns of a batch");
    return true;
}

} // namespace normad
