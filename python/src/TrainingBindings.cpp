// normad.train: the engine's Trainer without the GIL, a Python callback after every epoch, Ctrl-C.

#include "Bindings.h"
#include "Conversions.h"

#include "normad/Project.h"
#include "normad/Trainer.h"
#include "normad/TrainingObserver.h"

#include <pybind11/stl.h>

#include <exception>
#include <optional>

namespace normad::python {

namespace {

/// Runs on the training thread (the caller's, with the GIL released). Takes the GIL only to check
/// for a pending signal (after every pattern, so Ctrl-C lands within one trial) and to call the
/// callback (after every epoch). Anything Python raises is kept, training is cancelled through the
/// engine's flag, and train() re-raises it once the engine has returned.
class PythonTrainingObserver final : public TrainingObserver {
public:
    PythonTrainingObserver(py::object callback, CancelFlag& cancel) : m_callback(std::move(callback)), m_cancel(cancel)
    {
    }

    void patternFinished(const PatternSnapshot&) override
    {
        guarded([] {
            if (PyErr_CheckSignals() != 0)
                throw py::error_already_set();
        });
    }

    void epochFinished(const EpochMetrics& metrics, const Network&) override
    {
        guarded([&] {
            if (PyErr_CheckSignals() != 0)
                throw py::error_already_set();
            if (m_callback.is_none())
                return;
            const py::object answer = m_callback(metricsDict(metrics));
            // None (no return statement) continues; False or another false value stops.
            if (!answer.is_none() && !py::bool_(answer))
                m_cancel.store(true);
        });
    }

    /// What Python raised during training, or null.
    std::exception_ptr error() const { return m_error; }

private:
    template <typename F> void guarded(F&& work)
    {
        if (m_error)
            return;
        py::gil_scoped_acquire gil;
        try {
            work();
        } catch (...) {
            m_error = std::current_exception();
            m_cancel.store(true);
        }
    }

    py::object m_callback;
    CancelFlag& m_cancel;
    std::exception_ptr m_error;
};

py::tuple train(const Project& project, std::optional<int> epochs, std::optional<std::uint64_t> seed,
                const py::object& callback, const py::object& dataset)
{
    if (!callback.is_none() && !PyCallable_Check(callback.ptr()))
        throw py::type_error("train: callback must be callable, got " + py::repr(callback).cast<std::string>());
    if (epochs && *epochs < 0)
        throw std::invalid_argument("train: epochs must be >= 0 (got " + std::to_string(*epochs) + ")");
    if (!dataset.is_none() && !project.dataset)
        throw std::invalid_argument("train: dataset given for a project whose task is not a dataset");
    Project p = project;
    if (seed)
        p.seed = *seed;
    p.validate();
    p.ensureWeights();
    // A dataset task reads and checks its files first (as `normad train`), or reuses a loaded one.
    std::shared_ptr<const LoadedDataset> data;
    if (p.dataset)
        data = dataset.is_none() ? loadDatasetOf(p, "train").data : dataset.cast<DatasetHandle>().data;
    const int maxEpochs = epochs.value_or(p.training.maxEpochs);

    CancelFlag cancel{false};
    PythonTrainingObserver observer(callback, cancel);
    std::optional<Trainer> trainer;
    TrainingResult result;
    EpochMetrics finalEvaluation;
    {
        py::gil_scoped_release release;
        if (data)
            trainer.emplace(p.network, data, p.simulation, p.training, p.seed);
        else
            trainer.emplace(p.network, p.task, p.simulation, p.training, p.seed);
        result = trainer->run(&observer, &cancel, maxEpochs);
        // A cancelled run has no final evaluation yet (as `normad train`): one without the flag.
        finalEvaluation =
            result.reason == StopReason::Cancelled && !observer.error() ? trainer->evaluate() : result.finalEvaluation;
    }
    if (observer.error())
        std::rethrow_exception(observer.error()); // KeyboardInterrupt, or what the callback raised

    Project trained = p;
    trained.network = trainer->network();
    trained.hasWeights = true;
    trained.history = result.history;

    py::list history;
    for (const EpochMetrics& epoch : result.history)
        history.append(metricsDict(epoch));
    py::dict info;
    info["reason"] = toString(result.reason);
    info["message"] = result.message;
    info["epochs"] = result.epochs;
    info["converged_epoch"] = result.convergedEpoch;
    info["best_min_correlation"] = result.bestMinCorrelation;
    info["seconds"] = result.seconds;
    info["seed"] = p.seed;
    info["history"] = history;
    info["final"] = metricsDict(finalEvaluation);
    return py::make_tuple(std::move(trained), std::move(info));
}

} // namespace

void bindTraining(py::module_& m)
{
    m.def("train", &train, py::arg("project"), py::kw_only(), py::arg("epochs") = py::none(),
          py::arg("seed") = py::none(), py::arg("callback") = py::none(), py::arg("dataset") = py::none(), R"doc(
train(project, *, epochs=None, seed=None, callback=None, dataset=None) -> (Project, dict)

Train the project's network on its task with its training settings (rule, learning rates, stop
criteria), as `normad train` does. The project passed in is not changed. A dataset project
(project.has_dataset) trains on its training split; its data files are loaded first, or
`dataset` (normad.load_dataset(project)) is reused, and the metrics carry train_accuracy and
validation_accuracy (evaluate() then measures the test split).

epochs:   at most this many epochs (default: the project's training.maxEpochs).
seed:     use this seed instead of the project's (pattern order, and the initial weights when the
          project carries none).
callback: called after every epoch with that epoch's metrics, a dict of numbers keyed as
          `normad train --json` writes them: epoch, mean_correlation, min_correlation, van_rossum,
          spike_count_error, missing, extra, cost, classified, converged, seconds,
          pattern_correlation (list), layer_rates_hz (list), evaluated_min_correlation,
          evaluated_mean_correlation (NaN without an evaluation pass), presented, train_accuracy,
          validation_accuracy (NaN for a task of inline patterns). Return False to stop after
          this epoch (reason "cancelled"); returning None continues. An exception raised by the
          callback stops training and propagates.

The engine runs without the GIL; the GIL is taken only to call the callback and to check for
signals after every pattern: Ctrl-C (or a notebook's interrupt) stops training within one trial and
raises KeyboardInterrupt.

Returns (trained, result): `trained` is a copy of the project with the trained weights and this
run's history; `result` is a dict with
  "reason":  why training stopped: "max-epochs", "converged", "stagnated", "cancelled",
             "non-finite", "silent-layer" or "runaway-layer";
  "message": the engine's explanation; "epochs": epochs completed; "converged_epoch" (-1 if never);
  "best_min_correlation"; "seconds"; "seed";
  "history": one metrics dict per epoch (as passed to the callback);
  "final":   metrics of a forward pass of every pattern with the final weights.

Raises ValueError for an invalid project (the message names the field and the value),
RuntimeError for a dataset project whose data files are missing, changed or unreadable (the
message names the file).

Example:
    >>> project = normad.example("xor")
    >>> trained, result = normad.train(project, epochs=50,
    ...     callback=lambda m: m["min_correlation"] < 0.95)
    >>> result["reason"], result["epochs"]
)doc");
}

} // namespace normad::python
