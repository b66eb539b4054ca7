#include "normad/EpochMetrics.h"

#include <algorithm>

namespace normad {

void EpochMetrics::summarize()
{
    meanCorrelation = minCorrelation = vanRossum = spikeCountError = cost = 0;
    missing = extra = classified = 0;
    converged = !patterns.empty();
    if (patterns.empty())
        return;
    minCorrelation = 1.0;
    for (const PatternMetrics& p : patterns) {
        meanCorrelation += p.correlation;
        minCorrelation = std::min(minCorrelation, p.minCorrelation);
        vanRossum += p.vanRossum;
        spikeCountError += p.spikeCountError;
        missing += p.missing;
        extra += p.extra;
        cost += p.cost;
        classified += p.classified ? 1 : 0;
        converged = converged && p.converged;
    }
    const double n = static_cast<double>(patterns.size());
    meanCorrelation /= n;
    vanRossum /= n;
    spikeCountError /= n;
}

} // namespace normad
