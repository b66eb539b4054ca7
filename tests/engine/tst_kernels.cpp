// The synaptic trace and PSP kernels (spec §1.3, §3.6, §5 check 3) against closed forms written here,
// explicit discrete convolutions and fine numerical quadrature — never against stored engine output.

#include "normad/Kernels.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

using namespace normad;

namespace {

constexpr double ms = 1e-3;

// Composite Simpson rule of f over [a, b] with `intervals` (even) sub-intervals.
double simpson(const std::function<double(double)>& f, double a, double b, int intervals = 4000)
{
    const double h = (b - a) / intervals;
    double s = f(a) + f(b);
    for (int i = 1; i < intervals; ++i)
        s += (i % 2 ? 4.0 : 2.0) * f(a + i * h);
    return s * h / 3.0;
}

// α(t) = I0(e^{−t/τ1} − e^{−t/τ2})U(t), spec §1.1.
double alpha(double t, double tau1, double tau2, double amplitude)
{
    return t < 0 ? 0.0 : amplitude * (std::exp(-t / tau1) - std::exp(-t / tau2));
}

// ε(t) = ∫₀ᵗ α(s)·e^{−(t−s)/τk}/C ds by quadrature.
double pspQuadrature(double t, double tau1, double tau2, double tauK, double amplitude, double capacitance)
{
    return simpson([&](double s) { return alpha(s, tau1, tau2, amplitude) * std::exp(-(t - s) / tauK) / capacitance; },
                   0.0, t);
}

// ε′(t) by Leibniz's rule: α(t)·k(0) + ∫₀ᵗ α(s)·k′(t−s) ds, k(u) = e^{−u/τk}/C.
double pspDerivativeQuadrature(double t, double tau1, double tau2, double tauK, double amplitude, double capacitance)
{
    return alpha(t, tau1, tau2, amplitude) / capacitance +
           simpson(
               [&](double s) {
                   return -alpha(s, tau1, tau2, amplitude) * std::exp(-(t - s) / tauK) / (tauK * capacitance);
               },
               0.0, t);
}

// The synaptic trace c[k] = I0(a − b) of one spike at step 0, recovered from the engine's d̂ table by
// inverting its last recursion step: table[k] = table[k−1]·e^{−dt/τk} + c[k]·dt/C.
std::vector<double> traceFromTable(const std::vector<double>& table, double dt, double tauK, double capacitance)
{
    const double eK = std::exp(-dt / tauK);
    std::vector<double> c(table.size());
    for (std::size_t k = 0; k < table.size(); ++k)
        c[k] = (table[k] - (k > 0 ? table[k - 1] * eK : 0.0)) * capacitance / dt;
    return c;
}

double maxAbs(const std::vector<double>& v)
{
    double m = 0;
    for (double x : v)
        m = std::max(m, std::abs(x));
    return m;
}

} // namespace

class TestKernels : public QObject {
    Q_OBJECT

private slots:
    void decayConstants_data();
    void decayConstants();
    void singleSpikeTrace_data();
    void singleSpikeTrace();
    void filteredTraceIsDiscreteConvolution_data();
    void filteredTraceIsDiscreteConvolution();
    void expConvolutionMatchesQuadrature_data();
    void expConvolutionMatchesQuadrature();
    void expConvolutionLongTimes_data();
    void expConvolutionLongTimes();
    void pspMatchesQuadrature_data();
    void pspMatchesQuadrature();
    void pspVanishesAtOrigin();
    void derivativeTableAnalyticVsDiscrete_data();
    void derivativeTableAnalyticVsDiscrete();
};

void TestKernels::decayConstants_data()
{
    QTest::addColumn<double>("tau");
    QTest::addColumn<double>("groupCode"); // the constants #defined in snn_train.cu (4 decimals)
    QTest::newRow("tau1 = 5 ms (decay)") << 5 * ms << 0.9802;
    QTest::newRow("tau2 = 1.25 ms (decays)") << 1.25 * ms << 0.9231;
    QTest::newRow("tauL' = 1 ms (decay1)") << 1 * ms << 0.9048;
}

