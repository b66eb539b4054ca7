#pragma once

#include <string>

namespace normad {

/// Writes a text or binary file atomically: the contents go to a temporary file in the same folder
/// (created with the user's umask), are flushed to disk, then renamed over `path`. A reader sees the
/// old file or the new one, never a half-written one. Saving through a symbolic link replaces the
/// file it points to; an existing file keeps its permissions. The temporary file is locked while it
/// is written, and temporary files of the same target that no writer holds (left by a killed one)
/// are removed first, so a crash mid-write leaves nothing behind for long.
/// Throws std::runtime_error naming the path, the step and the system error.
void writeFileAtomically(const std::string& path, const std::string& contents);

/// Removes `target`.tmp-XXXXXX files that no writer holds: what a writer killed mid-write (SIGKILL,
/// power loss, a second Ctrl-C) left behind. A live writer holds its file's lock, so it is never
/// touched. writeFileAtomically() does it for its target; this is for files no one writes again
/// (the recovery files of a workbench session that died).
void removeStaleTemporaries(const std::string& target);

} // namespace normad
