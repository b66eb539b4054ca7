#pragma once

// From features scaled to [0, 1] (FeatureScaler) to input spike trains. Every encoding is
// deterministic: the trains of a sample depend only on the parameters, the seed and the sample's
// index, never on the order in which samples are encoded or on the thread.

#include "normad/SimulationParams.h"
#include "normad/SpikeTrain.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace normad {

enum class EncodingKind {
    /// Rate coding: feature x fires as a Poisson process of rate x·maxRate over the trial, drawn on
    /// the time grid (a spike in each step with probability x·maxRate·dt), one input per feature.
    Poisson,
    /// Time-to-first-spike: one spike at t = latest − x·(latest − earliest), brighter is earlier;
    /// no spike when x < latencyThreshold. One input per feature.
    Latency,
    /// Gaussian receptive fields (Bohte, Kok & La Poutré 2002): k inputs per feature, each firing
    /// once at a time that falls as its Gaussian response to the feature grows.
    ReceptiveFields,
};

/// One Gaussian receptive field over the scaled feature range [0, 1].
struct ReceptiveField {
    double centre = 0; ///< μ, in scaled feature units
    double width = 0;  ///< σ, in scaled feature units
};

struct EncodingParams {
    EncodingKind kind = EncodingKind::Poisson;
    double maxRate = 100.0;         ///< Poisson: rate of a feature at 1, Hz (maxRate·dt ≤ 1)
    double earliest = 0.0;          ///< latency, receptive fields: time of the strongest input, s
    double latest = 0.04;           ///< latency, receptive fields: time of the weakest input that fires, s
    double latencyThreshold = 0.1;  ///< latency: scaled features below this do not fire
    int fieldsPerFeature = 5;       ///< receptive fields: k ≥ 3 inputs per feature
    double fieldWidthFactor = 1.5;  ///< receptive fields: Bohte's β (σ = 1/(β(k − 2))), > 0
    double responseThreshold = 0.1; ///< receptive fields: responses below this do not fire, in [0, 1)
    std::uint64_t seed = 1;         ///< Poisson: sample i's trains depend on (seed, i) only

    /// Throws std::invalid_argument naming the field and the value; spikes must fall inside the
    /// trial of `simulation` (the latest time's grid step is < steps()).
    void validate(const SimulationParams& simulation, const std::string& where = "encoding") const;
};

std::string toString(EncodingKind);
EncodingKind encodingKindFromString(const std::string&); ///< "poisson", "latency", "receptive-fields"

/// Number of input neurons for `featureCount` features: featureCount, or k·featureCount for receptive fields.
std::size_t encodedInputCount(const EncodingParams& params, std::size_t featureCount);

/// The k receptive fields of one feature scaled to [0, 1], after Bohte et al. 2002, §4: for a
/// variable with range [Imin, Imax] and m neurons, neuron i = 1 … m has centre
/// Imin + (2i − 3)/2 · (Imax − Imin)/(m − 2) and width 1/β · (Imax − Imin)/(m − 2), β = 1.5 in the
/// paper. Two centres fall outside the range, so both ends are covered as well as the middle.
std::vector<ReceptiveField> receptiveFields(int k, double beta);

/// Spike time of a receptive-field response r ∈ [0, 1]: latest − r·(latest − earliest), the
/// paper's linear map (a full response fires first); negative when r < responseThreshold (no spike).
double responseSpikeTime(double response, const EncodingParams& params);

/// Encodes one sample's scaled features (each in [0, 1]) into encodedInputCount() trains, times in
/// seconds inside [0, duration). Inputs of feature j are j (or j·k … j·k + k − 1 for receptive
/// fields). `sampleIndex` names the sample's random stream (Poisson); give samples of different
/// sets different indices if their streams must differ. Throws std::invalid_argument for a
/// feature outside [0, 1] or invalid parameters.
SpikeRaster encodeFeatures(std::span<const double> scaled, std::uint64_t sampleIndex, const EncodingParams& params,
                           const SimulationParams& simulation);

} // namespace normad
