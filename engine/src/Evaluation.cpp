#include "normad/Evaluation.h"

#include "normad/DataParallelGroup.h"
#include "normad/Simulator.h"
#include "normad/TextFormat.h"
#include "normad/ThreadPool.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace normad {

ClassEvaluation evaluate(const Network& network, const PatternSet& set, const SimulationParams& simulation,
                         const TrainingParams& training, DecisionRule rule, const std::vector<SpikeRaster>& targets,
                         const CancelFlag* cancel, const EvaluationProgress& progress, ThreadPool* pool,
                         DataParallelGroup* group)
{
    const int classes = set.hasClasses() ? set.classCount() : static_cast<int>(targets.size());
    if (classes < 1)
        throw std::invalid_argument("evaluate: the pattern set has no classes");
    if (network.outputCount() != classes)
        throw std::invalid_argument("evaluate: the network has " + plural(network.outputCount(), "output neuron") +
                                    " but the task has " + plural(classes, "class", "classes") +
                                    " (one output neuron per class)");
    const auto start = std::chrono::steady_clock::now();
    ClassEvaluation result;
    result.confusion = ConfusionMatrix(classes);
    result.predictions.reserve(set.size());
    const Simulator simulator(network, simulation);
    struct Outcome {
        SimulationStatus status = SimulationStatus::Completed;
        int predicted = undecidedClass;
        int outputSpikes = 0;
    };
    auto compute = [&](std::size_t i) {
        Outcome o;
        if (cancelled(cancel)) {
            o.status = SimulationStatus::Cancelled;
            return o;
        }
        const std::shared_ptr<const Pattern> pattern = set.pattern(i);
        const SimulationRecord record = simulator.run(pattern->inputs, {}, cancel);
        o.status = record.status;
        if (record.status != SimulationStatus::Completed)
            return o;
        const LayerActivity& out = record.layers.back();
        SpikeRaster output;
        output.reserve(out.spikes.size());
        for (const StepTrain& t : out.spikes) {
            output.push_back(toTimes(t, simulation.dt));
            o.outputSpikes += static_cast<int>(t.size());
        }
        o.predicted = decideClass(output, targets, rule, training.metrics.vanRossumTau);
        return o;
    };
    auto consume = [&](std::size_t i, const Outcome& o) {
        const int label = set.label(i);
        if (label < 0 || label >= classes)
            throw std::invalid_argument("evaluate: pattern " + std::to_string(i) + " has no class (label " +
                                        std::to_string(label) + ")");
        if (o.status == SimulationStatus::Cancelled) {
            result.cancelled = true;
            return false;
        }
        SamplePrediction p;
        p.sample = set.sampleIndex(i);
        p.trueClass = label;
        if (o.status == SimulationStatus::NonFinite) {
            result.nonFinite = true;
        } else {
            p.predicted = o.predicted;
            p.outputSpikes = o.outputSpikes;
        }
        result.confusion.add(p.trueClass, p.predicted);
        result.predictions.push_back(p);
        if (progress)
            progress(i + 1, set.size());
        return true;
    };
    const auto encode = [](const Outcome& o, std::vector<std::uint8_t>& out) { putBytes(out, o); };
    const auto decode = [](const std::vector<std::uint8_t>& in, std::size_t& at) { return takeBytes<Outcome>(in, at); };
    orderedOverRanks(group, pool, set.size(), compute, consume, encode, decode);
    result.accuracy = result.confusion.accuracy();
    for (int k = 0; k < classes; ++k) {
        result.precision.push_back(result.confusion.precision(k));
        result.recall.push_back(result.confusion.recall(k));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

std::string predictionsCsv(const ClassEvaluation& evaluation, const std::vector<std::string>& classNames)
{
    auto name = [&](int k) -> std::string {
        if (k == undecidedClass)
            return "undecided";
        if (k >= 0 && static_cast<std::size_t>(k) < classNames.size())
            return classNames[static_cast<std::size_t>(k)];
        return std::to_string(k);
    };
    CsvWriter csv({"sample", "true", "predicted", "correct"});
    for (const SamplePrediction& p : evaluation.predictions)
        csv.field(p.sample)
            .field(name(p.trueClass))
            .field(name(p.predicted))
            .field(p.correct() ? "true" : "false")
            .endRow();
    return csv.text();
}

} // namespace normad
