#pragma once

#include "normad/Schema.h"

#include <cstdint>
#include <string>

namespace normad {

/// How the membrane equation is advanced over one time step.
enum class Integrator {
    /// Exact solution of the linear (V, a, b) system over the step: the synaptic traces keep
    /// decaying inside the step. Default (spec, "How the project uses this spec").
    Exact,
    /// Heun (RK2) with the synaptic current held at its value at the start of the step,
    /// exactly as the Rajendran group's `snn_train.cu` (spec §1.3).
    Heun,
};

/// How a layer's synaptic drive is computed over a trial. Both give the same spikes up to
/// floating-point summation order; Auto picks the cheaper from the layer sizes and spike counts.
enum class DriveMode { Auto, EventDriven, Dense };

/// Time grid of a trial.
struct SimulationParams {
    double dt = 1e-4;      ///< time step, seconds
    double duration = 0.5; ///< trial length T, seconds; the grid is n·dt for n = 0 … steps()−1
    Integrator integrator = Integrator::Exact;
    DriveMode driveMode = DriveMode::Auto;

    /// Number of time steps, round(T/dt).
    std::int64_t steps() const;
    /// Grid index of time t (seconds): round(t/dt).
    std::int64_t stepOf(double t) const;

    /// The description of every member (file key, unit, range, default, help) that reads, writes,
    /// checks and edits it by path (docs/project-format.md).
    static const Schema<SimulationParams>& schema();
    void validate(const std::string& where = "simulation") const;
};

std::string toString(Integrator);
Integrator integratorFromString(const std::string&); ///< throws std::invalid_argument
std::string toString(DriveMode);
DriveMode driveModeFromString(const std::string&);

} // namespace normad
