#pragma once

#include "normad/Layers.h"

#include <limits>
#include <vector>

namespace normad {

/// Comparison of one pattern's output with its desired trains (all output neurons).
struct PatternMetrics {
    double correlation = 0;    ///< mean over output neurons of C (spec §2.7)
    double minCorrelation = 0; ///< worst output neuron
    double vanRossum = 0;      ///< root of the summed squared van Rossum distances
    int outputSpikes = 0;
    int desiredSpikes = 0;
    int spikeCountError = 0; ///< Σ_o |n_out − n_desired|
    int missing = 0;         ///< desired spikes without an actual one within the tolerance
    int extra = 0;           ///< actual spikes without a desired one within the tolerance
    int errorInstants = 0;   ///< Σ_n |e[n]|: steps where the trains disagree
    double cost = 0; ///< ½Σ|e[n]|: the rule's objective J under A1 (spec §2.1, §3.4), in units of the unknown |ΔV|²
    bool classified = false; ///< closer to its own desired trains than to any other pattern's distinct ones
    bool converged = false;  ///< meets the convergence criterion (TrainingParams::convergence)
};

/// One epoch: per-pattern metrics (measured on the forward pass that preceded each pattern's
/// update) and their summary.
struct EpochMetrics {
    int epoch = 0; ///< 1-based
    std::vector<PatternMetrics> patterns;
    double meanCorrelation = 0;
    double minCorrelation = 0;  ///< worst pattern
    double vanRossum = 0;       ///< mean over patterns
    double spikeCountError = 0; ///< mean over patterns
    int missing = 0;
    int extra = 0;
    double cost = 0;                ///< sum over patterns
    int classified = 0;             ///< patterns classified correctly
    bool converged = false;         ///< every pattern met the target (on the epoch-end evaluation
                                    ///< when TrainingParams::convergeOnEvaluation)
    std::vector<double> layerRates; ///< mean firing rate per layer 1 … L over the epoch, Hz, at l − 1
    /// With TrainingParams::convergeOnEvaluation: worst and mean pattern correlation of the forward
    /// pass with the epoch-end weights; NaN when no such pass was made.
    double evaluatedMinCorrelation = std::numeric_limits<double>::quiet_NaN();
    double evaluatedMeanCorrelation = std::numeric_limits<double>::quiet_NaN();
    double seconds = 0; ///< wall time of the epoch

    // Dataset tasks (PatternSet with classes) keep summaries only: `patterns` stays empty and the
    // summary fields above are accumulated as the patterns pass (60 000 per-pattern entries per epoch
    // would bloat the history).
    int presented = 0; ///< patterns presented in the epoch (= patterns.size() for a task)
    /// Fraction of the epoch's training passes whose decided class (DecisionRule) was the sample's
    /// class, each judged before its own update; NaN for a task without classes.
    double trainAccuracy = std::numeric_limits<double>::quiet_NaN();
    /// Accuracy of an evaluation pass over the validation split with the epoch-end weights; NaN when
    /// the split is empty or the task has no classes.
    double validationAccuracy = std::numeric_limits<double>::quiet_NaN();

    /// Mean firing rate of layer l = 1 … L (Layers.h) over the epoch, Hz.
    double layerRate(int l) const { return ofLayer(layerRates, l); }

    /// Fills the summary fields from `patterns`.
    void summarize();
    /// Adds one pattern to the summary without keeping it (dataset tasks); finishSummary() then
    /// turns the sums into means. Gives the same figures as summarize() over the same patterns.
    void accumulate(const PatternMetrics& pattern);
    void finishSummary();
};

} // namespace normad
