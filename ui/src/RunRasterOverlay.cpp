#include "normad/ui/RunRasterOverlay.h"

#include "normad/ui/PlotStyle.h"
#include "normad/ui/RunStyle.h"

#include "normad/StepTime.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace normad::ui {

namespace {
constexpr double bandGap = 0.8; // empty rows between two runs' bands

void setPoints(QCPGraph* graph, std::vector<std::pair<double, double>>& points)
{
    std::sort(points.begin(), points.end());
    QVector<double> keys, values;
    keys.reserve(static_cast<int>(points.size()));
    values.reserve(static_cast<int>(points.size()));
    for (const auto& [k, v] : points) {
        keys << k;
        values << v;
    }
    graph->setData(keys, values, true);
}
} // namespace

RunRasterOverlay::RunRasterOverlay(QWidget* parent) : QWidget(parent)
{
    m_pattern = new QComboBox(this);
    m_pattern->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_pattern->setToolTip(tr("Pattern whose final output spikes the runs are compared on"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Final output spikes for"), this));
    controls->addWidget(m_pattern);
    controls->addStretch(1);

    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    m_plot->setAutoAddPlottableToLegend(false);
    QCPAxisRect* rect = m_plot->axisRect();
    plotstyle::styleAxisRect(rect, tr("Time (ms)"), QString());
    rect->setRangeZoom(Qt::Horizontal);
    rect->setRangeDrag(Qt::Horizontal);
    rect->axis(QCPAxis::atLeft)->setRangeReversed(true); // run #1 on top, as in the list
    rect->axis(QCPAxis::atLeft)->grid()->setVisible(false);
    rect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    auto* legend = new QCPLegend;
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setFont(m_plot->font());
    legend->setRowSpacing(0);
    legend->setColumnSpacing(12);
    legend->setMargins(QMargins(4, 2, 4, 0));
    legend->setIconSize(16, 10);

    connect(m_pattern, &QComboBox::currentIndexChanged, this, [this] { redraw(); });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);
}

int RunRasterOverlay::actualSpikes(int band) const
{
    return m_actual.at(static_cast<std::size_t>(band))->data()->size();
}

int RunRasterOverlay::desiredSpikes() const
{
    return m_desired ? m_desired->data()->size() : 0;
}

void RunRasterOverlay::showRuns(const std::vector<Run>& runs)
{
    m_runs = &runs;
    // The chooser offers the patterns of the checked runs (the longest list of them).
    QStringList names;
    for (const Run& run : runs)
        if (run.checked && run.patternNames.size() > names.size())
            names = run.patternNames;
    QStringList current;
    for (int i = 0; i < m_pattern->count(); ++i)
        current << m_pattern->itemText(i);
    if (current != names) {
        const QSignalBlocker block(m_pattern);
        const int previous = m_pattern->currentIndex();
        m_pattern->clear();
        m_pattern->addItems(names);
        m_pattern->setCurrentIndex(previous >= 0 && previous < names.size() ? previous : 0);
    }
    redraw();
}

void RunRasterOverlay::setTaskDuration(double seconds)
{
    m_taskDurationMs = seconds * 1e3;
    redraw();
}

void RunRasterOverlay::redraw()
{
    QCPLegend* legend = qobject_cast<QCPLegend*>(m_plot->plotLayout()->element(0, 0));
    if (legend)
        legend->clearItems(); // before the graphs its items point to go
    m_plot->clearGraphs();
    m_plot->clearItems();
    m_actual.clear();
    QCPAxisRect* rect = m_plot->axisRect();
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    m_desired = m_plot->addGraph(x, y);
    m_desired->setLineStyle(QCPGraph::lsNone);
    m_desired->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssTriangleInverted, QPen(plotstyle::desiredColor, 1.8), Qt::NoBrush, 10));
    m_desired->setName(tr("desired spike"));
    if (legend)
        m_desired->addToLegend(legend);

    auto ticker = y->ticker().dynamicCast<QCPAxisTickerText>();
    ticker->clear();
    const int pattern = m_pattern->currentIndex();
    double row = 0, durationMs = 0;
    std::vector<std::pair<double, double>> desired;
    if (m_runs && pattern >= 0) {
        for (const Run& run : *m_runs) {
            if (!run.checked)
                continue;
            const auto p = static_cast<std::size_t>(pattern);
            durationMs = std::max(durationMs, run.duration * 1e3);
            const int outputs = p < run.desired.size() ? static_cast<int>(run.desired[p].size()) : 1;
            auto* actual = m_plot->addGraph(x, y);
            actual->setLineStyle(QCPGraph::lsNone);
            actual->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, runstyle::color(run.id), 6));
            actual->setName(QStringLiteral("#%1").arg(run.id));
            if (legend)
                actual->addToLegend(legend);
            std::vector<std::pair<double, double>> points;
            if (run.outputsReady && p < run.outputs.size())
                for (std::size_t o = 0; o < run.outputs[p].size(); ++o)
                    for (std::int64_t n : run.outputs[p][o])
                        points.emplace_back(stepTime(n, run.dt, 1e3), row + static_cast<double>(o));
            setPoints(actual, points);
            m_actual.push_back(actual);
            if (p < run.desired.size())
                for (std::size_t o = 0; o < run.desired[p].size(); ++o)
                    for (std::int64_t n : run.desired[p][o])
                        desired.emplace_back(stepTime(n, run.dt, 1e3), row + static_cast<double>(o));
            // A faint band behind each run's rows keeps neighbouring runs apart.
            auto* band = new QCPItemRect(m_plot);
            band->setClipToAxisRect(true);
            // Full width whatever the zoom: x in axis-rect ratio, y in rows.
            for (QCPItemPosition* corner : {band->topLeft, band->bottomRight}) {
                corner->setAxes(x, y);
                corner->setAxisRect(rect);
                corner->setTypeX(QCPItemPosition::ptAxisRectRatio);
                corner->setTypeY(QCPItemPosition::ptPlotCoords);
            }
            band->topLeft->setCoords(0, row - 0.45);
            band->bottomRight->setCoords(1, row + outputs - 0.55);
            QColor fill = runstyle::color(run.id);
            fill.setAlpha(28);
            band->setBrush(fill);
            band->setPen(Qt::NoPen);
            band->setLayer(QStringLiteral("background"));
            const QString label =
                run.outputsReady ? QStringLiteral("#%1").arg(run.id) : tr("#%1 (computing…)").arg(run.id);
            ticker->addTick(row + (outputs - 1) / 2.0, label);
            row += outputs + bandGap;
        }
    }
    setPoints(m_desired, desired);
    m_desired->setVisible(true);
    // Without a run to show, the axis spans the open task's trial, not an arbitrary second.
    const double spanMs = durationMs > 0 ? durationMs : m_taskDurationMs;
    x->setRange(0, spanMs > 0 ? spanMs : 1000);
    y->setRange(-0.7, std::max(0.3, row - bandGap - 0.3));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace normad::ui
