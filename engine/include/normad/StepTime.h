#pragma once

// Times of grid steps for people to read: exports and plots write a step's time as its decimal
// value, not as the product n·dt with its rounding noise. The simulation itself counts steps.

#include <cstdint>

namespace normad {

/// The time of step `n` in units of which `unitsPerSecond` make a second (1: s, 1000: ms). When 1/dt
/// is a whole number of steps per second it is the double nearest to the exact
/// n·unitsPerSecond / stepsPerSecond, so step 174 at dt = 0.1 ms reads 0.0174 s, not the product
/// 174 · 0.0001 = 0.017400000000000002; otherwise n·dt·unitsPerSecond. It names the same step:
/// round(stepTime(n, dt) / dt) = n.
double stepTime(std::int64_t n, double dt, double unitsPerSecond = 1.0);

/// A time `t` in seconds as stepTime() writes its step when `t` lies on the dt grid (within a
/// millionth of a step); an off-grid time is returned unchanged.
double tidyTime(double t, double dt);

} // namespace normad
