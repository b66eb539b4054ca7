#include "normad/Kernels.h"

#include <algorithm>
#include <cmath>

namespace normad::kernels {

namespace {
// Relative difference below which two time constants are treated as equal (limit forms).
constexpr double degenerateTolerance = 1e-9;

bool nearlyEqual(double a, double b)
{
    return std::abs(a - b) <= degenerateTolerance * std::max(a, b);
}

// Length of a table whose omitted tail is below e^{−40} ≈ 4e-18 of its scale.
std::size_t tableLength(double dt, double tau1, double tau2, double tauK)
{
    const double longest = std::max({tau1, tau2, tauK});
    return static_cast<std::size_t>(std::ceil(40.0 * longest / dt)) + 2;
}
} // namespace

double expConvolution(double tauA, double tauB, double t)
{
    if (t <= 0)
        return 0.0;
    if (nearlyEqual(tauA, tauB))
        return t * std::exp(-t / tauA);
    // Symmetric in (τa, τb). With τs ≥ τf and r = 1/τf − 1/τs = (τs − τf)/(τs·τf) > 0 it is
    // e^{−t/τs}·(−expm1(−r·t))/r: no cancellation when τa ≈ τb (the difference-of-exponentials form
    // loses ~|log10(r·t)| digits), and no overflow for large t (−r·t ≤ 0).
    const double slow = std::max(tauA, tauB), fast = std::min(tauA, tauB);
    const double r = (slow - fast) / (slow * fast);
    return std::exp(-t / slow) * (-std::expm1(-r * t)) / r;
}

double expConvolutionDerivative(double tauA, double tauB, double t)
{
    if (t < 0)
        return 0.0;
    if (nearlyEqual(tauA, tauB))
        return std::exp(-t / tauA) * (1.0 - t / tauA);
    // d/dt of the form above: e^{−t/τs}·(1 + expm1(−r·t)/(r·τf)), cancellation- and overflow-free.
    const double slow = std::max(tauA, tauB), fast = std::min(tauA, tauB);
    const double r = (slow - fast) / (slow * fast);
    return std::exp(-t / slow) * (1.0 + std::expm1(-r * t) / (r * fast));
}

double decay(double tau, double dt)
{
    return std::exp(-dt / tau);
}

double psp(double t, double tau1, double tau2, double tauK, double amplitude, double capacitance)
{
    return amplitude / capacitance * (expConvolution(tau1, tauK, t) - expConvolution(tau2, tauK, t));
}

double pspDerivative(double t, double tau1, double tau2, double tauK, double amplitude, double capacitance)
{
    if (t <= 0)
        return 0.0; // ε′(0) = 0 (spec §3.6); a spike at t_s does not move V at t_s itself
    return amplitude / capacitance *
           (expConvolutionDerivative(tau1, tauK, t) - expConvolutionDerivative(tau2, tauK, t));
}

std::vector<double> filteredTraceTable(double dt, double tau1, double tau2, double tauK, double amplitude,
                                       double capacitance)
{
    // Exactly the recursion used for d̂: a, b decay and jump by 1 at the spike step; c = I0(a − b);
    // d̂ ← d̂·e^{−dt/τK} + c·dt/C.
    const std::size_t K = tableLength(dt, tau1, tau2, tauK);
    const double e1 = decay(tau1, dt), e2 = decay(tau2, dt), eK = decay(tauK, dt);
    std::vector<double> table(K);
    double a = 0, b = 0, d = 0;
    for (std::size_t k = 0; k < K; ++k) {
        a = (k == 0) ? 1.0 : a * e1;
        b = (k == 0) ? 1.0 : b * e2;
        d = d * eK + amplitude * (a - b) * dt / capacitance;
        table[k] = d;
    }
    return table;
}

std::vector<double> pspDerivativeTable(double dt, double tau1, double tau2, double tauK, double amplitude,
                                       double capacitance, EpsilonDerivative how)
{
    const std::size_t K = tableLength(dt, tau1, tau2, tauK);
    std::vector<double> table(K, 0.0);
    if (how == EpsilonDerivative::Analytic) {
        for (std::size_t k = 1; k < K; ++k)
            table[k] = pspDerivative(static_cast<double>(k) * dt, tau1, tau2, tauK, amplitude, capacitance);
        return table;
    }
    // Discrete: the same filters as the simulation and d̂, differentiated by central differences.
    std::vector<double> eps = filteredTraceTable(dt, tau1, tau2, tauK, amplitude, capacitance);
    eps.push_back(eps.back() * decay(std::max({tau1, tau2, tauK}), dt));
    for (std::size_t k = 1; k < K; ++k)
        table[k] = (eps[k + 1] - eps[k - 1]) / (2 * dt);
    return table;
}

} // namespace normad::kernels
