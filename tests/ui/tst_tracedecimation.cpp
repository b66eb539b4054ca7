// Trace decimation (plotstyle::decimateMinMax): a membrane trace drawn at pixel resolution keeps
// every peak and trough, has at most two points per pixel column and is made of the trace's own
// samples. One-sample spikes (a spike's reset, a threshold crossing) are exactly what a naive
// every-other-sample decimator drops, so the cases put them where such a decimator looks away.

#include "normad/ui/PlotStyle.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

using namespace normad::ui;

namespace {

constexpr double keyStep = 0.1;    // ms per sample, as MembranePlot passes dt in ms
constexpr double valueScale = 1e3; // V → mV
constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();

/// A slow wave of a few millivolts: every column has a gentle slope, no flat ties.
QList<double> wave(int n)
{
    QList<double> s;
    for (int i = 0; i < n; ++i)
        s << -0.065 + 0.003 * std::sin(2 * std::numbers::pi * i / 250.0);
    return s;
}

/// Sample index where pixel column `c` of `columns` begins for `n` samples (the plot's own split,
/// used here only to place spikes on boundaries; the checks below do not assume it).
int columnStart(int n, int columns, int c)
{
    return static_cast<int>(static_cast<long long>(n) * c / columns);
}

/// Width of one pixel column in samples, rounded up: a drawn extreme lies within this of the sample.
int columnWidth(int n, int columns)
{
    const int c = std::max(columns, 1);
    return (n + c - 1) / c;
}

bool sameValue(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

} // namespace

class TestTraceDecimation : public QObject {
    Q_OBJECT

private slots:
    void keepsEveryPeak_data();
    void keepsEveryPeak();
    void shortTraceIsDrawnAsIs_data();
    void shortTraceIsDrawnAsIs();
};

void TestTraceDecimation::keepsEveryPeak_data()
{
    QTest::addColumn<QList<double>>("samples");
    QTest::addColumn<int>("columns");
    QTest::addColumn<QList<int>>("spikes"); // sample indices that must be drawn, key and value

    // Per even column: +20 mV on its first sample, −20 mV on its last one. Both are one sample wide
    // and the last one sits on an odd index whenever the column is.
    const auto boundarySpikes = [](int n, int columns) {
        QList<double> s = wave(n);
        QList<int> spikes;
        for (int c = 0; c < columns; c += 2) {
            const int first = columnStart(n, columns, c), last = columnStart(n, columns, c + 1) - 1;
            s[first] += 0.02;
            s[last] -= 0.02;
            spikes << first << last;
        }
        return std::pair{s, spikes};
    };
    for (const auto& [n, columns] : {std::pair{1000, 100}, std::pair{1003, 97}, std::pair{20000, 1280}}) {
        const auto [s, spikes] = boundarySpikes(n, columns);
        QTest::addRow("spikes at column boundaries, %d samples, %d columns", n, columns) << s << columns << spikes;
    }
    {
        QList<double> s = wave(2000);
        s.first() += 0.02;
        s.last() += 0.02;
        QTest::newRow("peak on the first and the last sample") << s << 50 << QList<int>{0, 1999};
        s = wave(2001);
        s.first() -= 0.02;
        s.last() -= 0.02;
        QTest::newRow("trough on the first and the last sample") << s << 50 << QList<int>{0, 2000};
    }
    {
        // Odd indices only: an every-other-sample decimator sees none of them.
        QList<double> s = wave(5000);
        QList<int> spikes;
        for (int i = 101; i < 5000; i += 400) {
            s[i] += (i / 400) % 2 ? 0.02 : -0.02;
            spikes << i;
        }
        QTest::newRow("spikes on odd samples") << s << 300 << spikes;
    }
    {
        QList<double> s = wave(201);
        s[1] += 0.02;
        s[199] -= 0.02;
        QTest::newRow("one sample more than two per column") << s << 100 << QList<int>{1, 199};
    }
    QTest::newRow("constant trace") << QList<double>(5000, -0.065) << 300 << QList<int>{};
    {
        QList<double> s = wave(100);
        s[37] = 0.03;
        s[63] = -0.09;
        QTest::newRow("no columns counts as one: the extremes") << s << 0 << QList<int>{37, 63};
    }
    {
        // A membrane-like random walk with many local extremes (seeded).
        std::mt19937_64 rng(11);
        std::normal_distribution<double> step(0, 0.0005);
        QList<double> s{-0.065};
        while (s.size() < 30000)
            s << s.back() + step(rng);
        QTest::newRow("random walk") << s << 640 << QList<int>{};
    }
    {
        // A NaN on the first sample of a column must not hide that column's extremes, and a run of
        // NaN (a non-finite potential) stays visible as NaN: QCustomPlot breaks the line there.
        QList<double> s = wave(1000);
        s[0] = notANumber;
        s[3] += 0.02;
        s[7] -= 0.02;
        for (int i = 400; i < 460; ++i)
            s[i] = notANumber;
        s[461] += 0.02;
        s[399] -= 0.02;
        QTest::newRow("NaN samples") << s << 100 << QList<int>{3, 7, 399, 461};
    }
}

void TestTraceDecimation::keepsEveryPeak()
{
    QFETCH(QList<double>, samples);
    QFETCH(int, columns);
    QFETCH(QList<int>, spikes);
    const std::vector<double> trace(samples.begin(), samples.end());
    const int n = static_cast<int>(trace.size());
    QVector<double> keys{1.0, 2.0}, values{3.0}; // stale content must go
    plotstyle::decimateMinMax(trace, keyStep, valueScale, columns, keys, values);

    // Bounded by two points per pixel column.
    QCOMPARE(keys.size(), values.size());
    QVERIFY2(keys.size() <= 2 * std::max(columns, 1),
             qPrintable(QStringLiteral("%1 points for %2 columns").arg(keys.size()).arg(columns)));
    QVERIFY(!keys.isEmpty());

    // Made of the trace's own samples, in time order: key i·step, value sample i · scale.
    QList<int> drawn;
    for (int k = 0; k < keys.size(); ++k) {
        const int i = qRound(keys[k] / keyStep);
        QVERIFY2(i >= 0 && i < n && keys[k] == i * keyStep, qPrintable(QStringLiteral("key %1").arg(keys[k])));
        QVERIFY2(drawn.isEmpty() || i > drawn.back(), qPrintable(QStringLiteral("key %1 out of order").arg(keys[k])));
        QVERIFY2(sameValue(values[k], trace[static_cast<std::size_t>(i)] * valueScale),
                 qPrintable(QStringLiteral("sample %1: drawn %2, trace %3")
                                .arg(i)
                                .arg(values[k])
                                .arg(trace[static_cast<std::size_t>(i)] * valueScale)));
        drawn << i;
    }

    // Every peak and trough survives at pixel resolution: for each sample, a drawn point at least as
    // high and one at least as low lie less than one column away.
    const int width = columnWidth(n, columns);
    for (int i = 0; i < n; ++i) {
        const double v = trace[static_cast<std::size_t>(i)] * valueScale;
        if (std::isnan(v))
            continue;
        bool above = false, below = false;
        for (int k = 0; k < drawn.size(); ++k) {
            if (std::abs(drawn[k] - i) >= width || std::isnan(values[k]))
                continue;
            above = above || values[k] >= v;
            below = below || values[k] <= v;
        }
        QVERIFY2(above && below, qPrintable(QStringLiteral("sample %1 (%2 mV, %3 samples per column) lost its %4")
                                                .arg(i)
                                                .arg(v)
                                                .arg(width)
                                                .arg(above ? "trough" : "peak")));
    }
    // The drawn line spans the trace: it starts in the first column and ends in the last.
    QVERIFY2(
        drawn.front() < width && drawn.back() > n - 1 - width,
        qPrintable(QStringLiteral("drawn from sample %1 to %2 of %3").arg(drawn.front()).arg(drawn.back()).arg(n)));

    // Each one-sample spike is drawn exactly: its own key and value.
    for (int i : spikes)
        QVERIFY2(drawn.contains(i), qPrintable(QStringLiteral("spike at sample %1 (%2 mV) not drawn")
                                                   .arg(i)
                                                   .arg(trace[static_cast<std::size_t>(i)] * valueScale)));

    // Samples that are not a number stay visible as a gap: a run of NaN wider than a column is drawn
    // as NaN between its neighbours, never bridged by a straight line.
    for (int i = 0; i + width < n; ++i) {
        bool run = true;
        for (int j = i; j < i + 2 * width && j < n && run; ++j)
            run = std::isnan(trace[static_cast<std::size_t>(j)]);
        if (!run || i + 2 * width > n)
            continue;
        bool gap = false;
        for (int k = 0; k < drawn.size(); ++k)
            gap = gap || (drawn[k] >= i && drawn[k] < i + 2 * width && std::isnan(values[k]));
        QVERIFY2(gap, qPrintable(QStringLiteral("NaN run from sample %1 bridged").arg(i)));
        break;
    }
}

void TestTraceDecimation::shortTraceIsDrawnAsIs_data()
{
    QTest::addColumn<QList<double>>("samples");
    QTest::addColumn<int>("columns");
    QTest::newRow("empty") << QList<double>{} << 100;
    QTest::newRow("one sample") << QList<double>{-0.065} << 100;
    QTest::newRow("fewer samples than columns") << wave(37) << 100;
    QTest::newRow("exactly two per column") << wave(200) << 100;
    QTest::newRow("with NaN") << QList<double>{-0.065, notANumber, -0.064} << 2;
}

void TestTraceDecimation::shortTraceIsDrawnAsIs()
{
    // Up to two samples per column there is nothing to decimate: every sample is drawn.
    QFETCH(QList<double>, samples);
    QFETCH(int, columns);
    const std::vector<double> trace(samples.begin(), samples.end());
    QVector<double> keys{1.0}, values{1.0};
    plotstyle::decimateMinMax(trace, keyStep, valueScale, columns, keys, values);
    QCOMPARE(keys.size(), samples.size());
    QCOMPARE(values.size(), samples.size());
    for (int i = 0; i < samples.size(); ++i) {
        QCOMPARE(keys[i], i * keyStep);
        QVERIFY2(sameValue(values[i], samples[i] * valueScale), qPrintable(QStringLiteral("sample %1").arg(i)));
    }
}

QTEST_APPLESS_MAIN(TestTraceDecimation)
#include "tst_tracedecimation.moc"
