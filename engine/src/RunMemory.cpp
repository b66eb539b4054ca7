#include "normad/RunMemory.h"

#include "normad/ExactSum.h"
#include "normad/MemoryBudget.h"
#include "normad/Network.h"
#include "normad/ThreadPool.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <utility>

namespace normad {

namespace {

// Share of the available memory a run may plan on: the rest is for the system, other programs
// and this program's data that the estimate does not cover (the task, the GUI).
constexpr double availableShare = 0.8;

} // namespace

std::string binaryBytesText(double bytes)
{
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    char text[48];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%.0f %s", bytes, units[unit]);
    else
        std::snprintf(text, sizeof text, "%.1f %s", bytes, units[unit]);
    return text;
}

std::string RunMemoryEstimate::describe() const
{
    std::vector<std::pair<double, const char*>> parts = {
        {weights, "weights"},      {copies, "copies of the weights"},           {updates, "weight updates"},
        {batchSums, "batch sums"}, {simulation, "simulation state and spikes"}, {membranes, "membrane traces"},
        {fixed, "plots"}};
    std::stable_sort(parts.begin() + 1, parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::ostringstream s;
    s << binaryBytesText(total()) << " (";
    int shown = 0;
    for (const auto& [bytes, what] : parts) {
        if (bytes <= 0 || shown == 3)
            continue;
        s << (shown++ ? ", " : "") << what << ' ' << binaryBytesText(bytes);
    }
    s << ')';
    return s.str();
}

RunMemoryEstimate estimateRunMemory(int inputCount, const std::vector<LayerSpec>& layers, const SimulationParams& sim,
                                    const TrainingParams& training, const RunMemoryOptions& options)
{
    RunMemoryEstimate e;
    const double threads = ThreadPool::resolve(options.threads);
    const bool online = training.schedule == UpdateSchedule::Online;
    e.weights = Network::weightBytes(inputCount, layers);
    e.copies = options.weightCopies * e.weights;
    // A batch is one ThreadPool::stream: at most its window of 4 × threads passes are started and not
    // yet finished, each holding its ΔW until then; online, one pattern at a time. One more ΔW is kept
    // for the plots.
    const double inFlight = online ? 1.0 : 4.0 * threads;
    e.updates = (inFlight + 1.0) * e.weights;
    if (!online) // Trainer::batchSumBytes without building a Network: the same per-weight cost
        e.batchSums = e.weights / sizeof(double) * ExactSum::limbsPerEntry * 8.0 * threads;

    double neurons = inputCount;
    for (const LayerSpec& l : layers)
        neurons += l.size;
    const double steps = static_cast<double>(std::max<std::int64_t>(sim.steps(), 1));
    // A layer above the runaway rate ends training at the epoch's end: count every neuron firing at it.
    const double spikesPerNeuron = std::min(steps, std::max(1.0, training.runawayRate * sim.duration));
    constexpr double stateDoubles = 8; // V, the two synaptic traces, refractory counter, per-step scratch
    constexpr double bytesPerSpike = sizeof(std::int64_t) + sizeof(double); // step and current I(t_s)
    const double perPass = neurons * (stateDoubles * sizeof(double) + spikesPerNeuron * bytesPerSpike);
    // The passes in flight plus the one the plots show.
    e.simulation = (inFlight + 1.0) * perPass;
    e.membranes = (inFlight + 1.0) * static_cast<double>(options.probedNeurons) * steps * sizeof(double);
    e.fixed = options.fixedBytes;
    return e;
}

double runMemoryLimitBytes()
{
    return availableShare * static_cast<double>(availableMemoryBytes());
}

} // namespace normad
