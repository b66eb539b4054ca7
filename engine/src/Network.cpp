#include "normad/Network.h"

#include "Validation.h"

#include <random>
#include <sstream>

namespace normad {

Network::Network(int inputCount, std::vector<LayerSpec> layers, SynapseParams synapse)
    : m_inputCount(inputCount), m_layers(std::move(layers)), m_synapse(synapse)
{
    if (m_inputCount < 1)
        detail::invalid("network", "inputs", std::to_string(m_inputCount), "must be at least 1");
    if (m_layers.empty())
        detail::invalid("network", "layers", "0 layers", "needs at least one (output) layer");
    for (std::size_t l = 0; l < m_layers.size(); ++l)
        m_layers[l].validate("network.layers[" + std::to_string(l) + "]");
    m_synapse.validate("synapse");
    const double bytes = weightBytes(m_inputCount, m_layers);
    if (bytes > maxWeightBytes) {
        std::ostringstream s;
        s.precision(3);
        s << "network: its weights would need " << bytes / (1024.0 * 1024 * 1024) << " GiB, more than the "
          << maxWeightBytes / (1024.0 * 1024 * 1024) << " GiB limit (" << synapseCount() << " synapses)";
        throw std::invalid_argument(s.str());
    }
    m_weights.reserve(m_layers.size());
    for (int l = 1; l <= layerCount(); ++l)
        m_weights.emplace_back(Eigen::MatrixXd::Zero(populationSize(l), populationSize(l - 1)));
}

int Network::populationSize(int l) const
{
    if (l == 0)
        return m_inputCount;
    return m_layers.at(static_cast<std::size_t>(l - 1)).size;
}

const LayerSpec& Network::layer(int l) const
{
    return m_layers.at(static_cast<std::size_t>(l - 1));
}

LayerSpec& Network::layer(int l)
{
    return m_layers.at(static_cast<std::size_t>(l - 1));
}

void Network::setSynapse(const SynapseParams& s)
{
    s.validate("synapse");
    m_synapse = s;
}

const Eigen::MatrixXd& Network::weights(int l) const
{
    return m_weights.at(static_cast<std::size_t>(l - 1));
}

void Network::setWeights(int l, const Eigen::MatrixXd& w)
{
    const std::string where = "network.layers[" + std::to_string(l - 1) + "]";
    if (w.rows() != populationSize(l) || w.cols() != populationSize(l - 1))
        detail::invalid(where, "weights", std::to_string(w.rows()) + "×" + std::to_string(w.cols()),
                        "must be " + std::to_string(populationSize(l)) + "×" + std::to_string(populationSize(l - 1)) +
                            " (postsynaptic × presynaptic)");
    if (!w.allFinite())
        detail::invalid(where, "weights", "a non-finite value", "every weight must be finite");
    m_weights.at(static_cast<std::size_t>(l - 1)) = w;
}

void Network::addToWeights(int l, const Eigen::MatrixXd& dw)
{
    m_weights.at(static_cast<std::size_t>(l - 1)) += dw;
}

void Network::initializeWeights(std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    for (int l = 1; l <= layerCount(); ++l) {
        const WeightInit& init = layer(l).init;
        Eigen::MatrixXd& w = m_weights[static_cast<std::size_t>(l - 1)];
        switch (init.kind) {
        case WeightInit::Kind::Zero:
            w.setZero();
            break;
        case WeightInit::Kind::Constant:
            w.setConstant(init.mean);
            break;
        case WeightInit::Kind::Normal: {
            std::normal_distribution<double> dist(init.mean, init.stddev);
            for (Eigen::Index i = 0; i < w.rows(); ++i)  // row-major draw order: stable across layouts
                for (Eigen::Index j = 0; j < w.cols(); ++j)
                    w(i, j) = init.stddev > 0 ? dist(rng) : init.mean;
            break;
        }
        case WeightInit::Kind::Uniform: {
            std::uniform_real_distribution<double> dist(init.low, init.high);
            for (Eigen::Index i = 0; i < w.rows(); ++i)
                for (Eigen::Index j = 0; j < w.cols(); ++j)
                    w(i, j) = dist(rng);
            break;
        }
        }
    }
}

bool Network::weightsFinite() const
{
    for (const auto& w : m_weights)
        if (!w.allFinite())
            return false;
    return true;
}

std::int64_t Network::synapseCount() const
{
    std::int64_t n = 0;
    for (int l = 1; l <= layerCount(); ++l)
        n += static_cast<std::int64_t>(populationSize(l)) * populationSize(l - 1);
    return n;
}

double Network::weightBytes(int inputCount, const std::vector<LayerSpec>& layers)
{
    double bytes = 0;
    double below = inputCount;
    for (const LayerSpec& l : layers) {
        bytes += below * l.size * sizeof(double);
        below = l.size;
    }
    return bytes;
}

} // namespace normad
