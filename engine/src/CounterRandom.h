#pragma once

// A counter-based random stream for the dataset code: the numbers drawn for a sample depend only on
// (seed, key), never on which samples were drawn before or on which thread, so an encoded sample or a
// split is the same whatever the order of calls. SplitMix64 (Steele, Lea & Flood 2014, the seeding
// generator of xoshiro) is portable, unlike the std:: distributions whose algorithms differ between
// standard libraries.

#include <cmath>
#include <cstdint>

namespace normad::detail {

class CounterRandom {
public:
    CounterRandom(std::uint64_t seed, std::uint64_t key) : m_state(mix(seed ^ mix(key + 0x632BE59BD9B4E019ULL))) { }

    std::uint64_t next()
    {
        m_state += 0x9E3779B97F4A7C15ULL;
        return mix(m_state);
    }
    /// Uniform in (0, 1]: never 0, so log() of it is finite.
    double uniformOpenClosed() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }
    /// Uniform integer in [0, n) (n > 0), by rejection so every value is equally likely.
    std::uint64_t below(std::uint64_t n)
    {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        for (;;) {
            const std::uint64_t x = next();
            if (x < limit)
                return x % n;
        }
    }

    static std::uint64_t mix(std::uint64_t z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t m_state;
};

} // namespace normad::detail
