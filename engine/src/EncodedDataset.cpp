#include "normad/EncodedDataset.h"

#include <stdexcept>
#include <string>

namespace normad {

EncodedDataset::EncodedDataset(std::shared_ptr<const Dataset> data, FeatureScaler scaler, EncodingParams encoding,
                               std::vector<SpikeRaster> targets, SimulationParams simulation,
                               std::uint64_t cacheLimitBytes, std::uint64_t streamOffset)
    : m_data(std::move(data)),
      m_scaler(std::move(scaler)),
      m_encoding(encoding),
      m_targets(std::move(targets)),
      m_simulation(simulation),
      m_cacheLimit(cacheLimitBytes),
      m_streamOffset(streamOffset)
{
    if (!m_data)
        throw std::invalid_argument("encoded dataset: no dataset");
    if (m_scaler.featureCount() != m_data->featureCount())
        throw std::invalid_argument("encoded dataset: scaling fitted on " + std::to_string(m_scaler.featureCount()) +
                                    " features, the dataset has " + std::to_string(m_data->featureCount()));
    if (static_cast<int>(m_targets.size()) != m_data->classCount())
        throw std::invalid_argument("encoded dataset: " + std::to_string(m_targets.size()) + " class targets for " +
                                    std::to_string(m_data->classCount()) + " classes");
    for (const auto& t : m_targets)
        if (t.size() != m_targets.front().size())
            throw std::invalid_argument("encoded dataset: class targets with different numbers of output trains");
    m_encoding.validate(m_simulation);
}

Pattern EncodedDataset::encode(std::size_t sample) const
{
    if (sample >= m_data->sampleCount())
        throw std::out_of_range("encoded dataset: sample " + std::to_string(sample) + " of " +
                                std::to_string(m_data->sampleCount()));
    const int label = m_data->label(sample);
    Pattern p;
    p.name = "sample " + std::to_string(sample) + " (" + m_data->classNames()[static_cast<std::size_t>(label)] + ")";
    p.inputs = encodeFeatures(m_scaler.scaled(*m_data, sample), m_streamOffset + sample, m_encoding, m_simulation);
    p.desired = m_targets[static_cast<std::size_t>(label)];
    return p;
}

std::uint64_t EncodedDataset::patternBytes(const Pattern& pattern)
{
    std::uint64_t bytes = sizeof(Pattern) + pattern.name.capacity();
    for (const SpikeRaster* raster : {&pattern.inputs, &pattern.desired})
        for (const auto& train : *raster)
            bytes += sizeof(SpikeTrain) + train.capacity() * sizeof(double);
    return bytes;
}

std::shared_ptr<const Pattern> EncodedDataset::pattern(std::size_t sample) const
{
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_cache.find(sample); it != m_cache.end()) {
            m_recency.splice(m_recency.begin(), m_recency, it->second.recency);
            return it->second.pattern;
        }
    }
    // Encode outside the lock: other threads keep reading the cache meanwhile. Two threads may
    // encode the same sample at once; both get identical patterns and the first one is kept.
    auto made = std::make_shared<const Pattern>(encode(sample));
    const std::uint64_t bytes = patternBytes(*made);
    std::lock_guard lock(m_mutex);
    if (auto it = m_cache.find(sample); it != m_cache.end())
        return it->second.pattern;
    if (bytes > m_cacheLimit)
        return made;
    while (m_cachedBytes + bytes > m_cacheLimit) {
        const std::size_t oldest = m_recency.back();
        m_recency.pop_back();
        m_cachedBytes -= m_cache.at(oldest).bytes;
        m_cache.erase(oldest);
    }
    m_recency.push_front(sample);
    m_cache.emplace(sample, Entry{made, bytes, m_recency.begin()});
    m_cachedBytes += bytes;
    return made;
}

std::uint64_t EncodedDataset::cachedBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_cachedBytes;
}

std::size_t EncodedDataset::cachedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_cache.size();
}

bool EncodedDataset::isCached(std::size_t sample) const
{
    std::lock_guard lock(m_mutex);
    return m_cache.count(sample) != 0;
}

} // namespace normad
