#include "normad/Shard.h"

#include <charconv>
#include <stdexcept>
#include <string>

namespace normad {

namespace {

/// A whole number 0 … 2^31−1, or nothing.
std::optional<int> wholeNumber(std::string_view text)
{
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

std::size_t Shard::share(std::size_t runs) const
{
    const auto n = static_cast<std::size_t>(count);
    const auto k = static_cast<std::size_t>(index);
    return runs / n + (k < runs % n ? 1 : 0);
}

std::string Shard::text() const
{
    return std::to_string(index) + "/" + std::to_string(count);
}

Shard Shard::parse(std::string_view text, std::string_view option)
{
    const std::size_t slash = text.find('/');
    const auto refuse = [&](const std::string& why) {
        return std::invalid_argument(std::string(option) + ": " + why + " (got '" + std::string(text) + "')");
    };
    if (slash == std::string_view::npos)
        throw refuse("expected K/N, shard K (0-based) of N");
    const std::optional<int> k = wholeNumber(text.substr(0, slash));
    const std::optional<int> n = wholeNumber(text.substr(slash + 1));
    if (!k || !n)
        throw refuse("expected K/N with whole numbers, shard K (0-based) of N");
    if (*n < 1)
        throw refuse("N must be at least 1");
    if (*k >= *n)
        throw refuse("K counts from 0 and must be less than N");
    return {*k, *n};
}

std::optional<Shard> Shard::fromSlurm(const std::function<const char*(const char*)>& environment)
{
    const char* id = environment("SLURM_ARRAY_TASK_ID");
    const char* count = environment("SLURM_ARRAY_TASK_COUNT");
    if (!id && !count)
        return std::nullopt;
    const auto number = [&](const char* name, const char* value, int fallback) {
        if (!value)
            return fallback;
        const std::optional<int> n = wholeNumber(value);
        if (!n)
            throw std::invalid_argument(std::string(name) + ": expected a whole number (got '" + value + "')");
        return *n;
    };
    if (!id || !count)
        throw std::invalid_argument(std::string(id ? "SLURM_ARRAY_TASK_COUNT" : "SLURM_ARRAY_TASK_ID") +
                                    " is not set, though " + (id ? "SLURM_ARRAY_TASK_ID" : "SLURM_ARRAY_TASK_COUNT") +
                                    " is; give --shard K/N");
    const int taskId = number("SLURM_ARRAY_TASK_ID", id, 0);
    const int tasks = number("SLURM_ARRAY_TASK_COUNT", count, 0);
    const int minimum = number("SLURM_ARRAY_TASK_MIN", environment("SLURM_ARRAY_TASK_MIN"), 0);
    const int step = number("SLURM_ARRAY_TASK_STEP", environment("SLURM_ARRAY_TASK_STEP"), 1);
    if (tasks < 1 || step < 1)
        throw std::invalid_argument("SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_STEP must be at least 1 (got " +
                                    std::to_string(tasks) + " and " + std::to_string(step) + ")");
    const int offset = taskId - minimum;
    if (offset < 0 || offset % step != 0 || offset / step >= tasks)
        throw std::invalid_argument("SLURM_ARRAY_TASK_ID " + std::to_string(taskId) + " is not in the range MIN " +
                                    std::to_string(minimum) + ", STEP " + std::to_string(step) + ", COUNT " +
                                    std::to_string(tasks) + ": submit the array as a range (--array=0-" +
                                    std::to_string(tasks - 1) + ") or give --shard K/N");
    return Shard{offset / step, tasks};
}

} // namespace normad
