#include "normad/LearningRule.h"

#include <algorithm>
#include <tuple>

namespace normad {

std::vector<ErrorEntry> outputErrors(const std::vector<StepTrain>& desired, const std::vector<StepTrain>& actual)
{
    std::vector<ErrorEntry> errors;
    for (std::size_t o = 0; o < desired.size() && o < actual.size(); ++o) {
        // e[n] = D[n] − Y[n] on the binary grid: merge the two sorted trains.
        const StepTrain& d = desired[o];
        const StepTrain& y = actual[o];
        std::size_t i = 0, j = 0;
        const int neuron = static_cast<int>(o);
        while (i < d.size() || j < y.size()) {
            if (j == y.size() || (i < d.size() && d[i] < y[j]))
                errors.push_back({neuron, d[i++], +1.0});
            else if (i == d.size() || y[j] < d[i])
                errors.push_back({neuron, y[j++], -1.0});
            else
                ++i, ++j; // desired and actual spike in the same step cancel exactly
        }
    }
    std::sort(errors.begin(), errors.end(), [](const ErrorEntry& a, const ErrorEntry& b) {
        return a.step != b.step ? a.step < b.step : a.neuron < b.neuron;
    });
    return errors;
}

std::vector<ErrorEntry> outputErrors(const std::vector<StepTrain>& desired, const std::vector<StepTrain>& actual,
                                     std::int64_t toleranceSteps)
{
    if (toleranceSteps <= 0)
        return outputErrors(desired, actual);
    std::vector<ErrorEntry> errors;
    for (std::size_t o = 0; o < desired.size() && o < actual.size(); ++o) {
        const StepTrain& d = desired[o];
        const StepTrain& y = actual[o];
        // Candidate pairs within the tolerance, matched nearest first (ties: earlier desired, then
        // earlier actual spike), so the matching does not depend on the order of the trains' scan.
        std::vector<std::tuple<std::int64_t, std::size_t, std::size_t>> pairs;
        std::size_t first = 0;
        for (std::size_t i = 0; i < d.size(); ++i) {
            while (first < y.size() && y[first] < d[i] - toleranceSteps)
                ++first;
            for (std::size_t j = first; j < y.size() && y[j] <= d[i] + toleranceSteps; ++j)
                pairs.emplace_back(y[j] > d[i] ? y[j] - d[i] : d[i] - y[j], i, j);
        }
        std::sort(pairs.begin(), pairs.end());
        std::vector<bool> matchedD(d.size()), matchedY(y.size());
        for (const auto& [distance, i, j] : pairs)
            if (!matchedD[i] && !matchedY[j])
                matchedD[i] = matchedY[j] = true;
        const int neuron = static_cast<int>(o);
        for (std::size_t i = 0; i < d.size(); ++i)
            if (!matchedD[i])
                errors.push_back({neuron, d[i], +1.0});
        for (std::size_t j = 0; j < y.size(); ++j)
            if (!matchedY[j])
                errors.push_back({neuron, y[j], -1.0});
    }
    std::sort(errors.begin(), errors.end(), [](const ErrorEntry& a, const ErrorEntry& b) {
        return a.step != b.step ? a.step < b.step : a.neuron < b.neuron;
    });
    return errors;
}

std::vector<bool> outputLayerOnly(const Network& network)
{
    std::vector<bool> trained(static_cast<std::size_t>(network.layerCount()), false);
    trained.back() = network.layer(network.layerCount()).trainable;
    return trained;
}

PatternGradient zeroGradient(const Network& network, const SimulationRecord& record,
                             const std::vector<StepTrain>& desired)
{
    PatternGradient g = emptyGradient(network, record, desired);
    zeroEmptyDeltas(network, g);
    return g;
}

PatternGradient emptyGradient(const Network& network, const SimulationRecord& record,
                              const std::vector<StepTrain>& desired)
{
    const int L = network.layerCount();
    PatternGradient g;
    g.deltas.resize(static_cast<std::size_t>(L));
    g.errors.resize(static_cast<std::size_t>(L));
    g.error(L) = outputErrors(desired, record.activity(L).spikes);
    return g;
}

void zeroEmptyDeltas(const Network& network, PatternGradient& g)
{
    for (int l : network.layerNumbers())
        if (g.delta(l).size() == 0)
            g.delta(l) = Eigen::MatrixXd::Zero(network.populationSize(l), network.populationSize(l - 1));
}

} // namespace normad
