#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace normad {

/// Spike times of one neuron, seconds, strictly increasing.
using SpikeTrain = std::vector<double>;
/// Spike times of a population, one train per neuron.
using SpikeRaster = std::vector<SpikeTrain>;
/// Spike steps (grid indices) of one neuron, strictly increasing.
using StepTrain = std::vector<std::int64_t>;

/// Checks that `train` is finite, strictly increasing and inside [0, duration).
/// With `oneSpikePerStep`, two spikes may not fall into the same grid step (desired trains
/// live on the binary grid of spec §1.3). Throws std::invalid_argument naming `where`.
void validateSpikeTrain(const SpikeTrain& train, double duration, double dt, bool oneSpikePerStep,
                        const std::string& where);

/// Whether a spike at `t` seconds lies on a step of a trial of `duration` s at step `dt` s:
/// t ≥ 0 and round(t/dt) < round(duration/dt). Decided in the time domain first: t/dt beyond 2^63
/// (t = 1e308) would make std::llround return LLONG_MIN and pass the step comparison.
bool insideTrial(double t, double duration, double dt);

/// Grid steps round(t/dt) of a train; duplicates are kept (inputs superpose).
StepTrain toSteps(const SpikeTrain& train, double dt);
/// Times n·dt of a step train.
SpikeTrain toTimes(const StepTrain& steps, double dt);

/// Total number of spikes in a raster.
std::size_t spikeCount(const SpikeRaster& raster);

/// Every spike of a population as (time, neuron) pairs, sorted by time, then neuron: the row order
/// of the CSV and .npz files (`neuron,time_s`; Brian2's indices/times).
std::vector<std::pair<double, int>> timeOrderedEvents(const SpikeRaster& raster);
/// The same for grid steps: (step, neuron) pairs sorted by step, then neuron.
std::vector<std::pair<std::int64_t, int>> timeOrderedEvents(const std::vector<StepTrain>& trains);

} // namespace normad
