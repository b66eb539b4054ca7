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
template <typename Kernel> double crossSum(const SpikeTrain& a, const SpikeTrain& b, Kernel k, double cutoff)
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

// Σᵢⱼ e^{−|aᵢ − bⱼ|/τ} over sorted trains, exactly, in O(n + m) exponentials: a causal and an
// anti-causal exponential trace (first-order IIR filters) of b swept past a. A runaway output
// with thousands of spikes per second would make the pairwise sum cost hundreds of milliseconds
// per pattern, and the metrics run between two polls of the cancel flag.
double exponentialCrossSum(const SpikeTrain& a, const SpikeTrain& b, double tau)
{
    // One canonical order, so that the sum (and hence C) is exactly symmetric in its arguments.
    if (a.size() > b.size() || (a.size() == b.size() && b < a))
        return exponentialCrossSum(b, a, tau);
    if (a.empty() || b.empty())
        return 0.0;
    double s = 0;
    // Causal part, bⱼ ≤ aᵢ: trace = Σ_{bⱼ ≤ t} e^{−(t − bⱼ)/τ}, b before a at equal times.
    double trace = 0, at = b.front();
    std::size_t j = 0;
    for (double ta : a) {
        for (; j < b.size() && b[j] <= ta; ++j) {
            trace = trace * std::exp(-(b[j] - at) / tau) + 1.0;
            at = b[j];
        }
        if (j > 0)
            s += trace * std::exp(-(ta - at) / tau);
    }
    // Anti-causal part, bⱼ > aᵢ: trace = Σ_{bⱼ > t} e^{−(bⱼ − t)/τ}, swept backwards.
    trace = 0;
    at = b.back();
    std::size_t k = b.size();
    for (std::size_t i = a.size(); i-- > 0;) {
        const double ta = a[i];
        for (; k > 0 && b[k - 1] > ta; --k) {
            trace = trace * std::exp(-(at - b[k - 1]) / tau) + 1.0;
            at = b[k - 1];
        }
        if (k < b.size())
            s += trace * std::exp(-(at - ta) / tau);
    }
    return s;
}

// e^{−x²/4σ²} < 1e-20 for |x| > 13.6σ.
constexpr double gaussianCutoff = 14.0;

} // namespace

double correlation(const SpikeTrain& a, const SpikeTrain& b, CorrelationKernel kernel, double width)
{
    if (a.empty() || b.empty())
        return 0.0;
    // ⟨L(a), L(b)⟩ over the whole line. Gaussian L (σ): ∝ exp(−Δ²/4σ²). Causal exponential L (τ):
    // ∫ e^{−(t−tᵢ)/τ}e^{−(t−tⱼ)/τ} over t > max(tᵢ,tⱼ) = (τ/2)e^{−|Δ|/τ}. Constants cancel in C.
    auto k = [width](double d) { return std::exp(-d * d / (4 * width * width)); };
    const double cutoff = width * gaussianCutoff;
    const bool exponential = kernel != CorrelationKernel::Gaussian;
    const double ab = exponential ? exponentialCrossSum(a, b, width) : crossSum(a, b, k, cutoff);
    const double aa = exponential ? exponentialCrossSum(a, a, width) : crossSum(a, a, k, cutoff);
    const double bb = exponential ? exponentialCrossSum(b, b, width) : crossSum(b, b, k, cutoff);
    const double denom = std::sqrt(aa * bb);
    return denom > 0 ? ab / denom : 0.0;
}

double vanRossumDistance(const SpikeTrain& a, const SpikeTrain& b, double tau)
{
    // (1/τ)∫(f−g)² with f = Σ e^{−(t−tᵢ)/τ}U: each pair contributes ½e^{−|Δ|/τ}.
    const double d2 =
        0.5 * (exponentialCrossSum(a, a, tau) + exponentialCrossSum(b, b, tau) - 2 * exponentialCrossSum(a, b, tau));
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
