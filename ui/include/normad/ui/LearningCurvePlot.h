#pragma once

#include "normad/ui/TrainingSnapshot.h"

#include <QWidget>

class QCheckBox;
class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPLegend;

namespace normad::ui {

/// Learning curves per epoch: correlation C (worst pattern, mean, optionally every pattern) on
/// top; van Rossum distance, spike-count error and cost below (log scale optional).
class LearningCurvePlot : public QWidget {
    Q_OBJECT

public:
    explicit LearningCurvePlot(QWidget* parent = nullptr);

    void showSnapshot(const TrainingSnapshot& snapshot);
    QCustomPlot* plot() const { return m_plot; }
    int epochCount() const;

private:
    void rebuildPatternGraphs(int patterns);
    void setLogScale(bool log);

    QCheckBox* m_perPattern = nullptr;
    QCheckBox* m_log = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_correlationRect = nullptr;
    QCPAxisRect* m_errorRect = nullptr;
    QCPGraph* m_minC = nullptr;
    QCPGraph* m_meanC = nullptr;
    QCPGraph* m_evaluatedMinC = nullptr;
    QCPLegend* m_topLegend = nullptr;
    QCPGraph* m_vanRossum = nullptr;
    QCPGraph* m_countError = nullptr;
    QCPGraph* m_cost = nullptr;
    std::vector<QCPGraph*> m_patternC;
    const void* m_shownHistory = nullptr; // skip redraws when the history did not change
};

} // namespace normad::ui
