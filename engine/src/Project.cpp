#include "normad/Project.h"

#include <stdexcept>
#include <string>

namespace normad {

// The `where` prefixes are the JSON paths of the project file (docs/project-format.md), so a
// message from here can be traced to the key a user has to edit. JSON layer indices are 0-based:
// network.layers[0] is the engine's layer 1 (layerPath, Layers.h).
void Project::validate() const
{
    simulation.validate("simulation");
    network.synapse().validate("synapse");
    if (network.inputCount() < 1)
        throw std::invalid_argument("network.inputs: must be at least 1 (got " + std::to_string(network.inputCount()) +
                                    ")");
    if (network.layerCount() < 1)
        throw std::invalid_argument("network.layers: needs at least one (output) layer (got 0 layers)");
    for (int l : network.layerNumbers())
        network.layer(l).validate(layerPath(l));
    if (hasWeights && !network.weightsFinite())
        throw std::invalid_argument("network: every weight must be finite (got a non-finite weight)");
    training.validate("training");
    if (dataset) {
        if (!task.patterns.empty())
            throw std::invalid_argument("task: holds both patterns and a dataset; a task is one or the other (got " +
                                        std::to_string(task.patterns.size()) + " patterns)");
        dataset->validate(simulation, "task.dataset");
        if (!dataset->source.classNames.empty() &&
            static_cast<std::size_t>(network.outputCount()) != dataset->source.classNames.size())
            throw std::invalid_argument("network.layers: the output layer needs one neuron per class (" +
                                        std::to_string(dataset->source.classNames.size()) + ") (got " +
                                        std::to_string(network.outputCount()) + ")");
        return;
    }
    task.validate(network.inputCount(), network.outputCount(), simulation.duration, simulation.dt, "task");
}

void Project::ensureWeights()
{
    if (hasWeights)
        return;
    network.initializeWeights(seed);
    hasWeights = true;
}

} // namespace normad
