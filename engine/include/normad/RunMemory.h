#pragma once

#include "normad/LayerSpec.h"
#include "normad/SimulationParams.h"
#include "normad/TrainingParams.h"

#include <cstdint>
#include <string>
#include <vector>

namespace normad {

/// What a training run of a network needs besides the network itself, for estimateRunMemory().
struct RunMemoryOptions {
    int threads = 0;                ///< training threads (0 = every core: ThreadPool::resolve)
    std::int64_t probedNeurons = 0; ///< membrane potentials recorded per pass (the plots' probes)
    /// Whole copies of the weights the caller keeps besides the project's own (a GUI: the training
    /// session's network, the snapshot shown, the trained result handed back). Undo steps share
    /// unchanged matrices with the project (Network's weights are copy-on-write), so they add none.
    int weightCopies = 0;
    /// Bytes of plot buffers and other fixed costs of the caller (decimated plots do not grow with
    /// the network).
    double fixedBytes = 0;
};

/// Bytes a training run of a network of these sizes allocates, by what takes them. The one estimate
/// of a run's memory: Network::weightBytes, Trainer::batchSumBytes and Simulator::recordingBytes are
/// its parts. Upper bounds where activity decides: every neuron is counted firing at the runaway
/// guard's rate (TrainingParams::runawayRate) for the whole trial.
struct RunMemoryEstimate {
    double weights = 0;    ///< the network's weight matrices W^l (one copy)
    double copies = 0;     ///< RunMemoryOptions::weightCopies more copies of them
    double updates = 0;    ///< ΔW of every pattern in flight (one per thread in batch modes, ×2) plus the shown one
    double batchSums = 0;  ///< exact batch sums (Trainer::batchSumBytes; 0 online)
    double simulation = 0; ///< per-thread neuron state and recorded spikes of a pass (with their currents)
    double membranes = 0;  ///< recorded membrane potentials, per thread in flight and in the shown snapshot
    double fixed = 0;      ///< RunMemoryOptions::fixedBytes
    double total() const { return weights + copies + updates + batchSums + simulation + membranes + fixed; }
    /// "2.1 GiB (weights 1.0 GiB, …)": the total and its largest parts, for messages.
    std::string describe() const;
};

/// Estimates a run's memory before anything is allocated (sizes only, no Network is built).
RunMemoryEstimate estimateRunMemory(int inputCount, const std::vector<LayerSpec>& layers, const SimulationParams& sim,
                                    const TrainingParams& training, const RunMemoryOptions& options = {});

/// The largest run estimate to accept now: a share of availableMemoryBytes() (MemoryBudget.h; the
/// rest stays for the system and the program's other data). Astronomically large when unknown.
double runMemoryLimitBytes();

/// "1.5 GiB", "48.0 MiB": binary units, one decimal.
std::string binaryBytesText(double bytes);

} // namespace normad
