#pragma once

#include "normad/ui/TrainingSnapshot.h"

#include "normad/Project.h"

#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;

namespace normad::ui {

/// Spike rasters of every population (inputs, hidden layers, output) during the followed pattern's
/// latest pass, one axis rect per population sharing the time axis. The output rect overlays the
/// desired spikes (vermillion triangles) on the actual ones (blue discs). One scatter graph per
/// population and kind, never one item per spike.
class RasterPlot : public QWidget {
    Q_OBJECT

public:
    explicit RasterPlot(QWidget* parent = nullptr);

    void setProject(const Project& project);
    void showSnapshot(const TrainingSnapshot& snapshot);
    QCustomPlot* plot() const { return m_plot; }
    /// Points of population l's actual-spike graph (0 = inputs).
    int spikeCount(int population) const;
    int desiredCount() const;

private:
    QCustomPlot* m_plot = nullptr;
    std::vector<QCPAxisRect*> m_rects;
    std::vector<QCPGraph*> m_actual; // per population
    QCPGraph* m_desired = nullptr;
};

} // namespace normad::ui
