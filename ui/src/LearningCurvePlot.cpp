#include "normad/ui/LearningCurvePlot.h"

#include "normad/ui/PlotStyle.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace normad::ui {

namespace {
// Solid pens only: the curves are distinct Okabe–Ito colours, and dashed strokes cost several
// times more to rasterize on every live replot.
QCPGraph* lineGraph(QCustomPlot* plot, QCPAxisRect* rect, const QColor& color, const QString& name, QCPLegend* legend,
                    double width = 1.8)
{
    QCPGraph* g = plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    g->setPen(QPen(color, width));
    g->setName(name);
    if (legend)
        g->addToLegend(legend);
    return g;
}

// A compact one-row legend in its own layout row above `row`'s axis rect: it never covers a
// curve or an axis label, whatever the data do.
QCPLegend* legendRow(QCustomPlot* plot, int row)
{
    auto* legend = new QCPLegend;
    plot->plotLayout()->addElement(row, 0, legend);
    plot->plotLayout()->setRowStretchFactor(row, 0.001);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setFont(plot->font());
    legend->setRowSpacing(0);
    legend->setColumnSpacing(12);
    legend->setMargins(QMargins(4, 2, 4, 0));
    legend->setIconSize(22, 10);
    return legend;
}
} // namespace

LearningCurvePlot::LearningCurvePlot(QWidget* parent) : QWidget(parent)
{
    m_perPattern = new QCheckBox(tr("Per pattern"), this);
    m_log = new QCheckBox(tr("Log scale (errors)"), this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_perPattern);
    controls->addWidget(m_log);
    controls->addStretch(1);

    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    m_plot->setAutoAddPlottableToLegend(false);
    m_plot->plotLayout()->clear();
    m_correlationRect = new QCPAxisRect(m_plot);
    m_errorRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(1, 0, m_correlationRect);
    m_plot->plotLayout()->addElement(3, 0, m_errorRect);
    auto* margins = new QCPMarginGroup(m_plot);
    m_correlationRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_errorRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    plotstyle::styleAxisRect(m_correlationRect, QString(), tr("Correlation C"));
    plotstyle::styleAxisRect(m_errorRect, tr("Epoch"), tr("Error per pattern"));
    for (QCPAxisRect* rect : {m_correlationRect, m_errorRect})
        for (QCPAxis* axis : rect->axes())
            axis->setLayer(QStringLiteral("axes"));
    m_correlationRect->axis(QCPAxis::atLeft)->setRange(0, 1.02);

    QCPLegend* top = legendRow(m_plot, 0);
    m_topLegend = top;
    QCPLegend* bottom = legendRow(m_plot, 2);
    m_minC = lineGraph(m_plot, m_correlationRect, plotstyle::vermillion, tr("worst pattern"), top);
    m_meanC = lineGraph(m_plot, m_correlationRect, plotstyle::blue, tr("mean"), top, 1.4);
    // What convergence is judged on (TrainingParams::convergeOnEvaluation): the network as it
    // stands at the end of the epoch, whereas the two curves above come from the training passes.
    m_evaluatedMinC = lineGraph(m_plot, m_correlationRect, plotstyle::black, tr("worst, end of epoch"), top, 1.4);
    m_vanRossum = lineGraph(m_plot, m_errorRect, plotstyle::bluishGreen, tr("van Rossum"), bottom);
    m_countError = lineGraph(m_plot, m_errorRect, plotstyle::orange, tr("spike count"), bottom);
    m_cost = lineGraph(m_plot, m_errorRect, plotstyle::reddishPurple, tr("cost J"), bottom, 1.4);
    m_countError->setName(tr("count error"));

    connect(m_correlationRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            m_errorRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    connect(m_errorRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            m_correlationRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    connect(m_perPattern, &QCheckBox::toggled, this, [this] {
        m_shownHistory = nullptr;
        for (QCPGraph* g : m_patternC)
            g->setVisible(m_perPattern->isChecked());
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(m_log, &QCheckBox::toggled, this, &LearningCurvePlot::setLogScale);

    plotstyle::installHover(m_plot, [this](QCPAxisRect* rect, double key, double value) {
        return tr("epoch %1\n%2 = %3")
            .arg(qRound(key))
            .arg(rect == m_correlationRect ? tr("C") : tr("error"))
            .arg(value, 0, 'g', 4);
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);
}

void LearningCurvePlot::setLogScale(bool log)
{
    QCPAxis* axis = m_errorRect->axis(QCPAxis::atLeft);
    axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (log)
        axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    m_errorRect->axis(QCPAxis::atLeft)->rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LearningCurvePlot::rebuildPatternGraphs(int patterns)
{
    for (QCPGraph* g : m_patternC)
        m_plot->removeGraph(g);
    m_patternC.clear();
    for (int p = 0; p < std::min(patterns, 32); ++p) {
        QColor color = plotstyle::cycle()[static_cast<std::size_t>(p) % plotstyle::cycle().size()];
        color.setAlpha(110);
        QCPGraph* g = lineGraph(m_plot, m_correlationRect, color, tr("pattern %1").arg(p), nullptr);
        g->setPen(QPen(color, 1));
        g->setVisible(m_perPattern->isChecked());
        m_patternC.push_back(g);
    }
}

int LearningCurvePlot::epochCount() const
{
    return m_minC->data()->size();
}

void LearningCurvePlot::showSnapshot(const TrainingSnapshot& snapshot)
{
    if (!snapshot.history || snapshot.history.get() == m_shownHistory)
        return;
    m_shownHistory = snapshot.history.get();
    const auto& history = *snapshot.history;
    const int n = static_cast<int>(history.size());
    QVector<double> keys(n), minC(n), meanC(n), evaluatedMinC(n), vr(n), count(n), cost(n);
    bool anyEvaluated = false;
    const int patterns = history.empty() ? 0 : static_cast<int>(history.front().patterns.size());
    if (static_cast<int>(m_patternC.size()) != std::min(patterns, 32))
        rebuildPatternGraphs(patterns);
    std::vector<QVector<double>> perPattern(m_patternC.size(), QVector<double>(n));
    const double count_ = std::max(1, patterns);
    for (int i = 0; i < n; ++i) {
        const EpochMetrics& e = history[static_cast<std::size_t>(i)];
        keys[i] = e.epoch;
        minC[i] = e.minCorrelation;
        meanC[i] = e.meanCorrelation;
        evaluatedMinC[i] = e.evaluatedMinCorrelation; // NaN (a gap) where no such pass was made
        anyEvaluated = anyEvaluated || !std::isnan(e.evaluatedMinCorrelation);
        vr[i] = e.vanRossum;
        count[i] = e.spikeCountError;
        cost[i] = e.cost / count_;
        if (m_perPattern->isChecked())
            for (std::size_t p = 0; p < m_patternC.size() && p < e.patterns.size(); ++p)
                perPattern[p][i] = e.patterns[p].correlation;
    }
    m_minC->setData(keys, minC, true);
    m_meanC->setData(keys, meanC, true);
    m_evaluatedMinC->setData(keys, evaluatedMinC, true);
    m_evaluatedMinC->setVisible(anyEvaluated);
    if (anyEvaluated)
        m_evaluatedMinC->addToLegend(m_topLegend);
    else
        m_evaluatedMinC->removeFromLegend(m_topLegend);
    m_vanRossum->setData(keys, vr, true);
    m_countError->setData(keys, count, true);
    m_cost->setData(keys, cost, true);
    if (m_perPattern->isChecked())
        for (std::size_t p = 0; p < m_patternC.size(); ++p)
            m_patternC[p]->setData(keys, perPattern[p], true);
    const double last = n > 0 ? keys.back() : 0;
    m_correlationRect->axis(QCPAxis::atBottom)->setRange(0, std::max(10.0, last * 1.05));
    const double lowest = n > 0 ? *std::min_element(minC.begin(), minC.end()) : 0;
    m_correlationRect->axis(QCPAxis::atLeft)->setRange(std::min(0.0, lowest - 0.02), 1.02);
    bool found = false;
    QCPRange range;
    for (QCPGraph* g : {m_vanRossum, m_countError, m_cost}) {
        bool ok = false;
        const QCPRange r = g->getValueRange(ok, QCP::sdBoth);
        if (ok)
            range = found ? QCPRange(std::min(range.lower, r.lower), std::max(range.upper, r.upper)) : r;
        found = found || ok;
    }
    if (found) {
        QCPAxis* axis = m_errorRect->axis(QCPAxis::atLeft);
        if (axis->scaleType() == QCPAxis::stLogarithmic)
            axis->rescale();
        else
            axis->setRange(0, std::max(1e-9, range.upper * 1.08));
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace normad::ui
