#include "normad/ui/ConfusionMatrixPlot.h"

#include "normad/ui/ExportActions.h"
#include "normad/ui/PlotStyle.h"

#include <QFontMetricsF>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace normad::ui {

ConfusionMatrixPlot::ConfusionMatrixPlot(QWidget* parent) : QWidget(parent)
{
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    // A fixed grid: dragging or zooming would only hide cells.
    m_plot->setInteractions({});
    plotstyle::styleAxisRect(m_plot->axisRect(), tr("Predicted class"), tr("True class"));
    m_plot->axisRect()->setRangeDrag({});
    m_plot->axisRect()->setRangeZoom({});
    for (QCPAxis* axis : m_plot->axisRect()->axes()) {
        axis->grid()->setVisible(false);
        axis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
        axis->setSubTicks(false);
    }
    // Row 0 (the first class) at the top, as a table reads.
    m_plot->yAxis->setRangeReversed(true);
    m_plot->xAxis->setTickLabelRotation(-35);

    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setName(tr("confusion matrix"));
    m_map->setInterpolate(false);
    // The data range names the centres of the first and last cells (the counts' positions); a tight
    // boundary would squeeze every cell into it, leaving half of the first column under the row
    // labels' side and shifting each colour away from its count.
    m_map->setTightBoundary(false);
    QCPColorGradient gradient;
    gradient.setColorStopAt(0.0, Qt::white);
    gradient.setColorStopAt(1.0, plotstyle::blue);
    m_map->setGradient(gradient);
    m_map->setDataRange(QCPRange(0, 1));

    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) { cellAt(event->position()); });
    // Every cell tells its count on hover, which is how they are read when too small to draw them.
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        int t = 0, p = 0;
        if (cellUnder(event->position(), &t, &p))
            QToolTip::showText(event->globalPosition().toPoint(), cellToolTip(t, p), m_plot);
        else
            QToolTip::hideText();
    });
    // The cell size is known only once the axes are laid out; the counts are fitted to it then,
    // before anything is drawn, so a resize never shows counts spilling over their cells.
    connect(m_plot, &QCustomPlot::afterLayout, this, &ConfusionMatrixPlot::fitCounts);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_caption);
    layout->addWidget(m_plot, 1);
    setMatrix(ConfusionMatrix(0), {});
}

int ConfusionMatrixPlot::column(int predicted) const
{
    return predicted == undecidedClass ? m_matrix.classCount() : predicted;
}

void ConfusionMatrixPlot::setMatrix(const ConfusionMatrix& matrix, std::vector<std::string> classNames,
                                    const QString& caption)
{
    m_matrix = matrix;
    const int k = matrix.classCount();
    classNames.resize(static_cast<std::size_t>(k));
    for (int c = 0; c < k; ++c)
        if (classNames[static_cast<std::size_t>(c)].empty())
            classNames[static_cast<std::size_t>(c)] = tr("class %1").arg(c).toStdString();
    m_classNames = std::move(classNames);
    m_caption->setText(caption);
    m_caption->setVisible(!caption.isEmpty());

    for (QCPItemText* text : m_texts)
        m_plot->removeItem(text);
    m_texts.clear();

    auto xTicker = m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    auto yTicker = m_plot->yAxis->ticker().dynamicCast<QCPAxisTickerText>();
    xTicker->clear();
    yTicker->clear();
    for (int c = 0; c < k; ++c) {
        const QString name = QString::fromStdString(m_classNames[static_cast<std::size_t>(c)]);
        xTicker->addTick(c, name);
        yTicker->addTick(c, name);
    }
    xTicker->addTick(k, tr("undecided"));

    const int columns = k + 1;
    m_map->data()->setSize(std::max(1, columns), std::max(1, k));
    m_map->data()->setRange(QCPRange(0, columns - 1), QCPRange(0, std::max(0, k - 1)));
    m_map->data()->fill(0);
    m_map->setVisible(k > 0);
    for (int t = 0; t < k; ++t) {
        const double support = static_cast<double>(matrix.support(t));
        for (int col = 0; col < columns; ++col) {
            const std::size_t n = col == k ? matrix.undecided(t) : matrix.count(t, col);
            m_map->data()->setCell(col, t, support > 0 ? static_cast<double>(n) / support : 0.0);
            auto* text = new QCPItemText(m_plot);
            text->position->setType(QCPItemPosition::ptPlotCoords);
            text->position->setCoords(col, t);
            text->setText(QString::number(n));
            // Dark cells get white digits so every count stays readable.
            const bool dark = support > 0 && static_cast<double>(n) / support > 0.55;
            text->setColor(dark ? Qt::white : (n == 0 ? QColor(150, 150, 150) : Qt::black));
            text->setClipToAxisRect(true);
            m_texts.push_back(text);
        }
    }
    m_plot->xAxis->setRange(-0.5, columns - 0.5);
    m_plot->yAxis->setRange(-0.5, std::max(0.5, k - 0.5));
    m_plot->replot();
}

