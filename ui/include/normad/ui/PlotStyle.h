#pragma once

#include <QColor>
#include <QString>
#include <QVector>

#include <functional>
#include <vector>

class QCustomPlot;
class QCPAxisRect;

namespace normad::ui::plotstyle {

/// Okabe & Ito (2008) colour-blind-safe palette.
inline const QColor black{0, 0, 0};
inline const QColor orange{230, 159, 0};
inline const QColor skyBlue{86, 180, 233};
inline const QColor bluishGreen{0, 158, 115};
inline const QColor yellow{240, 228, 66};
inline const QColor blue{0, 114, 178};
inline const QColor vermillion{213, 94, 0};
inline const QColor reddishPurple{204, 121, 167};
/// The palette in plotting order (black last: it is reserved for inputs and thresholds).
const std::vector<QColor>& cycle();

/// Actual spikes: blue discs. Desired spikes: vermillion inverted triangles (colour and shape differ).
inline const QColor actualColor = blue;
inline const QColor desiredColor = vermillion;

/// Fonts, margins and interactions shared by every live plot.
void applyDefaults(QCustomPlot* plot);
void styleAxisRect(QCPAxisRect* rect, const QString& xLabel, const QString& yLabel);

/// Hover: shows `describe(rect, key, value)` as a tooltip (empty text hides it).
void installHover(QCustomPlot* plot, std::function<QString(QCPAxisRect*, double key, double value)> describe);

/// Min/max decimation of a uniformly sampled trace to `columns` pixel columns: per column the
/// extremes in the order they occurred, so a line plot looks exactly like the full trace; at most
/// 2·columns points (a trace of up to 2·columns samples is returned whole). NaN samples are
/// skipped when looking for extremes; a column of nothing but NaN gives one NaN point, which
/// breaks the line there. Sample i is at key i·keyStep, its value is scaled by valueScale
/// (tests/ui/tst_tracedecimation.cpp).
void decimateMinMax(const std::vector<double>& samples, double keyStep, double valueScale, int columns,
                    QVector<double>& keys, QVector<double>& values);

} // namespace normad::ui::plotstyle
