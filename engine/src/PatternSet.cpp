#include "normad/PatternSet.h"

#include "normad/EncodedDataset.h"

#include <stdexcept>
#include <string>

namespace normad {

PatternSet PatternSet::fromTask(const Task& task)
{
    auto patterns = std::make_shared<std::vector<std::shared_ptr<const Pattern>>>();
    patterns->reserve(task.patterns.size());
    for (const Pattern& p : task.patterns)
        patterns->push_back(std::make_shared<const Pattern>(p));
    PatternSet set;
    set.m_task = std::move(patterns);
    return set;
}

PatternSet::PatternSet(std::shared_ptr<const EncodedDataset> data, std::vector<std::size_t> samples)
    : m_data(std::move(data)), m_samples(std::move(samples))
{
    if (!m_data)
        throw std::invalid_argument("PatternSet: no encoded dataset");
    for (std::size_t s : m_samples)
        if (s >= m_data->sampleCount())
            throw std::out_of_range("PatternSet: sample " + std::to_string(s) + " is past the dataset's " +
                                    std::to_string(m_data->sampleCount()) + " samples");
}

std::size_t PatternSet::size() const
{
    if (m_data)
        return m_samples.size();
    return m_task ? m_task->size() : 0;
}

std::shared_ptr<const Pattern> PatternSet::pattern(std::size_t i) const
{
    if (m_data)
        return m_data->pattern(m_samples.at(i));
    return m_task->at(i);
}

int PatternSet::label(std::size_t i) const
{
    return m_data ? m_data->dataset().label(m_samples.at(i)) : -1;
}

std::size_t PatternSet::sampleIndex(std::size_t i) const
{
    return m_data ? m_samples.at(i) : i;
}

int PatternSet::classCount() const
{
    return m_data ? m_data->dataset().classCount() : 0;
}

} // namespace normad
