#pragma once

#include "normad/Dataset.h"

#include <cstddef>
#include <span>
#include <vector>

namespace normad {

/// How the minimum and maximum of the features are taken.
enum class ScalingMode {
    PerFeature, ///< each feature its own range (feature tables)
    Global,     ///< one range over every feature (images: a pixel keeps its brightness relative to the others)
};

/// Min–max scaling of features to [0, 1], fitted on the training split only so that nothing of the
/// validation or test samples leaks into the encoding. Values outside the fitted range (possible in
/// other splits) are clamped to [0, 1]; a feature that is constant on the training split scales to 0.
class FeatureScaler {
public:
    FeatureScaler() = default;
    /// Per-feature ranges; throws std::invalid_argument if the sizes differ or a maximum is below its minimum.
    FeatureScaler(std::vector<double> minimum, std::vector<double> maximum);

    /// Fits on `samples` of `dataset` (the training split). Throws std::invalid_argument when empty.
    static FeatureScaler fit(const Dataset& dataset, std::span<const std::size_t> samples, ScalingMode mode);

    std::size_t featureCount() const { return m_minimum.size(); }
    const std::vector<double>& minimum() const { return m_minimum; }
    const std::vector<double>& maximum() const { return m_maximum; }

    /// (v − min_j) / (max_j − min_j), clamped to [0, 1]; 0 when max_j = min_j.
    double scale(std::size_t j, double v) const;
    /// The scaled features of one sample into `out` (size featureCount()).
    void scale(const Dataset& dataset, std::size_t sample, std::span<double> out) const;
    std::vector<double> scaled(const Dataset& dataset, std::size_t sample) const;

private:
    std::vector<double> m_minimum;
    std::vector<double> m_maximum;
};

} // namespace normad
