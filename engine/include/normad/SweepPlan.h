#pragma once

// A parameter sweep (docs/scaling.md, "Sweep files"): a base project, seeds × project parameters
// addressed by their paths in the project file (normad/ProjectFields.h), as a grid or a list of
// runs. The plan expands the file into numbered runs; every run is checked against the base
// project when the file is read, so a bad path or value is refused before any training starts.

#include "normad/Project.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace normad {

/// One run of a sweep: the base project with the swept parameters set and its own seed.
struct SweepRun {
    std::size_t index = 0; ///< 0-based position in the plan
    std::string id;        ///< folder name, "run-0007"
    std::uint64_t seed = 0;
    /// The value of each swept parameter (SweepPlan::parameterPaths(), same order) as JSON text.
    std::vector<std::string> values;
};

/// Where each run's initial weights come from.
enum class SweepWeights {
    Seed,    ///< drawn from the run's seed with each layer's init (the default: seeds differ in their weights)
    Project, ///< the base project's weights; the seed then drives only the pattern order (as `train --seed`)
};

class SweepPlan {
public:
    /// Reads a sweep file and its base project. Throws ProjectError naming the file, the field of
    /// the sweep file (e.g. `grid.training.maxEpochs[2]`) and the value.
    static SweepPlan load(const std::string& file);
    /// Parses a sweep from JSON text; `source` names it in messages, `baseProject` is the project
    /// the file's "project" names (already loaded), `projectPath` that project's file.
    static SweepPlan fromJson(const std::string& text, const std::string& source, const Project& baseProject,
                              const std::string& projectPath);
    /// The "project" member of a sweep file (as written: relative to the sweep file's folder).
    static std::string projectReference(const std::string& text, const std::string& source);

    const std::string& source() const { return m_source; }
    /// The base project's file (resolved against the sweep file's folder).
    const std::string& projectPath() const { return m_projectPath; }
    const Project& baseProject() const { return m_base; }
    /// The epoch budget of every run ("epochs"), instead of training.maxEpochs; unset = the project's.
    std::optional<int> epochs() const { return m_epochs; }
    SweepWeights weights() const { return m_weights; }
    /// The swept paths in the order of the file (canonical form: `network.layers[0].size`).
    const std::vector<std::string>& parameterPaths() const { return m_paths; }
    /// Every run, index 0 … n−1: each grid point (or listed run) in order, seeds varying fastest.
    const std::vector<SweepRun>& runs() const { return m_runs; }

    /// The project of `run`: the base, the fixed settings ("set"), the swept values, the seed and,
    /// with SweepWeights::Seed, no weights (drawn by Project::ensureWeights()).
    Project project(const SweepRun& run) const;
    /// "seed 3, training.maxEpochs = 30" for progress lines.
    std::string describe(const SweepRun& run) const;

private:
    std::string m_source;
    std::string m_projectPath;
    Project m_base; ///< with "set" applied and, with SweepWeights::Seed, no weights
    std::optional<int> m_epochs;
    SweepWeights m_weights = SweepWeights::Seed;
    std::vector<std::string> m_paths;
    std::vector<SweepRun> m_runs;
};

/// `network.layers.0.size` → `network.layers[0].size`: a path of the project format, with numeric
/// segments written as indices (both spellings are accepted in sweep files).
std::string canonicalFieldPath(const std::string& path);

/// Settable paths of `project` that resemble `path` (same last key, or fewest edits), at most
/// `limit`, for "did you mean" messages.
std::vector<std::string> similarFieldPaths(const Project& project, const std::string& path, std::size_t limit = 5);

/// The folder name of run `index` in a sweep of `count` runs: "run-" and the index, zero-padded to
/// at least 4 digits (to more when the sweep has 10 000 runs or more), so names sort in run order.
std::string sweepRunId(std::size_t index, std::size_t count);

} // namespace normad
