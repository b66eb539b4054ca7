// The Python module `normad`: the engine for notebooks and scripts (docs/python.md).

#include "Bindings.h"

#include "normad/ProjectIo.h"
#include "normad/Version.h"

namespace py = pybind11;

PYBIND11_MODULE(normad, m)
{
    m.doc() = R"doc(
NormAD Workbench's engine from Python: spiking networks of leaky integrate-and-fire neurons
trained with NormAD (and ReSuMe, PSD) on spike-train tasks.

    import normad
    project = normad.example("xor")             # or normad.load("my.json")
    trained, result = normad.train(project, epochs=100)
    out = normad.simulate(trained, pattern=0, record=["output"])
    trained.save("xor-trained.json")

Arrays are NumPy arrays in SI units, as in the project file: weights [n_out, n_in] in amperes
(PyTorch's nn.Linear layout), spike trains as (indices, times) in seconds (Brian2's layout).
Errors raise ValueError (invalid input: the message names the field and the value), IndexError,
normad.ProjectError (a file that cannot be read) or RuntimeError, carrying the engine's message.
)doc";
    // Every docstring starts with its own signature in Python's terms ("-> (Project, dict)"); the
    // generated one ("callback: object = None") would repeat it less readably.
    py::options options;
    options.disable_function_signatures();
    m.attr("__version__") = normad::versionString();
    py::register_exception<normad::ProjectError>(m, "ProjectError", PyExc_RuntimeError).doc() =
        "A project file or text that cannot be read; the message names the file, the field "
        "(JSON path) and the reason. A subclass of RuntimeError.";
    normad::python::bindProject(m);
    normad::python::bindSimulation(m);
    normad::python::bindTraining(m);
    normad::python::bindDatasets(m);
}
