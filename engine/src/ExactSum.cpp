#include "normad/ExactSum.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

namespace normad {

namespace {

constexpr int limbs = ExactSum::limbsPerEntry;

/// limb[k…3] += value << 64k (value given as two words lo, hi at k, k+1), carrying upwards.
inline void addAt(std::uint64_t* limb, int k, std::uint64_t lo, std::uint64_t hi)
{
    std::uint64_t carry = __builtin_add_overflow(limb[k], lo, &limb[k]) ? 1 : 0;
    std::uint64_t next = hi + carry; // hi < 2^52: cannot overflow
    for (int j = k + 1; j < limbs; ++j) {
        carry = __builtin_add_overflow(limb[j], next, &limb[j]) ? 1 : 0;
        if (carry == 0)
            return;
        next = 1;
    }
}

/// limb[k…3] −= value << 64k, borrowing upwards.
inline void subtractAt(std::uint64_t* limb, int k, std::uint64_t lo, std::uint64_t hi)
{
    std::uint64_t borrow = __builtin_sub_overflow(limb[k], lo, &limb[k]) ? 1 : 0;
    std::uint64_t next = hi + borrow;
    for (int j = k + 1; j < limbs; ++j) {
        borrow = __builtin_sub_overflow(limb[j], next, &limb[j]) ? 1 : 0;
        if (borrow == 0)
            return;
        next = 1;
    }
}

inline void add256(const std::uint64_t* in, std::uint64_t* inout)
{
    std::uint64_t carry = 0;
    for (int j = 0; j < limbs; ++j) {
        const bool c1 = __builtin_add_overflow(inout[j], in[j], &inout[j]);
        const bool c2 = __builtin_add_overflow(inout[j], carry, &inout[j]);
        carry = (c1 || c2) ? 1 : 0;
    }
}

/// 0 = exact term added, 1 = overflow, 2 = non-finite.
inline int addTerm(std::uint64_t* limb, double x)
{
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    const bool negative = (bits >> 63) != 0;
    const int biased = static_cast<int>((bits >> 52) & 0x7ff);
    std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
    if (biased == 0x7ff)
        return 2;
    if (biased - 1023 >= ExactSum::termExponentLimit)
        return 1;
    int exponent; // x = ±mantissa · 2^exponent
    if (biased == 0) {
        if (mantissa == 0)
            return 0;
        exponent = 1 - 1075;
    } else {
        mantissa |= std::uint64_t{1} << 52;
        exponent = biased - 1075;
    }
    int shift = exponent - ExactSum::lsbExponent; // position of the mantissa's lowest bit
    if (shift < 0) {
        // Bits below 2^-192: round this term to nearest, ties to even. Depends on the term only,
        // so the sum stays independent of the order.
        if (shift < -53)
            return 0; // below half an LSB
        const int r = -shift;
        std::uint64_t q = mantissa >> r; // r ≤ 53
        const std::uint64_t rest = mantissa & ((std::uint64_t{1} << r) - 1);
        const std::uint64_t half = std::uint64_t{1} << (r - 1);
        if (rest > half || (rest == half && (q & 1) != 0))
            ++q;
        if (q == 0)
            return 0;
        mantissa = q;
        shift = 0;
    }
    const int k = shift / 64;
    const int offset = shift % 64;
    const std::uint64_t lo = mantissa << offset;
    const std::uint64_t hi = offset == 0 ? 0 : mantissa >> (64 - offset);
    if (negative)
        subtractAt(limb, k, lo, hi);
    else
        addAt(limb, k, lo, hi);
    return 0;
}

/// The 256-bit two's complement integer rounded to the nearest double times 2^-192.
double toDouble(const std::uint64_t* limb)
{
    std::array<std::uint64_t, limbs> m{limb[0], limb[1], limb[2], limb[3]};
    const bool negative = (m[3] >> 63) != 0;
    if (negative) { // magnitude = ~m + 1
        std::uint64_t carry = 1;
        for (std::uint64_t& w : m) {
            w = ~w;
            carry = __builtin_add_overflow(w, carry, &w) ? 1 : 0;
        }
    }
    int top = limbs - 1;
    while (top >= 0 && m[static_cast<std::size_t>(top)] == 0)
        --top;
    if (top < 0)
        return 0.0;
    const int highest = 64 * top + 63 - std::countl_zero(m[static_cast<std::size_t>(top)]);
    auto bit = [&](int i) { return (m[static_cast<std::size_t>(i / 64)] >> (i % 64)) & 1; };
    double result;
    if (highest <= 52) {
        result = std::ldexp(static_cast<double>(m[0]), ExactSum::lsbExponent); // exact: < 2^53
    } else {
        const int shift = highest - 52; // bits [shift, highest] form the 53-bit significand
        const auto w = static_cast<std::size_t>(shift / 64);
        const int o = shift % 64;
        std::uint64_t significand = m[w] >> o;
        if (o != 0 && w + 1 < m.size())
            significand |= m[w + 1] << (64 - o);
        significand &= (std::uint64_t{1} << 53) - 1; // bits above `highest` are zero anyway
        const bool roundBit = bit(shift - 1) != 0;
        bool sticky = false;
        for (int w = 0; w * 64 < shift - 1 && !sticky; ++w) {
            const int bitsHere = std::min(64, shift - 1 - w * 64);
            const std::uint64_t mask = bitsHere == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bitsHere) - 1;
            sticky = (m[static_cast<std::size_t>(w)] & mask) != 0;
        }
        if (roundBit && (sticky || (significand & 1) != 0))
            ++significand; // may reach 2^53: still exact as a double
        result = std::ldexp(static_cast<double>(significand), shift + ExactSum::lsbExponent);
    }
    return negative ? -result : result;
}

} // namespace

