#pragma once

// Exact sums of doubles for batch updates (docs/parallel-training.md).
//
// A batch's Δw is the sum of its patterns' updates. Summing doubles gives a result that depends on
// the order of the additions, so threads (whose order is not fixed) and MPI ranks (reduced in a
// log P tree) would each give different last bits. Here every term is added *exactly* into a
// fixed-point integer of 256 bits per entry; integer addition is associative and commutative, so
// the sum is the same for any order and grouping, and it is rounded to double once, correctly.
//
// Layout of one entry: 4 limbs of 64 bits, little-endian, two's complement; the least significant
// bit is worth 2^-192 and the most significant 2^63. Why this range: weights are amperes (~1e-9 A),
// one pattern's update ~1e-10·r (r down to 1e-6 and below) and doubles carry 53 bits, so a term's
// lowest bit sits near 2^-120 at the small end; 2^-192 ≈ 1.6e-58 leaves ~70 bits of room below that
// (bits below 2^-192 are rounded to nearest, ties to even, term by term — deterministic because it
// depends on the term alone). At the top, a term must be below 2^32 A in magnitude and an accumulator
// takes at most 2^30 additions, so a sum stays below 2^62 and can never wrap; a larger term is
// reported as an overflow, a NaN or infinite term as non-finite (the trainer stops on either).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace normad {

/// A vector of exact sums (one per weight). Not thread-safe: give each thread its own and merge
/// them with add(const ExactSum&), which is exact too.
class ExactSum {
public:
    static constexpr int limbsPerEntry = 4;
    static constexpr int lsbExponent = -192;     ///< the lowest bit is worth 2^-192
    static constexpr int termExponentLimit = 32; ///< a term must satisfy |x| < 2^32
    static constexpr std::uint64_t maxAdditions = std::uint64_t{1} << 30;
    /// Header entries of raw(): additions, overflowing terms, non-finite terms (each as a 256-bit integer).
    static constexpr std::size_t headerEntries = 3;

    explicit ExactSum(std::size_t size = 0);

    std::size_t size() const { return m_size; }
    /// Sets every entry to 0 and forgets the overflow / non-finite counts; resizes to `size`.
    void reset(std::size_t size);
    void reset() { reset(m_size); }

    /// Adds values[i] to entry offset + i for every i; zero values are skipped (cheap). Counts as one
    /// addition towards maxAdditions.
    void add(std::span<const double> values, std::size_t offset = 0);
    /// Takes values[i] from entry offset + i, exactly undoing an add() of the same values (each term is
    /// rounded as add() rounds it, and rounding is symmetric in the sign); one addition fewer.
    void subtract(std::span<const double> values, std::size_t offset = 0);
    /// Adds another sum of the same size, exactly.
    void add(const ExactSum& other);

    /// Entry i rounded to the nearest double (ties to even).
    double value(std::size_t i) const;
    /// Every entry rounded (value(i)) into `out`, from entry `offset`.
    void values(std::span<double> out, std::size_t offset = 0) const;

    /// No term was NaN or infinite.
    bool finite() const { return m_nonFinite == 0; }
    /// A term was ≥ 2^32 in magnitude or more than maxAdditions additions were made: the sum is not exact.
    bool overflowed() const { return m_overflows != 0 || m_additions > maxAdditions; }
    std::uint64_t additions() const { return m_additions; }

    /// The whole state as 256-bit integers ((headerEntries + size()) × 4 words): the header and
    /// every entry. Adding two raw buffers entry by entry (addRaw) is the same as add(ExactSum), so
    /// an MPI reduction only needs addRaw as its operation, whatever segments it works on.
    std::vector<std::uint64_t> raw() const;
    /// raw() into `words`, resized; its capacity is kept, so a buffer reused batch after batch is not
    /// allocated again (an MPI transport pays dearly for fresh pages: docs/scaling.md, "One allreduce").
    void raw(std::vector<std::uint64_t>& words) const;
    /// Replaces the state by a raw() buffer of the same size (throws std::invalid_argument otherwise).
    void setRaw(std::span<const std::uint64_t> words);
    /// inout[e] += in[e] for `entries` 256-bit integers (4 words each), modulo 2^256.
    static void addRaw(const std::uint64_t* in, std::uint64_t* inout, std::size_t entries);

private:
    void accumulate(std::span<const double> values, std::size_t offset, bool negate);
    std::size_t m_size = 0;
    std::vector<std::uint64_t> m_limbs; // 4 per entry
    std::uint64_t m_additions = 0;
    std::uint64_t m_overflows = 0;
    std::uint64_t m_nonFinite = 0;
};

} // namespace normad
