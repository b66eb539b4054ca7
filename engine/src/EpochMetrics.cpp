#include "normad/EpochMetrics.h"

#include <algorithm>

namespace normad {

void EpochMetrics::summarize()
{
    // The same sums, in pattern order, as a dataset epoch accumulates in presentation order.
    presented = 0;
    for (const PatternMetrics& p : patterns)
        accumulate(p);
    finishSummary();
}

void EpochMetrics::accumulate(const PatternMetrics& p)
{
    // The same sums as summarize(), in presentation order; finishSummary() divides.
    if (presented == 0) {
        meanCorrelation = vanRossum = spikeCountError = cost = 0;
        missing = extra = classified = 0;
        minCorrelation = 1.0;
        converged = true;
    }
    ++presented;
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

void EpochMetrics::finishSummary()
{
    if (presented == 0) { // nothing presented: zeros, and not converged
        meanCorrelation = minCorrelation = vanRossum = spikeCountError = cost = 0;
        missing = extra = classified = 0;
        converged = false;
        return;
    }
    const double n = static_cast<double>(presented);
    meanCorrelation /= n;
    vanRossum /= n;
    spikeCountError /= n;
}

} // namespace normad
