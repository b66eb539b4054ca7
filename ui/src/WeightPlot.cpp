#include "normad/ui/WeightPlot.h"

#include "normad/ui/PlotStyle.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace normad::ui {

namespace {

// Layer l's matrix (l = 1 … L) in a per-layer list, or nullptr when the list has no such layer.
const Eigen::MatrixXd* matrixOf(const std::vector<Eigen::MatrixXd>& perLayer, int l)
{
    return layerNumbers(static_cast<int>(perLayer.size())).contains(l) ? &ofLayer(perLayer, l) : nullptr;
}

} // namespace

WeightPlot::WeightPlot(QWidget* parent) : QWidget(parent)
{
    m_layer = new QComboBox(this);
    m_quantity = new QComboBox(this);
    m_quantity->addItem(tr("Weights W"));
    m_quantity->addItem(tr("Last update ΔW"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Synapses onto"), this));
    controls->addWidget(m_layer);
    controls->addWidget(m_quantity);
    controls->addStretch(1);

    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    m_plot->plotLayout()->clear();
    auto* mapRect = m_mapRect = new QCPAxisRect(m_plot);
    auto* histRect = m_histRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, mapRect);
    m_plot->plotLayout()->addElement(0, 2, histRect);
    m_plot->plotLayout()->setColumnStretchFactors({3.0, 0.01, 2.0});
    plotstyle::styleAxisRect(mapRect, tr("Presynaptic neuron"), tr("Postsynaptic neuron"));
    plotstyle::styleAxisRect(histRect, tr("Value (nA)"), tr("Synapses"));
    for (QCPAxisRect* rect : {mapRect, histRect})
        for (QCPAxis* axis : rect->axes())
            axis->setLayer(QStringLiteral("axes"));

    m_map = new QCPColorMap(mapRect->axis(QCPAxis::atBottom), mapRect->axis(QCPAxis::atLeft));
    m_map->setInterpolate(false);
    m_scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setBarWidth(10);
    m_scale->axis()->setLabel(tr("W (nA)"));
    m_scale->axis()->setLabelFont(m_plot->font());
    m_scale->axis()->setTickLabelFont(m_plot->font());
    m_map->setColorScale(m_scale);
    // Diverging blue–white–vermillion (Okabe–Ito ends): sign is readable without red/green.
    QCPColorGradient gradient;
    gradient.setColorStopAt(0.0, plotstyle::blue);
    gradient.setColorStopAt(0.5, Qt::white);
    gradient.setColorStopAt(1.0, plotstyle::vermillion);
    m_map->setGradient(gradient);
    auto* margins = new QCPMarginGroup(m_plot);
    mapRect->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    histRect->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    m_histogram = new QCPBars(histRect->axis(QCPAxis::atBottom), histRect->axis(QCPAxis::atLeft));
    m_histogram->setPen(Qt::NoPen);
    m_histogram->setBrush(plotstyle::skyBlue);
    // Neuron indices are integers: ticks at whole neurons only.
    for (QCPAxis* axis : {mapRect->axis(QCPAxis::atBottom), mapRect->axis(QCPAxis::atLeft)}) {
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        ticker->setTickCount(5);
        axis->setTicker(ticker);
    }
    histRect->axis(QCPAxis::atBottom)->ticker()->setTickCount(3);
    histRect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
    m_positive = new QCPBars(mapRect->axis(QCPAxis::atBottom), mapRect->axis(QCPAxis::atLeft));
    m_negative = new QCPBars(mapRect->axis(QCPAxis::atBottom), mapRect->axis(QCPAxis::atLeft));
    for (QCPBars* bars : {m_positive, m_negative}) {
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.8);
        bars->setVisible(false);
    }
    m_positive->setBrush(plotstyle::vermillion);
    m_negative->setBrush(plotstyle::blue);

    plotstyle::installHover(m_plot, [this, mapRect](QCPAxisRect* rect, double key, double value) {
        if (rect != mapRect)
            return tr("%1 nA\n%2 synapses").arg(key, 0, 'g', 3).arg(qRound(value));
        if (m_barMode) {
            const auto& source = m_quantity->currentIndex() == 0 ? m_weights : m_deltas;
            const Eigen::MatrixXd* m = matrixOf(source, selectedLayer());
            const int col = qRound(key);
            if (!m || col < 0 || col >= m->cols())
                return QString();
            return tr("from %1\n%2 = %3 nA")
                .arg(col)
                .arg(m_quantity->currentIndex() == 0 ? tr("W") : tr("ΔW"))
                .arg((*m)(0, col) * 1e9, 0, 'g', 4);
        }
        // The map may show blocks of synapses (a large layer): read the synapse itself.
        const auto& source = m_quantity->currentIndex() == 0 ? m_weights : m_deltas;
        const Eigen::MatrixXd* m = matrixOf(source, selectedLayer());
        const int col = qRound(key), row = qRound(value);
        if (!m || col < 0 || row < 0 || col >= m->cols() || row >= m->rows())
            return QString();
        return tr("from %1 to %2\n%3 = %4 nA")
            .arg(col)
            .arg(row)
            .arg(m_quantity->currentIndex() == 0 ? tr("W") : tr("ΔW"))
            .arg((*m)(row, col) * 1e9, 0, 'g', 4);
    });

    // A click (not a drag) on a synapse asks "why did this weight change?".
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { m_pressAt = e->position(); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this, mapRect](QMouseEvent* e) {
        const int layer = selectedLayer();
        const Eigen::MatrixXd* shown = matrixOf(m_weights, layer);
        if (e->button() != Qt::LeftButton || (e->position() - m_pressAt).manhattanLength() > 4 ||
            m_plot->axisRectAt(e->position()) != mapRect || !shown)
            return;
        const Eigen::MatrixXd& w = *shown;
        const double key = mapRect->axis(QCPAxis::atBottom)->pixelToCoord(e->position().x());
        const double value = mapRect->axis(QCPAxis::atLeft)->pixelToCoord(e->position().y());
        const int pre = qRound(key), post = m_barMode ? 0 : qRound(value);
        if (pre >= 0 && pre < w.cols() && post >= 0 && post < w.rows())
            emit synapseClicked(layer, post, pre);
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);
    connect(m_layer, &QComboBox::currentIndexChanged, this, &WeightPlot::draw);
    connect(m_quantity, &QComboBox::currentIndexChanged, this, &WeightPlot::draw);
}

