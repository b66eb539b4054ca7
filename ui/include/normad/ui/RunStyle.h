#pragma once

#include "normad/ui/PlotStyle.h"

#include <QColor>
#include <QPen>

#include <algorithm>
#include <array>

namespace normad::ui::runstyle {

/// A run keeps its colour and line style in every comparison plot, whatever else is checked: both
/// follow its id. Vermillion is left out (it marks desired spikes) and black (inputs, thresholds).
inline QColor color(int runId)
{
    static const std::array<QColor, 6> colors{plotstyle::blue,          plotstyle::bluishGreen, plotstyle::orange,
                                              plotstyle::reddishPurple, plotstyle::skyBlue,     plotstyle::yellow};
    return colors[static_cast<std::size_t>(std::max(0, runId - 1)) % colors.size()];
}

/// Line styles cycle with a different period than the colours, so runs 1 … 12 all differ in at
/// least one of them and stay apart in greyscale print.
inline Qt::PenStyle penStyle(int runId)
{
    static const std::array<Qt::PenStyle, 4> styles{Qt::SolidLine, Qt::DashLine, Qt::DashDotLine, Qt::DashDotDotLine};
    return styles[static_cast<std::size_t>(std::max(0, runId - 1)) % styles.size()];
}

} // namespace normad::ui::runstyle
