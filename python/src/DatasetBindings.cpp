// Dataset projects from Python: load a project's dataset, look at its splits and encoded samples,
// and evaluate a split (accuracy, confusion matrix, per-sample predictions). train() handles
// dataset projects through loadDatasetOf() (TrainingBindings.cpp).

#include "Bindings.h"
#include "Conversions.h"

#include "normad/DatasetTask.h"
#include "normad/Evaluation.h"
#include "normad/Project.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace normad::python {

namespace {

namespace fs = std::filesystem;

py::array_t<std::int64_t> int64Array(const std::vector<std::int64_t>& values)
{
    py::array_t<std::int64_t> a(static_cast<py::ssize_t>(values.size()));
    std::copy(values.begin(), values.end(), a.mutable_data());
    return a;
}

py::array_t<double> doubleArray(const std::vector<double>& values)
{
    py::array_t<double> a(static_cast<py::ssize_t>(values.size()));
    std::copy(values.begin(), values.end(), a.mutable_data());
    return a;
}

py::dict sampleDict(const LoadedDataset& data, Split split, std::int64_t i)
{
    const PatternSet& set = data.patterns(split);
    const auto n = static_cast<std::int64_t>(set.size());
    if (i < 0)
        i += n;
    if (i < 0 || i >= n)
        throw py::index_error("sample " + std::to_string(i) + " out of range: the " + toString(split) + " split has " +
                              std::to_string(n) + " samples");
    const auto k = static_cast<std::size_t>(i);
    const std::shared_ptr<const Pattern> pattern = set.pattern(k);
    const int label = set.label(k);
    py::dict d;
    d["inputs"] = spikeArrays(pattern->inputs);
    d["desired"] = spikeArrays(pattern->desired);
    d["label"] = label;
    d["class_name"] = data.classNames()[static_cast<std::size_t>(label)];
    d["sample"] = set.sampleIndex(k);
    d["split"] = toString(split);
    return d;
}

py::dict evaluationDict(const ClassEvaluation& result, const LoadedDataset& data, Split split)
{
    const int classes = data.classCount();
    py::array_t<std::int64_t> confusion({classes, classes});
    py::array_t<std::int64_t> undecided(classes);
    auto c = confusion.mutable_unchecked<2>();
    auto u = undecided.mutable_unchecked<1>();
    for (int t = 0; t < classes; ++t) {
        for (int p = 0; p < classes; ++p)
            c(t, p) = static_cast<std::int64_t>(result.confusion.count(t, p));
        u(t) = static_cast<std::int64_t>(result.confusion.undecided(t));
    }
    std::vector<std::int64_t> samples, truth, predicted, spikes;
    for (const SamplePrediction& s : result.predictions) {
        samples.push_back(static_cast<std::int64_t>(s.sample));
        truth.push_back(s.trueClass);
        predicted.push_back(s.predicted);
        spikes.push_back(s.outputSpikes);
    }
    py::dict d;
    d["split"] = toString(split);
    d["accuracy"] = result.accuracy;
    d["correct"] = result.confusion.correct();
    d["samples"] = result.predictions.size();
    d["class_names"] = data.classNames();
    d["confusion"] = confusion;
    d["undecided"] = undecided;
    d["precision"] = doubleArray(result.precision);
    d["recall"] = doubleArray(result.recall);
    py::dict predictions;
    predictions["sample"] = int64Array(samples);
    predictions["true"] = int64Array(truth);
    predictions["predicted"] = int64Array(predicted);
    predictions["output_spikes"] = int64Array(spikes);
    d["predictions"] = predictions;
    d["non_finite"] = result.nonFinite;
    d["seconds"] = result.seconds;
    return d;
}

py::dict evaluateProject(const Project& project, const std::string& splitName, const py::object& dataset)
{
    const Split split = splitNamed(splitName);
    const DatasetHandle data = dataset.is_none() ? loadDatasetOf(project, "evaluate") : dataset.cast<DatasetHandle>();
    if (!project.dataset)
        throw std::invalid_argument("evaluate: the project's task is not a dataset (task.dataset is absent)");
    const PatternSet& set = data.data->patterns(split);
    if (set.empty())
        throw std::invalid_argument("evaluate: the " + toString(split) + " split is empty (task.dataset.split)");
    Project p = project;
    p.ensureWeights();
    if (p.network.outputCount() != data.data->classCount())
        throw std::invalid_argument("evaluate: the network has " + std::to_string(p.network.outputCount()) +
                                    " outputs for " + std::to_string(data.data->classCount()) + " classes");

    // Ctrl-C: checked with the GIL after every sample; the engine stops on the flag.
    CancelFlag cancel{false};
    std::exception_ptr interrupted;
    const EvaluationProgress progress = [&](std::size_t, std::size_t) {
        py::gil_scoped_acquire gil;
        if (!interrupted && PyErr_CheckSignals() != 0) {
            interrupted = std::make_exception_ptr(py::error_already_set());
            cancel.store(true);
        }
    };
    ClassEvaluation result;
    {
        py::gil_scoped_release release;
        result = evaluate(p.network, set, p.simulation, p.training, data.data->decision(), data.data->targets(),
                          &cancel, progress);
    }
    if (interrupted)
        std::rethrow_exception(interrupted);
    return evaluationDict(result, *data.data, split);
}

} // namespace

Split splitNamed(const std::string& name)
{
    try {
        return splitFromString(name);
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument("split: '" + name + "' is not one of train, validation, test");
    }
}

