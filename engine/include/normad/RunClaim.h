#pragma once

#include <optional>
#include <string>

namespace normad {

/// An exclusive claim on a run folder of a sweep, so that two processes sharing the folder (shards,
/// ranks, a rerun started while the first still runs) never do the same run at the same time.
///
/// The claim is a write lock on `FOLDER/.claim`, taken with fcntl's open-file-description locks
/// (F_OFD_SETLK; per open file, so two threads of one process exclude each other too). Unlike a
/// lock *file* created with O_EXCL, the lock is released by the kernel when the holder ends in any
/// way — even SIGKILL or a node losing power (NFS lock recovery) — so a killed run never leaves a
/// stale claim behind that a rerun would have to guess about.
class RunClaim {
public:
    /// Claims `folder` (which must exist) if no one holds it. Returns nullopt if another holder has
    /// it; throws std::runtime_error naming the file when the lock cannot be tried at all.
    static std::optional<RunClaim> tryClaim(const std::string& folder);
    /// The same claim on a lock file named by its path (created if needed), for a folder that is
    /// itself replaced while claimed (an output folder published by rename: the lock lives beside it).
    static std::optional<RunClaim> tryClaimFile(const std::string& lockPath);
    /// True if some holder (another process, or another claim of this one) holds `folder`'s claim now.
    static bool isHeld(const std::string& folder);

    RunClaim(RunClaim&& other) noexcept;
    RunClaim& operator=(RunClaim&& other) noexcept;
    RunClaim(const RunClaim&) = delete;
    RunClaim& operator=(const RunClaim&) = delete;
    /// Releases the claim.
    ~RunClaim();

    /// The lock file's name inside a run folder.
    static constexpr const char* fileName = ".claim";

private:
    explicit RunClaim(int fd) : m_fd(fd) { }
    int m_fd = -1;
};

} // namespace normad
