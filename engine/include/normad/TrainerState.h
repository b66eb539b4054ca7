#pragma once

#include "normad/EpochMetrics.h"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace normad {

/// What a Trainer holds between two epochs besides its network and settings. With the network it is
/// enough to continue a run with the same bits as if it had never stopped (Trainer::state and
/// Trainer::restore; the checkpoints of docs/checkpoints.md). A batch never spans an epoch boundary,
/// so no partial batch sum or presentation order is part of it.
struct TrainerState {
    int completedEpochs = 0;
    /// The generator of the inline tasks' presentation order (std::mt19937_64) in the standard's
    /// text form; dataset tasks shuffle by (seed, epoch) alone and do not draw from it.
    std::string rng;
    int silentStreak = 0;     ///< epochs in a row with a silent trainable hidden layer
    int sinceImprovement = 0; ///< epochs since the stagnation criterion last improved
    double bestAccuracy = -1; ///< dataset tasks: best validation (or training) accuracy so far
    int convergedEpoch = -1;  ///< first epoch in which every pattern met the target, or −1
    double bestMinCorrelation = 0;
    double seconds = 0; ///< training wall time so far, s
    std::vector<EpochMetrics> history;
    /// Per layer l at index l−1: the rule's per-weight state between updates (LearningRule::adaptUpdate,
    /// SuperSpike's RMaxProp v); empty for a rule without one.
    std::vector<Eigen::MatrixXd> ruleState;
};

} // namespace normad
