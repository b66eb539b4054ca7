#include "normad/DatasetSplit.h"

#include "CounterRandom.h"
#include "Validation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace normad {

namespace {

void shuffle(std::vector<std::size_t>& v, detail::CounterRandom& random)
{
    for (std::size_t i = v.size(); i > 1; --i)
        std::swap(v[i - 1], v[random.below(i)]);
}

// The stream of class c is keyed away from the epoch streams of epochOrder().
constexpr std::uint64_t classStreamKey = 0x5EED'C1A5'5000'0000ULL;

} // namespace

void SplitParams::validate(const std::string& where) const
{
    for (auto [name, value] :
         {std::pair{"validationFraction", validationFraction}, std::pair{"testFraction", testFraction}})
        if (!(value >= 0 && value < 1))
            detail::invalid(where, name, detail::formatValue(value), "must lie in [0, 1)");
    if (!(validationFraction + testFraction < 1))
        detail::invalid(where, "testFraction", detail::formatValue(testFraction),
                        "with validationFraction " + detail::formatValue(validationFraction) +
                            " leaves nothing to train on (their sum must be below 1)");
}

namespace {

// The samples of each class, each list shuffled with the stream of (seed, class).
std::vector<std::vector<std::size_t>> shuffledMembers(const std::vector<int>& labels, int classCount,
                                                      std::uint64_t seed, const char* where)
{
    std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(std::max(classCount, 0)));
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] >= classCount)
            throw std::invalid_argument(std::string(where) + ": sample " + std::to_string(i) + " has class " +
                                        std::to_string(labels[i]) + ", outside 0 … " + std::to_string(classCount - 1));
        members[static_cast<std::size_t>(labels[i])].push_back(i);
    }
    for (std::size_t c = 0; c < members.size(); ++c) {
        detail::CounterRandom random(seed, classStreamKey + c);
        shuffle(members[c], random);
    }
    return members;
}

} // namespace

DatasetSplit stratifiedSplit(const std::vector<int>& labels, int classCount, const SplitParams& params)
{
    params.validate();
    auto members = shuffledMembers(labels, classCount, params.seed, "split");
    DatasetSplit split;
    for (auto& m : members) {
        const auto n = static_cast<double>(m.size());
        auto test = static_cast<std::size_t>(std::llround(n * params.testFraction));
        auto validation = static_cast<std::size_t>(std::llround(n * params.validationFraction));
        while (!m.empty() && test + validation >= m.size()) {
            if (validation > 0)
                --validation;
            else
                --test;
        }
        split.test.insert(split.test.end(), m.begin(), m.begin() + static_cast<std::ptrdiff_t>(test));
        split.validation.insert(split.validation.end(), m.begin() + static_cast<std::ptrdiff_t>(test),
                                m.begin() + static_cast<std::ptrdiff_t>(test + validation));
        split.train.insert(split.train.end(), m.begin() + static_cast<std::ptrdiff_t>(test + validation), m.end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.validation.begin(), split.validation.end());
    std::sort(split.test.begin(), split.test.end());
    return split;
}

std::vector<std::size_t> balancedSubset(const std::vector<int>& labels, int classCount, std::size_t perClass,
                                        std::uint64_t seed)
{
    std::vector<std::size_t> subset;
    for (const auto& m : shuffledMembers(labels, classCount, seed, "balanced subset"))
        subset.insert(subset.end(), m.begin(), m.begin() + static_cast<std::ptrdiff_t>(std::min(perClass, m.size())));
    std::sort(subset.begin(), subset.end());
    return subset;
}

std::vector<std::size_t> allSamples(std::size_t count)
{
    std::vector<std::size_t> v(count);
    std::iota(v.begin(), v.end(), std::size_t(0));
    return v;
}

std::vector<std::size_t> epochOrder(const std::vector<std::size_t>& samples, std::uint64_t seed, std::uint64_t epoch)
{
    std::vector<std::size_t> order = samples;
    detail::CounterRandom random(seed, epoch);
    shuffle(order, random);
    return order;
}

} // namespace normad
