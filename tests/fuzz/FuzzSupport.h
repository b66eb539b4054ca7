#pragma once

// What every loader harness of tests/fuzz shares (docs/testing.md): the libFuzzer entry points,
// a memory cap that makes the loaders' budget small, and in-memory files for readers that only
// take paths.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace normad::fuzz {

/// Caps the address space at what the process maps now plus NORMAD_FUZZ_HEADROOM_MB (default
/// 1024 MiB; 0: no cap). The loaders size their budget from it (loadMemoryBudgetBytes(): half of
/// what is left), so an input that would need more than ~512 MiB must be refused by a check, and
/// an allocation the checks let through beyond the cap crashes (ASan: "allocator is trying to
/// allocate"; without ASan an uncaught std::bad_alloc). Without the cap the budget is half the
/// machine, and a legitimate allocation of a few GB would trip libFuzzer's -rss_limit_mb instead.
/// Set after the sanitizers have reserved their shadow memory, which no RLIMIT_AS survives at start.
inline void capAddressSpace()
{
    std::uint64_t headroomMiB = 1024;
    if (const char* text = std::getenv("NORMAD_FUZZ_HEADROOM_MB"))
        headroomMiB = std::strtoull(text, nullptr, 10);
    if (headroomMiB == 0)
        return;
    std::uint64_t pages = 0;
    if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%lu", &pages) != 1)
            pages = 0;
        std::fclose(statm);
    }
    if (pages == 0)
        return;
    const std::uint64_t mapped = pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const rlimit cap{mapped + (headroomMiB << 20), mapped + (headroomMiB << 20)};
    ::setrlimit(RLIMIT_AS, &cap);
}

/// An anonymous in-memory file holding `bytes`, named by a path that open(), gzopen() and
/// std::ifstream accept (/proc/self/fd/N): readers that only take paths, without disk writes.
class MemoryFile {
public:
    explicit MemoryFile(std::string_view bytes)
    {
        m_fd = ::memfd_create("normad-fuzz", MFD_CLOEXEC);
        if (m_fd < 0)
            std::abort(); // the harness cannot run at all: not a finding about the input
        for (std::size_t done = 0; done < bytes.size();) {
            const ssize_t n = ::write(m_fd, bytes.data() + done, bytes.size() - done);
            if (n <= 0)
                std::abort();
            done += static_cast<std::size_t>(n);
        }
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }
    ~MemoryFile() { ::close(m_fd); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    const std::string& path() const { return m_path; }

private:
    int m_fd = -1;
    std::string m_path;
};

/// A refusal: the expected outcome of bad input. Printed when NORMAD_FUZZ_VERBOSE is set, to see
/// which check a seed reaches (docs/testing.md).
inline void refused(const std::exception& e)
{
    static const bool verbose = std::getenv("NORMAD_FUZZ_VERBOSE") != nullptr;
    if (verbose)
        std::fprintf(stderr, "refused: %s\n", e.what());
}

inline std::string_view bytesOf(const std::uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace normad::fuzz
