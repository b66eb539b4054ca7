#pragma once

// How much memory loading one input may take. Files below the size caps can still describe far more
// than the machine holds (87 M empty history entries in 250 MiB, a 2 MB .npz inflating to 2 GB), so
// every loader estimates what it is about to allocate and compares it with this budget first:
// the program refuses the input with a message naming it instead of running out of memory.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace normad {

/// Bytes this process can still allocate: the smaller of the kernel's MemAvailable
/// (/proc/meminfo) and what the address-space limit (RLIMIT_AS, `ulimit -v`) leaves above the
/// process's current virtual size. UINT64_MAX when neither is known.
std::uint64_t availableMemoryBytes();

/// Half of availableMemoryBytes(): what one input may take while it is loaded, so that the
/// loaded result and the program's own work still fit beside it.
std::uint64_t loadMemoryBudgetBytes();

/// An input that would not fit in memory, refused before it is allocated (or an allocation that
/// failed while it was read). A resource limit, not a malformed file: the CLI exits with 1.
/// what() reads "<file>: <where>: <reason>".
class MemoryBudgetError : public std::runtime_error {
public:
    MemoryBudgetError(std::string file, std::string where, std::string reason);
    const std::string& file() const { return m_file; }
    const std::string& where() const { return m_where; }

private:
    std::string m_file, m_where;
};

/// Throws MemoryBudgetError "<file>: <where>: <what> would need about X of memory; this process
/// can use Y (half of the memory available to it)" when `bytes` > loadMemoryBudgetBytes().
void requireMemory(std::uint64_t bytes, const std::string& file, const std::string& where, const std::string& what);
/// The same against a `budget` taken earlier (loadMemoryBudgetBytes() before a reader began to
/// allocate), for checks repeated while a result grows.
void requireMemory(std::uint64_t bytes, std::uint64_t budget, const std::string& file, const std::string& where,
                   const std::string& what);

/// a · b, or UINT64_MAX when the product does not fit (a size computed from file data never wraps).
std::uint64_t saturatingMultiply(std::uint64_t a, std::uint64_t b);

} // namespace normad
