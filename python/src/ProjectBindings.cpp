// normad.Project and the ways to get one: load, from_json, example, a Project built from sizes.

#include "Bindings.h"
#include "Conversions.h"

#include "normad/DataFileReference.h"
#include "normad/Examples.h"
#include "normad/ProjectFields.h"
#include "normad/ProjectIo.h"

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace normad::python {

namespace {

namespace fs = std::filesystem;

/// Applies `change` to every data file path of a dataset project.
template <typename Change> void changeDataPaths(Project& project, Change change)
{
    if (!project.dataset)
        return;
    for (auto* files : {&project.dataset->source.files, &project.dataset->source.testFiles})
        for (DataFileReference& f : *files)
            f.path = change(f.path);
}

/// Data paths stored relative to the project file's folder made absolute, so that the Project
/// finds its data from any working directory.
void makeDataPathsAbsolute(Project& project, const fs::path& directory)
{
    changeDataPaths(project, [&](const std::string& path) {
        return fs::path(path).is_relative() ? (directory / path).lexically_normal().string() : path;
    });
}

/// The reverse for a file saved in `directory`: relative when beside it (the rule of storedDataPath).
void storeDataPathsFrom(Project& project, const fs::path& directory)
{
    changeDataPaths(project, [&](const std::string& path) {
        return fs::path(path).is_absolute() ? storedDataPath(path, directory.string()) : path;
    });
}

fs::path folderOf(const std::string& file)
{
    return fs::absolute(fs::path(file)).parent_path();
}

/// Weights in effect: the project's own, or those its seed draws when it carries none.
std::vector<Eigen::MatrixXd> effectiveWeights(const Project& project)
{
    if (project.hasWeights)
        return project.network.allWeights();
    Project drawn = project;
    drawn.ensureWeights();
    return drawn.network.allWeights();
}

std::vector<int> layerSizes(const Project& project)
{
    std::vector<int> sizes;
    for (int l : project.network.populationNumbers())
        sizes.push_back(project.network.populationSize(l));
    return sizes;
}

/// A new topology; each layer keeps the settings of the layer at its place (new layers copy the
/// last one's), the weights are drawn again from the seed.
void setLayerSizes(Project& project, const std::vector<int>& sizes)
{
    if (sizes.size() < 2)
        throw std::invalid_argument("layer_sizes: needs the input count and at least one layer (got " +
                                    std::to_string(sizes.size()) + " numbers)");
    const Network& old = project.network;
    std::vector<LayerSpec> layers;
    for (std::size_t i = 1; i < sizes.size(); ++i) {
        const int l = static_cast<int>(i);
        LayerSpec spec = old.layerCount() == 0 ? LayerSpec{} : old.layer(std::min(l, old.layerCount()));
        spec.size = sizes[i];
        layers.push_back(spec);
    }
    project.network = Network(sizes.front(), std::move(layers), old.synapse());
    project.hasWeights = false;
}

py::dict patternDict(const Pattern& pattern)
{
    py::dict d;
    d["name"] = pattern.name;
    d["inputs"] = spikeArrays(pattern.inputs);
    d["desired"] = spikeArrays(pattern.desired);
    return d;
}

void setPatterns(Project& project, const py::sequence& patterns)
{
    Task task;
    for (std::size_t k = 0; k < py::len(patterns); ++k) {
        const std::string where = "patterns[" + std::to_string(k) + "]";
        const py::handle item = patterns[k];
        Pattern pattern;
        py::object inputs, desired;
        if (py::isinstance<py::dict>(item)) {
            const auto d = py::reinterpret_borrow<py::dict>(item);
            if (!d.contains("inputs") || !d.contains("desired"))
                throw std::invalid_argument(where + ": a dict needs the keys 'inputs' and 'desired'");
            inputs = d["inputs"];
            desired = d["desired"];
            if (d.contains("name"))
                pattern.name = py::str(d["name"]).cast<std::string>();
        } else if (py::isinstance<py::sequence>(item) && py::len(item) == 2) {
            inputs = item[py::int_(0)];
            desired = item[py::int_(1)];
        } else {
            throw std::invalid_argument(where + ": expected a dict {'inputs': (indices, times), 'desired': "
                                                "(indices, times)} or a pair (inputs, desired)");
        }
        if (pattern.name.empty())
            pattern.name = "pattern " + std::to_string(k);
        pattern.inputs = spikeRaster(inputs, project.network.inputCount(), where + ".inputs");
        pattern.desired = spikeRaster(desired, project.network.outputCount(), where + ".desired");
        task.patterns.push_back(std::move(pattern));
    }
    task.validate(project.network.inputCount(), project.network.outputCount(), project.simulation.duration,
                  project.simulation.dt, "patterns");
    project.task = std::move(task);
}

/// Runs an engine field edit (setField, setFieldJson), which validates the whole project. A project
/// being built from Python may have no patterns yet, which alone would refuse every edit; it gets one
/// pattern of empty trains for the edit (empty trains satisfy every check a real pattern could fail,
/// so no value is let through that a complete project would refuse).
template <typename Edit> void editField(Project& project, Edit&& edit)
{
    if (!project.task.patterns.empty() || project.network.layerCount() == 0) {
        edit(project);
        return;
    }
    Project complete = project;
    complete.task.patterns.push_back({"", SpikeRaster(static_cast<std::size_t>(complete.network.inputCount())),
                                      SpikeRaster(static_cast<std::size_t>(complete.network.outputCount()))});
    edit(complete);
    complete.task.patterns.clear();
    project = std::move(complete);
}

py::object jsonModule()
{
    return py::module_::import("json");
}

std::string describe(const Project& project)
{
    std::string sizes;
    for (int size : layerSizes(project))
        sizes += (sizes.empty() ? "" : ", ") + std::to_string(size);
    return "<normad.Project '" + project.name + "': layers [" + sizes + "], " +
           std::to_string(project.task.patterns.size()) + " patterns, seed " + std::to_string(project.seed) + ">";
}

const Pattern& patternAt(const Project& project, int k)
{
    const int count = static_cast<int>(project.task.patterns.size());
    if (k < 0 || k >= count)
        throw py::index_error("pattern " + std::to_string(k) + " out of range: the project has " +
                              std::to_string(count) + " patterns");
    return project.task.patterns[static_cast<std::size_t>(k)];
}

} // namespace

void bindProject(py::module_& m)
{
    py::class_<Project>(m, "Project", R"doc(
A NormAD project: network topology and weights, neuron parameters, task (spike patterns),
simulation grid and training settings -- everything a project file holds.

Get one with normad.load(path), normad.example(name) or Project(layer_sizes). Units are SI
throughout (seconds, volts, amperes), as in the project file. Properties return copies: change
a project through its setters (set_weights, set_patterns, set(path, value), the writable properties).

Any field of the project file can be read and written by its path with get() and set(), e.g.
project.set("training.maxEpochs", 50) or project.get("network.layers[0].learningRate_A")
(docs/project-format.md lists the paths).
)doc")
        .def(py::init([](const std::vector<int>& sizes, const std::string& name, std::uint64_t seed) {
                 Project project;
                 project.name = name;
                 project.seed = seed;
                 setLayerSizes(project, sizes);
                 return project;
             }),
             py::arg("layer_sizes"), py::kw_only(), py::arg("name") = "untitled", py::arg("seed") = 1,
             R"doc(
Project(layer_sizes, *, name="untitled", seed=1)

A new project with default neuron, simulation and training settings and no patterns.
layer_sizes = [inputs, n_1, ..., n_L]: the number of input neurons, then each LIF layer's size
(the last is the output layer). Weights are drawn from `seed` until set_weights() gives some.
)doc")
        .def_readwrite("name", &Project::name, "The project's name (str).")
        .def_readwrite("description", &Project::description, "A free description (str).")
        .def_readwrite("seed", &Project::seed,
                       "Seed (int >= 0) of the initial weights (when the project carries none) and of the "
                       "pattern order.")
        .def_property(
            "dt", [](const Project& p) { return p.simulation.dt; },
            [](Project& p, double dt) { editField(p, [dt](Project& q) { setField(q, "simulation.dt_s", dt); }); },
            "Simulation time step, seconds (simulation.dt_s). Checked when set.")
        .def_property(
            "duration", [](const Project& p) { return p.simulation.duration; },
            [](Project& p, double duration) {
                editField(p, [duration](Project& q) { setField(q, "simulation.duration_s", duration); });
            },
            "Trial length T, seconds (simulation.duration_s); the grid is n*dt for n = 0 ... round(T/dt) - 1.")
        .def_property("layer_sizes", &layerSizes, &setLayerSizes,
                      R"doc(
Population sizes [inputs, n_1, ..., n_L] (list of int). Setting it rebuilds the network: each layer
keeps the settings of the layer at its place (new layers copy the last one's) and the weights are
drawn again from the seed. Set matching patterns afterwards.
)doc")
        .def_property_readonly(
            "has_weights", [](const Project& p) { return p.hasWeights; },
            "True when the project carries its weights; False when they are drawn from the seed.")
        .def_property_readonly("weights", &effectiveWeights,
                               R"doc(
The weights of layers 1 ... L as a list of float64 arrays, amperes; weights[l-1] has the shape
[n_l, n_(l-1)]: row i = postsynaptic neuron i (the layout of PyTorch's nn.Linear.weight).
Copies: change them with set_weights(). A project without weights returns those its seed draws.
)doc")
        .def(
            "set_weights",
            [](Project& p, const std::vector<Eigen::MatrixXd>& weights) {
                p.network.setAllWeights(weights);
                p.hasWeights = true;
            },
            py::arg("weights"), R"doc(
set_weights(weights) -- replace every layer's weights.

weights: a list of L arrays, weights[l-1] of shape [n_l, n_(l-1)], amperes. Raises ValueError naming
the layer for a wrong count, shape or a non-finite value; nothing changes then.
)doc")
        .def(
            "set_weights",
            [](Project& p, int layer, const Eigen::MatrixXd& weights) {
                if (layer < 1 || layer > p.network.layerCount())
                    throw std::invalid_argument("set_weights: layer " + std::to_string(layer) +
                                                " does not exist; layers are numbered 1 ... " +
                                                std::to_string(p.network.layerCount()));
                Network network = p.network;
                if (!p.hasWeights)
                    network.setAllWeights(effectiveWeights(p));
                network.setWeights(layer, weights);
                p.network = std::move(network);
                p.hasWeights = true;
            },
            py::arg("layer"), py::arg("weights"), R"doc(
set_weights(layer, weights) -- replace one layer's weights (layer = 1 ... L).

weights: an array of shape [n_layer, n_(layer-1)], amperes. The other layers keep theirs (drawn from
the seed if the project had none). Raises ValueError for a wrong layer, shape or value.
)doc")
        .def_property_readonly(
            "has_dataset", [](const Project& p) { return p.dataset.has_value(); },
            "True when the task is a dataset (task.dataset) instead of inline patterns; simulate(), train() "
            "and evaluate() then read its data files (load_dataset() reads them once for reuse).")
        .def_property_readonly(
            "pattern_count", [](const Project& p) { return p.task.patterns.size(); }, "Number of patterns in the task.")
        .def_property_readonly(
            "patterns",
            [](const Project& p) {
                py::list list;
                for (const Pattern& pattern : p.task.patterns)
                    list.append(patternDict(pattern));
                return list;
            },
            R"doc(
The task's patterns as a list of dicts {"name": str, "inputs": (indices, times),
"desired": (indices, times)}: int64 neuron indices and float64 times in seconds, sorted by time,
then neuron (Brian2's SpikeGeneratorGroup layout). Copies: change them with set_patterns().
)doc")
        .def(
            "pattern", [](const Project& p, int k) { return patternDict(patternAt(p, k)); }, py::arg("k"),
            "pattern(k) -- pattern k (0-based) as a dict like those of `patterns`; IndexError if out of range.")
        .def("set_patterns", &setPatterns, py::arg("patterns"), R"doc(
set_patterns(patterns) -- replace the task.

patterns: a sequence whose items are dicts {"inputs": (indices, times), "desired": (indices, times),
"name": str (optional)} or pairs (inputs, desired). indices are neuron numbers (input neurons for
inputs, output neurons for desired), times in seconds, in any order. Raises ValueError naming the
pattern, neuron and spike for an index out of range, a time outside [0, duration) or two desired
spikes in one time step; the project is unchanged then.
)doc")
        .def_property_readonly(
            "history",
            [](const Project& p) {
                py::list list;
                for (const EpochMetrics& epoch : p.history)
                    list.append(metricsDict(epoch));
                return list;
            },
            "The training history the project carries: one metrics dict per epoch (see normad.train).")
        .def(
            "get",
            [](const Project& p, const std::string& path) { return jsonModule().attr("loads")(getField(p, path)); },
            py::arg("path"), R"doc(
get(path) -- the value of the project-file field at `path`, e.g. "training.maxEpochs",
"network.layers[0].learningRate_A" (JSON layer index 0 = layer 1), "simulation.integrator".
Raises ValueError if the path names nothing in this project.
)doc")
        .def(
            "set",
            [](Project& p, const std::string& path, const py::object& value) {
                const std::string json = jsonModule().attr("dumps")(value).cast<std::string>();
                editField(p, [&](Project& q) { setFieldJson(q, path, json); });
            },
            py::arg("path"), py::arg("value"), R"doc(
set(path, value) -- set the project-file field at `path` to `value` (a number, bool, str or list,
converted as JSON), checked exactly as when a file is loaded: set("training.maxEpochs", 50),
set("network.layers[1].learningRate_A", 2e-9), set("training.rule", "resume").
Raises ValueError naming the path and the value; the project is unchanged then.
)doc")
        .def("validate", &Project::validate, R"doc(
validate() -- check every part against the others (task shapes against the network, spike times
against the duration, every parameter's range). Raises ValueError naming the field and the value.
)doc")
        .def(
            "save",
            [](const Project& p, const std::string& path) {
                Project stored = p;
                storeDataPathsFrom(stored, folderOf(path));
                saveProject(stored, path);
            },
            py::arg("path"),
            R"doc(
save(path) -- write the project file (JSON), atomically: an existing file is replaced only once
the new one is complete. A dataset project's data paths are stored relative to the file's folder
when the data lies in or beside it. Raises RuntimeError naming the path and the system error.
)doc")
        .def("to_json", &projectToJson, "to_json() -- the project file's text (str).")
        .def(
            "copy", [](const Project& p) { return p; }, "copy() -- an independent copy.")
        .def("__copy__", [](const Project& p) { return p; })
        .def(
            "__deepcopy__", [](const Project& p, const py::dict&) { return p; }, py::arg("memo"))
        .def("__repr__", &describe);

    m.def(
        "load",
        [](const std::string& path) {
            Project p = loadProject(path);
            makeDataPathsAbsolute(p, folderOf(path));
            return p;
        },
        py::arg("path"), R"doc(
load(path) -> Project

Read a project file (JSON; older format versions are migrated). A dataset project's data paths,
stored relative to the file, are made absolute so that it finds its data from anywhere. Raises normad.ProjectError (a
RuntimeError) whose message names the file, the field (JSON path) and the reason.
)doc");
    m.def(
        "from_json", [](const std::string& text, const std::string& source) { return projectFromJson(text, source); },
        py::arg("text"), py::arg("source") = "<string>", R"doc(
from_json(text, source="<string>") -> Project

Parse a project from the text of a project file; `source` names it in error messages.
Raises normad.ProjectError naming the field and the reason.
)doc");
    m.def(
        "example",
        [](const std::string& name, std::uint64_t seed, const py::object& dataFolder, const py::kwargs& options) {
            const Example& ex = example(name);
            ExampleSettings settings;
            for (const auto& [key, value] : options) {
                const std::string k = py::str(key).cast<std::string>();
                settings[k] = exampleSetting(k, value);
            }
            if (!ex.dataFiles.empty() && dataFolder.is_none())
                throw std::invalid_argument("example '" + name + "' refers to data files (" +
                                            ex.dataFiles.front().name +
                                            "): pass data_folder=FOLDER to write them there");
            Project p = ex.make(seed, settings);
            if (!ex.dataFiles.empty()) {
                const fs::path folder = fs::absolute(fs::path(py::str(dataFolder).cast<std::string>()));
                writeExampleData(ex, folder.string());
                makeDataPathsAbsolute(p, folder);
            }
            return p;
        },
        py::arg("name"), py::arg("seed") = 1, py::kw_only(), py::arg("data_folder") = py::none(), R"doc(
example(name, seed=1, *, data_folder=None, **options) -> Project

A built-in example (normad.examples() lists them): the papers' experiments as ready projects,
the same as `normad example NAME --seed SEED`. `seed` draws the generated spike trains and the
initial weights; keyword options set the generator's options by key (numbers in SI units), e.g.
example("single", inputRate=20.0). The dataset examples ("iris", "fashion-mnist") are included:
iris carries its table, written into `data_folder` (required for it; the project refers to the
written file by its absolute path); fashion-mnist refers to the installed files. Raises ValueError
for an unknown name, option or value, or a missing data_folder.
)doc");
    m.def(
        "examples",
        [] {
            py::list list;
            for (const Example& ex : examples()) {
                py::dict d;
                d["name"] = ex.name;
                d["title"] = ex.title;
                d["description"] = ex.description;
                py::dict options;
                for (const ExampleOption& option : ex.options)
                    options[py::str(option.key)] = option.help;
                d["options"] = options;
                list.append(d);
            }
            return list;
        },
        R"doc(
examples() -> list of dict

The built-in examples in menu order: {"name", "title", "description", "options": {key: help}}.
)doc");
}

} // namespace normad::python
