#pragma once

#include "normad/ui/TrainingSnapshot.h"

#include "normad/Project.h"
#include "normad/Simulator.h"

#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QLineEdit;
class QSpinBox;

namespace normad::ui {

/// Membrane potential V(t) of chosen neurons of one layer during the followed pattern's latest
/// pass, with the threshold VT and the desired (output layer) and actual spike times marked.
/// Traces are decimated to pixel resolution (min/max per column).
class MembranePlot : public QWidget {
    Q_OBJECT

public:
    explicit MembranePlot(QWidget* parent = nullptr);

    void setProject(const Project& project);
    void showSnapshot(const TrainingSnapshot& snapshot);
    /// The membranes to record: the chosen neurons of the chosen layer.
    RecordRequest probes() const;
    QCustomPlot* plot() const { return m_plot; }
    /// Points drawn by the first trace's graph (for tests of the decimation).
    int firstTracePointCount() const;

signals:
    void probesChanged(const normad::RecordRequest& probes);

private:
    void probesEdited();

    QSpinBox* m_layer = nullptr;
    QLineEdit* m_neurons = nullptr;
    QCustomPlot* m_plot = nullptr;
    std::vector<QCPGraph*> m_traces;
    QCPGraph* m_threshold = nullptr;
    QCPGraph* m_desired = nullptr;
    QCPGraph* m_actual = nullptr;
    std::vector<double> m_thresholds; // VT per layer 1 … L (ofLayer), volts
    std::vector<double> m_rests;      // EL per layer (ofLayer), volts
    std::vector<int> m_sizes;         // neurons per layer (ofLayer)
    int m_layerCount = 0;
    double m_duration = 0;
};

} // namespace normad::ui
