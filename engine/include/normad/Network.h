#pragma once

#include "normad/Cancellation.h"
#include "normad/LayerSpec.h"
#include "normad/Layers.h"
#include "normad/SynapseParams.h"

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace normad {

/// A feed-forward network of fully connected LIF layers (spec §3.2).
/// Layer 0 is the input population (spike sources); layers 1 … L are LIF layers, L = output —
/// the numbering of Layers.h, taken by every member that names a layer.
/// weights(l) is N_l × N_{l−1} in amperes: row i = postsynaptic neuron i (PyTorch nn.Linear layout).
///
/// Copies share their weight matrices until one of them changes a layer (copy-on-write per layer):
/// a project copied for an undo step, a training session or a background job costs no weight memory
/// until its weights really differ, so a large network is not held many times over.
class Network {
public:
    Network() = default;
    /// Builds the topology with zero weights. Validates everything; throws std::invalid_argument.
    Network(int inputCount, std::vector<LayerSpec> layers, SynapseParams synapse = {});

    int inputCount() const { return m_inputCount; }
    /// Number of LIF layers L (inputs not counted).
    int layerCount() const { return static_cast<int>(m_layers.size()); }
    /// Size of population l, l = 0 (inputs) … L.
    int populationSize(int l) const;
    int outputCount() const { return populationSize(layerCount()); }
    /// The LIF layers 1 … L: `for (int l : network.layerNumbers())`.
    LayerRange layerNumbers() const { return normad::layerNumbers(layerCount()); }
    /// Every population 0 (inputs) … L.
    LayerRange populationNumbers() const { return normad::populationNumbers(layerCount()); }

    const LayerSpec& layer(int l) const; ///< l = 1 … L
    LayerSpec& layer(int l);
    /// Every layer's spec; position l − 1 holds layer l (prefer layer(l)).
    const std::vector<LayerSpec>& layers() const { return m_layers; }
    const SynapseParams& synapse() const { return m_synapse; }
    void setSynapse(const SynapseParams& s);

    const Eigen::MatrixXd& weights(int l) const; ///< l = 1 … L
    /// A copy of every layer's weights, amperes; position l − 1 holds W^l (ofLayer(allWeights(), l) = weights(l)).
    std::vector<Eigen::MatrixXd> allWeights() const;
    /// True when layer l's matrix is the very same storage as `other`'s (shared by a copy, unchanged since).
    bool sharesWeights(const Network& other, int l) const;
    /// Replaces layer l's weights; throws if the shape is not N_l × N_{l−1} or a value is not finite.
    void setWeights(int l, const Eigen::MatrixXd& w);
    /// Replaces every layer's weights (position l − 1 = W^l); throws, naming the layer, if the number
    /// of matrices is not L or a shape or value is wrong. Nothing changes when it throws.
    void setAllWeights(const std::vector<Eigen::MatrixXd>& weights);
    /// Adds ΔW to layer l.
    void addToWeights(int l, const Eigen::MatrixXd& dw);

    /// Draws every layer's weights from its WeightInit with one RNG seeded by `seed`.
    void initializeWeights(std::uint64_t seed);
    /// The same, polling `cancel` every row: returns false (weights partly drawn: discard this
    /// network) when it was raised. The values drawn are those of initializeWeights(seed).
    bool initializeWeights(std::uint64_t seed, const CancelFlag* cancel);

    /// True when every weight is finite.
    bool weightsFinite() const;
    /// Total number of synapses Σ N_l·N_{l−1}.
    std::int64_t synapseCount() const;

    /// Bytes the weight matrices of a network of these sizes would take.
    static double weightBytes(int inputCount, const std::vector<LayerSpec>& layers);
    /// Largest network accepted, bytes of weights (refused beyond it with the estimate).
    static constexpr double maxWeightBytes = 4.0 * 1024 * 1024 * 1024;

private:
    /// Throws naming layer l if `w` is not N_l × N_{l−1} or holds a non-finite value.
    void checkWeights(int l, const Eigen::MatrixXd& w) const;
    /// Layer l's matrix for writing, copied first if another Network shares it.
    Eigen::MatrixXd& weightsAt(int l);
    /// Layer l's matrix for overwriting: unshared, same shape, contents undefined (no copy made).
    Eigen::MatrixXd& freshWeightsAt(int l);

    int m_inputCount = 0;
    std::vector<LayerSpec> m_layers;
    SynapseParams m_synapse;
    // Shared between copies; never written while shared (weightsAt detaches). Position l − 1 = W^l.
    std::vector<std::shared_ptr<Eigen::MatrixXd>> m_weights;
};

} // namespace normad
