#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace normad {

/// One share of a sweep's runs: shard K of N owns run i exactly when i mod N = K, so the N shards
/// together do every run exactly once, whatever N, and each shard's share is known without talking
/// to the others (a SLURM array task, an MPI rank, a `--shard K/N` on any machine).
struct Shard {
    int index = 0; ///< K, 0 … count − 1
    int count = 1; ///< N ≥ 1

    bool owns(std::size_t run) const
    {
        return run % static_cast<std::size_t>(count) == static_cast<std::size_t>(index);
    }
    /// How many of `runs` runs this shard owns.
    std::size_t share(std::size_t runs) const;
    /// "2/8".
    std::string text() const;

    /// Parses "K/N" (0 ≤ K < N). Throws std::invalid_argument naming `option` and the text.
    static Shard parse(std::string_view text, std::string_view option = "--shard");
    /// The shard of a SLURM job-array task: K = (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) /
    /// SLURM_ARRAY_TASK_STEP (MIN 0 and STEP 1 when absent), N = SLURM_ARRAY_TASK_COUNT. Unset when
    /// the variables are absent (not an array task). Throws std::invalid_argument naming the
    /// variable when a value is malformed or the array is not a plain range (e.g. --array=1,5,7).
    /// `environment` reads a variable (std::getenv in the program; a table in tests).
    static std::optional<Shard> fromSlurm(const std::function<const char*(const char*)>& environment);
};

} // namespace normad
