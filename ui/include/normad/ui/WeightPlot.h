#pragma once

#include "normad/ui/TrainingSnapshot.h"

#include "normad/Project.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPBars;
class QCPColorMap;
class QCPColorScale;

namespace normad::ui {

/// Weights of one layer as a heat map (postsynaptic × presynaptic, nA) with either W or the last
/// pattern's ΔW, and a histogram of the shown values.
class WeightPlot : public QWidget {
    Q_OBJECT

public:
    explicit WeightPlot(QWidget* parent = nullptr);

    void setProject(const Project& project);
    void showSnapshot(const TrainingSnapshot& snapshot);
    /// Shows the project's stored weights (before any training snapshot arrives).
    void showWeights(const std::vector<Eigen::MatrixXd>& weights);
    QCustomPlot* plot() const { return m_plot; }

private:
    void draw();

    QComboBox* m_layer = nullptr;
    QComboBox* m_quantity = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_scale = nullptr;
    QCPBars* m_histogram = nullptr;
    std::vector<Eigen::MatrixXd> m_weights, m_deltas;
};

} // namespace normad::ui
