#include "normad/ui/PlotStyle.h"

#include <QToolTip>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace normad::ui::plotstyle {

const std::vector<QColor>& cycle()
{
    static const std::vector<QColor> colors{blue,          vermillion, bluishGreen, orange,
                                            reddishPurple, skyBlue,    yellow,      black};
    return colors;
}

void applyDefaults(QCustomPlot* plot)
{
    plot->setNoAntialiasingOnDrag(true);
    plot->setPlottingHint(QCP::phFastPolylines, true);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->setMinimumSize(220, 140);
    plot->setBackground(Qt::white);
}

void styleAxisRect(QCPAxisRect* rect, const QString& xLabel, const QString& yLabel)
{
    QFont labelFont = rect->parentPlot()->font();
    labelFont.setPointSizeF(std::max(8.0, labelFont.pointSizeF()));
    for (QCPAxis* axis : {rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft)}) {
        axis->setLabelFont(labelFont);
        axis->setTickLabelFont(labelFont);
        axis->grid()->setPen(QPen(QColor(225, 225, 225), 0));
    }
    rect->axis(QCPAxis::atBottom)->setLabel(xLabel);
    rect->axis(QCPAxis::atLeft)->setLabel(yLabel);
    rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    rect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
}

void installHover(QCustomPlot* plot, std::function<QString(QCPAxisRect*, double, double)> describe)
{
    QObject::connect(plot, &QCustomPlot::mouseMove, plot, [plot, describe](QMouseEvent* event) {
        const QPointF pos = event->position();
        QCPAxisRect* rect = plot->axisRectAt(pos);
        if (!rect) {
            QToolTip::hideText();
            return;
        }
        const double key = rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
        const double value = rect->axis(QCPAxis::atLeft)->pixelToCoord(pos.y());
        const QString text = describe(rect, key, value);
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), text, plot);
    });
}

void decimateMinMax(const std::vector<double>& samples, double keyStep, double valueScale, int columns,
                    QVector<double>& keys, QVector<double>& values)
{
    keys.clear();
    values.clear();
    const std::size_t n = samples.size();
    columns = std::max(columns, 1);
    if (n <= static_cast<std::size_t>(2 * columns)) {
        keys.reserve(static_cast<int>(n));
        values.reserve(static_cast<int>(n));
        for (std::size_t i = 0; i < n; ++i) {
            keys.push_back(static_cast<double>(i) * keyStep);
            values.push_back(samples[i] * valueScale);
        }
        return;
    }
    keys.reserve(2 * columns);
    values.reserve(2 * columns);
    for (int c = 0; c < columns; ++c) {
        const std::size_t begin = n * static_cast<std::size_t>(c) / static_cast<std::size_t>(columns);
        const std::size_t end = n * static_cast<std::size_t>(c + 1) / static_cast<std::size_t>(columns);
        if (begin >= end)
            continue;
        // The first smallest and the last largest sample, as std::minmax_element picks them, but
        // NaN skipped: a NaN compares false with everything and would hide the column's extremes.
        std::size_t lo = end, hi = end;
        for (std::size_t i = begin; i < end; ++i) {
            const double v = samples[i];
            if (std::isnan(v))
                continue;
            if (lo == end || v < samples[lo])
                lo = i;
            if (hi == end || v >= samples[hi])
                hi = i;
        }
        if (lo == end) { // nothing but NaN: one NaN point, so the line is broken there
            keys.push_back(static_cast<double>(begin) * keyStep);
            values.push_back(samples[begin] * valueScale);
            continue;
        }
        const std::size_t first = std::min(lo, hi), second = std::max(lo, hi);
        keys.push_back(static_cast<double>(first) * keyStep);
        values.push_back(samples[first] * valueScale);
        if (second != first) {
            keys.push_back(static_cast<double>(second) * keyStep);
            values.push_back(samples[second] * valueScale);
        }
    }
}

} // namespace normad::ui::plotstyle
