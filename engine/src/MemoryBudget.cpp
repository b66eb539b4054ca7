#include "normad/MemoryBudget.h"

#include "normad/Dataset.h"

#include <fstream>
#include <limits>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

namespace normad {

namespace {

constexpr std::uint64_t unknown = std::numeric_limits<std::uint64_t>::max();

/// MemAvailable of /proc/meminfo in bytes: what the kernel can give without swapping.
std::uint64_t kernelAvailableBytes()
{
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::uint64_t kiB = 0;
    std::string unit;
    while (meminfo >> key >> kiB >> unit)
        if (key == "MemAvailable:")
            return saturatingMultiply(kiB, 1024);
    return unknown;
}

/// What RLIMIT_AS leaves above the current virtual size (/proc/self/statm, first field, pages).
std::uint64_t addressSpaceLeftBytes()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return unknown;
    std::ifstream statm("/proc/self/statm");
    std::uint64_t pages = 0;
    if (!(statm >> pages))
        return unknown;
    const std::uint64_t used = pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    return used >= limit.rlim_cur ? 0 : limit.rlim_cur - used;
}

std::string composeMessage(const std::string& file, const std::string& where, const std::string& reason)
{
    return file + ": " + (where.empty() ? "" : where + ": ") + reason;
}

} // namespace

std::uint64_t saturatingMultiply(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t product = 0;
    return __builtin_mul_overflow(a, b, &product) ? unknown : product;
}

std::uint64_t availableMemoryBytes()
{
    return std::min(kernelAvailableBytes(), addressSpaceLeftBytes());
}

std::uint64_t loadMemoryBudgetBytes()
{
    const std::uint64_t available = availableMemoryBytes();
    return available == unknown ? unknown : available / 2;
}

MemoryBudgetError::MemoryBudgetError(std::string file, std::string where, std::string reason)
    : std::runtime_error(composeMessage(file, where, reason)), m_file(std::move(file)), m_where(std::move(where))
{
}

void requireMemory(std::uint64_t bytes, const std::string& file, const std::string& where, const std::string& what)
{
    requireMemory(bytes, loadMemoryBudgetBytes(), file, where, what);
}

void requireMemory(std::uint64_t bytes, std::uint64_t budget, const std::string& file, const std::string& where,
                   const std::string& what)
{
    if (bytes <= budget)
        return;
    throw MemoryBudgetError(file, where,
                            what + " would need about " +
                                (bytes == unknown ? std::string("more than 16 EB") : formatBytes(bytes)) +
                                " of memory; this process can use " +
                                (budget == unknown ? std::string("an unknown amount") : formatBytes(budget)) +
                                " (half of the memory available to it)");
}

} // namespace normad
