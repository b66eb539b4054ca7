#pragma once

#include "normad/MetricParams.h"
#include "normad/SpikeTrain.h"

namespace normad {

/// Spike-train comparisons. All evaluated in closed form over the whole time axis (no grid,
/// no boundary truncation), so they do not depend on dt.
namespace metrics {

/// Correlation C = ⟨L(a), L(b)⟩ / (‖L(a)‖‖L(b)‖) of the kernel-filtered trains (spec §2.7,
/// Schreiber et al. 2003). 1 for identical trains; 0 if either is empty (also both empty).
/// Gaussian kernel: ⟨L(a),L(b)⟩ ∝ Σ exp(−(tᵢ−tⱼ)²/4σ²); exponential: ∝ Σ exp(−|tᵢ−tⱼ|/τ).
double correlation(const SpikeTrain& a, const SpikeTrain& b, CorrelationKernel kernel, double width);

/// van Rossum distance D with D² = (1/τ)∫(f − g)² dt, f, g the trains filtered by e^{−t/τ}U(t).
/// One unmatched spike contributes D² = 1/2.
double vanRossumDistance(const SpikeTrain& a, const SpikeTrain& b, double tau);

/// One-to-one matching of desired and actual spikes within ±tolerance, nearest pairs first.
struct SpikeMatch {
    int matched = 0;
    int missing = 0; ///< desired spikes left unmatched
    int extra = 0;   ///< actual spikes left unmatched
};
SpikeMatch matchSpikes(const SpikeTrain& desired, const SpikeTrain& actual, double tolerance);

} // namespace metrics
} // namespace normad