void WeightPlot::setProject(const Project& project)
{
    const QSignalBlocker block(m_layer);
    const int previous = m_layer->currentIndex();
    m_layer->clear();
    const int layers = project.network.layerCount();
    for (int l : project.network.layerNumbers())
        m_layer->addItem(l == layers ? tr("output (layer %1)").arg(l) : tr("hidden layer %1").arg(l), l);
    m_layer->setCurrentIndex(previous >= 0 && previous < layers ? previous : layers - 1);
    m_deltas.clear();
    showWeights(project.network.allWeights());
}

void WeightPlot::showWeights(std::vector<Eigen::MatrixXd> weights)
{
    m_weights = std::move(weights); // callers hand over a copy (allWeights()): not copied twice
    draw();
}

void WeightPlot::showSnapshot(const TrainingSnapshot& snapshot)
{
    if (snapshot.weights.empty())
        return;
    m_weights = snapshot.weights;
    m_deltas = snapshot.deltas;
    draw();
}

void WeightPlot::setBarMode(bool bars)
{
    if (bars == m_barMode)
        return;
    m_barMode = bars;
    // The colour scale leaves the layout in bar mode: the bars' value axis carries the unit.
    QCPLayoutGrid* layout = m_plot->plotLayout();
    for (QCPLayoutElement* e : {static_cast<QCPLayoutElement*>(m_mapRect), static_cast<QCPLayoutElement*>(m_scale),
                                static_cast<QCPLayoutElement*>(m_histRect)})
        if (e->layout() == layout) // the scale is out of the layout in bar mode: take() would warn
            layout->take(e);
    layout->simplify();
    layout->addElement(0, 0, m_mapRect);
    if (bars) {
        layout->addElement(0, 1, m_histRect);
        layout->setColumnStretchFactors({3.0, 2.0});
    } else {
        layout->addElement(0, 1, m_scale);
        layout->addElement(0, 2, m_histRect);
        layout->setColumnStretchFactors({3.0, 0.01, 2.0});
    }
    m_scale->setVisible(!bars);
    m_map->setVisible(!bars);
    m_positive->setVisible(bars);
    m_negative->setVisible(bars);
}

void WeightPlot::selectLayer(int l)
{
    const int index = m_layer->findData(l);
    if (index >= 0)
        m_layer->setCurrentIndex(index); // draws through currentIndexChanged
}

int WeightPlot::selectedLayer() const
{
    return m_layer->currentData().toInt(); // 0 (not a layer) when nothing is chosen
}

