#pragma once

#include <atomic>

namespace normad {

/// A stop request shared between a controller (GUI, CLI signal handler) and the engine. The engine
/// polls it every few hundred time steps, so a stop lands within milliseconds.
using CancelFlag = std::atomic<bool>;

inline bool cancelled(const CancelFlag* flag)
{
    return flag != nullptr && flag->load(std::memory_order_relaxed);
}

/// How often (in time steps) simulation loops poll the cancel flag.
inline constexpr long long cancelPollSteps = 256;

} // namespace normad
