#pragma once

#include "normad/Cancellation.h"

#include <cstddef>
#include <functional>

namespace normad {

/// Runs `job(i)` for every i in [0, jobs) on `threads` threads (the calling thread is one of them):
/// each index is taken exactly once, in increasing order of start. Independent runs (sweep runs,
/// reproduction trials) use it; a job that must be deterministic writes its result into its own
/// slot, so nothing depends on the thread count or the scheduling. Once `cancel` is set, no new
/// job starts (running ones see the flag themselves). If a job throws, no new job starts and the
/// first exception is rethrown after every thread has ended.
void runJobs(std::size_t jobs, int threads, const std::function<void(std::size_t)>& job,
             const CancelFlag* cancel = nullptr);

} // namespace normad
