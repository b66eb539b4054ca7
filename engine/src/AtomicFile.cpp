#include "normad/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace normad {

namespace {

[[noreturn]] void saveFailed(const std::string& path, const std::string& step, int error)
{
    throw std::runtime_error("cannot save \"" + path + "\": " + step + ": " + std::strerror(error));
}

/// Creates `target` + ".tmp-XXXXXX" exclusively. Unlike mkstemp, open() applies the umask, so a
/// new file gets the same permissions as any other file the user creates.
int createTemporary(const std::string& target, std::string& tmpPath)
{
    static std::atomic<unsigned long long> counter{0};
    constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned long long state =
        static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
        (static_cast<unsigned long long>(::getpid()) << 32) ^ (counter++ * 0x9E3779B97F4A7C15ULL);
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string suffix;
        for (int i = 0; i < 6; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL; // LCG step: names, not secrets
            suffix += alphabet[(state >> 33) % (sizeof alphabet - 1)];
        }
        tmpPath = target + ".tmp-" + suffix;
        const int fd = ::open(tmpPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

} // namespace

void writeFileAtomically(const std::string& path, const std::string& contents)
{
    namespace fs = std::filesystem;
    // Saving through a symbolic link replaces the file it points to and keeps the link.
    std::string target = path;
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(path, ec))) {
        const fs::path resolved = fs::weakly_canonical(fs::path(path), ec);
        if (!ec)
            target = resolved.string();
    }

    std::string tmp;
    const int fd = createTemporary(target, tmp);
    if (fd < 0)
        saveFailed(path, "cannot create a temporary file beside it", errno);
    auto abandon = [&](const std::string& step, int error, bool closeFd) {
        if (closeFd)
            ::close(fd);
        ::unlink(tmp.c_str());
        saveFailed(path, step, error);
    };

    struct stat old { };
    if (::stat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode) && ::fchmod(fd, old.st_mode & 07777) != 0)
        abandon("cannot keep the permissions of the existing file", errno, true);

    std::size_t done = 0;
    while (done < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            abandon("cannot write", errno, true);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0)
        abandon("cannot flush to disk", errno, true);
    if (::close(fd) != 0)
        abandon("cannot close", errno, false);
    if (::rename(tmp.c_str(), target.c_str()) != 0)
        abandon("cannot replace the file", errno, false);

    // Make the rename itself durable; failing here loses nothing already written.
    const std::string dir = fs::path(target).parent_path().empty() ? "." : fs::path(target).parent_path().string();
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace normad
