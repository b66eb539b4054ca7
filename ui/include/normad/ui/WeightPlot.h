#pragma once

#include "normad/ui/TrainingSnapshot.h"

#include "normad/Project.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPBars;
class QCPColorMap;
class QCPAxisRect;
class QCPColorScale;

namespace normad::ui {

/// Weights of one layer as a heat map (postsynaptic × presynaptic, nA) with either W or the last
/// pattern's ΔW, and a histogram of the shown values. A layer of one neuron (a single row) is
/// drawn as bars of W per presynaptic neuron instead.
class WeightPlot : public QWidget {
    Q_OBJECT

public:
    /// Largest number of heat-map cells along either side; a larger layer is shown in blocks (each
    /// the synapse of largest magnitude in it), so the plot's buffers stay screen-sized.
    static constexpr int maxMapCells = 512;

    explicit WeightPlot(QWidget* parent = nullptr);

    void setProject(const Project& project);
    void showSnapshot(const TrainingSnapshot& snapshot);
    /// Shows the project's stored weights (before any training snapshot arrives).
    void showWeights(std::vector<Eigen::MatrixXd> weights);
    QCustomPlot* plot() const { return m_plot; }
    /// Shows layer l = 1 … L (Layers.h) as if chosen in the layer box; ignored if there is no such layer.
    void selectLayer(int l);
    /// The layer chosen in the layer box, 1 … L (Layers.h), or 0 when none is.
    int selectedLayer() const;

signals:
    /// A synapse of the map (or a bar) was clicked: layer 1 … L, postsynaptic and presynaptic index.
    void synapseClicked(int layer, int post, int pre);

private:
    void draw();
    void setBarMode(bool bars);

    QComboBox* m_layer = nullptr;
    QComboBox* m_quantity = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_scale = nullptr;
    QCPBars* m_histogram = nullptr;
    QCPBars* m_positive = nullptr; // bar mode: W ≥ 0 (excitatory), W < 0 (inhibitory)
    QCPBars* m_negative = nullptr;
    QCPAxisRect* m_mapRect = nullptr;
    QCPAxisRect* m_histRect = nullptr;
    bool m_barMode = false;
    QPointF m_pressAt; // where a click on the map began
    std::vector<Eigen::MatrixXd> m_weights, m_deltas;
};

} // namespace normad::ui
