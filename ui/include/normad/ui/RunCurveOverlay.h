#pragma once

#include "normad/ui/RunHistory.h"

#include <QStringList>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPLegend;

namespace normad::ui {

/// Learning curves of several runs on one axis: per checked run, the worst pattern's C of every
/// epoch (its colour and line style) and, where the run judged convergence on the end-of-epoch
/// pass, that pass's worst C as a thin dotted line of the same colour.
class RunCurveOverlay : public QWidget {
    Q_OBJECT

public:
    explicit RunCurveOverlay(QWidget* parent = nullptr);

    /// Draws the checked runs of `runs`.
    void showRuns(const std::vector<Run>& runs);
    QCustomPlot* plot() const { return m_plot; }
    /// The worst-pattern C curves drawn, in run order, and the runs' labels (the legend).
    const std::vector<QCPGraph*>& worstCurves() const { return m_worst; }
    const std::vector<QCPGraph*>& endOfEpochCurves() const { return m_evaluated; }
    QStringList shownLabels() const;

private:
    QCustomPlot* m_plot = nullptr;
    QCPLegend* m_legend = nullptr;
    std::vector<QCPGraph*> m_worst;
    std::vector<QCPGraph*> m_evaluated;
};

} // namespace normad::ui
