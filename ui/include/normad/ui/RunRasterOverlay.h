#pragma once

#include "normad/ui/RunHistory.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPGraph;

namespace normad::ui {

/// Final output rasters of several runs for one pattern: one band of rows per checked run (its
/// output neurons), actual spikes as discs in the run's colour, the desired spikes of the same
/// rows as vermillion triangles — where a run's spikes sit on their triangles, it learned the map.
class RunRasterOverlay : public QWidget {
    Q_OBJECT

public:
    explicit RunRasterOverlay(QWidget* parent = nullptr);

    void showRuns(const std::vector<Run>& runs);
    /// The open project's trial length, s: the time axis of an empty overlay (no checked run yet).
    void setTaskDuration(double seconds);
    QCustomPlot* plot() const { return m_plot; }
    QComboBox* patternChooser() const { return m_pattern; }
    /// Bands drawn (one per checked run) and the actual spikes of band `band`.
    int bandCount() const { return static_cast<int>(m_actual.size()); }
    int actualSpikes(int band) const;
    int desiredSpikes() const;

private:
    void redraw();

    QComboBox* m_pattern = nullptr;
    QCustomPlot* m_plot = nullptr;
    std::vector<QCPGraph*> m_actual;
    QCPGraph* m_desired = nullptr;
    const std::vector<Run>* m_runs = nullptr; // the RunHistory's, valid between showRuns() calls
    double m_taskDurationMs = 0;
};

} // namespace normad::ui
