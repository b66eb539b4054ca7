#include "normad/Encoding.h"

#include "CounterRandom.h"
#include "EnumNames.h"
#include "Validation.h"

#include <cmath>
#include <stdexcept>

namespace normad {

namespace {
constexpr auto kindNames = {std::pair{EncodingKind::Poisson, "poisson"}, std::pair{EncodingKind::Latency, "latency"},
                            std::pair{EncodingKind::ReceptiveFields, "receptive-fields"}};
} // namespace

std::string toString(EncodingKind k)
{
    return detail::enumName<EncodingKind>(kindNames, k);
}
EncodingKind encodingKindFromString(const std::string& s)
{
    return detail::enumFromName<EncodingKind>(kindNames, s, "encoding");
}

void EncodingParams::validate(const SimulationParams& simulation, const std::string& where) const
{
    simulation.validate(where + ".simulation");
    switch (kind) {
    case EncodingKind::Poisson:
        detail::requireNonNegative(where, "maxRate", maxRate);
        if (maxRate * simulation.dt > 1.0)
            detail::invalid(where, "maxRate", detail::formatValue(maxRate),
                            "must be at most 1/dt = " + detail::formatValue(1.0 / simulation.dt) +
                                " Hz (at most one spike per time step)");
        return;
    case EncodingKind::ReceptiveFields:
        if (fieldsPerFeature < 3)
            detail::invalid(where, "fieldsPerFeature", std::to_string(fieldsPerFeature),
                            "must be at least 3 (Bohte's centres divide by k − 2)");
        detail::requirePositive(where, "fieldWidthFactor", fieldWidthFactor);
        if (!(responseThreshold >= 0 && responseThreshold < 1))
            detail::invalid(where, "responseThreshold", detail::formatValue(responseThreshold), "must lie in [0, 1)");
        break;
    case EncodingKind::Latency:
        if (!(latencyThreshold >= 0 && latencyThreshold <= 1))
            detail::invalid(where, "latencyThreshold", detail::formatValue(latencyThreshold), "must lie in [0, 1]");
        break;
    }
    detail::requireNonNegative(where, "earliest", earliest);
    detail::requireFinite(where, "latest", latest);
    if (latest < earliest)
        detail::invalid(where, "latest", detail::formatValue(latest),
                        "must not be before earliest = " + detail::formatValue(earliest) + " s");
    if (simulation.stepOf(latest) >= simulation.steps())
        detail::invalid(where, "latest", detail::formatValue(latest),
                        "must fall inside the trial [0, " + detail::formatValue(simulation.duration) + ") s");
}

std::size_t encodedInputCount(const EncodingParams& params, std::size_t featureCount)
{
    return params.kind == EncodingKind::ReceptiveFields
               ? featureCount * static_cast<std::size_t>(params.fieldsPerFeature)
               : featureCount;
}

std::vector<ReceptiveField> receptiveFields(int k, double beta)
{
    if (k < 3)
        throw std::invalid_argument("receptive fields: k must be at least 3 (got " + std::to_string(k) + ")");
    std::vector<ReceptiveField> fields;
    const double spacing = 1.0 / (k - 2); // (Imax − Imin)/(m − 2) with [Imin, Imax] = [0, 1]
    for (int i = 1; i <= k; ++i)
        fields.push_back({(2.0 * i - 3.0) / 2.0 * spacing, spacing / beta});
    return fields;
}

double responseSpikeTime(double response, const EncodingParams& params)
{
    if (response < params.responseThreshold)
        return -1.0;
    // std::lerp is exact at both ends: a full response fires at `earliest` to the last bit.
    return std::lerp(params.latest, params.earliest, response);
}

SpikeRaster encodeFeatures(std::span<const double> scaled, std::uint64_t sampleIndex, const EncodingParams& params,
                           const SimulationParams& simulation)
{
    params.validate(simulation);
    for (std::size_t j = 0; j < scaled.size(); ++j)
        if (!(scaled[j] >= 0.0 && scaled[j] <= 1.0))
            detail::invalid("encoding", "feature[" + std::to_string(j) + "]", detail::formatValue(scaled[j]),
                            "scaled features must lie in [0, 1]");
    SpikeRaster raster(encodedInputCount(params, scaled.size()));
    switch (params.kind) {
    case EncodingKind::Poisson: {
        // A Bernoulli trial per step with p = x·rate·dt, drawn as geometric gaps between spikes
        // (the number of silent steps before a spike is Geometric(p)): the same process in
        // O(spikes) instead of O(steps) draws.
        detail::CounterRandom random(params.seed, sampleIndex);
        const std::int64_t steps = simulation.steps();
        for (std::size_t j = 0; j < scaled.size(); ++j) {
            const double p = scaled[j] * params.maxRate * simulation.dt;
            if (p <= 0.0)
                continue;
            const double logSilent = std::log1p(-p); // −inf for p = 1: every gap is 0
            std::int64_t n = -1;
            for (;;) {
                const double gap = p >= 1.0 ? 0.0 : std::floor(std::log(random.uniformOpenClosed()) / logSilent);
                if (gap >= static_cast<double>(steps - n - 1))
                    break;
                n += 1 + static_cast<std::int64_t>(gap);
                raster[j].push_back(static_cast<double>(n) * simulation.dt);
            }
        }
        break;
    }
    case EncodingKind::Latency:
        for (std::size_t j = 0; j < scaled.size(); ++j)
            if (scaled[j] >= params.latencyThreshold)
                raster[j].push_back(std::lerp(params.latest, params.earliest, scaled[j])); // exact at x = 0 and 1
        break;
    case EncodingKind::ReceptiveFields: {
        const auto fields = receptiveFields(params.fieldsPerFeature, params.fieldWidthFactor);
        const std::size_t k = fields.size();
        for (std::size_t j = 0; j < scaled.size(); ++j)
            for (std::size_t i = 0; i < k; ++i) {
                const double z = (scaled[j] - fields[i].centre) / fields[i].width;
                const double t = responseSpikeTime(std::exp(-0.5 * z * z), params);
                if (t >= 0.0)
                    raster[j * k + i].push_back(t);
            }
        break;
    }
    }
    return raster;
}

} // namespace normad
