#pragma once

#include "normad/ui/ExportActions.h"
#include "normad/ui/TrainingSnapshot.h"

#include "normad/Project.h"
#include "normad/Simulator.h"

#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPItemText;
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
    /// Every sample of the traces drawn (time in ms, V in mV), for exports: the plot may be
    /// decimated, the exported data never is.
    PlotSeriesData fullTraces() const;
    /// The note the plot shows when V falls far below rest (why the axis reaches −800 mV), "" when none.
    QString depthNote() const;

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
    QCPItemText* m_depthNote = nullptr;
    std::vector<double> m_thresholds; // VT per layer 1 … L (ofLayer), volts
    std::vector<double> m_rests;      // EL per layer (ofLayer), volts
    std::vector<bool> m_clamped;      // clampAtRest per layer (ofLayer)
    std::vector<int> m_sizes;         // neurons per layer (ofLayer)
    int m_layerCount = 0;
    double m_duration = 0;
    std::shared_ptr<const PatternView> m_shownView;               // the pass drawn, kept for fullTraces()
    double m_shownDt = 0;                                         // its time step, s
    std::vector<std::pair<QCPGraph*, std::size_t>> m_shownTraces; // graph → index into m_shownView->membranes
};

} // namespace normad::ui
