#pragma once

#include "normad/Cancellation.h"
#include "normad/Network.h"
#include "normad/SimulationParams.h"
#include "normad/SpikeTrain.h"

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace normad {

/// Spikes of one population during a trial.
struct LayerActivity {
    std::vector<StepTrain> spikes;             ///< per neuron, grid steps of its spikes
    std::vector<std::vector<double>> currents; ///< per neuron, synaptic current I(t_s) at each spike, amperes (A4)
    std::int64_t totalSpikes() const;
};

/// Which membrane potentials to keep. Memory is steps × neurons × 8 bytes.
struct RecordRequest {
    struct Probe {
        int layer;
        int neuron;
    };
    std::vector<Probe> probes;
    /// Record every neuron of these layers (1 … L).
    std::vector<int> wholeLayers;
    /// Largest recording accepted, bytes; beyond it run() throws with the estimate.
    double maxBytes = 1024.0 * 1024 * 1024;
    bool empty() const { return probes.empty() && wholeLayers.empty(); }
};

/// Membrane potentials V(t_n) at the start of every step n (after a reset of step n−1, before
/// integrating over [t_n, t_{n+1}]) — Brian2's StateMonitor convention.
struct MembraneTrace {
    int layer = 0;
    int neuron = 0;
    std::vector<double> volts;
};

enum class SimulationStatus { Completed, Cancelled, NonFinite };

/// Everything one forward pass produced.
struct SimulationRecord {
    std::int64_t steps = 0;
    double dt = 0;
    SimulationStatus status = SimulationStatus::Completed;
    std::string message;               ///< why the pass did not complete
    std::vector<LayerActivity> layers; ///< population l = 0 (inputs) … L at index l (prefer activity(l))
    std::vector<MembraneTrace> membranes;
    /// Spikes of population l = 0 (inputs) … L (Layers.h).
    const LayerActivity& activity(int l) const { return layers[static_cast<std::size_t>(l)]; }
    LayerActivity& activity(int l) { return layers[static_cast<std::size_t>(l)]; }
    const MembraneTrace* membrane(int layer, int neuron) const;
};

/// Forward simulation of a feed-forward LIF network (spec §1.1–§1.3).
///
/// Time grid t_n = n·dt. At step n, layer by layer from the inputs up:
///  1. the postsynaptic traces decay to t_n and every presynaptic spike of step n adds its weight to
///     both (so its current α(t − t_n) is 0 at t_n and rises afterwards: spec §1.3);
///  2. V is advanced over [t_n, t_{n+1}] (Integrator::Exact: exact solution of the linear system;
///     Heun: current held at its t_n value, as the group code);
///  3. if V ≥ VT at the end of the step the neuron spikes *at step n* (the group code's and Brian2's
///     labelling), V ← EL and V is held at EL for the next round(Rp/dt) steps.
/// A spike of layer l at step n enters layer l+1 at step n by rule 1.
class Simulator {
public:
    Simulator(const Network& network, const SimulationParams& sim);

    /// Runs one trial. `inputs` has one train (seconds) per input neuron. Throws
    /// std::invalid_argument for a wrong number of trains or a recording beyond its memory limit.
    SimulationRecord run(const SpikeRaster& inputs, const RecordRequest& record = {},
                         const CancelFlag* cancel = nullptr) const;
    /// Same with inputs already on the grid.
    SimulationRecord runSteps(const std::vector<StepTrain>& inputs, const RecordRequest& record = {},
                              const CancelFlag* cancel = nullptr) const;

    /// Bytes a recording request would take.
    static double recordingBytes(const Network& network, const SimulationParams& sim, const RecordRequest& record);

private:
    const Network& m_network;
    SimulationParams m_sim;
};

} // namespace normad
