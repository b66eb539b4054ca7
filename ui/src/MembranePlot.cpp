#include "normad/ui/MembranePlot.h"

#include "normad/ui/PlotStyle.h"

#include "normad/StepTime.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <set>

namespace normad::ui {

namespace {
constexpr int maxTraces = 8;

std::vector<int> parseNeurons(const QString& text, int size)
{
    // "0, 2, 5-7": single indices and ranges.
    std::set<int> out;
    for (const QString& part : text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts)) {
        const QStringList range = part.split(QLatin1Char('-'));
        bool ok1 = false, ok2 = false;
        const int a = range.value(0).toInt(&ok1);
        const int b = range.size() > 1 ? range.value(1).toInt(&ok2) : a;
        if (!ok1 || (range.size() > 1 && !ok2))
            continue;
        for (int i = std::max(0, a); i <= std::min(b, size - 1) && out.size() < static_cast<std::size_t>(maxTraces);
             ++i)
            out.insert(i);
    }
    return {out.begin(), out.end()};
}
} // namespace

MembranePlot::MembranePlot(QWidget* parent) : QWidget(parent)
{
    m_layer = new QSpinBox(this);
    m_layer->setRange(1, 1);
    m_layer->setPrefix(tr("layer "));
    m_layer->setToolTip(tr("LIF layer 1 … L (L = output)"));
    m_neurons = new QLineEdit(QStringLiteral("0"), this);
    m_neurons->setToolTip(tr("Neuron indices, e.g. \"0, 2, 5-7\" (at most %1)").arg(maxTraces));
    m_neurons->setMaximumWidth(120);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Neurons:"), this));
    controls->addWidget(m_layer);
    controls->addWidget(m_neurons);
    controls->addStretch(1);

    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    plotstyle::styleAxisRect(m_plot->axisRect(), tr("Time (ms)"), tr("V (mV)"));
    for (int i = 0; i < maxTraces; ++i) {
        QCPGraph* g = m_plot->addGraph();
        g->setPen(QPen(plotstyle::cycle()[static_cast<std::size_t>(i) % plotstyle::cycle().size()], 1.2));
        g->setVisible(false);
        m_traces.push_back(g);
    }
    m_threshold = m_plot->addGraph();
    m_threshold->setPen(QPen(plotstyle::black, 1, Qt::DashLine));
    m_threshold->setName(tr("threshold VT"));
    m_desired = m_plot->addGraph();
    m_desired->setLineStyle(QCPGraph::lsNone);
    m_desired->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssTriangleInverted, QPen(plotstyle::desiredColor, 1.8), Qt::NoBrush, 10));
    m_desired->setName(tr("desired spike"));
    m_actual = m_plot->addGraph();
    m_actual->setLineStyle(QCPGraph::lsNone);
    m_actual->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, plotstyle::actualColor, 6));
    m_actual->setName(tr("actual spike"));
    // The legend is a compact row above the axes: inside them it would hide the trace.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(m_plot->font());
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setColumnSpacing(14);
    m_plot->legend->setMargins(QMargins(4, 2, 4, 0));
    m_plot->legend->setIconSize(22, 10);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    for (QCPGraph* g : m_traces)
        g->removeFromLegend();
    // V has no floor in the model (spec §1.2: current-based synapses, no reversal potential), so strong
    // inhibition drives it far below rest; the axis follows, and this note says why.
    m_depthNote = new QCPItemText(m_plot);
    m_depthNote->setClipToAxisRect(true);
    m_depthNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_depthNote->position->setCoords(0.01, 0.98);
    m_depthNote->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_depthNote->setTextAlignment(Qt::AlignLeft);
    m_depthNote->setBrush(QColor(255, 255, 255, 220));
    m_depthNote->setPadding(QMargins(4, 2, 4, 2));
    m_depthNote->setVisible(false);
    plotstyle::installHover(m_plot, [](QCPAxisRect*, double key, double value) {
        return tr("t = %1 ms\nV = %2 mV").arg(key, 0, 'f', 2).arg(value, 0, 'f', 2);
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);

    connect(m_layer, &QSpinBox::valueChanged, this, &MembranePlot::probesEdited);
    connect(m_neurons, &QLineEdit::editingFinished, this, &MembranePlot::probesEdited);
}

