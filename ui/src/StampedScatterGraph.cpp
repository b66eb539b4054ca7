#include "normad/ui/StampedScatterGraph.h"

#include <QPainter>

#include <cmath>

namespace normad::ui {

namespace {
bool sameLook(const QCPScatterStyle& a, const QCPScatterStyle& b)
{
    return a.shape() == b.shape() && a.size() == b.size() && a.pen() == b.pen() && a.brush() == b.brush();
}
} // namespace

StampedScatterGraph::StampedScatterGraph(QCPAxis* keyAxis, QCPAxis* valueAxis) : QCPGraph(keyAxis, valueAxis)
{
}

const QPixmap& StampedScatterGraph::stamp(const QCPScatterStyle& style, qreal devicePixelRatio, bool antialiased) const
{
    if (!m_stamp.isNull() && m_stampRatio == devicePixelRatio && m_stampAntialiased == antialiased &&
        sameLook(m_stampStyle, style))
        return m_stamp;
    // An even side: the symbol's centre falls on a pixel corner, where a rounded point lands too.
    const double reach = style.size() / 2 + style.pen().widthF() + 1;
    const int side = 2 * static_cast<int>(std::ceil(reach));
    QPixmap pixmap(QSize(side, side) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QCPPainter painter(&pixmap);
    // QCPPainter shifts an antialiased painter by half a pixel (so are the true shapes on screen):
    // undone here, so that the symbol's centre is the stamp's centre.
    painter.setAntialiasing(antialiased);
    const double shift = antialiased ? 0.5 : 0.0;
    style.applyTo(&painter, pen());
    style.drawShape(&painter, side / 2.0 - shift, side / 2.0 - shift);
    painter.end();
    m_stamp = pixmap;
    m_stampStyle = style;
    m_stampRatio = devicePixelRatio;
    m_stampAntialiased = antialiased;
    return m_stamp;
}

void StampedScatterGraph::drawScatterPlot(QCPPainter* painter, const QVector<QPointF>& scatters,
                                          const QCPScatterStyle& style) const
{
    const bool export_ = painter->modes() & (QCPPainter::pmVectorized | QCPPainter::pmNoCaching);
    const bool plain = painter->transform().type() <= QTransform::TxTranslate;
    if (export_ || !plain || !painter->device() || style.shape() == QCPScatterStyle::ssPixmap ||
        style.shape() == QCPScatterStyle::ssCustom || scatters.size() < 16) {
        QCPGraph::drawScatterPlot(painter, scatters, style);
        return;
    }
    applyScattersAntialiasingHint(painter);
    const QPixmap& symbol = stamp(style, painter->device()->devicePixelRatioF(), painter->antialiasing());
    const double half = symbol.width() / symbol.devicePixelRatio() / 2;
    // Where the true shape would be centred, the painter's shift included; stamped there in
    // whole pixels of the untransformed painter (a pixmap at a fractional place would be resampled).
    const QTransform at = painter->transform();
    painter->save();
    painter->resetTransform();
    for (const QPointF& p : scatters) {
        const QPointF centre = at.map(p);
        painter->drawPixmap(qRound(centre.x() - half), qRound(centre.y() - half), symbol);
    }
    painter->restore();
    ++m_stampedDraws;
}

} // namespace normad::ui
