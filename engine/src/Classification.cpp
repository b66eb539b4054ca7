#include "normad/Classification.h"

#include "normad/TextFormat.h"

#include <limits>
#include <stdexcept>

namespace normad {

ConfusionMatrix::ConfusionMatrix(int classCount)
    : m_classCount(classCount),
      m_counts(static_cast<std::size_t>(classCount < 0 ? 0 : classCount) * static_cast<std::size_t>(classCount + 1), 0)
{
    if (classCount < 0)
        throw std::invalid_argument("confusion matrix: class count " + std::to_string(classCount) + " is negative");
}

ConfusionMatrix ConfusionMatrix::from(const std::vector<int>& truth, const std::vector<int>& predicted, int classCount)
{
    if (truth.size() != predicted.size())
        throw std::invalid_argument("confusion matrix: " + std::to_string(truth.size()) + " true classes but " +
                                    std::to_string(predicted.size()) + " predictions");
    ConfusionMatrix m(classCount);
    for (std::size_t i = 0; i < truth.size(); ++i)
        m.add(truth[i], predicted[i]);
    return m;
}

void ConfusionMatrix::check(int k, const char* what) const
{
    if (k < 0 || k >= m_classCount)
        throw std::invalid_argument(std::string("confusion matrix: ") + what + " " + std::to_string(k) +
                                    " is outside the classes 0 … " + std::to_string(m_classCount - 1));
}

void ConfusionMatrix::add(int trueClass, int predicted)
{
    check(trueClass, "true class");
    if (predicted != undecidedClass)
        check(predicted, "predicted class");
    const int column = predicted == undecidedClass ? m_classCount : predicted;
    ++m_counts[static_cast<std::size_t>(trueClass * (m_classCount + 1) + column)];
    ++m_total;
}

std::size_t ConfusionMatrix::count(int trueClass, int predicted) const
{
    check(trueClass, "true class");
    check(predicted, "predicted class");
    return m_counts[static_cast<std::size_t>(trueClass * (m_classCount + 1) + predicted)];
}

std::size_t ConfusionMatrix::undecided(int trueClass) const
{
    check(trueClass, "true class");
    return m_counts[static_cast<std::size_t>(trueClass * (m_classCount + 1) + m_classCount)];
}

std::size_t ConfusionMatrix::correct() const
{
    std::size_t n = 0;
    for (int k = 0; k < m_classCount; ++k)
        n += count(k, k);
    return n;
}

std::size_t ConfusionMatrix::support(int k) const
{
    std::size_t n = undecided(k);
    for (int p = 0; p < m_classCount; ++p)
        n += count(k, p);
    return n;
}

std::size_t ConfusionMatrix::predictedCount(int k) const
{
    std::size_t n = 0;
    for (int t = 0; t < m_classCount; ++t)
        n += count(t, k);
    return n;
}

namespace {
double ratio(std::size_t a, std::size_t b)
{
    return b == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(a) / static_cast<double>(b);
}
} // namespace

double ConfusionMatrix::accuracy() const
{
    return ratio(correct(), m_total);
}
double ConfusionMatrix::precision(int k) const
{
    return ratio(count(k, k), predictedCount(k));
}
double ConfusionMatrix::recall(int k) const
{
    return ratio(count(k, k), support(k));
}

std::string ConfusionMatrix::toCsv(const std::vector<std::string>& classNames) const
{
    if (static_cast<int>(classNames.size()) != m_classCount)
        throw std::invalid_argument("confusion matrix: " + std::to_string(classNames.size()) + " class names for " +
                                    std::to_string(m_classCount) + " classes");
    CsvWriter csv;
    csv.field("true \\ predicted");
    for (const auto& name : classNames)
        csv.field(name);
    csv.field("undecided").endRow();
    for (int t = 0; t < m_classCount; ++t) {
        csv.field(classNames[static_cast<std::size_t>(t)]);
        for (int p = 0; p < m_classCount; ++p)
            csv.field(count(t, p));
        csv.field(undecided(t)).endRow();
    }
    return csv.text();
}

} // namespace normad
