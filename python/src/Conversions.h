#pragma once

// Conversions between the engine's types and Python's: spike trains as Brian2-style (indices,
// times) arrays, metrics as dicts of numbers, example settings from keyword arguments.

#include "normad/EpochMetrics.h"
#include "normad/Examples.h"
#include "normad/Project.h"
#include "normad/SpikeTrain.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

namespace normad::python {

namespace py = pybind11;

/// A population's spikes as (indices, times): int64 neuron indices and float64 times in seconds,
/// sorted by time, then neuron (Brian2's SpikeMonitor / SpikeGeneratorGroup layout).
py::tuple spikeArrays(const SpikeRaster& raster);
/// The same for spikes on the time grid: times are step·dt, computed as the CLI writes them.
py::tuple spikeArrays(const std::vector<StepTrain>& trains, double dt);

/// One train per neuron from `spikes` = (indices, times) (any sequences NumPy can convert; the times
/// in seconds, in any order). Throws std::invalid_argument naming `where` for a malformed pair or an
/// index outside 0 … neurons − 1.
SpikeRaster spikeRaster(const py::handle& spikes, int neurons, const std::string& where);

/// An epoch's metrics, keyed as `normad train --json` writes them (epoch, mean_correlation, …).
py::dict metricsDict(const EpochMetrics& metrics);

/// A generator option for normad::Example from a Python value (bool, number, str, list of ints).
/// Throws std::invalid_argument naming `key` for anything else.
ExampleSetting exampleSetting(const std::string& key, const py::handle& value);

} // namespace normad::python
