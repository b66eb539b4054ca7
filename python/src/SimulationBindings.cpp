// normad.simulate: one pattern's forward pass, the same as `normad simulate`.

#include "Bindings.h"
#include "Conversions.h"

#include "normad/Project.h"
#include "normad/Simulator.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace normad::python {

namespace {

int checkedLayer(const Network& network, const py::handle& value)
{
    const int layer = value.cast<int>();
    if (layer < 1 || layer > network.layerCount())
        throw std::invalid_argument("record: layer " + std::to_string(layer) + " does not exist; layers are 1 ... " +
                                    std::to_string(network.layerCount()) + " (the inputs, 0, have no membrane)");
    return layer;
}

/// record=[2, (1, 0), "output"]: whole layers, (layer, neuron) probes, "output" = layer L.
RecordRequest recordRequest(const Network& network, const py::object& record)
{
    RecordRequest request;
    if (record.is_none())
        return request;
    for (const py::handle item : record) {
        if (py::isinstance<py::str>(item)) {
            if (item.cast<std::string>() != "output")
                throw std::invalid_argument("record: '" + item.cast<std::string>() +
                                            "' is not a layer; give a layer number, (layer, neuron) or \"output\"");
            request.wholeLayers.push_back(network.layerCount());
        } else if (PyIndex_Check(item.ptr()) != 0) { // int, numpy.int64, …
            request.wholeLayers.push_back(checkedLayer(network, item));
        } else if (py::isinstance<py::sequence>(item) && py::len(item) == 2) {
            const int layer = checkedLayer(network, item[py::int_(0)]);
            const int neuron = item[py::int_(1)].cast<int>();
            if (neuron < 0 || neuron >= network.populationSize(layer))
                throw std::invalid_argument("record: layer " + std::to_string(layer) + " has no neuron " +
                                            std::to_string(neuron) + " (it has " +
                                            std::to_string(network.populationSize(layer)) + ")");
            request.probes.push_back({layer, neuron});
        } else {
            throw std::invalid_argument("record: expected layer numbers, (layer, neuron) pairs or \"output\", got " +
                                        py::repr(item).cast<std::string>());
        }
    }
    return request;
}

py::array_t<double> traceArray(const std::vector<double>& volts)
{
    py::array_t<double> array(static_cast<py::ssize_t>(volts.size()));
    std::copy(volts.begin(), volts.end(), array.mutable_data());
    return array;
}

py::array_t<double> layerArray(const SimulationRecord& rec, int layer, int neurons)
{
    py::array_t<double> array({static_cast<py::ssize_t>(neurons), static_cast<py::ssize_t>(rec.steps)});
    double* out = array.mutable_data();
    for (int i = 0; i < neurons; ++i) {
        const MembraneTrace* trace = rec.membrane(layer, i);
        if (!trace)
            throw std::logic_error("simulate: the membrane of layer " + std::to_string(layer) + " neuron " +
                                   std::to_string(i) + " was not recorded");
        std::copy(trace->volts.begin(), trace->volts.end(), out + static_cast<std::ptrdiff_t>(i) * rec.steps);
    }
    return array;
}

/// The pattern simulate() presents: pattern k of an inline task, or sample k of a dataset split
/// (encoded as training encodes it).
std::shared_ptr<const Pattern> chosenPattern(const Project& p, int k, const std::string& splitName,
                                             const py::object& dataset)
{
    if (!p.dataset) {
        const int count = static_cast<int>(p.task.patterns.size());
        if (k < 0 || k >= count)
            throw py::index_error("pattern " + std::to_string(k) + " out of range: the project has " +
                                  std::to_string(count) + " patterns");
        return std::make_shared<const Pattern>(p.task.patterns[static_cast<std::size_t>(k)]);
    }
    const DatasetHandle data = dataset.is_none() ? loadDatasetOf(p, "simulate") : dataset.cast<DatasetHandle>();
    const Split split = splitNamed(splitName);
    const PatternSet& set = data.data->patterns(split);
    const int count = static_cast<int>(set.size());
    if (k < 0 || k >= count)
        throw py::index_error("pattern " + std::to_string(k) + " out of range: the " + toString(split) + " split has " +
                              std::to_string(count) + " samples");
    return set.pattern(static_cast<std::size_t>(k));
}

py::dict simulate(const Project& project, int k, const py::object& record, const std::string& split,
                  const py::object& dataset)
{
    Project p = project;
    p.validate();
    const std::shared_ptr<const Pattern> chosen = chosenPattern(p, k, split, dataset);
    p.ensureWeights();
    if (static_cast<std::size_t>(p.network.inputCount()) != chosen->inputs.size())
        throw std::invalid_argument("simulate: the network has " + std::to_string(p.network.inputCount()) +
                                    " inputs, the pattern " + std::to_string(chosen->inputs.size()));
    const RecordRequest request = recordRequest(p.network, record);
    const Pattern& pattern = *chosen;
    SimulationRecord rec;
    {
        py::gil_scoped_release release;
        const Simulator simulator(p.network, p.simulation);
        rec = simulator.run(pattern.inputs, request);
    }
    if (rec.status == SimulationStatus::NonFinite)
        throw std::runtime_error("simulation failed: " + rec.message);

    py::list spikes;
    // Population 0 as given in the project, like `normad simulate`'s spikes.csv.
    spikes.append(spikeArrays(pattern.inputs));
    for (int l : p.network.layerNumbers())
        spikes.append(spikeArrays(rec.activity(l).spikes, rec.dt));
    py::dict membranes;
    for (int l : request.wholeLayers)
        membranes[py::int_(l)] = layerArray(rec, l, p.network.populationSize(l));
    for (const RecordRequest::Probe& probe : request.probes) {
        const MembraneTrace* trace = rec.membrane(probe.layer, probe.neuron);
        if (!trace)
            throw std::logic_error("simulate: a requested membrane was not recorded");
        membranes[py::make_tuple(probe.layer, probe.neuron)] = traceArray(trace->volts);
    }
    py::array_t<double> t(static_cast<py::ssize_t>(rec.steps));
    double* times = t.mutable_data();
    for (std::int64_t n = 0; n < rec.steps; ++n)
        times[n] = static_cast<double>(n) * rec.dt;

    py::dict result;
    result["spikes"] = spikes;
    result["membranes"] = membranes;
    result["t"] = t;
    result["pattern"] = pattern.name;
    return result;
}

} // namespace