void WeightPlot::draw()
{
    const bool delta = m_quantity->currentIndex() == 1;
    const auto& source = delta ? m_deltas : m_weights;
    m_scale->axis()->setLabel(delta ? tr("ΔW (nA)") : tr("W (nA)"));
    const Eigen::MatrixXd* shown = matrixOf(source, selectedLayer());
    if (!shown) {
        m_map->data()->clear();
        m_histogram->data()->clear();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const Eigen::MatrixXd& m = *shown;
    const int rows = static_cast<int>(m.rows()), cols = static_cast<int>(m.cols());
    const QString unit = delta ? tr("ΔW (nA)") : tr("W (nA)");
    m_histRect->axis(QCPAxis::atBottom)->setLabel(unit);
    setBarMode(rows == 1);
    QCPAxis* valueAxis = m_mapRect->axis(QCPAxis::atLeft);
    if (rows == 1) {
        // One postsynaptic neuron: a heat map would be one stretched row; bars read better.
        QVector<double> keys(cols), pos(cols), neg(cols);
        double extreme = 1e-6;
        for (int c = 0; c < cols; ++c) {
            const double v = m(0, c) * 1e9;
            keys[c] = c;
            pos[c] = v >= 0 ? v : 0;
            neg[c] = v < 0 ? v : 0;
            extreme = std::max(extreme, std::abs(v));
        }
        m_positive->setData(keys, pos, true);
        m_negative->setData(keys, neg, true);
        m_mapRect->axis(QCPAxis::atBottom)->setRange(-0.7, cols - 0.3);
        if (valueAxis->ticker().dynamicCast<QCPAxisTickerFixed>()) {
            valueAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
            valueAxis->ticker()->setTickCount(4);
        }
        valueAxis->setRange(-1.08 * extreme, 1.08 * extreme);
        valueAxis->setLabel(unit);
    } else {
        if (!valueAxis->ticker().dynamicCast<QCPAxisTickerFixed>()) {
            auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
            ticker->setTickStep(1.0);
            ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
            ticker->setTickCount(5);
            valueAxis->setTicker(ticker);
        }
        valueAxis->setLabel(tr("Postsynaptic neuron"));
    }
    if (rows > 1) {
        // At most maxMapCells cells a side, about a screen's pixels: a layer of 100 000 neurons
        // would otherwise need a cell buffer and an image as large as its weights. A cell shows the
        // synapse of largest magnitude in its block, so a strong weight never disappears.
        const int cellCols = std::min(cols, maxMapCells), cellRows = std::min(rows, maxMapCells);
        m_map->data()->setSize(cellCols, cellRows);
        // A single cell spans its range in QCustomPlot; more cells have their centres at the ends.
        m_map->data()->setRange(cols == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, cols - 1),
                                rows == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, rows - 1));
        double extreme = 0;
        if (cellCols == cols && cellRows == rows) {
            for (int r = 0; r < rows; ++r)
                for (int c = 0; c < cols; ++c) {
                    const double v = m(r, c) * 1e9;
                    m_map->data()->setCell(c, r, v);
                    extreme = std::max(extreme, std::abs(v));
                }
        } else {
            std::vector<double> block(static_cast<std::size_t>(cellCols) * cellRows, 0.0);
            for (int r = 0; r < rows; ++r) {
                const int cr = static_cast<int>(static_cast<long long>(r) * cellRows / rows);
                for (int c = 0; c < cols; ++c) {
                    const int cc = static_cast<int>(static_cast<long long>(c) * cellCols / cols);
                    const double v = m(r, c) * 1e9;
                    double& cell = block[static_cast<std::size_t>(cr) * cellCols + cc];
                    if (std::abs(v) > std::abs(cell))
                        cell = v;
                    extreme = std::max(extreme, std::abs(v));
                }
            }
            for (int r = 0; r < cellRows; ++r)
                for (int c = 0; c < cellCols; ++c)
                    m_map->data()->setCell(c, r, block[static_cast<std::size_t>(r) * cellCols + c]);
        }
        extreme = std::max(extreme, 1e-6);
        m_map->setDataRange(QCPRange(-extreme, extreme));
        QCPAxisRect* mapRect = m_map->keyAxis()->axisRect();
        mapRect->axis(QCPAxis::atBottom)->setRange(-0.5, cols - 0.5);
        mapRect->axis(QCPAxis::atLeft)->setRange(-0.5, rows - 0.5);
    }

    // Histogram over [min, max] in 30 bins.
    constexpr int bins = 30;
    const double lo = m.size() ? m.minCoeff() * 1e9 : 0, hi = m.size() ? m.maxCoeff() * 1e9 : 0;
    const double width = std::max((hi - lo) / bins, 1e-9);
    QVector<double> keys(bins), counts(bins, 0.0);
    for (int b = 0; b < bins; ++b)
        keys[b] = lo + (b + 0.5) * width;
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        const int b = std::clamp(static_cast<int>((m.data()[i] * 1e9 - lo) / width), 0, bins - 1);
        counts[b] += 1;
    }
    m_histogram->setWidth(width);
    m_histogram->setData(keys, counts, true);
    QCPAxisRect* histRect = m_histogram->keyAxis()->axisRect();
    histRect->axis(QCPAxis::atBottom)->setRange(lo - width, hi + width);
    histRect->axis(QCPAxis::atLeft)->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.1 + 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace normad::ui
