#pragma once

#include "normad/Schema.h"

#include <string>

namespace normad {

/// Difference-of-exponentials synaptic kernel α(t) = I0·(e^{−t/τ1} − e^{−t/τ2})·U(t) (spec §1.1).
struct SynapseParams {
    double tauDecay = 5e-3;   ///< τ1, seconds
    double tauRise = 1.25e-3; ///< τ2, seconds (< τ1)
    double amplitude = 1.0;   ///< I0, dimensionless: weights are then currents in amperes

    /// The description of every member (file key, unit, range, default, help) that reads, writes,
    /// checks and edits it by path (docs/project-format.md).
    static const Schema<SynapseParams>& schema();
    void validate(const std::string& where = "synapse") const;
};

} // namespace normad
