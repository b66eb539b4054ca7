#include "normad/Network.h"

#include "Validation.h"

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>
#include <sstream>

namespace normad {

namespace {

// Layer l's entry (l = 1 … L, stored at l − 1: Layers.h). Bounds-checked, as these public accessors
// always were: a wrong layer number throws std::out_of_range.
template <typename PerLayer> auto& checkedOfLayer(PerLayer& perLayer, int l)
{
    return perLayer.at(static_cast<std::size_t>(l - 1));
}

} // namespace

Network::Network(int inputCount, std::vector<LayerSpec> layers, SynapseParams synapse)
    : m_inputCount(inputCount), m_layers(std::move(layers)), m_synapse(synapse)
{
    if (m_inputCount < 1)
        detail::invalid("network", "inputs", std::to_string(m_inputCount), "must be at least 1");
    if (m_layers.empty())
        detail::invalid("network", "layers", "0 layers", "needs at least one (output) layer");
    for (int l : layerNumbers())
        layer(l).validate(layerPath(l));
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
    for (int l : layerNumbers())
        m_weights.push_back(
            std::make_shared<Eigen::MatrixXd>(Eigen::MatrixXd::Zero(populationSize(l), populationSize(l - 1))));
}

int Network::populationSize(int l) const
{
    if (l == 0)
        return m_inputCount;
    return layer(l).size;
}

const LayerSpec& Network::layer(int l) const
{
    return checkedOfLayer(m_layers, l);
}

LayerSpec& Network::layer(int l)
{
    return checkedOfLayer(m_layers, l);
}

void Network::setSynapse(const SynapseParams& s)
{
    s.validate("synapse");
    m_synapse = s;
}

const Eigen::MatrixXd& Network::weights(int l) const
{
    return *checkedOfLayer(m_weights, l);
}

std::vector<Eigen::MatrixXd> Network::allWeights() const
{
    std::vector<Eigen::MatrixXd> all;
    all.reserve(m_weights.size());
    for (const auto& w : m_weights)
        all.push_back(*w);
    return all;
}

bool Network::sharesWeights(const Network& other, int l) const
{
    return checkedOfLayer(m_weights, l) == checkedOfLayer(other.m_weights, l);
}

Eigen::MatrixXd& Network::weightsAt(int l)
{
    std::shared_ptr<Eigen::MatrixXd>& w = checkedOfLayer(m_weights, l);
    if (w.use_count() > 1)
        w = std::make_shared<Eigen::MatrixXd>(*w);
    else // sole owner: the other owners' last reads happen before this write
        std::atomic_thread_fence(std::memory_order_acquire);
    return *w;
}

Eigen::MatrixXd& Network::freshWeightsAt(int l)
{
    std::shared_ptr<Eigen::MatrixXd>& w = checkedOfLayer(m_weights, l);
    if (w.use_count() > 1)
        w = std::make_shared<Eigen::MatrixXd>(w->rows(), w->cols());
    else
        std::atomic_thread_fence(std::memory_order_acquire);
    return *w;
}

void Network::checkWeights(int l, const Eigen::MatrixXd& w) const
{
    const std::string where = layerPath(l);
    if (w.rows() != populationSize(l) || w.cols() != populationSize(l - 1))
        detail::invalid(where, "weights_A", std::to_string(w.rows()) + "×" + std::to_string(w.cols()),
                        "must be " + std::to_string(populationSize(l)) + "×" + std::to_string(populationSize(l - 1)) +
                            " (postsynaptic × presynaptic)");
    if (!w.allFinite())
        detail::invalid(where, "weights_A", "a non-finite value", "every weight must be finite");
}

void Network::setWeights(int l, const Eigen::MatrixXd& w)
{
    checkWeights(l, w);
    freshWeightsAt(l) = w;
}

void Network::setAllWeights(const std::vector<Eigen::MatrixXd>& weights)
{
    if (weights.size() != m_weights.size())
        detail::invalid("network", "weights", std::to_string(weights.size()) + " matrices",
                        "must be one per layer (" + std::to_string(layerCount()) + ")");
    for (int l : layerNumbers())
        checkWeights(l, ofLayer(weights, l));
    for (int l : layerNumbers())
        freshWeightsAt(l) = ofLayer(weights, l);
}

void Network::addToWeights(int l, const Eigen::MatrixXd& dw)
{
    weightsAt(l) += dw;
}

void Network::initializeWeights(std::uint64_t seed)
{
    initializeWeights(seed, nullptr);
}

bool Network::initializeWeights(std::uint64_t seed, const CancelFlag* cancel)
{
    std::mt19937_64 rng(seed);
    for (int l : layerNumbers()) {
        const WeightInit& init = layer(l).init;
        Eigen::MatrixXd& w = freshWeightsAt(l);
        if (cancelled(cancel))
            return false;
        switch (init.kind) {
        case WeightInit::Kind::Zero:
            w.setZero();
            break;
        case WeightInit::Kind::Constant:
            w.setConstant(init.mean);
            break;
        case WeightInit::Kind::Normal: {
            std::normal_distribution<double> dist(init.mean, init.stddev);
            for (Eigen::Index i = 0; i < w.rows(); ++i) { // row-major draw order: stable across layouts
                if (cancelled(cancel))
                    return false;
                for (Eigen::Index j = 0; j < w.cols(); ++j)
                    w(i, j) = init.stddev > 0 ? dist(rng) : init.mean;
            }
            break;
        }
        case WeightInit::Kind::Uniform: {
            std::uniform_real_distribution<double> dist(init.low, init.high);
            for (Eigen::Index i = 0; i < w.rows(); ++i) {
                if (cancelled(cancel))
                    return false;
                for (Eigen::Index j = 0; j < w.cols(); ++j)
                    w(i, j) = dist(rng);
            }
            break;
        }
        }
    }
    return true;
}

bool Network::weightsFinite() const
{
    // x − x is 0 for a finite x and NaN for ±∞ or NaN; summed lane by lane, a vector of sums stays 0
    // only if every weight is finite (Eigen's allFinite() costs about 7 instructions a weight).
    for (const auto& w : m_weights) {
        const double* p = w->data();
        const auto n = static_cast<std::size_t>(w->size());
        std::size_t k = 0;
        double rest = 0;
#if defined(__GNUC__)
        using V4 = double __attribute__((vector_size(32)));
        V4 sum = {}, x;
        for (; k + 4 <= n; k += 4) {
            std::memcpy(&x, p + k, sizeof x);
            sum += x - x;
        }
        rest = (sum[0] + sum[1]) + (sum[2] + sum[3]);
#endif
        for (; k < n; ++k)
            rest += p[k] - p[k];
        if (!(rest == 0)) // NaN compares unequal
            return false;
    }
    return true;
}

std::int64_t Network::synapseCount() const
{
    std::int64_t n = 0;
    for (int l : layerNumbers())
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
