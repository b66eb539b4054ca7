#pragma once

#include "normad/DatasetTask.h"
#include "normad/EpochMetrics.h"
#include "normad/Network.h"
#include "normad/SimulationParams.h"
#include "normad/Task.h"
#include "normad/TrainingParams.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace normad {

/// Everything a user builds: topology, neuron parameters, weights, task, training settings, seed
/// and the training history. The unit of the project file (docs/project-format.md).
struct Project {
    std::string name;
    std::string description;
    std::uint64_t seed = 1; ///< drives weight initialisation and pattern order
    SimulationParams simulation;
    Network network;
    bool hasWeights = false; ///< false: weights are drawn from each layer's init with `seed`
    Task task;               ///< the inline patterns; empty when `dataset` is set
    /// A dataset task (task.dataset, format 3) instead of inline patterns; loaded with LoadedDataset::load.
    std::optional<DatasetTaskSpec> dataset;
    TrainingParams training;
    std::vector<EpochMetrics> history;

    /// Validates every part against the others (task shapes vs network, spikes vs duration). A dataset
    /// task is checked without its files: its settings, and output count = class count is left to
    /// loading (the input count needs the feature count too).
    void validate() const;
    /// Draws the weights from `seed` unless the project carries weights.
    void ensureWeights();
};

} // namespace normad
