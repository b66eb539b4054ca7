#include "normad/ui/NetworkReshape.h"

namespace normad::ui::reshape {

LayerOrigin identity(int layers)
{
    LayerOrigin origin(static_cast<std::size_t>(layers));
    for (int l : layerNumbers(layers))
        ofLayer(origin, l) = l;
    return origin;
}

bool apply(Project& project, int inputs, std::vector<LayerSpec> layers, const LayerOrigin& origin,
           const CancelFlag* cancel)
{
    // The constructor validates sizes and refuses networks beyond Network::maxWeightBytes before
    // anything large is allocated.
    Network fresh(inputs, std::move(layers), project.network.synapse());
    // Redrawing from the seed makes a changed layer's weights the ones a new project with this
    // topology would have: reproducible, and independent of the order of edits.
    if (!fresh.initializeWeights(project.seed, cancel))
        return false;
    if (project.hasWeights) {
        const Network& old = project.network;
        const LayerRange described = layerNumbers(static_cast<int>(origin.size()));
        for (int l : fresh.layerNumbers()) {
            const int from = described.contains(l) ? ofLayer(origin, l) : 0;
            if (!old.layerNumbers().contains(from))
                continue;
            const Eigen::MatrixXd& w = old.weights(from);
            if (w.rows() == fresh.populationSize(l) && w.cols() == fresh.populationSize(l - 1))
                fresh.setWeights(l, w);
        }
    }
    // Another shape is another network: its learning curves must not continue the old one's.
    bool sameShape =
        fresh.inputCount() == project.network.inputCount() && fresh.layerCount() == project.network.layerCount();
    for (int l : fresh.layerNumbers())
        sameShape = sameShape && fresh.populationSize(l) == project.network.populationSize(l);
    if (!sameShape)
        project.history.clear();
    project.network = std::move(fresh);
    project.hasWeights = true;

    const auto outputs = static_cast<std::size_t>(project.network.outputCount());
    for (Pattern& pattern : project.task.patterns) {
        pattern.inputs.resize(static_cast<std::size_t>(inputs));
        pattern.desired.resize(outputs);
    }
    return true;
}

std::size_t spikesLost(const Task& task, int inputs, int outputs)
{
    std::size_t lost = 0;
    for (const Pattern& pattern : task.patterns) {
        for (std::size_t i = static_cast<std::size_t>(std::max(inputs, 0)); i < pattern.inputs.size(); ++i)
            lost += pattern.inputs[i].size();
        for (std::size_t o = static_cast<std::size_t>(std::max(outputs, 0)); o < pattern.desired.size(); ++o)
            lost += pattern.desired[o].size();
    }
    return lost;
}

} // namespace normad::ui::reshape
