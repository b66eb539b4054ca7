#pragma once

#include <vector>

namespace normad {

/// Closed-form filter helpers shared by simulation and learning. All times in seconds.
namespace kernels {

/// ∫₀ᵗ e^{−s/τa}·e^{−(t−s)/τb} ds: the response of a first-order filter of time constant τb to
/// an exponential of time constant τa. Handles τa = τb (t·e^{−t/τ}).
double expConvolution(double tauA, double tauB, double t);
/// d/dt of expConvolution.
double expConvolutionDerivative(double tauA, double tauB, double t);

/// Per-step decay factor e^{−dt/τ}.
double decay(double tau, double dt);

/// ε(t) = (α ∗ k)(t) with α = I0(e^{−t/τ1} − e^{−t/τ2}) and k(t) = (1/C)·e^{−t/τk}
/// (spec §3.6; τk = τL′ for ĥ, τL for h). Units V/A per unit I0.
double psp(double t, double tau1, double tau2, double tauK, double amplitude, double capacitance);
/// ε′(t), the time derivative of psp().
double pspDerivative(double t, double tau1, double tau2, double tauK, double amplitude, double capacitance);

/// How the table of ε′ on the grid is made (spec §3.6 gives both).
enum class EpsilonDerivative {
    Analytic, ///< closed form ε′(k·dt) (default)
    Discrete, ///< push a unit spike through the same discrete trace and ĥ filters, central differences
};

/// ε′[k] for k = 0 … K−1 on the grid, K long enough that the omitted tail is below 1e-14 of the peak.
std::vector<double> pspDerivativeTable(double dt, double tau1, double tau2, double tauK, double amplitude,
                                       double capacitance, EpsilonDerivative how);

/// Response of the discrete d̂ recursion (d̂ ← d̂·e^{−dt/τk} + c·dt/C, c = I0(a − b)) to one spike at
/// step 0, for k = 0 … K−1 (spec §2.4 / §5 check 3). Used to evaluate d̂ directly as a sum.
std::vector<double> filteredTraceTable(double dt, double tau1, double tau2, double tauK, double amplitude,
                                       double capacitance);

} // namespace kernels
} // namespace normad