void bindSimulation(py::module_& m)
{
    m.def("simulate", &simulate, py::arg("project"), py::kw_only(), py::arg("pattern") = 0,
          py::arg("record") = py::none(), py::arg("split") = "train", py::arg("dataset") = py::none(), R"doc(
simulate(project, *, pattern=0, record=None, split="train", dataset=None) -> dict

One forward pass of pattern `pattern` (0-based) with the project's weights (drawn from its seed if
it carries none) -- exactly what `normad simulate` computes. The engine runs without the GIL.

For a dataset project, `pattern` is a sample of split `split` ("train", "validation" or "test"),
numbered as Dataset.sample() numbers it, and encoded as training encodes it; pass `dataset`
(from load_dataset) to reuse loaded data instead of reading the files again.

record: membrane potentials to keep, a list of layer numbers (1 ... L, every neuron of the layer),
(layer, neuron) pairs, or "output" (layer L). Memory is steps x neurons x 8 bytes.

Returns a dict:
  "spikes":    list over populations 0 (inputs, as given) ... L of (indices, times): int64 neuron
               indices and float64 times in seconds (step * dt), sorted by time, then neuron
               (Brian2's SpikeMonitor layout: i, t);
  "membranes": for each requested layer l, membranes[l] is an array [n_l, steps]; for each
               (layer, neuron) pair, membranes[(layer, neuron)] is an array [steps]; volts, V(t_n)
               at the start of step n (Brian2's StateMonitor convention);
  "t":         the time grid n * dt, seconds, n = 0 ... steps - 1;
  "pattern":   the pattern's name.

Raises ValueError for an invalid project, split or record request, IndexError for a pattern out of
range, RuntimeError if a dataset file is missing or changed or a membrane potential stops being finite.
)doc");
}

} // namespace normad::python
