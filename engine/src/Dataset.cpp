#include "normad/Dataset.h"

#include <cstdio>
#include <limits>

namespace normad {

std::uint64_t estimateDatasetBytes(std::uint64_t samples, std::uint64_t features, FeatureStorage storage)
{
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t perValue = storage == FeatureStorage::Bytes ? 1 : sizeof(double);
    const std::uint64_t perSample = sizeof(int);
    if (features != 0 && samples > max / features)
        return max;
    const std::uint64_t values = samples * features;
    if (values > max / perValue)
        return max;
    const std::uint64_t featureBytes = values * perValue;
    if (samples > (max - featureBytes) / perSample)
        return max;
    return featureBytes + samples * perSample;
}

std::string formatBytes(std::uint64_t bytes)
{
    if (bytes < 1000)
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    const char* units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
    double value = static_cast<double>(bytes) / 1000.0;
    int unit = 0;
    while (value >= 1000.0 && unit < 5) {
        value /= 1000.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

void requireWithinMemoryLimit(std::uint64_t bytes, std::uint64_t limitBytes, const std::string& what)
{
    if (bytes > limitBytes)
        throw DatasetError(what + " would take " + formatBytes(bytes) + ", over the limit of " +
                           formatBytes(limitBytes));
}

Dataset Dataset::fromBytes(std::vector<std::uint8_t> pixels, std::vector<int> labels,
                           std::vector<std::string> classNames, int width, int height, DatasetOrigin origin)
{
    if (width <= 0 || height <= 0)
        throw std::invalid_argument("dataset: image width and height must be positive (got " + std::to_string(width) +
                                    " × " + std::to_string(height) + ")");
    Dataset d;
    d.m_storage = FeatureStorage::Bytes;
    d.m_featureCount = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    if (pixels.size() != labels.size() * d.m_featureCount)
        throw std::invalid_argument("dataset: " + std::to_string(pixels.size()) + " pixel bytes for " +
                                    std::to_string(labels.size()) + " images of " + std::to_string(width) + " × " +
                                    std::to_string(height));
    d.m_bytes = std::move(pixels);
    d.m_labels = std::move(labels);
    d.m_classNames = std::move(classNames);
    d.m_width = width;
    d.m_height = height;
    d.m_origin = std::move(origin);
    d.checkLabels();
    return d;
}

Dataset Dataset::fromValues(std::vector<double> values, std::vector<int> labels, std::vector<std::string> classNames,
                            std::vector<std::string> featureNames, DatasetOrigin origin)
{
    Dataset d;
    d.m_storage = FeatureStorage::Doubles;
    d.m_featureCount = featureNames.size();
    if (values.size() != labels.size() * d.m_featureCount)
        throw std::invalid_argument("dataset: " + std::to_string(values.size()) + " values for " +
                                    std::to_string(labels.size()) + " samples of " + std::to_string(d.m_featureCount) +
                                    " features");
    d.m_values = std::move(values);
    d.m_labels = std::move(labels);
    d.m_classNames = std::move(classNames);
    d.m_featureNames = std::move(featureNames);
    d.m_origin = std::move(origin);
    d.checkLabels();
    return d;
}

void Dataset::checkLabels() const
{
    for (std::size_t i = 0; i < m_labels.size(); ++i)
        if (m_labels[i] < 0 || m_labels[i] >= classCount())
            throw std::invalid_argument("dataset: sample " + std::to_string(i) + " has class " +
                                        std::to_string(m_labels[i]) + ", outside 0 … " +
                                        std::to_string(classCount() - 1));
}

double Dataset::feature(std::size_t sample, std::size_t j) const
{
    const std::size_t k = sample * m_featureCount + j;
    return m_storage == FeatureStorage::Bytes ? static_cast<double>(m_bytes[k]) : m_values[k];
}

void Dataset::copyFeatures(std::size_t sample, std::span<double> out) const
{
    if (out.size() != m_featureCount)
        throw std::invalid_argument("dataset: copyFeatures needs room for " + std::to_string(m_featureCount) +
                                    " features (got " + std::to_string(out.size()) + ")");
    const std::size_t first = sample * m_featureCount;
    for (std::size_t j = 0; j < m_featureCount; ++j)
        out[j] = m_storage == FeatureStorage::Bytes ? static_cast<double>(m_bytes[first + j]) : m_values[first + j];
}

std::vector<double> Dataset::features(std::size_t sample) const
{
    std::vector<double> out(m_featureCount);
    copyFeatures(sample, out);
    return out;
}

std::span<const std::uint8_t> Dataset::bytesOf(std::size_t sample) const
{
    if (m_storage != FeatureStorage::Bytes)
        throw std::logic_error("dataset: bytesOf() on a table of doubles");
    return {m_bytes.data() + sample * m_featureCount, m_featureCount};
}

Dataset Dataset::subset(std::span<const std::size_t> samples) const
{
    // Metadata copied member by member: copying *this would copy every sample first.
    Dataset d;
    d.m_storage = m_storage;
    d.m_featureCount = m_featureCount;
    d.m_classNames = m_classNames;
    d.m_featureNames = m_featureNames;
    d.m_width = m_width;
    d.m_height = m_height;
    d.m_origin = m_origin;
    d.m_labels.reserve(samples.size());
    (m_storage == FeatureStorage::Bytes ? d.m_bytes.reserve(samples.size() * m_featureCount)
                                        : d.m_values.reserve(samples.size() * m_featureCount));
    for (std::size_t i : samples) {
        if (i >= sampleCount())
            throw std::out_of_range("dataset: sample " + std::to_string(i) + " of " + std::to_string(sampleCount()));
        d.m_labels.push_back(m_labels[i]);
        const std::size_t first = i * m_featureCount;
        if (m_storage == FeatureStorage::Bytes)
            d.m_bytes.insert(d.m_bytes.end(), m_bytes.begin() + static_cast<std::ptrdiff_t>(first),
                             m_bytes.begin() + static_cast<std::ptrdiff_t>(first + m_featureCount));
        else
            d.m_values.insert(d.m_values.end(), m_values.begin() + static_cast<std::ptrdiff_t>(first),
                              m_values.begin() + static_cast<std::ptrdiff_t>(first + m_featureCount));
    }
    return d;
}

std::vector<std::size_t> Dataset::classCounts() const
{
    std::vector<std::size_t> counts(m_classNames.size(), 0);
    for (int c : m_labels)
        ++counts[static_cast<std::size_t>(c)];
    return counts;
}

std::uint64_t Dataset::memoryBytes() const
{
    return m_bytes.size() + m_values.size() * sizeof(double) + m_labels.size() * sizeof(int);
}

} // namespace normad
