#pragma once

#include "normad/EpochMetrics.h"

#include <cstddef>

namespace normad {

class Network;
struct Pattern;
struct PatternGradient;
struct SimulationRecord;
struct TrainingResult;

/// What the trainer reports after each pattern. References are valid only during the call:
/// an observer that keeps anything copies it (the GUI copies at most ~30×/s).
struct PatternSnapshot {
    int epoch = 0;           ///< 1-based epoch this pattern belongs to
    int patternIndex = 0;    ///< index into the task
    int positionInEpoch = 0; ///< 0-based position in this epoch's presentation order
    const Pattern& pattern;
    const SimulationRecord& record;  ///< the forward pass the update was computed from
    const PatternGradient& gradient; ///< the update (applied already when online)
    const PatternMetrics& metrics;   ///< measured on `record`
    const Network& network;          ///< weights after this pattern's update
    int label = -1;                  ///< the sample's class (dataset tasks), −1 for a task's pattern
    int predicted = -1;              ///< the class decided on `record` (dataset tasks), −1 = undecided / none
    std::size_t sampleIndex = 0;     ///< index into the dataset (PatternSet::sampleIndex)
};

/// Receives progress without the engine knowing who listens. Called on the training thread.
class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    virtual void patternFinished(const PatternSnapshot&) { }
    virtual void epochFinished(const EpochMetrics&, const Network&) { }
    virtual void trainingFinished(const TrainingResult&) { }
    /// Which membrane potentials the trainer should record during training passes (costs memory/time).
    virtual bool wantsMembranes() const { return false; }
    /// Whether patternFinished() is to be called. An observer that says no lets parallel epochs free
    /// each pass's record and update on the thread that made them, as soon as they are summed.
    virtual bool wantsPatterns() const { return true; }
};

} // namespace normad
