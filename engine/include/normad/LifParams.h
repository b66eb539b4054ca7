#pragma once

#include "normad/Schema.h"

#include <string>

namespace normad {

/// Leaky integrate-and-fire neuron parameters (spec §1.1–§1.2), SI units.
///   C dV/dt = −gL (V − EL) + Isyn;  V ≥ VT → spike, V ← EL, held for Rp.
struct LifParams {
    double capacitance = 300e-12;   ///< C, farads
    double leakConductance = 30e-9; ///< gL, siemens
    double restPotential = -70e-3;  ///< EL, volts (rest and reset)
    double threshold = 20e-3;       ///< VT, volts (positive, as in the group's code)
    double refractoryPeriod = 3e-3; ///< Rp, seconds; V held at EL for round(Rp/dt) steps
    bool clampAtRest = false;       ///< the group code's V ≥ EL floor; off by default (spec §1.2)

    /// Membrane time constant τL = C/gL, seconds.
    double membraneTimeConstant() const { return capacitance / leakConductance; }
    /// Rheobase gL·(VT − EL), amperes: the least constant current that fires the neuron.
    double rheobase() const { return leakConductance * (threshold - restPotential); }

    /// The description of every member (file key, unit, range, default, help) that reads, writes,
    /// checks and edits it by path (docs/project-format.md).
    static const Schema<LifParams>& schema();
    /// Throws std::invalid_argument naming the field (prefixed by `where`) and the value.
    void validate(const std::string& where = "neuron") const;
};

} // namespace normad