void TestKernels::decayConstants()
{
    // Spec §5 check 3, dt = 0.1 ms.
    QFETCH(double, tau);
    QFETCH(double, groupCode);
    const double dt = 0.1 * ms;
    const double d = kernels::decay(tau, dt);
    QVERIFY2(std::abs(d - groupCode) < 0.5e-4, qPrintable(QString("decay = %1").arg(d, 0, 'g', 10)));
    QVERIFY(std::abs(d - std::exp(-dt / tau)) <= 1e-15);
}

void TestKernels::singleSpikeTrace_data()
{
    QTest::addColumn<double>("dt");
    QTest::addColumn<double>("tau1");
    QTest::addColumn<double>("tau2");
    QTest::addColumn<double>("peakTime");  // expected, seconds
    QTest::addColumn<double>("peakValue"); // expected, per unit I0
    QTest::addColumn<double>("area");      // expected Σc·dt, seconds
    // The spec's literal numbers (§1.2 "Handy derived numbers").
    QTest::newRow("spec numbers, dt = 0.1 ms") << 0.1 * ms << 5 * ms << 1.25 * ms << 2.31 * ms << 0.4725 << 3.75 * ms;
    QTest::newRow("spec numbers, dt = 0.01 ms") << 0.01 * ms << 5 * ms << 1.25 * ms << 2.31 * ms << 0.4725 << 3.75 * ms;
    // Another pair against the closed forms t* = τ1τ2/(τ1−τ2)·ln(τ1/τ2), α(t*), ∫α = τ1 − τ2.
    const double t1 = 10 * ms, t2 = 2 * ms;
    const double tStar = t1 * t2 / (t1 - t2) * std::log(t1 / t2);
    QTest::newRow("tau1 = 10 ms, tau2 = 2 ms, closed form")
        << 0.05 * ms << t1 << t2 << tStar << std::exp(-tStar / t1) - std::exp(-tStar / t2) << t1 - t2;
}

void TestKernels::singleSpikeTrace()
{
    // One input spike at step 0 through the trace recursion (a, b jump by 1, c = a − b; spec §1.3 and
    // §5 check 3): c peaks at t*, with α(t*), and Σc·dt = (τ1 − τ2)·I0, each within ±1 %.
    QFETCH(double, dt);
    QFETCH(double, tau1);
    QFETCH(double, tau2);
    QFETCH(double, peakTime);
    QFETCH(double, peakValue);
    QFETCH(double, area);
    const double amplitude = 1.0, capacitance = 300e-12, tauK = 1 * ms;
    const std::vector<double> table = kernels::filteredTraceTable(dt, tau1, tau2, tauK, amplitude, capacitance);
    const std::vector<double> c = traceFromTable(table, dt, tauK, capacitance);

    QVERIFY(std::abs(c[0]) < 1e-12); // c = 0 at the spike step, rises afterwards
    QVERIFY(c[1] > 0);
    const auto peak = std::max_element(c.begin(), c.end());
    const double tPeak = static_cast<double>(peak - c.begin()) * dt;
    double sum = 0;
    for (double x : c)
        sum += x * dt;
    QVERIFY2(std::abs(tPeak - peakTime) <= 0.01 * peakTime, qPrintable(QString("peak at %1 ms").arg(tPeak / ms)));
    QVERIFY2(std::abs(*peak - peakValue) <= 0.01 * peakValue, qPrintable(QString("peak value %1").arg(*peak)));
    QVERIFY2(std::abs(sum - area) <= 0.01 * area, qPrintable(QString("sum c dt = %1 ms").arg(sum / ms)));

    // And every sample is the continuous α on the grid (the recursion is exact at grid points).
    for (std::size_t k = 0; k < std::min<std::size_t>(c.size(), 2000); ++k)
        QVERIFY(std::abs(c[k] - alpha(static_cast<double>(k) * dt, tau1, tau2, amplitude)) < 1e-9);
}

