#pragma once

// The output folder of one command run (train, evaluate, simulate), written as a whole
// (docs/cli.md, "Output folders"): the files go into a sibling folder DIR.partial, which is renamed
// into place when every file is there, so DIR holds the whole previous run or the whole new one,
// never a mix, whatever kills the process when.

#include "normad/RunClaim.h"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace normad::cli {

class OutputFolder {
public:
    /// What to do with a DIR.partial left by a killed run.
    enum class Partial {
        Discard, ///< a new run: removed (with a note)
        Keep,    ///< `train --resume`: its checkpoint is what the run continues from
    };

    /// Throws UsageError (exit 2) when `dir` names something that is not a folder, or a folder
    /// holding files that no normad run wrote (a run replaces its folder as a whole). `ownFiles`:
    /// the names the command writes, which an older normad left without the marker file ("name*":
    /// every name starting with "name").
    static void checkArgument(const std::string& dir, const std::vector<std::string>& ownFiles);

    /// Claims `dir` (its lock beside it, `.NAME.lock`; std::runtime_error naming the folder when
    /// another normad writes into it), checks it as checkArgument does, cleans up what a killed
    /// run left (DIR.publishing, DIR.replaced, and DIR.partial unless kept) and creates the
    /// staging folder DIR.partial. `notes` receives one line per thing cleaned up.
    OutputFolder(const std::string& dir, const std::vector<std::string>& ownFiles, Partial partial,
                 std::ostream& notes);
    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;
    /// Releases the claim. An unpublished staging folder is removed unless it holds a checkpoint
    /// (a failed run leaves nothing behind; a checkpoint is kept for --resume).
    ~OutputFolder();

    /// The folder the results end in, as the user named it.
    const std::filesystem::path& path() const { return m_shown; }
    /// The folder the results end in, absolute.
    const std::filesystem::path& absolutePath() const { return m_final; }
    /// Where the files are written until publish().
    const std::filesystem::path& staging() const { return m_staging; }
    /// Where to write `target` now: inside staging() if `target` lies inside the output folder (it
    /// is published with it), else `target` itself.
    std::filesystem::path stagedPath(const std::filesystem::path& target) const;
    /// `path() / name`: how a written file is named in the command's output.
    std::string finalName(std::string_view name) const { return (m_shown / name).string(); }

    /// Replaces DIR by the staging folder as a whole: rename to DIR.publishing, then an atomic
    /// exchange with DIR (renameat2 RENAME_EXCHANGE; on file systems without it, DIR is first
    /// moved to DIR.replaced, which the next start moves back if the process dies in between),
    /// then the previous run is removed. Throws std::runtime_error naming the step.
    void publish();

    /// The names a folder is published as, for a folder `dir`.
    static std::filesystem::path partialOf(const std::filesystem::path& dir);
    /// The marker file every published folder holds: what wrote it (one line).
    static constexpr const char* markerName = ".normad-output";

private:
    std::filesystem::path m_shown; // as given, for messages
    std::filesystem::path m_final; // absolute, for the renames
    std::filesystem::path m_staging;
    std::optional<RunClaim> m_claim;
    bool m_published = false;
};

/// Test hook (docs/testing.md): NORMAD_TEST_PAUSE=POINT makes the process print
/// "normad: test pause at POINT" on stderr and wait for a signal there, so a test can kill it at a
/// known point instead of after a guessed delay (a caught signal, SIGINT, lets it continue).
/// Returns at once unless POINT is the one set. Points: output-file (trained.json written, the
/// other files not), publish (all written, not yet in place), exchanged (in place, the previous run
/// not yet removed), checkpoint:E (checkpoint after epoch E written), pattern:E:P (position P of
/// epoch E presented).
void testPause(std::string_view point);

} // namespace normad::cli
