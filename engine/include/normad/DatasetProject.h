#pragma once

// A ready, trainable project for a dataset: the defaults `normad dataset new`, `normad example iris`
// and `normad example fashion-mnist` share — encoding, trial length, class targets, a hidden layer
// and training settings chosen from the data's shape (docs/datasets.md says why each).

#include "normad/Dataset.h"
#include "normad/DatasetTask.h"
#include "normad/Encoding.h"
#include "normad/Project.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace normad {

/// Choices a user may make; everything unset is chosen from the data.
struct DatasetProjectOptions {
    /// Unset: receptive fields for a feature table, latency for images.
    std::optional<EncodingKind> encoding;
    /// Hidden layer sizes; unset: one layer (tables: 2 × the class count + the input count / 2, at
    /// least 10 and at most 100; images: 100); empty: output layer only.
    std::optional<std::vector<int>> hidden;
    int maxEpochs = 100;    ///< epochs of `normad train` with the defaults (≤ 100: the issue's budget)
    std::uint64_t seed = 1; ///< project seed: weights and presentation order
    std::string name;       ///< project name; empty: "Dataset: " + the first file's name
};

/// The project for `spec` (its source, split and — if set — scaling, decision and cache kept) with
/// network, simulation, encoding, targets and training chosen for `data` (the source as read: its
/// feature count, class count and kind). The weights are drawn from options.seed. Throws
/// std::invalid_argument naming the option and value for a hidden size < 1 or maxEpochs < 1.
Project makeDatasetProject(DatasetTaskSpec spec, const Dataset& data, const DatasetProjectOptions& options = {});

/// The encoding defaults of `kind` for this build: receptive fields with 7 fields per feature; latency
/// and Poisson as EncodingParams' defaults. Spikes fall in [0, 40 ms] (Poisson: the whole trial).
EncodingParams defaultEncoding(EncodingKind kind);

} // namespace normad
