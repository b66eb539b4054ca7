#pragma once

// The event-driven step of Simulator.cpp, fused: one pass over the neurons of a layer decays both
// traces, adds the weight columns of the step's presynaptic spikes (each column loaded once for both
// traces), advances V and applies the refractory hold, branch-free, a SIMD vector at a time; only a
// neuron that may spike (or is not finite) leaves the vector path for the scalar rules.
//
// Every double operation is the one of the former Eigen loop, with the same operands in the same
// order (a·e1, then + each column in event order; ((EL + ρ·(V − EL)) + κa·a) − κb·b), so the results
// are bit-identical on every path. No FMA is ever enabled: it would round differently.
//
// This header is compiled into translation units with different instruction sets (Simulator.cpp for
// the baseline, EventStepAvx2.cpp with -mavx2, EventStepAvx512.cpp with -mavx512f). Everything here
// has internal linkage, and it uses no inline function of another header (no std::vector, no Eigen):
// a weak copy of such a function compiled for AVX2 could be the one the linker keeps for the whole
// program. The rare scalar work that needs them (recording a spike) is settleCandidate, defined in
// Simulator.cpp.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace normad::eventstep {

/// The arrays of one layer, n doubles each. `held` counts the steps V is still held at EL (a double
/// so that it shares the vectors of the other arrays; small integers are exact).
struct LayerArrays {
    double *a, *b, *v, *held;
    std::size_t n;
};

struct Constants {
    double e1, e2, rho, kappaA, kappaB, el, vt, refractorySteps, amplitude;
    bool clampAtRest;
};

/// Where the spikes of a layer go (Simulator.cpp).
struct SpikeSink;

/// One step of every neuron; returns the index of a neuron whose V is not finite, or −1. `cols`
/// holds the weight columns of the step's presynaptic spikes in event order.
using StepFunction = int (*)(const Constants&, LayerArrays&, const double* const* cols, int ncols, SpikeSink&);

/// The AVX2 and AVX-512 steps (EventStepAvx2.cpp, EventStepAvx512.cpp); only call one where the
/// processor has its instruction set.
int stepAvx2(const Constants& c, LayerArrays& s, const double* const* cols, int ncols, SpikeSink& sink);
int stepAvx512(const Constants& c, LayerArrays& s, const double* const* cols, int ncols, SpikeSink& sink);

/// One step of NormadRule's d̂ sweep over n inputs, ISA builds (EventStepAvx2.cpp, EventStepAvx512.cpp).
void sweepStepAvx2(double* a, double* b, double* d, std::size_t n, double e1, double e2, double e, double gain);
void sweepStepAvx512(double* a, double* b, double* d, std::size_t n, double e1, double e2, double e, double gain);

/// NormadRule's ΔW row update and d̂ norm, ISA builds (EventStepAvx2.cpp, EventStepAvx512.cpp).
void scaledAddAvx2(double* row, const double* d, std::size_t n, double s);
void scaledAddAvx512(double* row, const double* d, std::size_t n, double s);
double squaredNormAvx2(const double* d, std::size_t n);
double squaredNormAvx512(const double* d, std::size_t n);

/// The scalar rules of a neuron that is not held and whose new V is not certainly below threshold
/// (LayerState::settle in Simulator.cpp): clamp, spike, reset. Returns false when V is not finite.
bool settleCandidate(const Constants& c, LayerArrays& s, SpikeSink& sink, std::size_t i, double v);

