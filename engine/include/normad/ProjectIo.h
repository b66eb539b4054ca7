#pragma once

#include "normad/Project.h"

#include <stdexcept>
#include <string>

namespace normad {

/// A project file that cannot be read. what() names the file, the field (JSON path such as
/// `network.layers[1].size`), the value and the reason.
class ProjectError : public std::runtime_error {
public:
    ProjectError(std::string file, std::string field, std::string reason);
    const std::string& file() const { return m_file; }
    const std::string& field() const { return m_field; }
    const std::string& reason() const { return m_reason; }

private:
    std::string m_file, m_field, m_reason;
};

/// Version written by this build; older versions are migrated on load, newer ones refused.
inline constexpr int projectFormatVersion = 3;
/// Files larger than this are refused before being read.
inline constexpr long long maxProjectFileBytes = 256LL * 1024 * 1024;

/// Parses a project from JSON text; `source` names it in messages. Throws ProjectError, or
/// MemoryBudgetError (normad/MemoryBudget.h) when the document would not fit in memory.
/// Unknown keys are ignored (forward compatibility); everything else is checked (docs/project-format.md).
Project projectFromJson(const std::string& text, const std::string& source = "<memory>");
/// Serialises a project (human-readable, stable key order, 2-space indent). Throws
/// std::invalid_argument naming the field if a weight or parameter is not finite (JSON cannot hold it).
std::string projectToJson(const Project& project);

/// Reads a project file. Throws ProjectError, or MemoryBudgetError naming the file when it would
/// not fit in memory (or memory ran out while it was read).
Project loadProject(const std::string& path);
/// Writes a project atomically (writeFileAtomically in normad/AtomicFile.h).
/// Throws std::runtime_error naming the path and the system error.
void saveProject(const Project& project, const std::string& path);

} // namespace normad
