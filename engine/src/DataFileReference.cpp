#include "normad/DataFileReference.h"

#include "normad/Dataset.h"
#include "normad/Sha256.h"
#include "normad/TextFormat.h"

#include <filesystem>

namespace normad {

namespace fs = std::filesystem;

std::string storedDataPath(const std::string& file, const std::string& projectDirectory)
{
    std::error_code ec;
    const fs::path absolute = fs::weakly_canonical(fs::absolute(file), ec);
    const fs::path base = fs::weakly_canonical(fs::absolute(projectDirectory), ec);
    std::string stored = absolute.generic_string();
    const fs::path relative = absolute.lexically_relative(base);
    if (!relative.empty()) {
        int climbs = 0;
        for (const auto& part : relative)
            climbs += part == "..";
        if (climbs <= 1)
            stored = relative.generic_string();
    }
    return stored;
}

DataFileReference referenceDataFile(const std::string& file, const std::string& projectDirectory)
{
    const FileFingerprint fingerprint = fingerprintFile(file);
    return {storedDataPath(file, projectDirectory), fingerprint.size, fingerprint.sha256};
}

DataFileReference rebaseDataFile(const DataFileReference& reference, const std::string& fromDirectory,
                                 const std::string& toDirectory)
{
    const fs::path stored(reference.path);
    if (stored.is_absolute())
        return reference;
    DataFileReference moved = reference;
    moved.path = storedDataPath((fs::path(fromDirectory) / stored).lexically_normal().string(), toDirectory);
    return moved;
}

DataFileCheck checkDataFile(const DataFileReference& reference, const std::string& projectDirectory)
{
    DataFileCheck check;
    const fs::path stored(reference.path);
    const fs::path resolved = stored.is_absolute() ? stored : fs::path(projectDirectory) / stored;
    check.resolvedPath = resolved.lexically_normal().string();
    std::error_code ec;
    if (!fs::is_regular_file(check.resolvedPath, ec)) {
        check.status = DataFileCheck::Status::Missing;
        check.message = check.resolvedPath + ": the data file is missing (the project refers to " +
                        quotedText(reference.path) + ", " + formatBytes(reference.size) + ")";
        return check;
    }
    const auto size = fs::file_size(check.resolvedPath, ec);
    if (!ec && size != reference.size) {
        check.status = DataFileCheck::Status::SizeChanged;
        check.message = check.resolvedPath + ": the data file has changed: " + std::to_string(size) +
                        " bytes where the project recorded " + std::to_string(reference.size);
        return check;
    }
    const std::string sha = fingerprintFile(check.resolvedPath).sha256;
    if (sha != reference.sha256) {
        check.status = DataFileCheck::Status::ContentChanged;
        check.message = check.resolvedPath + ": the data file has changed: SHA-256 " + sha +
                        " where the project recorded " + reference.sha256 + " (same size)";
    }
    return check;
}

} // namespace normad
