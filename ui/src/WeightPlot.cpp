#include "normad/ui/WeightPlot.h"

#include "normad/ui/PlotStyle.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

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
            const Eigen::MatrixXd* m = shownMatrix();
            const int col = qRound(key);
            if (!m || col < 0 || col >= m->cols())
                return QString();
            return tr("from %1\n%2 = %3 nA")
                .arg(col)
                .arg(m_quantity->currentIndex() == 0 ? tr("W") : tr("ΔW"))
                .arg((*m)(0, col) * 1e9, 0, 'g', 4);
        }
        // The map may show blocks of synapses (a large layer): read the synapse itself.
        const Eigen::MatrixXd* m = shownMatrix();
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
        const Eigen::MatrixXd* shown = pick(m_network, m_live, m_deltaSource, layer, false);
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
    connect(&m_job, &BackgroundJobBase::finished, this, [this] {
        if (m_redraw)
            draw();
    });
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
    m_deltaSource.reset();
    showNetwork(project.network);
}

void WeightPlot::showNetwork(const Network& network)
{
    m_network = network; // shares the matrices: no weight is copied
    m_live.reset();
    draw();
}

void WeightPlot::showWeights(std::vector<Eigen::MatrixXd> weights)
{
    auto held = std::make_shared<TrainingSnapshot>();
    held->weights = std::move(weights);
    m_live = std::move(held);
    draw();
}

void WeightPlot::showSnapshot(SnapshotPtr snapshot)
{
    if (!snapshot || snapshot->weights.empty())
        return;
    m_live = snapshot;
    m_deltaSource = std::move(snapshot);
    draw();
}

const Eigen::MatrixXd* WeightPlot::pick(const Network& network, const SnapshotPtr& live, const SnapshotPtr& deltas,
                                        int layer, bool delta)
{
    if (delta)
        return deltas ? matrixOf(deltas->deltas, layer) : nullptr;
    if (live && !live->weights.empty())
        return matrixOf(live->weights, layer);
    return network.layerNumbers().contains(layer) ? &network.weights(layer) : nullptr;
}

const Eigen::MatrixXd* WeightPlot::shownMatrix() const
{
    return pick(m_network, m_live, m_deltaSource, selectedLayer(), m_quantity->currentIndex() == 1);
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
    m_scale->axis()->setLabel(delta ? tr("ΔW (nA)") : tr("W (nA)"));
    const Eigen::MatrixXd* shown = shownMatrix();
    if (!shown) {
        m_job.cancel();
        m_redraw = false;
        m_map->data()->clear();
        m_histogram->data()->clear();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    if (!m_drawInBackground || shown->size() <= backgroundEntries) {
        m_job.cancel();
        m_redraw = false;
        showPicture(compute(*shown, delta, nullptr));
        return;
    }
    // A large layer: reduced on the pool from what the plot holds (shared, never written while
    // shared). One job at a time: a newer matrix waits for it, so a stream of live snapshots
    // still shows one picture after another instead of cancelling each before it lands.
    if (m_job.isRunning()) {
        m_redraw = true;
        return;
    }
    m_redraw = false;
    m_job.start(
        [network = m_network, live = m_live, deltas = m_deltaSource, layer = selectedLayer(),
         delta](const CancelFlag& cancel) {
            const Eigen::MatrixXd* m = pick(network, live, deltas, layer, delta);
            if (!m)
                throw std::runtime_error("the weight plot's layer is gone");
            return compute(*m, delta, &cancel);
        },
        [this](Picture picture) {
            ++m_backgroundDraws;
            showPicture(picture);
        });
}

WeightPlot::Picture WeightPlot::compute(const Eigen::MatrixXd& m, bool delta, const CancelFlag* cancel)
{
    Picture p;
    p.delta = delta;
    const int rows = p.rows = static_cast<int>(m.rows()), cols = p.cols = static_cast<int>(m.cols());
    if (rows == 1) {
        // One postsynaptic neuron: a heat map would be one stretched row; bars read better. At most
        // maxMapCells bars: a bar of a block of inputs shows its strongest positive and negative weight.
        const int bars = std::min(cols, maxMapCells);
        p.barKeys.resize(bars);
        p.positive.fill(0.0, bars);
        p.negative.fill(0.0, bars);
        p.barWidth = 0.8 * cols / bars;
        p.barExtreme = 1e-6;
        for (int b = 0; b < bars; ++b) { // the middle of the block's inputs
            const long long first = static_cast<long long>(b) * cols / bars;
            const long long last = static_cast<long long>(b + 1) * cols / bars - 1;
            p.barKeys[b] = 0.5 * static_cast<double>(first + last);
        }
        for (int c = 0; c < cols; ++c) {
            const double v = m(0, c) * 1e9;
            const int b = static_cast<int>(static_cast<long long>(c) * bars / cols);
            p.positive[b] = std::max(p.positive[b], v);
            p.negative[b] = std::min(p.negative[b], v);
            p.barExtreme = std::max(p.barExtreme, std::abs(v));
        }
    } else if (rows > 1) {
        // At most maxMapCells cells a side, about a screen's pixels: a layer of 100 000 neurons
        // would otherwise need a cell buffer and an image as large as its weights. A cell shows the
        // synapse of largest magnitude in its block, so a strong weight never disappears.
        p.cellCols = std::min(cols, maxMapCells);
        p.cellRows = std::min(rows, maxMapCells);
        p.cells.assign(static_cast<std::size_t>(p.cellCols) * p.cellRows, 0.0);
        // Column by column: the matrix is column-major.
        for (int c = 0; c < cols; ++c) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return p;
            const int cc = static_cast<int>(static_cast<long long>(c) * p.cellCols / cols);
            for (int r = 0; r < rows; ++r) {
                const int cr = static_cast<int>(static_cast<long long>(r) * p.cellRows / rows);
                const double v = m(r, c) * 1e9;
                double& cell = p.cells[static_cast<std::size_t>(cr) * p.cellCols + cc];
                if (std::abs(v) > std::abs(cell))
                    cell = v;
                p.extreme = std::max(p.extreme, std::abs(v));
            }
        }
        p.extreme = std::max(p.extreme, 1e-6);
    }

    // Histogram over [min, max] in 30 bins.
    constexpr int bins = 30;
    p.lo = m.size() ? m.minCoeff() * 1e9 : 0;
    p.hi = m.size() ? m.maxCoeff() * 1e9 : 0;
    p.binWidth = std::max((p.hi - p.lo) / bins, 1e-9);
    p.binKeys.resize(bins);
    p.counts.fill(0.0, bins);
    for (int b = 0; b < bins; ++b)
        p.binKeys[b] = p.lo + (b + 0.5) * p.binWidth;
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        const int b = std::clamp(static_cast<int>((m.data()[i] * 1e9 - p.lo) / p.binWidth), 0, bins - 1);
        p.counts[b] += 1;
    }
    return p;
}

