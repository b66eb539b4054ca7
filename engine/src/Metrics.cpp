#include "normad/Metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace normad::metrics {

namespace {

// Σᵢⱼ k(aᵢ − bⱼ) for a symmetric kernel k over sorted trains, skipping pairs farther apart than
// `cutoff`, where k < 1e-20 of its peak: O(spikes × spikes-in-window) instead of O(n·m), which
// matters for a runaway output with thousands of spikes.
template <typename Kernel>
double crossSum(const SpikeTrain& a, const SpikeTrain& b, Kernel k, double cutoff)
{
    double s = 0;
    std::size_t first = 0;
    for (double ta : a) {
        while (first < b.size() && b[first] < ta - cutoff)
            ++first;
        for (std::size_t j = first; j < b.size() && b[j] <= ta + cutoff; ++j)
            s += k(ta - b[j]);
    }
    return s;
}

// e^{−x²/4σ²} < 1e-20 for |x| > 13.6σ; e^{−|x|/τ} < 1e-20 for |x| > 46τ.
constexpr double gaussianCutoff = 14.0;
constexpr double exponentialCutoff = 50.0;

} // namespace

double correlation(const SpikeTrain& a, const SpikeTrain& b, CorrelationKernel kernel, double width)
{
    if (a.empty() || b.empty())
        return 0.0;
    // ⟨L(a), L(b)⟩ over the whole line. Gaussian L (σ): ∝ exp(−Δ²/4σ²). Causal exponential L (τ):
    // ∫ e^{−(t−tᵢ)/τ}e^{−(t−tⱼ)/τ} over t > max(tᵢ,tⱼ) = (τ/2)e^{−|Δ|/τ}. Constants cancel in C.
    auto k = [kernel, width](double d) {
        return kernel == CorrelationKernel::Gaussian ? std::exp(-d * d / (4 * width * width))
                                                     : std::exp(-std::abs(d) / width);
    };
    const double cutoff = width * (kernel == CorrelationKernel::Gaussian ? gaussianCutoff : exponentialCutoff);
    const double ab = crossSum(a, b, k, cutoff);
    const double aa = crossSum(a, a, k, cutoff);
    const double bb = crossSum(b, b, k, cutoff);
    const double denom = std::sqrt(aa * bb);
    return denom > 0 ? ab / denom : 0.0;
}

double vanRossumDistance(const SpikeTrain& a, const SpikeTrain& b, double tau)
{
    // (1/τ)∫(f−g)² with f = Σ e^{−(t−tᵢ)/τ}U: each pair contributes ½e^{−|Δ|/τ}.
    auto k = [tau](double d) { return 0.5 * std::exp(-std::abs(d) / tau); };
    const double cutoff = exponentialCutoff * tau;
    const double d2 = crossSum(a, a, k, cutoff) + crossSum(b, b, k, cutoff) - 2 * crossSum(a, b, k, cutoff);
    return std::sqrt(std::max(0.0, d2));
}

SpikeMatch matchSpikes(const SpikeTrain& desired, const SpikeTrain& actual, double tolerance)
{
    // Nearest pairs first: sort all candidate pairs within the tolerance by distance.
    std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
    std::size_t first = 0;
    for (std::size_t i = 0; i < desired.size(); ++i) {
        while (first < actual.size() && actual[first] < desired[i] - tolerance)
            ++first;
        for (std::size_t j = first; j < actual.size() && actual[j] <= desired[i] + tolerance; ++j)
            pairs.emplace_back(std::abs(actual[j] - desired[i]), i, j);
    }
    std::sort(pairs.begin(), pairs.end());
    std::vector<bool> usedD(desired.size()), usedA(actual.size());
    SpikeMatch m;
    for (const auto& [d, i, j] : pairs) {
        if (usedD[i] || usedA[j])
            continue;
        usedD[i] = usedA[j] = true;
        ++m.matched;
    }
    m.missing = static_cast<int>(desired.size()) - m.matched;
    m.extra = static_cast<int>(actual.size()) - m.matched;
    return m;
}

} // namespace normad::metrics
