#pragma once

// The parts of the module, each adding its classes and functions to `normad`.

#include <pybind11/pybind11.h>

namespace normad::python {

void bindProject(pybind11::module_& m);    ///< Project, load, from_json, example, examples
void bindSimulation(pybind11::module_& m); ///< simulate
void bindTraining(pybind11::module_& m);   ///< train

} // namespace normad::python
