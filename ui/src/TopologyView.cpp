#include "normad/ui/TopologyView.h"

#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace normad::ui {

namespace {

const QColor kInputFill(31, 78, 156);
const QColor kHiddenFill(64, 140, 110);
const QColor kOutputFill(214, 84, 16);

QString grouped(long long n)
{
    return QLocale().toString(n);
}

} // namespace

TopologyView::TopologyView(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void TopologyView::setPopulations(std::vector<Population> populations)
{
    m_populations = std::move(populations);
    update();
}

void TopologyView::setCurrent(int population)
{
    m_current = population;
    update();
}

QRectF TopologyView::columnRect(int population) const
{
    const int n = static_cast<int>(m_populations.size());
    const double slot = width() / static_cast<double>(std::max(1, n));
    const double w = std::min(slot - 16, 150.0);
    return QRectF(slot * population + (slot - w) / 2, 6, w, height() - 12);
}

int TopologyView::populationAt(QPoint pos) const
{
    for (int l : populationNumbers())
        if (columnRect(l).contains(pos))
            return l;
    return -1;
}

void TopologyView::mousePressEvent(QMouseEvent* event)
{
    const int l = populationAt(event->position().toPoint());
    if (l >= 0)
        emit populationClicked(l);
}

void TopologyView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const int count = static_cast<int>(m_populations.size());
    if (count == 0)
        return;
    const QFontMetrics fm(font());
    const double labelH = 2.0 * fm.height() + 8;
    const double top = 14, bottom = height() - labelH - 6;
    const double slotH = (bottom - top) / maxShownNeurons;
    const double radius = std::clamp(slotH * 0.36, 3.0, 11.0);

    // Circle centres per column; an elided column shows the first and last neurons around "⋮".
    struct Column {
        std::vector<QPointF> centres;
        QPointF ellipsis;
        bool elided = false;
    };
    std::vector<Column> columns(static_cast<std::size_t>(count));
    auto column = [&columns](int l) -> Column& { return columns[static_cast<std::size_t>(l)]; }; // l = 0 … L
    for (int l : populationNumbers()) {
        Column& c = column(l);
        const int size = population(l).size;
        const int shown = std::min(size, maxShownNeurons);
        c.elided = size > maxShownNeurons;
        const double x = columnRect(l).center().x();
        const double y0 = (top + bottom) / 2 - (shown - 1) * slotH / 2;
        for (int k = 0; k < shown; ++k) {
            const QPointF centre(x, y0 + k * slotH);
            if (c.elided && k == shown / 2)
                c.ellipsis = centre;
            else
                c.centres.push_back(centre);
        }
    }

    // Current column highlight.
    if (m_current >= 0 && m_current < count) {
        QColor hl = palette().highlight().color();
        hl.setAlpha(28);
        p.setPen(QPen(palette().highlight().color(), 1.2));
        p.setBrush(hl);
        p.drawRoundedRect(columnRect(m_current), 8, 8);
    }

    // Connections: every shown pair, faint, so dense layers read as "fully connected".
    for (int l : layerNumbers(count - 1)) {
        const auto& a = column(l - 1).centres;
        const auto& b = column(l).centres;
        const double alpha = std::clamp(900.0 / static_cast<double>(a.size() * b.size() + 1), 18.0, 90.0);
        p.setPen(QPen(QColor(90, 90, 90, static_cast<int>(alpha)), 1));
        for (const QPointF& from : a)
            for (const QPointF& to : b)
                p.drawLine(from + QPointF(radius, 0), to - QPointF(radius, 0));
        // A bold arrow at mid-height shows the direction of the flow and the synapse count.
        // Between the columns' label areas, so names and sizes stay readable.
        const double xa = columnRect(l - 1).right() + 12, xb = columnRect(l).left() - 12;
        const double ym = bottom + 8;
        p.setPen(QPen(QColor(70, 70, 70), 1.6));
        p.drawLine(QPointF(xa, ym), QPointF(xb - 2, ym));
        QPainterPath head;
        head.moveTo(xb, ym);
        head.lineTo(xb - 8, ym - 4);
        head.lineTo(xb - 8, ym + 4);
        head.closeSubpath();
        p.fillPath(head, QColor(70, 70, 70));
        const long long synapses = static_cast<long long>(population(l - 1).size) * population(l).size;
        // The longest form that fits between the columns (a narrow window cut "5,000 syn." to "000 sy").
        const QString full = tr("%1 syn.").arg(grouped(synapses));
        const QString number = grouped(synapses);
        const QString compact = synapses >= 1000000 ? tr("%1M").arg(std::round(synapses / 1e5) / 10.0)
                                : synapses >= 1000  ? tr("%1k").arg(std::round(synapses / 1e2) / 10.0)
                                                    : number;
        const double room = xb - xa;
        const QString s = fm.horizontalAdvance(full) <= room     ? full
                          : fm.horizontalAdvance(number) <= room ? number
                                                                 : compact;
        const double width = std::max(room, double(fm.horizontalAdvance(s)));
        p.setPen(palette().placeholderText().color());
        p.drawText(QRectF((xa + xb - width) / 2, ym + 2, width, fm.height() + 2), Qt::AlignHCenter | Qt::AlignTop, s);
    }

    // Neurons, ellipses and labels.
    for (int l : populationNumbers()) {
        const Population& pop = population(l);
        const Column& c = column(l);
        const QColor fill = l == 0 ? kInputFill : (l == count - 1 ? kOutputFill : kHiddenFill);
        for (const QPointF& centre : c.centres) {
            if (pop.trainable || l == 0) {
                p.setPen(QPen(fill.darker(130), 1));
                p.setBrush(fill);
            } else {
                p.setPen(QPen(fill, 1.5, Qt::DashLine));
                p.setBrush(palette().base());
            }
            p.drawEllipse(centre, radius, radius);
        }
        if (c.elided) {
            p.setPen(palette().text().color());
            p.drawText(QRectF(c.ellipsis.x() - 20, c.ellipsis.y() - slotH / 2, 40, slotH), Qt::AlignCenter,
                       QStringLiteral("⋮"));
        }
        const QRectF col = columnRect(l);
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(palette().text().color());
        p.drawText(QRectF(col.left() - 10, bottom + 2 + fm.height() / 2.0, col.width() + 20, fm.height()),
                   Qt::AlignCenter, pop.name);
        p.setFont(font());
        p.setPen(palette().placeholderText().color());
        const QString size = l == 0 ? tr("%1 inputs").arg(grouped(pop.size))
                                    : (pop.trainable ? tr("%1 LIF").arg(grouped(pop.size))
                                                     : tr("%1 LIF, frozen").arg(grouped(pop.size)));
        p.drawText(QRectF(col.left() - 10, bottom + 2 + 1.5 * fm.height(), col.width() + 20, fm.height()),
                   Qt::AlignCenter, size);
    }
}

} // namespace normad::ui
