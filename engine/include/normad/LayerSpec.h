#pragma once

#include "normad/LifParams.h"
#include "normad/WeightInit.h"

#include <string>

namespace normad {

/// One layer of LIF neurons fully connected from the layer below.
struct LayerSpec {
    int size = 1;                 ///< number of neurons
    LifParams neuron;             ///< parameters of every neuron of this layer
    double learningRate = 1e-9;   ///< r_l, amperes (the units of w; spec §2.6, §3.8)
    bool trainable = true;        ///< false freezes this layer's weights
    WeightInit init;              ///< used when weights are (re)initialised

    void validate(const std::string& where) const;
};

} // namespace normad