void TestKernels::filteredTraceIsDiscreteConvolution_data()
{
    QTest::addColumn<double>("dt");
    QTest::addColumn<double>("tauK");
    QTest::addColumn<double>("amplitude");
    QTest::addColumn<double>("capacitance");
    QTest::newRow("tauL' = 1 ms, dt = 0.1 ms") << 0.1 * ms << 1 * ms << 1.0 << 300e-12;
    QTest::newRow("tauL = 10 ms, dt = 0.1 ms") << 0.1 * ms << 10 * ms << 1.0 << 300e-12;
    QTest::newRow("tauK = tau1 (degenerate)") << 0.1 * ms << 5 * ms << 1.0 << 300e-12;
    QTest::newRow("tauK = 2 ms, dt = 0.02 ms, I0 = 3, C = 100 pF") << 0.02 * ms << 2 * ms << 3.0 << 100e-12;
}

void TestKernels::filteredTraceIsDiscreteConvolution()
{
    // Spec §5 check 3: the recursive d̂ equals the explicit convolution Σ_m c[m]·ĥ[n−m]·dt,
    // c[m] = I0(e^{−m·dt/τ1} − e^{−m·dt/τ2}), ĥ[k] = e^{−k·dt/τk}/C, to 1e-12 relative.
    QFETCH(double, dt);
    QFETCH(double, tauK);
    QFETCH(double, amplitude);
    QFETCH(double, capacitance);
    const double tau1 = 5 * ms, tau2 = 1.25 * ms;
    const std::vector<double> table = kernels::filteredTraceTable(dt, tau1, tau2, tauK, amplitude, capacitance);
    const std::size_t n = std::min<std::size_t>(table.size(), 1500); // O(n²) direct sum
    QVERIFY(table.size() * dt >= 30 * std::max(tau1, tauK));
    double worst = 0;
    for (std::size_t k = 0; k < n; ++k) {
        double direct = 0;
        for (std::size_t m = 0; m <= k; ++m) {
            const double c = amplitude * (std::exp(-double(m) * dt / tau1) - std::exp(-double(m) * dt / tau2));
            direct += c * std::exp(-double(k - m) * dt / tauK) / capacitance * dt;
        }
        const double err = std::abs(table[k] - direct);
        if (direct == 0)
            QCOMPARE(table[k], 0.0);
        else
            worst = std::max(worst, err / std::abs(direct));
    }
    QVERIFY2(worst < 1e-12, qPrintable(QString("worst relative error %1").arg(worst)));
    // The omitted tail is negligible.
    QVERIFY(std::abs(table.back()) < 1e-14 * maxAbs(table));
}

void TestKernels::expConvolutionMatchesQuadrature_data()
{
    QTest::addColumn<double>("tauA");
    QTest::addColumn<double>("tauB");
    QTest::addColumn<double>("t");
    QTest::newRow("5 ms * 10 ms at 3 ms") << 5 * ms << 10 * ms << 3 * ms;
    QTest::newRow("1.25 ms * 1 ms at 7 ms") << 1.25 * ms << 1 * ms << 7 * ms;
    QTest::newRow("10 ms * 1 ms at 40 ms") << 10 * ms << 1 * ms << 40 * ms;
    QTest::newRow("equal 5 ms at 5 ms") << 5 * ms << 5 * ms << 5 * ms;
    QTest::newRow("equal 1 ms at 12 ms") << 1 * ms << 1 * ms << 12 * ms;
    QTest::newRow("nearly equal (1e-6) at 8 ms") << 5 * ms << 5 * ms * (1 + 1e-6) << 8 * ms;
    QTest::newRow("nearly equal (1e-10) at 8 ms") << 5 * ms << 5 * ms * (1 + 1e-10) << 8 * ms;
}

