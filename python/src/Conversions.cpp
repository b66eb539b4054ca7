#include "Conversions.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace normad::python {

namespace {

py::tuple eventArrays(const auto& events, auto timeOf)
{
    py::array_t<std::int64_t> indices(static_cast<py::ssize_t>(events.size()));
    py::array_t<double> times(static_cast<py::ssize_t>(events.size()));
    auto i = indices.mutable_unchecked<1>();
    auto t = times.mutable_unchecked<1>();
    py::ssize_t row = 0;
    for (const auto& [when, neuron] : events) {
        i(row) = neuron;
        t(row) = timeOf(when);
        ++row;
    }
    return py::make_tuple(std::move(indices), std::move(times));
}

} // namespace

py::tuple spikeArrays(const SpikeRaster& raster)
{
    return eventArrays(timeOrderedEvents(raster), [](double time) { return time; });
}

py::tuple spikeArrays(const std::vector<StepTrain>& trains, double dt)
{
    // step·dt exactly as `normad simulate` writes its spikes.csv, so both agree bit for bit.
    return eventArrays(timeOrderedEvents(trains), [dt](std::int64_t step) { return static_cast<double>(step) * dt; });
}

SpikeRaster spikeRaster(const py::handle& spikes, int neurons, const std::string& where)
{
    if (!py::isinstance<py::sequence>(spikes) || py::isinstance<py::str>(spikes) || py::len(spikes) != 2)
        throw std::invalid_argument(where + ": expected a pair (indices, times), got " +
                                    std::string(py::str(py::type::handle_of(spikes).attr("__name__"))));
    const auto pair = py::reinterpret_borrow<py::sequence>(spikes);
    const auto indices = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(pair[0]);
    const auto times = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(pair[1]);
    if (!indices || !times)
        throw std::invalid_argument(where + ": indices and times must be arrays of numbers");
    if (indices.ndim() != 1 || times.ndim() != 1 || indices.size() != times.size())
        throw std::invalid_argument(where + ": indices and times must be 1-D arrays of one length (got " +
                                    std::to_string(indices.size()) + " indices and " + std::to_string(times.size()) +
                                    " times)");
    SpikeRaster raster(static_cast<std::size_t>(neurons));
    const auto i = indices.unchecked<1>();
    const auto t = times.unchecked<1>();
    for (py::ssize_t row = 0; row < indices.size(); ++row) {
        const double index = i(row);
        if (!(index >= 0 && index < neurons && index == std::floor(index)))
            throw std::invalid_argument(where + ": spike " + std::to_string(row) + " has neuron index " +
                                        py::str(py::float_(index)).cast<std::string>() + ", expected 0 … " +
                                        std::to_string(neurons - 1));
        raster[static_cast<std::size_t>(index)].push_back(t(row));
    }
    // Brian2 accepts spikes in any order; the engine wants each train increasing.
    for (SpikeTrain& train : raster)
        std::sort(train.begin(), train.end());
    return raster;
}

py::dict metricsDict(const EpochMetrics& m)
{
    py::dict d;
    d["epoch"] = m.epoch;
    d["mean_correlation"] = m.meanCorrelation;
    d["min_correlation"] = m.minCorrelation;
    d["van_rossum"] = m.vanRossum;
    d["spike_count_error"] = m.spikeCountError;
    d["missing"] = m.missing;
    d["extra"] = m.extra;
    d["cost"] = m.cost;
    d["classified"] = m.classified;
    d["converged"] = m.converged;
    d["seconds"] = m.seconds;
    std::vector<double> correlations;
    for (const PatternMetrics& p : m.patterns)
        correlations.push_back(p.correlation);
    d["pattern_correlation"] = correlations;
    d["layer_rates_hz"] = m.layerRates;
    // NaN when the epoch made no evaluation pass (TrainingParams::convergeOnEvaluation off).
    d["evaluated_min_correlation"] = m.evaluatedMinCorrelation;
    d["evaluated_mean_correlation"] = m.evaluatedMeanCorrelation;
    // Dataset tasks; NaN for a task of inline patterns.
    d["presented"] = m.presented;
    d["train_accuracy"] = m.trainAccuracy;
    d["validation_accuracy"] = m.validationAccuracy;
    return d;
}

ExampleSetting exampleSetting(const std::string& key, const py::handle& value)
{
    // bool before numbers: Python's bool is an int.
    if (py::isinstance<py::bool_>(value))
        return value.cast<bool>();
    if (py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value))
        return value.cast<double>();
    if (py::isinstance<py::str>(value))
        return value.cast<std::string>();
    if (py::isinstance<py::sequence>(value)) {
        try {
            return value.cast<std::vector<int>>();
        } catch (const py::cast_error&) {
        }
    }
    throw std::invalid_argument("example option " + key + ": expected a number, bool, str or list of ints, got " +
                                py::repr(value).cast<std::string>());
}

} // namespace normad::python
