#pragma once

#include "normad/EpochMetrics.h"
#include "normad/Simulator.h"
#include "normad/SpikeTrain.h"

#include <Eigen/Core>

#include <memory>
#include <vector>

namespace normad::ui {

/// What one presentation of a pattern looked like: copied from the engine's SimulationRecord when
/// the plots want it (at most ~30×/s), never per simulation step.
struct PatternView {
    int patternIndex = -1;
    int label = -1;                             ///< the sample's class (dataset tasks), −1 for a task's pattern
    int epoch = 0;                              ///< epoch in which this pass happened (project numbering)
    std::vector<std::vector<StepTrain>> spikes; ///< per population 0 … L, per neuron, grid steps
    std::vector<StepTrain> desired;             ///< per output neuron, grid steps
    std::vector<MembraneTrace> membranes;       ///< the probes asked for, volts at every step
    PatternMetrics metrics;
};

/// Immutable picture of a training run handed from the worker thread to the GUI. Everything is
/// copied, so the GUI may read it at leisure while the worker trains on.
struct TrainingSnapshot {
    enum class State { Idle, Running, Paused, Finished };
    State state = State::Idle;
    int completedEpochs = 0; ///< epochs in the project's history including this run's
    int sessionEpochs = 0;   ///< epochs trained since the worker loaded the project
    int currentEpoch = 0;    ///< 1-based epoch of the last presented pattern
    int lastPattern = -1;    ///< index of the last presented pattern
    int positionInEpoch = 0;
    double epochsPerSecond = 0; ///< over the last seconds of training, counting the current epoch's share
    int patternsPerEpoch = 0;   ///< patterns an epoch presents (the training set)
    double dt = 1e-4;           ///< s
    double duration = 0;        ///< s
    /// Per-epoch metrics, shared between snapshots (copied only when an epoch ends).
    std::shared_ptr<const std::vector<EpochMetrics>> history;
    std::vector<Eigen::MatrixXd> weights;    ///< W^l at index l−1, amperes (N_l × N_{l−1})
    std::vector<Eigen::MatrixXd> deltas;     ///< last pattern's ΔW^l, amperes
    std::shared_ptr<const PatternView> view; ///< latest pass of the followed pattern (may be null)
};

using SnapshotPtr = std::shared_ptr<const TrainingSnapshot>;

} // namespace normad::ui
