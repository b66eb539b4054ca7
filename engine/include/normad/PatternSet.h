#pragma once

#include "normad/Pattern.h"
#include "normad/Task.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace normad {

class EncodedDataset;

/// What the Trainer and evaluate() present: an indexed set of patterns, each with its class (or −1
/// when the set has none) and the index of the sample it came from. Either the patterns of a
/// project's inline Task (labels −1, sample i = pattern i), or a split of an EncodedDataset whose
/// patterns are encoded on demand (EncodedDataset's cache). Cheap to copy: it shares its source.
class PatternSet {
public:
    /// The empty set.
    PatternSet() = default;
    /// The patterns of `task`, copied once into shared storage; labels −1.
    static PatternSet fromTask(const Task& task);
    /// Samples `samples` (indices into data's Dataset, in this order) of an encoded dataset.
    PatternSet(std::shared_ptr<const EncodedDataset> data, std::vector<std::size_t> samples);

    std::size_t size() const;
    bool empty() const { return size() == 0; }
    /// Pattern i (0 … size()−1): the task's pattern, or the sample's encoded pattern (made on demand).
    std::shared_ptr<const Pattern> pattern(std::size_t i) const;
    /// Class of pattern i, 0 … classCount()−1; −1 for a task's pattern.
    int label(std::size_t i) const;
    /// Index of pattern i in its Dataset (for "open sample"); i for a task's pattern.
    std::size_t sampleIndex(std::size_t i) const;
    /// Number of classes of the dataset; 0 for a task.
    int classCount() const;
    bool hasClasses() const { return m_data != nullptr; }
    /// The encoded dataset behind a dataset split; nullptr for a task.
    const EncodedDataset* encoded() const { return m_data.get(); }
    /// Sample indices of a dataset split; empty for a task.
    const std::vector<std::size_t>& samples() const { return m_samples; }

private:
    std::shared_ptr<const std::vector<std::shared_ptr<const Pattern>>> m_task;
    std::shared_ptr<const EncodedDataset> m_data;
    std::vector<std::size_t> m_samples;
};

} // namespace normad
