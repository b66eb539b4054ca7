#pragma once

#include "normad/Pattern.h"

#include <string>
#include <vector>

namespace normad {

/// A spike-train task: the patterns a network must map.
struct Task {
    std::vector<Pattern> patterns;

    /// Throws std::invalid_argument naming the pattern, neuron and spike at fault:
    /// no pattern, wrong number of trains, non-finite/unsorted/duplicate times, spikes
    /// outside [0, duration), two desired spikes in one time step.
    void validate(int inputCount, int outputCount, double duration, double dt, const std::string& where = "task") const;
};

} // namespace normad
