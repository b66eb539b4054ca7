#pragma once

// The parts of the module, each adding its classes and functions to `normad`.

#include "normad/DatasetTask.h"
#include "normad/Project.h"

#include <pybind11/pybind11.h>

#include <memory>
#include <string>

namespace normad::python {

void bindProject(pybind11::module_& m);    ///< Project, load, from_json, example, examples
void bindSimulation(pybind11::module_& m); ///< simulate
void bindTraining(pybind11::module_& m);   ///< train
void bindDatasets(pybind11::module_& m);   ///< Dataset, load_dataset, evaluate

/// normad.Dataset: a loaded dataset task, shared with the trainer and evaluation.
struct DatasetHandle {
    std::shared_ptr<const LoadedDataset> data;
};

/// LoadedDataset::load for `project` without the GIL; `what` names the caller in the ValueError
/// raised for a project without a dataset.
DatasetHandle loadDatasetOf(const Project& project, const std::string& what);

/// The split named "train", "validation" or "test"; std::invalid_argument (ValueError) otherwise.
Split splitNamed(const std::string& name);

} // namespace normad::python
