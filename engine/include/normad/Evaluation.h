#pragma once

// Evaluation of a trained network on a labelled PatternSet: a forward pass per sample (no update),
// the decision rule's predicted class, the confusion matrix and the per-class precision and recall.

#include "normad/Cancellation.h"
#include "normad/ClassTargets.h"
#include "normad/Classification.h"
#include "normad/Network.h"
#include "normad/PatternSet.h"
#include "normad/SimulationParams.h"
#include "normad/TrainingParams.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace normad {

class DataParallelGroup;
class ThreadPool;

/// One sample's outcome.
struct SamplePrediction {
    std::size_t sample = 0; ///< index into the set's Dataset (PatternSet::sampleIndex)
    int trueClass = 0;
    int predicted = undecidedClass; ///< or undecidedClass
    int outputSpikes = 0;           ///< spikes of every output neuron
    bool correct() const { return predicted == trueClass; }
};

struct ClassEvaluation {
    std::vector<SamplePrediction> predictions; ///< in the set's order
    ConfusionMatrix confusion;
    double accuracy = 0;           ///< correct / evaluated; NaN when nothing was evaluated
    std::vector<double> precision; ///< per class; NaN where nothing was predicted as it
    std::vector<double> recall;    ///< per class; NaN where the class has no samples
    bool cancelled = false;        ///< stopped early: the figures cover `predictions` only
    bool nonFinite = false;        ///< a simulation stopped on a non-finite value (counted as undecided)
    double seconds = 0;            ///< wall time
};

/// Called after each sample with (done, total); may be empty.
using EvaluationProgress = std::function<void(std::size_t done, std::size_t total)>;

/// Forward pass of every pattern of `set` with `network`'s weights, the class named by `rule`
/// (targets: one raster per class, from classTargets(); needed for ClosestTarget) and the summary.
/// `set` must have classes (PatternSet::hasClasses) or labels ≥ 0; throws std::invalid_argument
/// otherwise or when the network's output count differs from the class count. Deterministic: the
/// samples are independent of each other; with a `pool` they are simulated on its threads and taken
/// in order (progress is reported on the calling thread), so the result is the same for any thread count.
/// With a `group` (the ranks of a data-parallel run; a collective: every rank calls it) each rank
/// simulates its block of the samples and every rank gets the whole, identical result; progress is
/// then reported once the blocks are gathered.
ClassEvaluation evaluate(const Network& network, const PatternSet& set, const SimulationParams& simulation,
                         const TrainingParams& training, DecisionRule rule, const std::vector<SpikeRaster>& targets,
                         const CancelFlag* cancel = nullptr, const EvaluationProgress& progress = {},
                         ThreadPool* pool = nullptr, DataParallelGroup* group = nullptr);

/// CSV "sample,true,predicted,correct" (class names; "undecided"), one row per prediction, through CsvWriter.
std::string predictionsCsv(const ClassEvaluation& evaluation, const std::vector<std::string>& classNames);

} // namespace normad