ExactSum::ExactSum(std::size_t size)
{
    reset(size);
}

void ExactSum::reset(std::size_t size)
{
    m_size = size;
    m_limbs.assign(size * limbs, 0);
    m_additions = m_overflows = m_nonFinite = 0;
}

void ExactSum::add(std::span<const double> values, std::size_t offset)
{
    accumulate(values, offset, false);
}

void ExactSum::subtract(std::span<const double> values, std::size_t offset)
{
    accumulate(values, offset, true);
}

void ExactSum::accumulate(std::span<const double> values, std::size_t offset, bool negate)
{
    if (offset + values.size() > m_size)
        throw std::invalid_argument(std::string("ExactSum::") + (negate ? "subtract" : "add") + ": " +
                                    std::to_string(values.size()) + " values at " + std::to_string(offset) +
                                    " beyond the size " + std::to_string(m_size));
    // A subtraction undoes an addition, its counts included.
    const std::uint64_t step = negate ? ~std::uint64_t{0} : 1; // −1 or +1, modulo 2^64
    m_additions += step;
    std::uint64_t* base = m_limbs.data() + offset * limbs;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double x = values[i];
        if (x == 0) // most rows of a sparse update are zero
            continue;
        switch (addTerm(base + i * limbs, negate ? -x : x)) {
        case 1:
            m_overflows += step;
            break;
        case 2:
            m_nonFinite += step;
            break;
        default:
            break;
        }
    }
}

void ExactSum::add(const ExactSum& other)
{
    if (other.m_size != m_size)
        throw std::invalid_argument("ExactSum::add: sizes differ (" + std::to_string(other.m_size) + " and " +
                                    std::to_string(m_size) + ")");
    addRaw(other.m_limbs.data(), m_limbs.data(), m_size);
    m_additions += other.m_additions;
    m_overflows += other.m_overflows;
    m_nonFinite += other.m_nonFinite;
}

double ExactSum::value(std::size_t i) const
{
    return toDouble(m_limbs.data() + i * limbs);
}

void ExactSum::values(std::span<double> out, std::size_t offset) const
{
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = value(offset + i);
}

std::vector<std::uint64_t> ExactSum::raw() const
{
    std::vector<std::uint64_t> words;
    raw(words);
    return words;
}

void ExactSum::raw(std::vector<std::uint64_t>& words) const
{
    words.resize((headerEntries + m_size) * limbs);
    std::fill(words.begin(), words.begin() + headerEntries * limbs, 0);
    words[0] = m_additions; // each header count is a non-negative 256-bit integer
    words[limbs] = m_overflows;
    words[2 * limbs] = m_nonFinite;
    std::copy(m_limbs.begin(), m_limbs.end(), words.begin() + headerEntries * limbs);
}

void ExactSum::setRaw(std::span<const std::uint64_t> words)
{
    if (words.size() != (headerEntries + m_size) * limbs)
        throw std::invalid_argument("ExactSum::setRaw: " + std::to_string(words.size()) + " words for " +
                                    std::to_string(m_size) + " entries");
    m_additions = words[0];
    m_overflows = words[limbs];
    m_nonFinite = words[2 * limbs];
    // A header count beyond 64 bits cannot come from real additions; treat it as an overflow.
    for (std::size_t h = 0; h < headerEntries; ++h)
        for (int j = 1; j < limbs; ++j)
            if (words[h * limbs + static_cast<std::size_t>(j)] != 0)
                m_overflows = std::max<std::uint64_t>(m_overflows, 1);
    std::copy(words.begin() + headerEntries * limbs, words.end(), m_limbs.begin());
}

void ExactSum::addRaw(const std::uint64_t* in, std::uint64_t* inout, std::size_t entries)
{
    for (std::size_t e = 0; e < entries; ++e)
        add256(in + e * limbs, inout + e * limbs);
}

} // namespace normad