namespace {

/// One step of the d̂ sweep (NormadRule::sweepFilteredInputs): d = d·e + g·(a − b) for step n, then
/// the decay of a and b into step n + 1. A plain loop: each build vectorises it for its own ISA.
inline void sweepLoop(double* a, double* b, double* d, std::size_t n, double e1, double e2, double e, double gain)
{
#pragma GCC unroll 2
    for (std::size_t j = 0; j < n; ++j) {
        const double aj = a[j], bj = b[j];
        d[j] = d[j] * e + gain * (aj - bj);
        a[j] = aj * e1;
        b[j] = bj * e2;
    }
}

/// row[k] += s·d[k], k < n: one ΔW row of NormadRule::perLayerUpdate (Eigen's `row += s * d`). Element
/// by element, so every vector width rounds the same.
inline void scaledAddLoop(double* row, const double* d, std::size_t n, double s)
{
#pragma GCC unroll 2
    for (std::size_t k = 0; k < n; ++k)
        row[k] += s * d[k];
}

/// Σ d[k]², k < n, summed in exactly the order of Eigen 3.4's reduction with SSE2 packets of two
/// doubles (`norm()` of a vector: redux_impl, LinearVectorizedTraversal; the squares are an expression
/// without direct access, so Eigen starts at element 0 whatever the alignment): two packets (four
/// partial sums, one per index mod 4) over whole blocks of four, the packets added, one more packet if
/// two elements remain, the two lanes added, then the last element. Fewer than two elements: d[0]².
inline double squaredNormLoop(const double* d, std::size_t n)
{
    if (n < 2)
        return n == 0 ? 0.0 : d[0] * d[0];
    const std::size_t pairs = n / 2 * 2, quads = n / 4 * 4;
    double p0, p1;
    if (quads > 0) {
#if defined(__GNUC__)
        // Four lanes, index mod 4: two SSE2 registers, one AVX register; the same sums either way.
        using V4 = double __attribute__((vector_size(32)));
        V4 acc, x;
        std::memcpy(&acc, d, sizeof acc);
        acc *= acc;
#pragma GCC unroll 2
        for (std::size_t k = 4; k < quads; k += 4) {
            std::memcpy(&x, d + k, sizeof x);
            acc += x * x;
        }
        p0 = acc[0] + acc[2];
        p1 = acc[1] + acc[3];
#else
        double acc[4];
        for (int q = 0; q < 4; ++q)
            acc[q] = d[q] * d[q];
        for (std::size_t k = 4; k < quads; k += 4)
            for (int q = 0; q < 4; ++q)
                acc[q] += d[k + q] * d[k + q];
        p0 = acc[0] + acc[2];
        p1 = acc[1] + acc[3];
#endif
        if (pairs > quads) {
            p0 += d[quads] * d[quads];
            p1 += d[quads + 1] * d[quads + 1];
        }
    } else {
        p0 = d[0] * d[0];
        p1 = d[1] * d[1];
    }
    double res = p0 + p1;
    if (pairs < n)
        res += d[n - 1] * d[n - 1];
    return res;
}

/// One neuron, scalar: a layer's tail beyond its last whole vector, and the portable fallback.
inline int stepOne(const Constants& c, LayerArrays& s, const double* const* cols, int ncols, SpikeSink& sink,
                   std::size_t i)
{
    double ai = s.a[i] * c.e1, bi = s.b[i] * c.e2;
    for (int k = 0; k < ncols; ++k) {
        ai += cols[k][i];
        bi += cols[k][i];
    }
    s.a[i] = ai;
    s.b[i] = bi;
    const double vn = ((c.el + c.rho * (s.v[i] - c.el)) + c.kappaA * ai) - c.kappaB * bi;
    if (s.held[i] > 0) {
        s.held[i] -= 1.0;
        s.v[i] = c.el;
        return -1;
    }
    return settleCandidate(c, s, sink, i, vn) ? -1 : static_cast<int>(i);
}

[[maybe_unused]] int stepScalar(const Constants& c, LayerArrays& s, const double* const* cols, int ncols,
                                SpikeSink& sink)
{
    for (std::size_t i = 0; i < s.n; ++i)
        if (const int bad = stepOne(c, s, cols, ncols, sink, i); bad >= 0)
            return bad;
    return -1;
}

#if defined(__GNUC__)
#define NORMAD_EVENTSTEP_VECTOR 1

#if defined(__AVX512F__)
using Vec = double __attribute__((vector_size(64)));
#elif defined(__AVX__)
using Vec = double __attribute__((vector_size(32)));
#else
using Vec = double __attribute__((vector_size(16)));
#endif
constexpr std::size_t lanes = sizeof(Vec) / sizeof(double);

inline Vec load(const double* p)
{
    Vec x;
    std::memcpy(&x, p, sizeof x);
    return x;
}

inline void store(double* p, Vec x)
{
    std::memcpy(p, &x, sizeof x);
}

/// A bit per lane whose mask is set (the sign bits: masks are all ones or all zeros).
template <typename Mask> inline int laneBits(Mask m)
{
#if defined(__AVX512F__)
    __m512i d;
    std::memcpy(&d, &m, sizeof d);
    return _mm512_test_epi64_mask(d, d);
#elif defined(__AVX__)
    __m256d d;
    std::memcpy(&d, &m, sizeof d);
    return _mm256_movemask_pd(d);
#elif defined(__SSE2__)
    __m128d d;
    std::memcpy(&d, &m, sizeof d);
    return _mm_movemask_pd(d);
#else
    int bits = 0;
    for (std::size_t k = 0; k < lanes; ++k)
        bits |= (m[k] != 0) << k;
    return bits;
#endif
}

/// The step with K presynaptic columns known at compile time (K < 0: any number, a loop).
template <int K, bool Clamp>
int stepVector(const Constants& c, LayerArrays& s, const double* const* cols, int ncols, SpikeSink& sink)
{
    const std::size_t n = s.n;
    const Vec e1 = Vec{} + c.e1, e2 = Vec{} + c.e2, rho = Vec{} + c.rho, kappaA = Vec{} + c.kappaA,
              kappaB = Vec{} + c.kappaB, el = Vec{} + c.el, vt = Vec{} + c.vt,
              lowest = Vec{} + -std::numeric_limits<double>::max(), one = Vec{} + 1.0, zero = Vec{};
    double *a = s.a, *b = s.b, *v = s.v, *held = s.held;
    const double* col[K > 0 ? K : 1] = {};
    if constexpr (K > 0)
        for (int k = 0; k < K; ++k)
            col[k] = cols[k];
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        Vec ai = load(a + i) * e1, bi = load(b + i) * e2;
        if constexpr (K >= 0) {
            for (int k = 0; k < K; ++k) { // unrolled: K is a constant
                const Vec w = load(col[k] + i);
                ai += w;
                bi += w;
            }
        } else {
            for (int k = 0; k < ncols; ++k) {
                const Vec w = load(cols[k] + i);
                ai += w;
                bi += w;
            }
        }
        store(a + i, ai);
        store(b + i, bi);
        const Vec vn = ((el + rho * (load(v + i) - el)) + kappaA * ai) - kappaB * bi;
        const Vec h = load(held + i);
        const auto isHeld = h > zero;
        Vec clamped = vn;
        if constexpr (Clamp)
            clamped = vn < el ? el : vn;
        // Not held and not certainly below threshold (or not finite): the scalar rules decide.
        const auto candidate = ~isHeld & ~((clamped < vt) & (vn >= lowest));
        store(v + i, isHeld ? el : clamped);
        store(held + i, isHeld ? h - one : h);
        if (const int bits = laneBits(candidate); bits != 0) [[unlikely]]
            for (std::size_t k = 0; k < lanes; ++k)
                if ((bits >> k & 1) && !settleCandidate(c, s, sink, i + k, vn[k]))
                    return static_cast<int>(i + k);
    }
    for (; i < n; ++i)
        if (const int bad = stepOne(c, s, cols, ncols, sink, i); bad >= 0)
            return bad;
    return -1;
}

/// The step specialised for the common numbers of columns (a step of a layer rarely has many
/// presynaptic spikes) and for the clamp at rest.
template <bool Clamp>
int stepVectorColumns(const Constants& c, LayerArrays& s, const double* const* cols, int ncols, SpikeSink& sink)
{
    switch (ncols) {
    case 0:
        return stepVector<0, Clamp>(c, s, cols, ncols, sink);
    case 1:
        return stepVector<1, Clamp>(c, s, cols, ncols, sink);
    case 2:
        return stepVector<2, Clamp>(c, s, cols, ncols, sink);
    case 3:
        return stepVector<3, Clamp>(c, s, cols, ncols, sink);
    case 4:
        return stepVector<4, Clamp>(c, s, cols, ncols, sink);
    default:
        return stepVector<-1, Clamp>(c, s, cols, ncols, sink);
    }
}

[[maybe_unused]] int stepVectorAny(const Constants& c, LayerArrays& s, const double* const* cols, int ncols,
                                   SpikeSink& sink)
{
    return c.clampAtRest ? stepVectorColumns<true>(c, s, cols, ncols, sink)
                         : stepVectorColumns<false>(c, s, cols, ncols, sink);
}
#endif

} // namespace

} // namespace normad::eventstep
