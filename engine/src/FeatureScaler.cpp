#include "normad/FeatureScaler.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace normad {

FeatureScaler::FeatureScaler(std::vector<double> minimum, std::vector<double> maximum)
    : m_minimum(std::move(minimum)), m_maximum(std::move(maximum))
{
    if (m_minimum.size() != m_maximum.size())
        throw std::invalid_argument("feature scaling: " + std::to_string(m_minimum.size()) + " minima but " +
                                    std::to_string(m_maximum.size()) + " maxima");
    for (std::size_t j = 0; j < m_minimum.size(); ++j)
        if (!(m_maximum[j] >= m_minimum[j]))
            throw std::invalid_argument("feature scaling: feature " + std::to_string(j) + " has maximum " +
                                        std::to_string(m_maximum[j]) + " below its minimum " +
                                        std::to_string(m_minimum[j]));
}

FeatureScaler FeatureScaler::fit(const Dataset& dataset, std::span<const std::size_t> samples, ScalingMode mode)
{
    if (samples.empty())
        throw std::invalid_argument("feature scaling: no training samples to fit the ranges on");
    const std::size_t d = dataset.featureCount();
    std::vector<double> lo(d, std::numeric_limits<double>::infinity());
    std::vector<double> hi(d, -std::numeric_limits<double>::infinity());
    for (std::size_t i : samples)
        for (std::size_t j = 0; j < d; ++j) {
            const double v = dataset.feature(i, j);
            lo[j] = std::min(lo[j], v);
            hi[j] = std::max(hi[j], v);
        }
    if (mode == ScalingMode::Global && d > 0) {
        const double gl = *std::min_element(lo.begin(), lo.end());
        const double gh = *std::max_element(hi.begin(), hi.end());
        std::fill(lo.begin(), lo.end(), gl);
        std::fill(hi.begin(), hi.end(), gh);
    }
    return FeatureScaler(std::move(lo), std::move(hi));
}

double FeatureScaler::scale(std::size_t j, double v) const
{
    const double range = m_maximum[j] - m_minimum[j];
    if (!(range > 0))
        return 0.0;
    return std::clamp((v - m_minimum[j]) / range, 0.0, 1.0);
}

void FeatureScaler::scale(const Dataset& dataset, std::size_t sample, std::span<double> out) const
{
    if (dataset.featureCount() != featureCount() || out.size() != featureCount())
        throw std::invalid_argument("feature scaling: fitted on " + std::to_string(featureCount()) +
                                    " features, asked for " + std::to_string(dataset.featureCount()));
    dataset.copyFeatures(sample, out);
    for (std::size_t j = 0; j < out.size(); ++j)
        out[j] = scale(j, out[j]);
}

std::vector<double> FeatureScaler::scaled(const Dataset& dataset, std::size_t sample) const
{
    std::vector<double> out(featureCount());
    scale(dataset, sample, out);
    return out;
}

} // namespace normad
