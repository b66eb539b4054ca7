#pragma once

#include "normad/Dataset.h"
#include "normad/Encoding.h"
#include "normad/FeatureScaler.h"
#include "normad/Pattern.h"
#include "normad/SimulationParams.h"

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace normad {

/// A labelled dataset seen as spike-train patterns: sample i's inputs are its scaled features encoded
/// (Encoding.h) and its desired output is its class's target raster (ClassTargets.h). Patterns are
/// made on demand and the most recently used are kept in a cache bounded in bytes, so a 60 000-image
/// dataset costs its bytes plus the cache, never every pattern at once (and never a dense
/// steps × inputs matrix: patterns hold spike times). pattern() may be called from several threads.
class EncodedDataset {
public:
    /// `targets` has one raster per class of `data` (each with the same number of trains).
    /// `streamOffset` is added to the sample index to name its random stream (Poisson), so the
    /// samples of a separate test file can be given streams of their own. Throws std::invalid_argument
    /// on mismatched sizes or invalid encoding parameters.
    EncodedDataset(std::shared_ptr<const Dataset> data, FeatureScaler scaler, EncodingParams encoding,
                   std::vector<SpikeRaster> targets, SimulationParams simulation, std::uint64_t cacheLimitBytes,
                   std::uint64_t streamOffset = 0);

    const Dataset& dataset() const { return *m_data; }
    std::size_t sampleCount() const { return m_data->sampleCount(); }
    std::size_t inputCount() const { return encodedInputCount(m_encoding, m_data->featureCount()); }
    std::size_t outputCount() const { return m_targets.front().size(); }

    /// Sample `sample`'s pattern, named "sample <i> (<class name>)"; the same for the same
    /// parameters whether it came from the cache or was encoded again.
    std::shared_ptr<const Pattern> pattern(std::size_t sample) const;
    /// Encodes without touching the cache (a preview).
    Pattern encode(std::size_t sample) const;

    /// Bytes a pattern takes in the cache (spike times, train headers, name).
    static std::uint64_t patternBytes(const Pattern& pattern);
    std::uint64_t cachedBytes() const;
    std::size_t cachedCount() const;
    bool isCached(std::size_t sample) const;

private:
    struct Entry {
        std::shared_ptr<const Pattern> pattern;
        std::uint64_t bytes = 0;
        std::list<std::size_t>::iterator recency;
    };

    std::shared_ptr<const Dataset> m_data;
    FeatureScaler m_scaler;
    EncodingParams m_encoding;
    std::vector<SpikeRaster> m_targets;
    SimulationParams m_simulation;
    std::uint64_t m_cacheLimit;
    std::uint64_t m_streamOffset;

    mutable std::mutex m_mutex;
    mutable std::list<std::size_t> m_recency; ///< most recently used first
    mutable std::unordered_map<std::size_t, Entry> m_cache;
    mutable std::uint64_t m_cachedBytes = 0;
};

} // namespace normad
