#include "normad/RunClaim.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace normad {

namespace {

std::string claimPath(const std::string& folder)
{
    return (std::filesystem::path(folder) / RunClaim::fileName).string();
}

int openClaimFile(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        throw std::runtime_error("cannot open the run claim \"" + path + "\": " + std::strerror(errno));
    return fd;
}

struct flock wholeFileLock(short type)
{
    struct flock lock { };
    lock.l_type = type;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 0; // the whole file
    return lock;
}

} // namespace

std::optional<RunClaim> RunClaim::tryClaim(const std::string& folder)
{
    return tryClaimFile(claimPath(folder));
}

std::optional<RunClaim> RunClaim::tryClaimFile(const std::string& path)
{
    const int fd = openClaimFile(path);
    struct flock lock = wholeFileLock(F_WRLCK);
    if (::fcntl(fd, F_OFD_SETLK, &lock) == 0)
        return RunClaim(fd);
    const int error = errno;
    ::close(fd);
    if (error == EAGAIN || error == EACCES)
        return std::nullopt;
    throw std::runtime_error("cannot lock the run claim \"" + path + "\": " + std::strerror(error));
}

bool RunClaim::isHeld(const std::string& folder)
{
    const std::string path = claimPath(folder);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return false;
    const int fd = openClaimFile(path);
    struct flock lock = wholeFileLock(F_WRLCK);
    const int result = ::fcntl(fd, F_OFD_GETLK, &lock);
    const int error = errno;
    ::close(fd);
    if (result != 0)
        throw std::runtime_error("cannot test the run claim \"" + path + "\": " + std::strerror(error));
    return lock.l_type != F_UNLCK;
}

RunClaim::RunClaim(RunClaim&& other) noexcept : m_fd(std::exchange(other.m_fd, -1))
{
}

RunClaim& RunClaim::operator=(RunClaim&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

RunClaim::~RunClaim()
{
    // Closing the file description releases its OFD lock.
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace normad