QString ConfusionMatrixPlot::csv() const
{
    return QString::fromStdString(m_matrix.toCsv(m_classNames));
}

bool ConfusionMatrixPlot::save(const QString& path, QString* error) const
{
    return savePlot(m_plot, path, csv(), error);
}

QString ConfusionMatrixPlot::cellText(int trueClass, int predicted) const
{
    const int k = m_matrix.classCount();
    if (trueClass < 0 || trueClass >= k || (predicted != undecidedClass && (predicted < 0 || predicted >= k)))
        return {};
    return m_texts[static_cast<std::size_t>(trueClass * (k + 1) + column(predicted))]->text();
}

QPointF ConfusionMatrixPlot::cellCentre(int trueClass, int predicted) const
{
    return {m_plot->xAxis->coordToPixel(column(predicted)), m_plot->yAxis->coordToPixel(trueClass)};
}

void ConfusionMatrixPlot::fitCounts()
{
    if (m_texts.empty())
        return;
    const double cellWidth = std::abs(m_plot->xAxis->coordToPixel(1) - m_plot->xAxis->coordToPixel(0));
    const double cellHeight = std::abs(m_plot->yAxis->coordToPixel(1) - m_plot->yAxis->coordToPixel(0));
    QString widest;
    for (const QCPItemText* text : m_texts)
        if (text->text().size() > widest.size())
            widest = text->text();
    // The plot's own size at most; smaller in half points until the widest count fits its cell
    // with a little margin on each side.
    QFont font = m_plot->font();
    bool fits = false;
    for (double size = font.pointSizeF(); size >= minimumCountPointSize && !fits; size -= 0.5) {
        font.setPointSizeF(size);
        const QFontMetricsF metrics(font);
        fits = metrics.horizontalAdvance(widest) <= cellWidth - 4 && metrics.height() <= cellHeight - 2;
    }
    m_countFont = font;
    m_countsShown = fits;
    for (QCPItemText* text : m_texts) {
        text->setFont(font);
        text->setVisible(fits);
    }
}

bool ConfusionMatrixPlot::cellUnder(QPointF pixel, int* trueClass, int* predicted) const
{
    if (!m_plot->axisRect()->rect().contains(pixel.toPoint()))
        return false;
    const int k = m_matrix.classCount();
    const int col = static_cast<int>(std::lround(m_plot->xAxis->pixelToCoord(pixel.x())));
    const int row = static_cast<int>(std::lround(m_plot->yAxis->pixelToCoord(pixel.y())));
    if (k == 0 || col < 0 || col > k || row < 0 || row >= k)
        return false;
    *trueClass = row;
    *predicted = col == k ? undecidedClass : col;
    return true;
}

QString ConfusionMatrixPlot::cellToolTip(int trueClass, int predicted) const
{
    const QString count = cellText(trueClass, predicted);
    if (count.isEmpty())
        return {};
    const std::size_t support = m_matrix.support(trueClass);
    const std::size_t n = count.toULongLong();
    const QString from = QString::fromStdString(m_classNames[static_cast<std::size_t>(trueClass)]);
    const QString to = predicted == undecidedClass
                           ? tr("undecided")
                           : QString::fromStdString(m_classNames[static_cast<std::size_t>(predicted)]);
    return tr("%1 → %2: %3 of %4 (%5 %)")
        .arg(from, to, count)
        .arg(support)
        .arg(support > 0 ? 100.0 * static_cast<double>(n) / static_cast<double>(support) : 0.0, 0, 'f', 1);
}

QString ConfusionMatrixPlot::caption() const
{
    return m_caption->text();
}

void ConfusionMatrixPlot::cellAt(QPointF pixel)
{
    int t = 0, p = 0;
    if (cellUnder(pixel, &t, &p))
        emit cellClicked(t, p);
}

} // namespace normad::ui
