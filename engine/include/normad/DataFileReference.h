#pragma once

// How a project refers to a data file without embedding it: its path (relative to the project's
// folder where possible), its size and its SHA-256. Opening the project checks the file against the
// reference and says what differs.

#include <cstdint>
#include <string>

namespace normad {

struct DataFileReference {
    std::string path;       ///< as stored: relative to the project's folder when inside or beside it, else absolute
    std::uint64_t size = 0; ///< bytes
    std::string sha256;     ///< lower-case hex
};

/// Fingerprints `file` (Sha256.h) and stores its path relative to `projectDirectory` when the
/// relative path does not climb more than one folder ("../data/x.csv"), absolute otherwise (so a
/// system dataset like /usr/share/datasets/… stays absolute). Throws std::runtime_error naming the
/// file if it cannot be read.
DataFileReference referenceDataFile(const std::string& file, const std::string& projectDirectory);

/// The path a reference stores for `path` (a file or a folder) seen from `projectDirectory`: relative
/// when it climbs at most one folder, absolute otherwise (the rule of referenceDataFile()).
std::string storedDataPath(const std::string& path, const std::string& projectDirectory);

/// The same reference for a project saved in `toDirectory` instead of `fromDirectory` (Save As, or
/// `normad train` writing trained.json into its run folder): a relative path is re-expressed from
/// the new folder by the rule above; an absolute one is kept; size and SHA-256 are kept (no file is read).
DataFileReference rebaseDataFile(const DataFileReference& reference, const std::string& fromDirectory,
                                 const std::string& toDirectory);

/// The result of checking a reference against the disk.
struct DataFileCheck {
    enum class Status { Unchanged, Missing, SizeChanged, ContentChanged };
    Status status = Status::Unchanged;
    std::string resolvedPath; ///< the path the reference points at from the project's folder
    std::string message;      ///< empty when unchanged; else names the file and what differs
};

/// Resolves the reference from `projectDirectory` and compares size, then SHA-256 (hashed only when
/// the sizes agree).
DataFileCheck checkDataFile(const DataFileReference& reference, const std::string& projectDirectory);

} // namespace normad
