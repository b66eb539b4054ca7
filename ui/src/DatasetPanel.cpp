#include "normad/ui/DatasetPanel.h"

#include "normad/ui/PlotStyle.h"

#include "normad/TextFormat.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace normad::ui {

namespace {
/// Display size of an image: the largest whole multiple of its size that fits `box` pixels, so
/// nearest-neighbour scaling keeps every pixel square.
int wholeScale(int width, int height, int box)
{
    return std::max(1, std::min(box / std::max(1, width), box / std::max(1, height)));
}
} // namespace

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent)
{
    m_description = new QLabel(this);
    m_description->setWordWrap(true);
    m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_counts = new QTableWidget(this);
    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_counts->verticalHeader()->setDefaultSectionSize(m_counts->fontMetrics().height() + 6);
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_counts->setSelectionMode(QAbstractItemView::NoSelection);

    m_set = new QComboBox(this);
    // "training (54 000 samples)" must not be clipped at 1280 × 800.
    m_set->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_position = new QSpinBox(this);
    m_position->setKeyboardTracking(false);
    m_sampleInfo = new QLabel(this);
    auto* browse = new QHBoxLayout;
    browse->addWidget(new QLabel(tr("Split:"), this));
    browse->addWidget(m_set);
    browse->addWidget(new QLabel(tr("Sample:"), this));
    browse->addWidget(m_position);
    browse->addWidget(m_sampleInfo, 1);

    m_imageLabel = new QLabel(this);
    m_imageLabel->setAlignment(Qt::AlignCenter);
    m_imageLabel->setMinimumSize(120, 120);
    m_features = new QCustomPlot(this);
    plotstyle::applyDefaults(m_features);
    m_features->setMinimumSize(160, 120);
    plotstyle::styleAxisRect(m_features->axisRect(), tr("Feature"), tr("Value"));
    auto* bars = new QCPBars(m_features->xAxis, m_features->yAxis);
    bars->setName(tr("features"));
    bars->setPen(Qt::NoPen);
    bars->setBrush(plotstyle::blue);
    m_view = new QStackedWidget(this);
    m_view->addWidget(m_imageLabel);
    m_view->addWidget(m_features);

    m_raster = new QCustomPlot(this);
    plotstyle::applyDefaults(m_raster);
    plotstyle::styleAxisRect(m_raster->axisRect(), tr("Time (ms)"), tr("Input neuron"));
    m_raster->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    QCPGraph* spikes = m_raster->addGraph();
    spikes->setName(tr("input spikes"));
    spikes->setLineStyle(QCPGraph::lsNone);
    spikes->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, plotstyle::black, 2.5));

    auto* sample = new QSplitter(Qt::Horizontal, this);
    sample->addWidget(m_view);
    sample->addWidget(m_raster);
    sample->setStretchFactor(0, 1);
    sample->setStretchFactor(1, 2);
    sample->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_description);
    layout->addWidget(m_counts, 1);
    layout->addLayout(browse);
    layout->addWidget(sample, 2);

    connect(m_set, &QComboBox::currentIndexChanged, this, [this](int set) { showSample(set, 0); });
    connect(m_position, &QSpinBox::valueChanged, this, [this](int position) { showSample(currentSet(), position); });
    connect(&m_encoding, &BackgroundJobBase::failed, this, &DatasetPanel::failed);
    clear();
}

void DatasetPanel::clear()
{
    setSource(tr("No dataset: this project's task is a list of patterns."), {});
}

void DatasetPanel::setSource(const QString& description, std::vector<SampleSet> sets)
{
    m_encoding.cancel();
    m_sets = std::move(sets);
    m_description->setText(description);
    {
        const QSignalBlocker block(m_set);
        m_set->clear();
        for (const SampleSet& s : m_sets)
            m_set->addItem(tr("%1 (%2)").arg(
                s.name, QString::fromStdString(plural(static_cast<long long>(s.samples.size()), "sample"))));
    }
    m_set->setEnabled(!m_sets.empty());
    m_position->setEnabled(!m_sets.empty());
    updateCounts();
    showSample(0, 0);
}

