#include "normad/ui/AccuracyCurvePlot.h"

#include "normad/ui/PlotStyle.h"

#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace normad::ui {

namespace {
QVector<double> valuesOf(const QCPGraph* graph)
{
    QVector<double> values;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        values.push_back(it->value);
    return values;
}
} // namespace

AccuracyCurvePlot::AccuracyCurvePlot(QWidget* parent) : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    plotstyle::styleAxisRect(m_plot->axisRect(), tr("Epoch"), tr("Accuracy (%)"));
    m_plot->yAxis->setRange(0, 101);
    m_plot->xAxis->setRange(0, 10);

    auto graph = [this](const QColor& color, const QString& name, double width) {
        QCPGraph* g = m_plot->addGraph();
        g->setPen(QPen(color, width));
        g->setName(name);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 4));
        return g;
    };
    m_train = graph(plotstyle::blue, tr("training"), 1.8);
    m_validation = graph(plotstyle::vermillion, tr("validation"), 1.8);
    m_test = graph(plotstyle::black, tr("test"), 1.2);
    m_test->setScatterStyle(QCPScatterStyle());
    m_test->setPen(QPen(plotstyle::black, 1.2, Qt::DashLine));
    m_test->setVisible(false);
    m_test->removeFromLegend();

    m_plot->legend->setVisible(true);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_plot->legend->setFont(m_plot->font());
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);

    plotstyle::installHover(m_plot, [](QCPAxisRect*, double key, double value) {
        return tr("epoch %1\naccuracy %2 %").arg(qRound(key)).arg(value, 0, 'f', 1);
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_plot, 1);
}

void AccuracyCurvePlot::setCurves(const std::vector<int>& epochs, const std::vector<double>& trainAccuracy,
                                  const std::vector<double>& validationAccuracy)
{
    if (trainAccuracy.size() != epochs.size() || validationAccuracy.size() != epochs.size())
        throw std::invalid_argument("AccuracyCurvePlot: one accuracy per epoch expected");
    const int n = static_cast<int>(epochs.size());
    QVector<double> keys(n), train(n), validation(n);
    for (int i = 0; i < n; ++i) {
        keys[i] = epochs[static_cast<std::size_t>(i)];
        // NaN stays NaN: QCustomPlot leaves a gap there.
        train[i] = 100.0 * trainAccuracy[static_cast<std::size_t>(i)];
        validation[i] = 100.0 * validationAccuracy[static_cast<std::size_t>(i)];
    }
    m_train->setData(keys, train, true);
    m_validation->setData(keys, validation, true);
    const double last = n > 0 ? keys.back() : 0;
    m_plot->xAxis->setRange(0, std::max(10.0, last * 1.05));
    if (m_test->visible()) {
        const double y = m_test->data()->constBegin()->value;
        m_test->setData({0.0, m_plot->xAxis->range().upper}, {y, y}, true);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AccuracyCurvePlot::setTestAccuracy(double accuracy)
{
    const bool shown = !std::isnan(accuracy);
    m_test->setVisible(shown);
    if (shown) {
        m_test->setData({0.0, m_plot->xAxis->range().upper}, {100.0 * accuracy, 100.0 * accuracy}, true);
        m_test->setName(tr("test %1 %").arg(100.0 * accuracy, 0, 'f', 1));
        m_test->addToLegend();
    } else {
        m_test->data()->clear();
        m_test->removeFromLegend();
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AccuracyCurvePlot::clear()
{
    setCurves({}, {}, {});
    setTestAccuracy(std::nan(""));
}

int AccuracyCurvePlot::epochCount() const
{
    return m_train->data()->size();
}

QVector<double> AccuracyCurvePlot::trainValues() const
{
    return valuesOf(m_train);
}

QVector<double> AccuracyCurvePlot::validationValues() const
{
    return valuesOf(m_validation);
}

} // namespace normad::ui
