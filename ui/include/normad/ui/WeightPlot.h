#pragma once

#include "normad/ui/BackgroundJob.h"
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
///
/// The weights are never copied: the plot shares the network's matrices (copy-on-write) or holds
/// the training snapshot. A layer of more than backgroundEntries synapses is reduced to its map and
/// histogram on a background job, so a layer of 100 000 neurons never stalls the window.
class WeightPlot : public QWidget {
    Q_OBJECT

public:
    /// Largest number of heat-map cells along either side; a larger layer is shown in blocks (each
    /// the synapse of largest magnitude in it), so the plot's buffers stay screen-sized.
    static constexpr int maxMapCells = 512;
    /// Layers with more synapses than this are drawn on a background job (a few milliseconds' work).
    static constexpr long long backgroundEntries = 1 << 18;

    explicit WeightPlot(QWidget* parent = nullptr);

    /// The project's layers and weights; forgets the last update ΔW.
    void setProject(const Project& project);
    /// A training snapshot's weights and last update ΔW (held, not copied).
    void showSnapshot(SnapshotPtr snapshot);
    /// The weights of `network` (shared with it, not copied), e.g. after the document's weights changed.
    void showNetwork(const Network& network);
    /// Shows these weights (position l − 1 = W^l), e.g. a past run's.
    void showWeights(std::vector<Eigen::MatrixXd> weights);
    /// Draw every layer at once on this thread (an off-screen report renders right after), or large
    /// ones in the background (the default).
    void setDrawInBackground(bool background) { m_drawInBackground = background; }
    /// A large layer's picture is being computed in the background.
    bool isDrawing() const { return m_job.isRunning(); }
    /// Pictures computed in the background and shown so far (for tests).
    int backgroundDraws() const { return m_backgroundDraws; }
    QCustomPlot* plot() const { return m_plot; }
    /// Shows layer l = 1 … L (Layers.h) as if chosen in the layer box; ignored if there is no such layer.
    void selectLayer(int l);
    /// The layer chosen in the layer box, 1 … L (Layers.h), or 0 when none is.
    int selectedLayer() const;

signals:
    /// A synapse of the map (or a bar) was clicked: layer 1 … L, postsynaptic and presynaptic index.
    void synapseClicked(int layer, int post, int pre);

private:
    /// What draw() shows of one matrix, computed from it alone (on any thread).
    struct Picture {
        bool delta = false;
        int rows = 0, cols = 0;
        QVector<double> barKeys, positive, negative; ///< rows == 1: W per presynaptic neuron (block), nA
        double barWidth = 0.8, barExtreme = 0;
        int cellCols = 0, cellRows = 0; ///< rows > 1: the map, at most maxMapCells a side
        std::vector<double> cells;      ///< row-major, nA
        double extreme = 0;             ///< largest magnitude, nA
        double lo = 0, hi = 0, binWidth = 0;
        QVector<double> binKeys, counts; ///< the histogram
    };
    /// The matrix shown for `layer`: ΔW of `deltas`, else W of `live` or `network`; null if none.
    static const Eigen::MatrixXd* pick(const Network& network, const SnapshotPtr& live, const SnapshotPtr& deltas,
                                       int layer, bool delta);
    /// Returns early (an unfinished picture) when `cancel` is raised.
    static Picture compute(const Eigen::MatrixXd& m, bool delta, const CancelFlag* cancel);
    const Eigen::MatrixXd* shownMatrix() const;
    void draw();
    void showPicture(const Picture& picture);
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
    QPointF m_pressAt;         // where a click on the map began
    Network m_network;         // the weights shown when no snapshot is (shares the document's matrices)
    SnapshotPtr m_live;        // a snapshot whose weights are shown, or null
    SnapshotPtr m_deltaSource; // the snapshot whose ΔW is shown, or null
    BackgroundJob<Picture> m_job;
    bool m_redraw = false; // the shown matrix changed while the job ran: draw again after it
    bool m_drawInBackground = true;
    int m_backgroundDraws = 0;
};

} // namespace normad::ui
