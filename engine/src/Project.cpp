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
        throw std::invalid_argument("network.inputs: must be at least 1 (got " +
                                    std::to_string(network.inputCount()) + ")");
    if (network.layerCount() < 1)
        throw std::invalid_argument("network.layers: needs at least one (output) layer (got 0 layers)");
    for (int l : network.layerNumbers())
        network.layer(l).validate(layerPath(l));
    if (hasWeights && !network.weightsFinite())
        throw std::invalid_argument("network: every weight must be finite (got a non-finite weight)");
    training.validate("training");
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