void DatasetPanel::updateCounts()
{
    m_counts->clear();
    const Dataset* data = m_sets.empty() ? nullptr : &m_sets.front().encoded->dataset();
    const int classes = data ? data->classCount() : 0;
    m_counts->setColumnCount(static_cast<int>(m_sets.size()));
    m_counts->setRowCount(classes > 0 ? classes + 1 : 0);
    QStringList columns;
    for (const SampleSet& s : m_sets)
        columns << s.name;
    m_counts->setHorizontalHeaderLabels(columns);
    QStringList rows;
    for (int k = 0; k < classes; ++k)
        rows << QString::fromStdString(data->classNames()[static_cast<std::size_t>(k)]);
    if (classes > 0)
        rows << tr("total");
    m_counts->setVerticalHeaderLabels(rows);
    for (int c = 0; c < static_cast<int>(m_sets.size()); ++c) {
        const SampleSet& s = m_sets[static_cast<std::size_t>(c)];
        std::vector<std::size_t> counts(static_cast<std::size_t>(classes), 0);
        for (std::size_t i : s.samples) {
            const int label = s.encoded->dataset().label(i);
            if (label >= 0 && label < classes)
                ++counts[static_cast<std::size_t>(label)];
        }
        for (int k = 0; k <= classes && classes > 0; ++k) {
            const std::size_t n = k < classes ? counts[static_cast<std::size_t>(k)] : s.samples.size();
            auto* item = new QTableWidgetItem(QString::number(n));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_counts->setItem(k, c, item);
        }
    }
}

int DatasetPanel::currentSet() const
{
    return m_set->currentIndex();
}

int DatasetPanel::currentPosition() const
{
    return m_position->value();
}

std::size_t DatasetPanel::currentSample() const
{
    const int set = currentSet();
    if (set < 0 || set >= static_cast<int>(m_sets.size()))
        return std::numeric_limits<std::size_t>::max();
    const auto& samples = m_sets[static_cast<std::size_t>(set)].samples;
    const int position = currentPosition();
    return position >= 0 && position < static_cast<int>(samples.size()) ? samples[static_cast<std::size_t>(position)]
                                                                        : std::numeric_limits<std::size_t>::max();
}

QString DatasetPanel::description() const
{
    return m_description->text();
}

void DatasetPanel::showSample(int set, int position)
{
    {
        const QSignalBlocker blockSet(m_set);
        const QSignalBlocker blockPosition(m_position);
        if (set >= 0 && set < static_cast<int>(m_sets.size())) {
            m_set->setCurrentIndex(set);
            const int size = static_cast<int>(m_sets[static_cast<std::size_t>(set)].samples.size());
            m_position->setRange(0, std::max(0, size - 1));
            m_position->setValue(std::clamp(position, 0, std::max(0, size - 1)));
        } else {
            m_position->setRange(0, 0);
        }
    }
    showCurrent();
}