void TestKernels::expConvolutionMatchesQuadrature()
{
    // ∫₀ᵗ e^{−s/τa}e^{−(t−s)/τb} ds by Simpson (smooth integrand, error ≪ 1e-10), derivative by central
    // differences (h = 1e-8 s: truncation ~(h/τ)², rounding ~1e-16·τ/h).
    QFETCH(double, tauA);
    QFETCH(double, tauB);
    QFETCH(double, t);
    const auto f = [&](double s) { return std::exp(-s / tauA) * std::exp(-(t - s) / tauB); };
    const double quad = simpson(f, 0, t);
    const double v = kernels::expConvolution(tauA, tauB, t);
    QVERIFY2(std::abs(v - quad) <= 1e-9 * quad,
             qPrintable(QString("%1 vs %2").arg(v, 0, 'g', 15).arg(quad, 0, 'g', 15)));

    const double h = 1e-8;
    const double fd =
        (kernels::expConvolution(tauA, tauB, t + h) - kernels::expConvolution(tauA, tauB, t - h)) / (2 * h);
    const double deriv = kernels::expConvolutionDerivative(tauA, tauB, t);
    // Scale of the derivative: ~1 (its value at t = 0).
    QVERIFY2(std::abs(deriv - fd) <= 1e-6, qPrintable(QString("%1 vs %2").arg(deriv, 0, 'g', 15).arg(fd, 0, 'g', 15)));

    QCOMPARE(kernels::expConvolution(tauA, tauB, 0.0), 0.0);
    QCOMPARE(kernels::expConvolution(tauA, tauB, -1 * ms), 0.0);
}

void TestKernels::expConvolutionLongTimes_data()
{
    QTest::addColumn<double>("tauA");
    QTest::addColumn<double>("tauB");
    QTest::newRow("0.1 ms * 100 ms") << 0.1 * ms << 100 * ms;
    QTest::newRow("100 ms * 0.1 ms") << 100 * ms << 0.1 * ms;
    QTest::newRow("1.25 ms * 10 ms") << 1.25 * ms << 10 * ms;
    QTest::newRow("5 ms * 1 ms") << 5 * ms << 1 * ms;
}

void TestKernels::expConvolutionLongTimes()
{
    // Far in the tail (tables and long trials reach t ≫ τ): finite, and equal to the textbook
    // (e^{−t/τa} − e^{−t/τb})/(1/τb − 1/τa) evaluated in long double (no cancellation for well-separated τ).
    QFETCH(double, tauA);
    QFETCH(double, tauB);
    for (double t : {1 * ms, 50 * ms, 0.4, 2.0, 5.0}) {
        const long double ref =
            (std::exp(-(long double)t / tauA) - std::exp(-(long double)t / tauB)) / (1.0L / tauB - 1.0L / tauA);
        const long double dref = (std::exp(-(long double)t / tauB) / tauB - std::exp(-(long double)t / tauA) / tauA) /
                                 (1.0L / tauB - 1.0L / tauA);
        const double v = kernels::expConvolution(tauA, tauB, t);
        const double d = kernels::expConvolutionDerivative(tauA, tauB, t);
        QVERIFY(std::isfinite(v) && std::isfinite(d));
        QVERIFY2(std::abs(v - (double)ref) <= 1e-12 * std::abs((double)ref) + 1e-300,
                 qPrintable(QString("t = %1 s: %2 vs %3").arg(t).arg(v).arg((double)ref)));
        QVERIFY2(std::abs(d - (double)dref) <= 1e-12 * std::abs((double)dref) + 1e-300,
                 qPrintable(QString("t = %1 s: %2 vs %3").arg(t).arg(d).arg((double)dref)));
    }
}

void TestKernels::pspMatchesQuadrature_data()
{
    QTest::addColumn<double>("tauK");
    QTest::addColumn<double>("t");
    const struct {
        const char* name;
        double tauK;
    } kernels[] = {{"tauL' = 1 ms", 1 * ms},
                   {"tauL = 10 ms", 10 * ms},
                   {"tauK = tau1 (degenerate)", 5 * ms},
                   {"tauK = tau2 (degenerate)", 1.25 * ms},
                   {"tauK = tau1(1+1e-7)", 5 * ms * (1 + 1e-7)}};
    for (const auto& k : kernels)
        for (double t : {0.3 * ms, 2.31 * ms, 6 * ms, 20 * ms, 60 * ms})
            QTest::newRow(qPrintable(QString("%1, t = %2 ms").arg(k.name).arg(t / ms))) << k.tauK << t;
}

