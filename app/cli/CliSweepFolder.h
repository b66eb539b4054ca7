#pragma once

// The folder of a sweep (docs/scaling.md, "Sweep folders"): plan.json, the expanded runs, written
// by whichever process starts first and checked by every later one; one folder per run with its
// run.json status; and the merged results table built from them.

#include "CliSupport.h"

#include "normad/Shard.h"
#include "normad/SweepPlan.h"

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace normad::cli {

/// The shard of this process: `option` ("K/N", from --shard) if given, else the SLURM job-array
/// task's (Shard::fromSlurm), else none. Throws std::invalid_argument naming the option or variable.
std::optional<Shard> chooseShard(const std::optional<std::string>& option);

/// Writes DIR/plan.json (the sweep's runs, swept parameters and a fingerprint of the base project
/// with its fixed settings), or, if the folder already has one, checks that it describes the same
/// sweep: a rerun or another shard must not mix runs of two different sweeps in one folder. Throws
/// std::invalid_argument naming the folder and the first difference.
void recordPlan(const std::filesystem::path& dir, const SweepPlan& plan);

/// The run.json of a run folder, or null if there is none (or it cannot be parsed: then the run
/// never got past its start and is redone).
Json readRunStatus(const std::filesystem::path& runFolder);

/// run.json's status of a run whose process has gone without finishing (found "running" with its
/// claim free).
inline constexpr const char* abandonedStatus = "abandoned";

/// The merged table of a sweep folder.
struct SweepTable {
    std::string csv;                  ///< one row per planned run (see docs/scaling.md)
    std::size_t runs = 0;             ///< rows
    std::map<std::string, int> count; ///< rows per status ("finished", "pending", …)
};

/// Reads DIR/plan.json and every run's run.json. A run without run.json is "pending"; one whose
/// run.json says "running" but whose claim is free is "abandoned" (killed; a rerun redoes it).
/// Throws std::invalid_argument when DIR holds no plan.json.
SweepTable collectSweep(const std::filesystem::path& dir);

/// "3 finished, 1 pending" in the order finished, running, abandoned, interrupted, failed, pending.
std::string describeCounts(const SweepTable& table);

} // namespace normad::cli
