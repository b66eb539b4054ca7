#include "normad/Trainer.h"

#include "normad/DatasetSplit.h"
#include "normad/Evaluation.h"
#include "normad/Metrics.h"
#include "normad/Pattern.h"
#include "normad/RuleRegistry.h"
#include "normad/TextFormat.h"
#include "normad/TrainingObserver.h"

#include "EnumNames.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <sstream>

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
}

void Trainer::setNetwork(Network network)
{
    m_network = std::move(network);
    m_rule = findRule(m_params.rule).create(m_network, m_sim, m_params.settings());
    m_completedEpochs = 0;
    m_order.clear();
    m_position = 0;
    m_batchDelta.clear();
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
    m_batchDelta.clear();
    m_inBatch = 0;
    m_correct = 0;
    m_epochStart = std::chrono::steady_clock::now();
}

void Trainer::applyBatch()
{
    if (!m_batchDelta.empty())
        for (int l : m_network.layerNumbers())
            m_network.addToWeights(l, ofLayer(m_batchDelta, l));
    m_batchDelta.clear();
    m_inBatch = 0;
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

bool Trainer::stepPattern(TrainingObserver* observer, const CancelFlag* cancel)
{
    if (finished())
        return false;
    if (m_order.empty() || m_position >= static_cast<int>(m_order.size()))
        beginEpoch();
    const int index = m_order[static_cast<std::size_t>(m_position)];
    const std::shared_ptr<const Pattern> presented = m_set.pattern(static_cast<std::size_t>(index));
    const Pattern& pattern = *presented;

    RecordRequest record = (observer && observer->wantsMembranes()) ? m_record : RecordRequest{};
    Simulator sim(m_network, m_sim);
    const SimulationRecord rec = sim.runSteps(stepsOf(pattern.inputs, m_sim.dt), record, cancel);
    if (rec.status == SimulationStatus::Cancelled) {
        m_result.reason = StopReason::Cancelled;
        m_result.message = "cancelled by request";
        return false;
    }
    if (rec.status == SimulationStatus::NonFinite) {
        stop(StopReason::NonFinite, rec.message, observer);
        return false;
    }

    const double scale = learningRateScale(m_params, m_completedEpochs);
    const std::vector<StepTrain> desired = stepsOf(pattern.desired, m_sim.dt);
    PatternGradient gradient = m_rule->compute(m_network, rec, desired, scale, cancel);
    if (gradient.cancelled) { // nothing of this pattern is applied: a resumed run redoes it
        m_result.reason = StopReason::Cancelled;
        m_result.message = "cancelled by request";
        return false;
    }
    const PatternMetrics metrics = measure(rec, pattern);
    const int label = m_set.label(static_cast<std::size_t>(index));
    int predicted = undecidedClass;
    if (m_set.hasClasses()) {
        m_current.accumulate(metrics); // summaries only (EpochMetrics)
        predicted = decide(rec);
        m_correct += predicted == label ? 1 : 0;
    } else {
        m_current.patterns[static_cast<std::size_t>(index)] = metrics;
    }
    for (int l : m_network.layerNumbers())
        ofLayer(m_layerSpikes, l) += rec.activity(l).totalSpikes();
    if (m_params.schedule == UpdateSchedule::Online) {
        for (int l : m_network.layerNumbers())
            m_network.addToWeights(l, gradient.delta(l));
    } else {
        if (m_batchDelta.empty()) {
            m_batchDelta = gradient.deltas;
        } else {
            for (int l : m_network.layerNumbers())
                ofLayer(m_batchDelta, l) += gradient.delta(l);
        }
        ++m_inBatch;
        if (m_params.schedule == UpdateSchedule::MiniBatch && m_inBatch >= m_params.batchSize)
            applyBatch();
    }

    if (observer)
        observer->patternFinished({m_current.epoch, index, m_position, pattern, rec, gradient, metrics, m_network,
                                   label, predicted, m_set.sampleIndex(static_cast<std::size_t>(index))});
    ++m_position;
    if (m_position >= static_cast<int>(m_order.size()))
        finishEpoch(observer);
    return true;
}

void Trainer::finishEpoch(TrainingObserver* observer)
{
    applyBatch();
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
    if (classes) {
        // A class has no target correlation to converge to: dataset tasks run to max epochs or stagnation.
        m_current.converged = false;
        m_current.trainAccuracy = static_cast<double>(m_correct) / static_cast<double>(m_current.presented);
        const PatternSet& validation = m_data->patterns(Split::Validation);
        if (!validation.empty() && m_network.weightsFinite())
            m_current.validationAccuracy =
                normad::evaluate(m_network, validation, m_sim, m_params, m_data->decision(), m_data->targets())
                    .accuracy;
    } else if (m_params.convergeOnEvaluation && m_network.weightsFinite()) {
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
    if (!m_network.weightsFinite()) {
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
        if (!stepPattern(observer, cancel))
            return false;
        if (finished())
            break;
    }
    return true;
}

const TrainingResult& Trainer::run(TrainingObserver* observer, const CancelFlag* cancel, int maxEpochs)
{
    const auto start = std::chrono::steady_clock::now();
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
    }
    m_result.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return m_result;
}

EpochMetrics Trainer::evaluate(const CancelFlag* cancel) const
{
    if (m_set.hasClasses())
        return evaluateSplit(m_data->patterns(Split::Validation).empty() ? Split::Train : Split::Validation, cancel);
    EpochMetrics e;
    e.epoch = m_completedEpochs;
    const auto start = std::chrono::steady_clock::now();
    Simulator sim(m_network, m_sim);
    std::vector<std::int64_t> spikes(static_cast<std::size_t>(m_network.layerCount()), 0);
    for (std::size_t p = 0; p < m_set.size(); ++p) {
        const std::shared_ptr<const Pattern> pattern = m_set.pattern(p);
        const SimulationRecord rec = sim.runSteps(stepsOf(pattern->inputs, m_sim.dt), {}, cancel);
        if (rec.status != SimulationStatus::Completed)
            break;
        e.patterns.push_back(measure(rec, *pattern));
        for (int l : m_network.layerNumbers())
            ofLayer(spikes, l) += rec.activity(l).totalSpikes();
    }
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
    Simulator sim(m_network, m_sim);
    std::vector<std::int64_t> spikes(static_cast<std::size_t>(m_network.layerCount()), 0);
    int correct = 0;
    for (std::size_t p = 0; p < set.size(); ++p) {
        const std::shared_ptr<const Pattern> pattern = set.pattern(p);
        const SimulationRecord rec = sim.runSteps(stepsOf(pattern->inputs, m_sim.dt), {}, cancel);
        if (rec.status != SimulationStatus::Completed)
            break;
        e.accumulate(measure(rec, *pattern));
        correct += decide(rec) == set.label(p) ? 1 : 0;
        for (int l : m_network.layerNumbers())
            ofLayer(spikes, l) += rec.activity(l).totalSpikes();
    }
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

} // namespace normad