DatasetHandle loadDatasetOf(const Project& project, const std::string& what)
{
    if (!project.dataset)
        throw std::invalid_argument(what + ": the project's task is not a dataset (task.dataset is absent)");
    std::shared_ptr<const LoadedDataset> data;
    {
        py::gil_scoped_release release;
        // Data paths of projects from normad.load() and normad.example() are absolute already;
        // others are resolved from the working directory.
        data = LoadedDataset::load(*project.dataset, fs::current_path().string(), project.simulation);
    }
    return {std::move(data)};
}

void bindDatasets(py::module_& m)
{
    py::class_<DatasetHandle>(m, "Dataset", R"doc(
A dataset project's data, loaded: its files checked against their size and SHA-256, read, split
(stratified, seeded), the scaler fitted on the training split and the class targets built. Samples
are encoded into spike trains on demand. Get one with normad.load_dataset(project); pass it to
train() and evaluate() to avoid loading the files again.
)doc")
        .def_property_readonly(
            "class_names", [](const DatasetHandle& d) { return d.data->classNames(); },
            "The class names in label order (list of str).")
        .def_property_readonly(
            "class_count", [](const DatasetHandle& d) { return d.data->classCount(); },
            "Number of classes (= output neurons the network needs).")
        .def_property_readonly(
            "input_count", [](const DatasetHandle& d) { return d.data->inputCount(); },
            "Number of input neurons the encoding produces.")
        .def_property_readonly(
            "counts",
            [](const DatasetHandle& d) {
                py::dict c;
                for (Split s : {Split::Train, Split::Validation, Split::Test})
                    c[py::str(toString(s))] = d.data->patterns(s).size();
                return c;
            },
            "Samples per split: {\"train\": n, \"validation\": n, \"test\": n}.")
        .def(
            "labels",
            [](const DatasetHandle& d, const std::string& split) {
                const PatternSet& set = d.data->patterns(splitNamed(split));
                std::vector<std::int64_t> labels;
                for (std::size_t i = 0; i < set.size(); ++i)
                    labels.push_back(set.label(i));
                return int64Array(labels);
            },
            py::arg("split") = "train", R"doc(
labels(split="train") -> numpy.ndarray

The class (int64, 0-based) of every sample of the split, in the split's order.
)doc")
        .def(
            "sample",
            [](const DatasetHandle& d, std::int64_t i, const std::string& split) {
                return sampleDict(*d.data, splitNamed(split), i);
            },
            py::arg("index"), py::arg("split") = "train", R"doc(
sample(index, split="train") -> dict

Sample `index` (0-based, negative counts from the end) of a split, encoded as training sees it:
{"inputs": (indices, times), "desired": (indices, times) — the target of its class —, "label",
"class_name", "sample": its index in the data file, "split"}. Spike trains are Brian2-style
(int64 indices, float64 times in seconds). IndexError when out of range.
)doc")
        .def_property_readonly(
            "targets",
            [](const DatasetHandle& d) {
                py::list t;
                for (const SpikeRaster& r : d.data->targets())
                    t.append(spikeArrays(r));
                return t;
            },
            "The desired output raster of each class as (indices, times), in label order.")
        .def("__repr__", [](const DatasetHandle& d) {
            return "<normad.Dataset: " + std::to_string(d.data->classCount()) + " classes, " +
                   std::to_string(d.data->patterns(Split::Train).size()) + " train / " +
                   std::to_string(d.data->patterns(Split::Validation).size()) + " validation / " +
                   std::to_string(d.data->patterns(Split::Test).size()) + " test samples>";
        });

    m.def(
        "load_dataset", [](const Project& project) { return loadDatasetOf(project, "load_dataset"); },
        py::arg("project"), R"doc(
load_dataset(project) -> Dataset

Load the dataset a dataset project (project.has_dataset) refers to, as training does. Paths stored
relative to the project file were made absolute by normad.load() and normad.example(); a project
made with from_json() resolves them from the working directory.

Raises ValueError for a project without a dataset or invalid dataset settings (naming
task.dataset.<field> and the value), RuntimeError (carrying the engine's message, which names the
file and what differs) for a missing or changed data file or one the reader refuses.
)doc");
    m.def("evaluate", &evaluateProject, py::arg("project"), py::kw_only(), py::arg("split") = "test",
          py::arg("dataset") = py::none(), R"doc(
evaluate(project, *, split="test", dataset=None) -> dict

Run the network of a dataset project (e.g. the `trained` project train() returned) on one split
without learning and name each sample's class with the project's decision rule, as
`normad evaluate` does. `dataset`: a normad.Dataset of this project (load_dataset()) to reuse.
The GIL is released while the engine runs; Ctrl-C stops it and raises KeyboardInterrupt.

Returns {"split", "accuracy" (correct / samples; NaN for none), "correct", "samples",
"class_names", "confusion": int64 array [true class, predicted class], "undecided": int64 array
[true class] (samples no class was named for), "precision", "recall": float arrays per class
(NaN where undefined), "predictions": {"sample" (index in the data file), "true", "predicted"
(-1 = undecided), "output_spikes"}: int64 arrays in the split's order, "non_finite", "seconds"}.

Raises ValueError for a split name other than train/validation/test, an empty split, a project
without a dataset or a network whose output count is not the class count; RuntimeError for data
files that are missing or changed (the message names the file).
)doc");
}

} // namespace normad::python
