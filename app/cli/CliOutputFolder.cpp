#include "CliOutputFolder.h"

#include "CliOptions.h"
#include "CliSupport.h"

#include "normad/Version.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <ostream>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace normad::cli {

namespace fs = std::filesystem;

namespace {

/// `dir` as an absolute path without a trailing separator or "." parts, so its name and parent
/// are what a rename needs.
fs::path normalized(const std::string& dir)
{
    if (dir.empty())
        throw UsageError("--out: the folder name is empty");
    fs::path p = fs::absolute(fs::path(dir)).lexically_normal();
    if (!p.has_filename())
        p = p.parent_path();
    if (p == p.root_path())
        throw UsageError("--out '" + dir +
                         "': a run replaces its output folder as a whole; name a folder of its own, "
                         "not the root");
    return p;
}

fs::path sibling(const fs::path& dir, std::string_view suffix)
{
    return dir.parent_path() / (dir.filename().string() + std::string(suffix));
}

fs::path lockOf(const fs::path& dir)
{
    return dir.parent_path() / ("." + dir.filename().string() + ".lock");
}

[[noreturn]] void failed(const std::string& what, const fs::path& path, int error)
{
    throw std::runtime_error("cannot " + what + " '" + path.string() + "': " + std::strerror(error));
}

void syncFolder(const fs::path& dir)
{
    // Makes the renames durable; failing here loses nothing already in place.
    if (const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void removeTree(const fs::path& p)
{
    std::error_code ec;
    fs::remove_all(p, ec);
    if (ec)
        throw std::runtime_error("cannot remove '" + p.string() + "' (left by an earlier run): " + ec.message());
}

} // namespace

fs::path OutputFolder::partialOf(const fs::path& dir)
{
    return sibling(normalized(dir.string()), ".partial");
}

void OutputFolder::checkArgument(const std::string& dir, const std::vector<std::string>& ownFiles)
{
    const fs::path p = normalized(dir);
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (!fs::exists(st))
        return;
    if (!fs::is_directory(st))
        throw UsageError("--out '" + dir + "' is a file, not a folder: give the folder the results go into");
    if (fs::exists(p / markerName, ec))
        return;
    for (const fs::directory_entry& entry : fs::directory_iterator(p, ec)) {
        const std::string entryName = entry.path().filename().string();
        std::string name = entryName;
        // A temporary file of an atomic write that an older normad left when it was killed.
        if (const std::size_t tmp = name.rfind(".tmp-"); tmp != std::string::npos && tmp + 11 == name.size())
            name.resize(tmp);
        const bool own = std::any_of(ownFiles.begin(), ownFiles.end(), [&](const std::string& pattern) {
            return pattern.ends_with('*') ? name.starts_with(pattern.substr(0, pattern.size() - 1)) : name == pattern;
        });
        if (!own)
            throw UsageError("--out '" + dir + "' holds '" + entryName +
                             "', which no normad run wrote; a run replaces its output folder as a whole, so give "
                             "a new or empty folder");
    }
    if (ec)
        throw std::runtime_error("cannot list the output folder '" + dir + "': " + ec.message());
}

OutputFolder::OutputFolder(const std::string& dir, const std::vector<std::string>& ownFiles, Partial partial,
                           std::ostream& notes)
    : m_shown(dir), m_final(normalized(dir)), m_staging(sibling(m_final, ".partial"))
{
    std::error_code ec;
    const fs::path parent = m_final.parent_path();
    fs::create_directories(parent, ec);
    if (ec)
        throw std::runtime_error("cannot create the folder '" + parent.string() + "' for '" + dir +
                                 "': " + ec.message());
    if (::access(parent.c_str(), W_OK | X_OK) != 0)
        throw std::runtime_error("cannot write into '" + parent.string() + "' (where '" + dir +
                                 "' is written): " + std::generic_category().message(errno));
    try {
        m_claim = RunClaim::tryClaimFile(lockOf(m_final).string());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error("cannot write the output folder '" + dir + "': " + e.what());
    }
    if (!m_claim)
        throw std::runtime_error("another normad is writing into the output folder '" + m_final.string() +
                                 "' (it holds " + lockOf(m_final).string() +
                                 "); wait for it to end or choose another --out");
    // Under the claim, nothing else changes these names: what is there was left by a killed run.
    const fs::path publishing = sibling(m_final, ".publishing");
    const fs::path replaced = sibling(m_final, ".replaced");
    if (fs::exists(fs::symlink_status(replaced, ec))) {
        if (!fs::exists(fs::symlink_status(m_final, ec))) {
            // Killed between the two renames of a publish without RENAME_EXCHANGE: put the old run back.
            if (::rename(replaced.c_str(), m_final.c_str()) != 0)
                failed("restore the previous run from", replaced, errno);
            notes << "note: restored " << m_final.string() << " (a killed run had moved it aside)\n";
        } else {
            removeTree(replaced);
        }
    }
    if (fs::exists(fs::symlink_status(publishing, ec))) {
        removeTree(publishing);
        notes << "note: removed " << publishing.string() << ", left by a run killed while publishing\n";
    }
    checkArgument(dir, ownFiles);
    if (fs::exists(fs::symlink_status(m_staging, ec)) && partial == Partial::Discard) {
        const bool hadCheckpoint = fs::exists(m_staging / "checkpoint.json", ec);
        removeTree(m_staging);
        notes << "note: removed " << m_staging.string() << ", the unfinished files of a killed run"
              << (hadCheckpoint ? " (its checkpoint too: continue such a run with normad train --resume DIR)" : "")
              << '\n';
    }
    fs::create_directories(m_staging, ec);
    if (ec)
        throw std::runtime_error("cannot create the folder '" + m_staging.string() + "': " + ec.message());
    writeText(m_staging / markerName, std::string("normad ") + versionString() + "\n");
}

fs::path OutputFolder::stagedPath(const fs::path& target) const
{
    const fs::path t = fs::absolute(target).lexically_normal();
    const fs::path inside = t.lexically_relative(m_final);
    if (inside.empty() || *inside.begin() == "..")
        return target;
    return inside == "." ? m_staging : m_staging / inside;
}

OutputFolder::~OutputFolder()
{
    if (m_published || !m_claim)
        return;
    std::error_code ec;
    if (!fs::exists(m_staging / "checkpoint.json", ec))
        fs::remove_all(m_staging, ec); // nothing worth keeping; an error leaves it to the next start
}

void OutputFolder::publish()
{
    if (m_published)
        throw std::logic_error("OutputFolder::publish: already published");
    const fs::path publishing = sibling(m_final, ".publishing");
    const fs::path replaced = sibling(m_final, ".replaced");
    syncFolder(m_staging);
    // A fixed name no resume looks at: from here on the folder is a whole run, not a checkpoint's home.
    if (::rename(m_staging.c_str(), publishing.c_str()) != 0)
        failed("move the finished files to", publishing, errno);
    testPause("publish");
    std::error_code ec;
    if (fs::exists(fs::symlink_status(m_final, ec))) {
        if (::renameat2(AT_FDCWD, publishing.c_str(), AT_FDCWD, m_final.c_str(), RENAME_EXCHANGE) == 0) {
            testPause("exchanged");
        } else if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
            // No atomic exchange on this file system: two renames; a death in between is repaired
            // by the next start (DIR.replaced is moved back).
            if (::rename(m_final.c_str(), replaced.c_str()) != 0)
                failed("move the previous run aside to", replaced, errno);
            if (::rename(publishing.c_str(), m_final.c_str()) != 0)
                failed("move the finished files to", m_final, errno);
            ::rename(replaced.c_str(), publishing.c_str());
        } else {
            failed("replace the previous run in", m_final, errno);
        }
        syncFolder(m_final.parent_path());
        removeTree(publishing); // the previous run
    } else if (::rename(publishing.c_str(), m_final.c_str()) != 0) {
        failed("move the finished files to", m_final, errno);
    }
    syncFolder(m_final.parent_path());
    m_published = true;
}

void testPause(std::string_view point)
{
    const char* wanted = std::getenv("NORMAD_TEST_PAUSE");
    if (!wanted || point != wanted)
        return;
    std::cerr << "normad: test pause at " << point << std::endl;
    // Until a signal: SIGKILL ends the process here; a caught one (Ctrl-C's SIGINT sets the cancel
    // flag) lets it go on, so a test can also interrupt it at this point.
    ::pause();
}

} // namespace normad::cli