void WeightPlot::showPicture(const Picture& p)
{
    const QString unit = p.delta ? tr("ΔW (nA)") : tr("W (nA)");
    m_scale->axis()->setLabel(unit);
    m_histRect->axis(QCPAxis::atBottom)->setLabel(unit);
    setBarMode(p.rows == 1);
    QCPAxis* valueAxis = m_mapRect->axis(QCPAxis::atLeft);
    if (p.rows == 1) {
        m_positive->setData(p.barKeys, p.positive, true);
        m_negative->setData(p.barKeys, p.negative, true);
        m_positive->setWidth(p.barWidth);
        m_negative->setWidth(p.barWidth);
        m_mapRect->axis(QCPAxis::atBottom)->setRange(-0.7, p.cols - 0.3);
        if (valueAxis->ticker().dynamicCast<QCPAxisTickerFixed>()) {
            valueAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
            valueAxis->ticker()->setTickCount(4);
        }
        valueAxis->setRange(-1.08 * p.barExtreme, 1.08 * p.barExtreme);
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
    if (p.rows > 1) {
        const int rows = p.rows, cols = p.cols;
        m_map->data()->setSize(p.cellCols, p.cellRows);
        // A single cell spans its range in QCustomPlot; more cells have their centres at the ends.
        m_map->data()->setRange(cols == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, cols - 1),
                                rows == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, rows - 1));
        for (int r = 0; r < p.cellRows; ++r)
            for (int c = 0; c < p.cellCols; ++c)
                m_map->data()->setCell(c, r, p.cells[static_cast<std::size_t>(r) * p.cellCols + c]);
        m_map->setDataRange(QCPRange(-p.extreme, p.extreme));
        m_mapRect->axis(QCPAxis::atBottom)->setRange(-0.5, cols - 0.5);
        m_mapRect->axis(QCPAxis::atLeft)->setRange(-0.5, rows - 0.5);
    }
    m_histogram->setWidth(p.binWidth);
    m_histogram->setData(p.binKeys, p.counts, true);
    m_histRect->axis(QCPAxis::atBottom)->setRange(p.lo - p.binWidth, p.hi + p.binWidth);
    m_histRect->axis(QCPAxis::atLeft)->setRange(0, *std::max_element(p.counts.begin(), p.counts.end()) * 1.1 + 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace normad::ui