void TestKernels::pspMatchesQuadrature()
{
    // ε = α ∗ k and ε′ (spec §3.6) against Simpson quadrature of the convolution integral (ε′ by
    // Leibniz's rule) and against central differences of ε. I0 = 2 and C = 250 pF to catch a
    // misplaced prefactor.
    QFETCH(double, tauK);
    QFETCH(double, t);
    const double tau1 = 5 * ms, tau2 = 1.25 * ms, amp = 2.0, cap = 250e-12;
    const double eps = kernels::psp(t, tau1, tau2, tauK, amp, cap);
    const double epsQ = pspQuadrature(t, tau1, tau2, tauK, amp, cap);
    QVERIFY2(std::abs(eps - epsQ) <= 1e-8 * std::abs(epsQ),
             qPrintable(QString("psp %1 vs quadrature %2").arg(eps, 0, 'g', 15).arg(epsQ, 0, 'g', 15)));

    const double d = kernels::pspDerivative(t, tau1, tau2, tauK, amp, cap);
    const double dQ = pspDerivativeQuadrature(t, tau1, tau2, tauK, amp, cap);
    // Scale of ε′: α_peak/C, so absolute tolerances are relative to the kernel, not to ε′(t) (which
    // changes sign).
    const double scale = amp / cap;
    QVERIFY2(std::abs(d - dQ) <= 1e-8 * scale,
             qPrintable(QString("psp' %1 vs quadrature %2").arg(d, 0, 'g', 15).arg(dQ, 0, 'g', 15)));
    const double h = 1e-8;
    const double fd =
        (kernels::psp(t + h, tau1, tau2, tauK, amp, cap) - kernels::psp(t - h, tau1, tau2, tauK, amp, cap)) / (2 * h);
    QVERIFY2(std::abs(d - fd) <= 1e-6 * scale, qPrintable(QString("psp' %1 vs FD %2").arg(d).arg(fd)));
}

void TestKernels::pspVanishesAtOrigin()
{
    // ε(0) = 0 and ε′(0) = 0 (spec §3.6); both 0 before the spike; ε′ continuous at 0+.
    const double cap = 300e-12;
    for (double tauK : {1 * ms, 5 * ms, 1.25 * ms, 10 * ms}) {
        QCOMPARE(kernels::psp(0.0, 5 * ms, 1.25 * ms, tauK, 1.0, cap), 0.0);
        QCOMPARE(kernels::pspDerivative(0.0, 5 * ms, 1.25 * ms, tauK, 1.0, cap), 0.0);
        QCOMPARE(kernels::psp(-1 * ms, 5 * ms, 1.25 * ms, tauK, 1.0, cap), 0.0);
        QCOMPARE(kernels::pspDerivative(-1 * ms, 5 * ms, 1.25 * ms, tauK, 1.0, cap), 0.0);
        // ε′(t) ≈ α′(0)·t/C for small t: α′(0) = 1/τ2 − 1/τ1.
        const double t = 1e-9;
        const double expected = (1 / (1.25 * ms) - 1 / (5 * ms)) * t / cap;
        QVERIFY(std::abs(kernels::pspDerivative(t, 5 * ms, 1.25 * ms, tauK, 1.0, cap) - expected) < 1e-3 * expected);
    }
}

void TestKernels::derivativeTableAnalyticVsDiscrete_data()
{
    QTest::addColumn<double>("tauK");
    QTest::newRow("tauL' = 1 ms") << 1 * ms;
    QTest::newRow("tauL = 10 ms") << 10 * ms;
    QTest::newRow("tauK = tau1 (degenerate)") << 5 * ms;
}

