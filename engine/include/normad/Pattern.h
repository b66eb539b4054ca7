#pragma once

#include "normad/SpikeTrain.h"

#include <string>

namespace normad {

/// One training example: the input trains and the output trains wanted (spec §1.3).
struct Pattern {
    std::string name;
    SpikeRaster inputs;  ///< one train per input neuron, seconds
    SpikeRaster desired; ///< one train per output neuron, seconds
};

} // namespace normad
