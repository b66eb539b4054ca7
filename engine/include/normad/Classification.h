#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace normad {

/// The class a decision rule names when the output gives it nothing to go on (e.g. no spike at all).
/// It counts as wrong in the accuracy and has its own column in the confusion matrix.
inline constexpr int undecidedClass = -1;

/// Counts of (true class, predicted class) pairs, with the undecided predictions kept apart.
class ConfusionMatrix {
public:
    explicit ConfusionMatrix(int classCount = 0);
    /// From parallel lists of true and predicted classes.
    static ConfusionMatrix from(const std::vector<int>& truth, const std::vector<int>& predicted, int classCount);

    /// Counts one sample; `predicted` may be undecidedClass. Throws std::invalid_argument out of range.
    void add(int trueClass, int predicted);

    int classCount() const { return m_classCount; }
    std::size_t count(int trueClass, int predicted) const;
    std::size_t undecided(int trueClass) const;
    std::size_t total() const { return m_total; }
    std::size_t correct() const;
    /// Samples of class k (row sum, undecided included).
    std::size_t support(int k) const;
    /// Samples predicted as class k (column sum).
    std::size_t predictedCount(int k) const;

    /// correct / total; NaN for an empty matrix.
    double accuracy() const;
    /// Of the samples predicted as k, the fraction that are k; NaN when none was predicted as k.
    double precision(int k) const;
    /// Of the samples of class k, the fraction predicted as k; NaN when class k has no samples.
    double recall(int k) const;

    /// CSV: a header "true \ predicted", the class names and "undecided", then one row per true class.
    std::string toCsv(const std::vector<std::string>& classNames) const;

private:
    void check(int k, const char* what) const;

    int m_classCount = 0;
    std::vector<std::size_t> m_counts; ///< classCount × (classCount + 1), the last column undecided
    std::size_t m_total = 0;
};

} // namespace normad
