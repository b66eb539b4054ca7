#include "normad/ui/RasterPlot.h"

#include "normad/ui/PlotStyle.h"
#include "normad/ui/StampedScatterGraph.h"

#include "normad/StepTime.h"

#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace normad::ui {

namespace {
void fillRaster(const std::vector<StepTrain>& trains, double dt, QCPGraph* graph)
{
    std::vector<std::pair<double, double>> points;
    for (std::size_t i = 0; i < trains.size(); ++i)
        for (std::int64_t n : trains[i])
            points.emplace_back(stepTime(n, dt, 1e3), static_cast<double>(i)); // ms, exported as drawn
    std::sort(points.begin(), points.end());
    QVector<double> keys(static_cast<int>(points.size())), values(static_cast<int>(points.size()));
    for (std::size_t i = 0; i < points.size(); ++i) {
        keys[static_cast<int>(i)] = points[i].first;
        values[static_cast<int>(i)] = points[i].second;
    }
    graph->setData(keys, values, true);
}
} // namespace

RasterPlot::RasterPlot(QWidget* parent) : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_plot);
    plotstyle::installHover(m_plot, [this](QCPAxisRect* rect, double key, double value) {
        const auto it = std::find(m_rects.begin(), m_rects.end(), rect);
        if (it == m_rects.end())
            return QString();
        return tr("%1\nt = %2 ms, neuron %3")
            .arg(rect->axis(QCPAxis::atLeft)->label().section(QLatin1Char('\n'), 0, 0))
            .arg(key, 0, 'f', 2)
            .arg(std::lround(value));
    });
}

void RasterPlot::setProject(const Project& project)
{
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_rects.clear();
    m_actual.clear();
    m_desired = nullptr;
    const int layers = project.network.layerCount();
    const double durationMs = project.simulation.duration * 1e3;
    auto* margins = new QCPMarginGroup(m_plot);
    // Row 0: the legend, a compact row above the rasters (inside the output row it hid spikes).
    for (int l : project.network.populationNumbers()) {
        auto* rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(l + 1, 0, rect);
        const int size = project.network.populationSize(l);
        const QString name = l == 0 ? tr("Inputs") : l == layers ? tr("Output") : tr("Hidden %1").arg(l);
        plotstyle::styleAxisRect(rect, l == layers ? tr("Time (ms)") : QString(), tr("%1\nneuron").arg(name));
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        rect->axis(QCPAxis::atBottom)->setRange(0, durationMs);
        rect->axis(QCPAxis::atLeft)->setRange(-0.7, size - 0.3);
        rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(std::clamp(size, 1, 4));
        rect->setRangeZoom(Qt::Horizontal);
        rect->setRangeDrag(Qt::Horizontal);
        if (l < layers)
            rect->axis(QCPAxis::atBottom)->setTickLabels(false);
        for (QCPAxis* axis : rect->axes())
            axis->setLayer(QStringLiteral("axes"));
        // Hundreds of spikes per row, redrawn with every live pass: stamped, not rasterized one by one.
        auto* graph = new StampedScatterGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        graph->setLineStyle(QCPGraph::lsNone);
        const QColor color = l == 0 ? plotstyle::black : l == layers ? plotstyle::actualColor : plotstyle::bluishGreen;
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, l == layers ? 6 : 3.5));
        graph->setName(l == layers ? tr("actual output spike") : name);
        m_rects.push_back(rect);
        m_actual.push_back(graph);
        // Rows share the plot's height by population size (sqrt keeps small layers readable).
        m_plot->plotLayout()->setRowStretchFactor(l + 1, std::sqrt(static_cast<double>(std::max(size, 2))));
    }
    QCPAxisRect* output = m_rects.back();
    m_desired = m_plot->addGraph(output->axis(QCPAxis::atBottom), output->axis(QCPAxis::atLeft));
    m_desired->setLineStyle(QCPGraph::lsNone);
    m_desired->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssTriangleInverted, QPen(plotstyle::desiredColor, 1.8), Qt::NoBrush, 10));
    m_desired->setName(tr("desired output spike"));
    auto* legend = new QCPLegend;
    m_plot->plotLayout()->addElement(0, 0, legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    legend->setLayer(QStringLiteral("legend"));
    legend->setBrush(Qt::NoBrush);
    legend->setBorderPen(Qt::NoPen);
    legend->setColumnSpacing(14);
    legend->setMargins(QMargins(4, 2, 4, 0));
    legend->setIconSize(22, 10);
    legend->setFont(m_plot->font());
    legend->setRowSpacing(0);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_actual.back()->addToLegend(legend);
    m_desired->addToLegend(legend);
    // One time axis: zooming or dragging any row moves them all.
    for (QCPAxisRect* rect : m_rects)
        for (QCPAxisRect* other : m_rects)
            if (rect != other)
                connect(rect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
                        other->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void RasterPlot::showSnapshot(const TrainingSnapshot& snapshot)
{
    const PatternView* view = snapshot.view.get();
    if (!view || view->spikes.size() != m_actual.size())
        return;
    for (std::size_t l = 0; l < m_actual.size(); ++l)
        fillRaster(view->spikes[l], snapshot.dt, m_actual[l]);
    fillRaster(view->desired, snapshot.dt, m_desired);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int RasterPlot::spikeCount(int population) const
{
    return m_actual.at(static_cast<std::size_t>(population))->data()->size();
}

int RasterPlot::desiredCount() const
{
    return m_desired ? m_desired->data()->size() : 0;
}

} // namespace normad::ui