void DatasetPanel::showCurrent()
{
    const std::size_t sample = currentSample();
    m_image = QImage();
    auto* bars = static_cast<QCPBars*>(m_features->plottable(0));
    bars->data()->clear();
    m_raster->graph(0)->data()->clear();
    if (sample == std::numeric_limits<std::size_t>::max()) {
        m_encoding.cancel();
        m_sampleInfo->clear();
        m_imageLabel->clear();
        m_view->setCurrentWidget(m_imageLabel);
        m_features->replot();
        m_raster->replot();
        return;
    }
    const auto encoded = m_sets[static_cast<std::size_t>(currentSet())].encoded;
    const Dataset& data = encoded->dataset();
    const int label = data.label(sample);
    m_sampleInfo->setText(
        tr("#%1 · %2").arg(sample).arg(QString::fromStdString(data.classNames()[static_cast<std::size_t>(label)])));
    if (data.isImage() && data.storage() == FeatureStorage::Bytes) {
        const auto bytes = data.bytesOf(sample);
        m_image =
            QImage(bytes.data(), data.imageWidth(), data.imageHeight(), data.imageWidth(), QImage::Format_Grayscale8)
                .copy(); // own the pixels: the dataset may go before the label does
        const int scale = wholeScale(m_image.width(), m_image.height(), 168);
        m_imageLabel->setPixmap(QPixmap::fromImage(m_image.scaled(m_image.width() * scale, m_image.height() * scale,
                                                                  Qt::IgnoreAspectRatio, Qt::FastTransformation)));
        m_view->setCurrentWidget(m_imageLabel);
    } else {
        const std::vector<double> values = data.features(sample);
        QVector<double> keys(static_cast<int>(values.size())), heights(static_cast<int>(values.size()));
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        for (std::size_t j = 0; j < values.size(); ++j) {
            keys[static_cast<int>(j)] = static_cast<double>(j);
            heights[static_cast<int>(j)] = values[j];
            if (j < data.featureNames().size() && values.size() <= 12)
                ticker->addTick(static_cast<double>(j), QString::fromStdString(data.featureNames()[j]));
        }
        bars->setData(keys, heights, true);
        if (values.size() <= 12 && !data.featureNames().empty()) {
            m_features->xAxis->setTicker(ticker);
            m_features->xAxis->setTickLabelRotation(-35);
        } else {
            m_features->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
            m_features->xAxis->setTickLabelRotation(0);
        }
        bars->rescaleAxes();
        const QCPRange range = m_features->yAxis->range();
        m_features->yAxis->setRange(std::min(0.0, range.lower), std::max(0.0, range.upper) * 1.05 + 1e-12);
        m_features->xAxis->setRange(-0.6, static_cast<double>(values.size()) - 0.4);
        m_view->setCurrentWidget(m_features);
        m_features->replot();
    }
    m_raster->replot();
    // Poisson or receptive-field encoding of a large image takes milliseconds to tens of them:
    // off the GUI thread, latest request wins while the user spins through samples.
    m_encoding.start([encoded, sample](const CancelFlag&) { return encoded->encode(sample); },
                     [this, sample](Pattern pattern) { showRaster(pattern, sample); });
}

void DatasetPanel::showRaster(const Pattern& pattern, std::size_t sample)
{
    QVector<double> keys, values;
    for (std::size_t n = 0; n < pattern.inputs.size(); ++n)
        for (double t : pattern.inputs[n]) {
            keys.push_back(t * 1e3);
            values.push_back(static_cast<double>(n));
        }
    // Sorted by time for QCPGraph's sorted container.
    std::vector<int> order(static_cast<std::size_t>(keys.size()));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return keys[a] < keys[b]; });
    QVector<double> sortedKeys, sortedValues;
    for (int i : order) {
        sortedKeys.push_back(keys[i]);
        sortedValues.push_back(values[i]);
    }
    m_raster->graph(0)->setData(sortedKeys, sortedValues, true);
    m_raster->yAxis->setRange(-0.5, std::max<double>(0.5, static_cast<double>(pattern.inputs.size()) - 0.5));
    // The whole trial, [0, T]: a range ending at the last spike would stretch a latency raster
    // (spikes in the first 40 ms) over the full width and hide the silent end of the trial.
    double end = m_sets[static_cast<std::size_t>(currentSet())].duration * 1e3;
    if (!(end > 0)) // no trial length given: up to the last spike
        for (double t : sortedKeys)
            end = std::max(end, t * 1.05);
    m_raster->xAxis->setRange(0, std::max(1.0, end));
    m_raster->replot();
    emit sampleEncoded(sample);
}

int DatasetPanel::shownFeatureCount() const
{
    return m_view->currentWidget() == m_features ? m_features->plottable(0)->interface1D()->dataCount() : 0;
}

int DatasetPanel::rasterSpikeCount() const
{
    return m_raster->graph(0)->dataCount();
}

} // namespace normad::ui