void MembranePlot::setProject(const Project& project)
{
    m_layerCount = project.network.layerCount();
    m_thresholds.clear();
    m_rests.clear();
    m_clamped.clear();
    m_sizes.clear();
    for (int l : project.network.layerNumbers()) {
        m_sizes.push_back(project.network.populationSize(l));
        m_thresholds.push_back(project.network.layer(l).neuron.threshold);
        m_rests.push_back(project.network.layer(l).neuron.restPotential);
        m_clamped.push_back(project.network.layer(l).neuron.clampAtRest);
    }
    m_duration = project.simulation.duration;
    {
        const QSignalBlocker block(m_layer);
        m_layer->setRange(1, std::max(1, m_layerCount));
        m_layer->setValue(std::max(1, m_layerCount)); // the output layer: where desired spikes are
    }
    m_plot->xAxis->setRange(0, m_duration * 1e3);
    for (QCPGraph* g : m_traces)
        g->data()->clear();
    m_shownView.reset();
    m_shownTraces.clear();
    m_desired->data()->clear();
    m_actual->data()->clear();
    m_depthNote->setVisible(false);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString MembranePlot::depthNote() const
{
    return m_depthNote->visible() ? m_depthNote->text() : QString();
}

RecordRequest MembranePlot::probes() const
{
    RecordRequest r;
    if (m_layerCount == 0)
        return r;
    const int layer = m_layer->value();
    for (int n : parseNeurons(m_neurons->text(), ofLayer(m_sizes, layer)))
        r.probes.push_back({layer, n});
    return r;
}

void MembranePlot::probesEdited()
{
    emit probesChanged(probes());
}

int MembranePlot::firstTracePointCount() const
{
    return m_traces.front()->data()->size();
}

PlotSeriesData MembranePlot::fullTraces() const
{
    PlotSeriesData full;
    if (!m_shownView)
        return full;
    for (const auto& [graph, index] : m_shownTraces) {
        const std::vector<double>& volts = m_shownView->membranes[index].volts;
        QVector<double> keys(static_cast<int>(volts.size())), values(static_cast<int>(volts.size()));
        for (std::size_t i = 0; i < volts.size(); ++i) {
            keys[static_cast<int>(i)] = stepTime(static_cast<std::int64_t>(i), m_shownDt, 1e3);
            values[static_cast<int>(i)] = volts[i] * 1e3;
        }
        full.insert(graph, {keys, values});
    }
    return full;
}

void MembranePlot::showSnapshot(const TrainingSnapshot& snapshot)
{
    const PatternView* view = snapshot.view.get();
    if (!view || m_layerCount == 0)
        return;
    const int layer = m_layer->value();
    const double vt = ofLayer(m_thresholds, layer) * 1e3;
    const int columns = std::max(50, m_plot->axisRect()->width());
    QVector<double> keys, values;
    double lo = ofLayer(m_rests, layer) * 1e3, hi = vt;
    std::size_t shown = 0;
    QVector<double> actualKeys, desiredKeys;
    m_shownView = snapshot.view;
    m_shownDt = snapshot.dt;
    m_shownTraces.clear();
    for (std::size_t index = 0; index < view->membranes.size(); ++index) {
        const MembraneTrace& trace = view->membranes[index];
        if (trace.layer != layer || shown >= m_traces.size())
            continue;
        QCPGraph* g = m_traces[shown++];
        m_shownTraces.emplace_back(g, index);
        plotstyle::decimateMinMax(trace.volts, snapshot.dt * 1e3, 1e3, columns, keys, values);
        g->setData(keys, values, true);
        g->setName(tr("V of neuron %1").arg(trace.neuron));
        g->setVisible(true);
        for (double v : values) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        if (static_cast<std::size_t>(layer) < view->spikes.size() &&
            static_cast<std::size_t>(trace.neuron) < view->spikes[static_cast<std::size_t>(layer)].size())
            for (std::int64_t n : view->spikes[static_cast<std::size_t>(layer)][static_cast<std::size_t>(trace.neuron)])
                actualKeys.push_back(stepTime(n, snapshot.dt, 1e3));
        if (layer == m_layerCount && static_cast<std::size_t>(trace.neuron) < view->desired.size())
            for (std::int64_t n : view->desired[static_cast<std::size_t>(trace.neuron)])
                desiredKeys.push_back(stepTime(n, snapshot.dt, 1e3));
    }
    for (std::size_t i = shown; i < m_traces.size(); ++i)
        m_traces[i]->setVisible(false);
    std::sort(actualKeys.begin(), actualKeys.end());
    std::sort(desiredKeys.begin(), desiredKeys.end());
    // Far below rest (more than 100 mV) the picture needs its reason beside it.
    const double rest = ofLayer(m_rests, layer) * 1e3;
    const bool deep = shown > 0 && lo < rest - 100 && !ofLayer(m_clamped, layer);
    m_depthNote->setVisible(deep);
    if (deep)
        m_depthNote->setText(tr("V falls to %1 mV: the model's synapses inject current with no reversal potential,\n"
                                "so inhibition has no floor (spec §1.2). \"Clamp V ≥ EL\" (Network tab) adds one.")
                                 .arg(lo, 0, 'f', 0));
    const double span = std::max(1.0, hi - lo);
    m_actual->setData(actualKeys, QVector<double>(actualKeys.size(), vt), true);
    m_desired->setData(desiredKeys, QVector<double>(desiredKeys.size(), vt + 0.06 * span), true);
    m_threshold->setData({0.0, snapshot.duration * 1e3}, {vt, vt}, true);
    m_plot->yAxis->setRange(lo - 0.05 * span, hi + 0.12 * span);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace normad::ui
