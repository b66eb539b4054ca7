// The event-driven step (EventStep.h) compiled for AVX2: four neurons per vector. Built with -mavx2
// and without FMA (engine/CMakeLists.txt), so it rounds exactly as the baseline step; Simulator.cpp
// calls it only after checking the processor has AVX2.

#include "EventStep.h"

namespace normad::eventstep {

#if defined(NORMAD_EVENTSTEP_VECTOR) && defined(__AVX2__)
int stepAvx2(const Constants& c, LayerArrays& s, const double* const* cols, int ncols, SpikeSink& sink)
{
    return stepVectorAny(c, s, cols, ncols, sink);
}
#else
int stepAvx2(const Constants& c, LayerArrays& s, const double* const* cols, int ncols, SpikeSink& sink)
{
    return stepScalar(c, s, cols, ncols, sink);
}
#endif

void sweepStepAvx2(double* a, double* b, double* d, std::size_t n, double e1, double e2, double e, double gain)
{
    sweepLoop(a, b, d, n, e1, e2, e, gain);
}

void scaledAddAvx2(double* row, const double* d, std::size_t n, double s)
{
    scaledAddLoop(row, d, n, s);
}

double squaredNormAvx2(const double* d, std::size_t n)
{
    return squaredNormLoop(d, n);
}

} // namespace normad::eventstep
