#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace normad {

/// Fractions of each class that go to validation and test; the rest trains.
struct SplitParams {
    double validationFraction = 0.1; ///< in [0, 1)
    /// In [0, 1); 0 where the source has its own test file (IDX t10k), whose every sample is then the
    /// test split (allSamples()).
    double testFraction = 0.0;
    std::uint64_t seed = 1; ///< which samples go where; same seed, same split

    /// Throws std::invalid_argument naming the field and value (each in [0, 1), sum < 1).
    void validate(const std::string& where = "split") const;
};

/// Sample indices of each split, ascending.
struct DatasetSplit {
    std::vector<std::size_t> train;
    std::vector<std::size_t> validation;
    std::vector<std::size_t> test;
};

/// Seeded stratified split: the samples of class c (n_c of them) are shuffled with a stream of
/// (seed, c), then round(n_c·testFraction) go to test, round(n_c·validationFraction) to validation and
/// the rest to train, so every split keeps the class proportions to within one sample per class. A
/// class keeps at least one training sample (validation, then test, gives one back). Each class's
/// share depends only on the seed and that class's samples.
DatasetSplit stratifiedSplit(const std::vector<int>& labels, int classCount, const SplitParams& params);

/// A class-balanced subset: `perClass` samples of each class (all of a class that has fewer), drawn
/// with the same per-class streams as stratifiedSplit(), ascending. For lessons and quick runs.
std::vector<std::size_t> balancedSubset(const std::vector<int>& labels, int classCount, std::size_t perClass,
                                        std::uint64_t seed);

/// 0 … count − 1: every sample of a separate test file.
std::vector<std::size_t> allSamples(std::size_t count);

/// The presentation order of `samples` in `epoch`: a seeded shuffle (Fisher–Yates on a stream of
/// (seed, epoch)) for online and mini-batch training; the same for the same seed and epoch.
std::vector<std::size_t> epochOrder(const std::vector<std::size_t>& samples, std::uint64_t seed, std::uint64_t epoch);

} // namespace normad
