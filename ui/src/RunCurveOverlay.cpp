#include "normad/ui/RunCurveOverlay.h"

#include "normad/ui/PlotStyle.h"
#include "normad/ui/RunStyle.h"

#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace normad::ui {

RunCurveOverlay::RunCurveOverlay(QWidget* parent) : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    m_plot->setAutoAddPlottableToLegend(false);
    QCPAxisRect* rect = m_plot->axisRect();
    plotstyle::styleAxisRect(rect, tr("Epoch"), tr("Worst-pattern C"));
    rect->axis(QCPAxis::atLeft)->setRange(0, 1.02);
    rect->axis(QCPAxis::atBottom)->setRange(0, 10);
    // The legend in its own row above the axes (one entry per run): it never hides a curve.
    m_legend = new QCPLegend;
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_legend->setLayer(QStringLiteral("legend"));
    m_legend->setFillOrder(QCPLayoutGrid::foRowsFirst);
    m_legend->setBorderPen(Qt::NoPen);
    m_legend->setBrush(Qt::NoBrush);
    m_legend->setFont(m_plot->font());
    m_legend->setRowSpacing(0);
    m_legend->setMargins(QMargins(4, 2, 4, 0));
    m_legend->setIconSize(30, 10);
    plotstyle::installHover(m_plot, [this](QCPAxisRect*, double key, double value) {
        // Name the run whose curve is nearest the pointer at that epoch.
        QString best;
        double distance = 0.05;
        for (QCPGraph* g : m_worst) {
            const auto it = g->data()->findBegin(key - 0.5, false);
            if (it == g->data()->constEnd() || std::abs(it->key - key) > 0.5)
                continue;
            if (std::abs(it->value - value) < distance) {
                distance = std::abs(it->value - value);
                best = tr("%1\nepoch %2: worst C = %3").arg(g->name()).arg(it->key).arg(it->value, 0, 'f', 3);
            }
        }
        return best;
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_plot);
}

QStringList RunCurveOverlay::shownLabels() const
{
    QStringList labels;
    for (QCPGraph* g : m_worst)
        labels << g->name();
    return labels;
}

void RunCurveOverlay::showRuns(const std::vector<Run>& runs)
{
    m_legend->clearItems(); // before the graphs its items point to go
    m_plot->clearGraphs();
    m_worst.clear();
    m_evaluated.clear();
    QCPAxisRect* rect = m_plot->axisRect();
    double lastEpoch = 0, lowest = 0;
    bool anyEvaluated = false;
    for (const Run& run : runs) {
        if (!run.checked)
            continue;
        const int n = static_cast<int>(run.history.size());
        QVector<double> keys(n), worst(n), evaluated(n);
        bool hasEvaluated = false;
        for (int i = 0; i < n; ++i) {
            const EpochMetrics& e = run.history[static_cast<std::size_t>(i)];
            keys[i] = e.epoch;
            worst[i] = e.minCorrelation;
            evaluated[i] = e.evaluatedMinCorrelation; // NaN: a gap
            hasEvaluated = hasEvaluated || !std::isnan(e.evaluatedMinCorrelation);
            lowest = std::min(lowest, e.minCorrelation);
        }
        if (n > 0)
            lastEpoch = std::max(lastEpoch, keys.back());
        const QColor color = runstyle::color(run.id);
        QCPGraph* g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        g->setPen(QPen(color, 2.0, runstyle::penStyle(run.id)));
        g->setName(run.label());
        g->setData(keys, worst, true);
        g->addToLegend(m_legend);
        m_worst.push_back(g);
        if (hasEvaluated) {
            anyEvaluated = true;
            QCPGraph* e = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            e->setPen(QPen(color, 1.2, Qt::DotLine));
            e->setName(tr("%1, end of epoch").arg(run.label()));
            e->setData(keys, evaluated, true);
            m_evaluated.push_back(e);
        }
    }
    if (anyEvaluated) {
        // One key for every dotted curve instead of a second entry per run.
        QCPGraph* key = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        key->setPen(QPen(QColor(90, 90, 90), 1.2, Qt::DotLine));
        key->setName(tr("dotted: worst C with the end-of-epoch weights"));
        key->addToLegend(m_legend);
    }
    rect->axis(QCPAxis::atBottom)->setRange(0, std::max(10.0, lastEpoch * 1.03));
    rect->axis(QCPAxis::atLeft)->setRange(std::min(0.0, lowest - 0.02), 1.02);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace normad::ui
