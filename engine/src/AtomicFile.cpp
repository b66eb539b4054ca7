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

/// Holds a write lock (fcntl OFD) on a temporary file while it is written, so removeStaleTemporaries
/// can tell a live writer's file from one a killed writer left. Returns false when `tmpPath` no
/// longer names `fd`'s file (a cleaner removed it between creation and locking): the caller starts over.
bool lockTemporary(int fd, const std::string& tmpPath)
{
    struct flock lock { };
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    while (::fcntl(fd, F_OFD_SETLKW, &lock) != 0)
        if (errno != EINTR)
            return true; // no locks on this file system: no cleanup either, the write still works
    struct stat mine { };
    struct stat named { };
    return ::fstat(fd, &mine) == 0 && ::stat(tmpPath.c_str(), &named) == 0 && mine.st_dev == named.st_dev &&
           mine.st_ino == named.st_ino;
}

} // namespace

void removeStaleTemporaries(const std::string& target)
{
    namespace fs = std::filesystem;
    const fs::path t(target);
    const fs::path dir = t.parent_path().empty() ? fs::path(".") : t.parent_path();
    const std::string prefix = t.filename().string() + ".tmp-";
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() != prefix.size() + 6 || !name.starts_with(prefix))
            continue;
        // A read lock conflicts with the writer's write lock and needs no write permission (the
        // temporary file may already carry a read-only file's mode).
        const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            continue;
        struct flock lock { };
        lock.l_type = F_RDLCK;
        lock.l_whence = SEEK_SET;
        if (::fcntl(fd, F_OFD_SETLK, &lock) == 0)
            ::unlink(it->path().c_str());
        ::close(fd);
    }
}

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

    removeStaleTemporaries(target);
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 10; ++attempt) {
        fd = createTemporary(target, tmp);
        if (fd < 0)
            saveFailed(path, "cannot create a temporary file beside it", errno);
        if (lockTemporary(fd, tmp))
            break;
        ::close(fd); // removed by another writer's cleanup before we held it: take a new one
        fd = -1;
    }
    if (fd < 0)
        saveFailed(path, "cannot hold a temporary file beside it", EAGAIN);
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
