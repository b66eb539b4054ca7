#pragma once

#include <QPixmap>

#include <qcustomplot.h>

namespace normad::ui {

/// A QCPGraph whose scatter symbols are drawn on screen by stamping one pre-rendered, antialiased
/// copy of the symbol at every point (positions rounded to the pixel), instead of rasterizing each
/// shape: a raster of ~700 spikes as antialiased discs took ~8 ms per replot, most of the live
/// plots' cost. Exports (PDF, SVG, PNG: QCustomPlot marks them pmNoCaching or pmVectorized) and any
/// scaled painter draw the true shapes.
class StampedScatterGraph : public QCPGraph {
public:
    StampedScatterGraph(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// How many replots drew from the stamp (for tests: the fast path is the one the screen takes).
    int stampedDraws() const { return m_stampedDraws; }

protected:
    void drawScatterPlot(QCPPainter* painter, const QVector<QPointF>& scatters,
                         const QCPScatterStyle& style) const override;

private:
    /// The stamp for `style` at `devicePixelRatio`, drawn anew when either changed.
    const QPixmap& stamp(const QCPScatterStyle& style, qreal devicePixelRatio, bool antialiased) const;

    mutable QPixmap m_stamp;
    mutable QCPScatterStyle m_stampStyle;
    mutable qreal m_stampRatio = 0;
    mutable bool m_stampAntialiased = false;
    mutable int m_stampedDraws = 0;
};

} // namespace normad::ui
