#pragma once

#include "normad/LifParams.h"
#include "normad/Schema.h"
#include "normad/WeightInit.h"

#include <string>

namespace normad {

/// Largest population (the inputs or one layer) a project may declare; a file asking for more is
/// refused before anything is allocated.
inline constexpr int maxPopulationSize = 10'000'000;

/// One layer of LIF neurons fully connected from the layer below.
struct LayerSpec {
    int size = 1;               ///< number of neurons
    LifParams neuron;           ///< parameters of every neuron of this layer
    double learningRate = 1e-9; ///< r_l, amperes (the units of w; spec §2.6, §3.8)
    bool trainable = true;      ///< false freezes this layer's weights
    WeightInit init;            ///< used when weights are (re)initialised

    /// The description of every member (file key, unit, range, default, help) that reads, writes,
    /// checks and edits it by path (docs/project-format.md).
    static const Schema<LayerSpec>& schema();
    void validate(const std::string& where) const;
};

} // namespace normad