void TestKernels::derivativeTableAnalyticVsDiscrete()
{
    // The discrete table differentiates the recursion d̂[k] = Σ_{m≤k} c[m]ĥ[k−m]dt, a Riemann sum whose
    // leading error against ε(t_k) is the end-point term (dt/2)·α(t_k)/C, so the two ε′ tables differ by
    // ≈ (dt/2)·α′(t_k)/C. Stated tolerance: max|Δ| ≤ dt·max|α′|·I0/C (twice the leading term), and
    // first order: halving dt halves max|Δ| (ratio in [1.8, 2.2]); what remains after subtracting the
    // leading term is second order (ratio in [3.5, 4.5]).
    QFETCH(double, tauK);
    const double tau1 = 5 * ms, tau2 = 1.25 * ms, amp = 1.0, cap = 300e-12;
    const double alphaPrimeMax = 1 / tau2 - 1 / tau1; // |α′| is largest at t = 0
    double previous = 0, previousSecond = 0;
    for (double dt : {0.1 * ms, 0.05 * ms}) {
        const auto analytic =
            kernels::pspDerivativeTable(dt, tau1, tau2, tauK, amp, cap, kernels::EpsilonDerivative::Analytic);
        const auto discrete =
            kernels::pspDerivativeTable(dt, tau1, tau2, tauK, amp, cap, kernels::EpsilonDerivative::Discrete);
        QCOMPARE(analytic.size(), discrete.size());
        QCOMPARE(analytic[0], 0.0);
        double worst = 0, second = 0;
        for (std::size_t k = 0; k < analytic.size(); ++k) {
            // Minus the leading term (dt/2)·α′(t_k)/C (α′ from its closed form) the rest is O(dt²).
            const double t = double(k) * dt;
            const double alphaPrime = amp * (std::exp(-t / tau2) / tau2 - std::exp(-t / tau1) / tau1);
            if (k > 0)
                second = std::max(second, std::abs(discrete[k] - analytic[k] - 0.5 * dt * alphaPrime / cap));
            // The analytic table samples the closed form on the grid.
            QVERIFY(std::abs(analytic[k] - kernels::pspDerivative(double(k) * dt, tau1, tau2, tauK, amp, cap)) <=
                    1e-15 * amp / cap);
            worst = std::max(worst, std::abs(analytic[k] - discrete[k]));
        }
        const double bound = dt * alphaPrimeMax * amp / cap;
        QVERIFY2(
            worst <= bound,
            qPrintable(
                QString("dt = %1 ms: max |analytic − discrete| = %2, bound %3").arg(dt / ms).arg(worst).arg(bound)));
        qInfo("dt = %.2f ms: max |analytic − discrete| = %.3g of max|ε′| (bound %.3g)", dt / ms,
              worst / maxAbs(analytic), bound / maxAbs(analytic));
        if (previous > 0) {
            const double ratio = previous / worst;
            QVERIFY2(ratio > 1.8 && ratio < 2.2, qPrintable(QString("error ratio on halving dt: %1").arg(ratio)));
            const double ratio2 = previousSecond / second;
            QVERIFY2(ratio2 > 3.5 && ratio2 < 4.5,
                     qPrintable(QString("second-order ratio on halving dt: %1").arg(ratio2)));
        }
        QVERIFY(second < 0.2 * worst);
        previous = worst;
        previousSecond = second;
        // The omitted tail is negligible (the header promises < 1e-14 of the peak).
        QVERIFY(std::abs(analytic.back()) < 1e-14 * maxAbs(analytic));
        QVERIFY(std::abs(discrete.back()) < 1e-14 * maxAbs(discrete));
        // And the table covers the kernel: ∫ε′ over the table ≈ ε(∞) − ε(0) = 0.
        double integral = 0;
        for (double x : analytic)
            integral += x * dt;
        QVERIFY(std::abs(integral) < 1e-3 * maxAbs(analytic) * tau1);
    }
}

QTEST_APPLESS_MAIN(TestKernels)
#include "tst_kernels.moc"
