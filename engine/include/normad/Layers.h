#pragma once

#include <cassert>
#include <cstddef>
#include <iterator>
#include <string>

namespace normad {

// Layer numbering — the one convention of the engine, the workbench and the CLI (spec §3.2, the
// papers' numbering):
//
//   l = 0        the input population (spike sources: no weights, no neuron parameters)
//   l = 1 … L    the LIF layers; l = L is the output layer. Layer l's weights are N_l × N_{l−1}.
//
// Every function, member and field that names a layer takes this number l. Storage differs:
// containers with one entry per LIF layer (weights, ΔW, E^l, firing rates) hold layer l at position
// l − 1; containers with one entry per population (SimulationRecord::layers) hold it at position l.
// Only the named accessors (Network::layer/weights, SimulationRecord::activity,
// PatternGradient::delta/error, EpochMetrics::layerRate) and ofLayer() below know that, so callers
// never subtract 1 to index. Loop with `for (int l : network.layerNumbers())`.
// The project file lists the LIF layers as the JSON array network.layers[0 … L−1]: layerPath(l).

/// The layer numbers first … last (empty when last < first), for `for (int l : range)`.
class LayerRange {
public:
    class Iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = int;
        using difference_type = int;
        using pointer = const int*;
        using reference = int;

        constexpr Iterator() = default;
        constexpr explicit Iterator(int l) : m_l(l) { }
        constexpr int operator*() const { return m_l; }
        constexpr Iterator& operator++()
        {
            ++m_l;
            return *this;
        }
        constexpr Iterator operator++(int)
        {
            Iterator before = *this;
            ++m_l;
            return before;
        }
        constexpr bool operator==(const Iterator&) const = default;

    private:
        int m_l = 0;
    };

    constexpr LayerRange(int first, int last) : m_first(first), m_last(last < first ? first - 1 : last) { }

    constexpr Iterator begin() const { return Iterator(m_first); }
    constexpr Iterator end() const { return Iterator(m_last + 1); }
    constexpr int first() const { return m_first; }
    constexpr int last() const { return m_last; }
    constexpr int size() const { return m_last - m_first + 1; }
    constexpr bool empty() const { return size() == 0; }
    constexpr bool contains(int l) const { return l >= m_first && l <= m_last; }

private:
    int m_first;
    int m_last;
};

/// The LIF layers 1 … L of a network with L layers.
constexpr LayerRange layerNumbers(int layerCount)
{
    return LayerRange(1, layerCount);
}
/// Every population 0 … L (the inputs, then the LIF layers).
constexpr LayerRange populationNumbers(int layerCount)
{
    return LayerRange(0, layerCount);
}

/// The entry of layer l (1 … L) in a container with one entry per LIF layer (stored at l − 1):
/// `ofLayer(spikesPerLayer, l) += …`. Unchecked in release builds, like the container's [].
template <typename PerLayer> constexpr decltype(auto) ofLayer(PerLayer&& perLayer, int l)
{
    assert(l >= 1 && static_cast<std::size_t>(l) <= std::size(perLayer));
    return perLayer[static_cast<std::size_t>(l - 1)];
}

/// Project-file path of layer l (1 … L): "network.layers[l−1]", the JSON array being 0-based.
inline std::string layerPath(int l)
{
    return "network.layers[" + std::to_string(l - 1) + "]";
}

} // namespace normad
