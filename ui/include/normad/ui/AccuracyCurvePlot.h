#pragma once

#include <QVector>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;

namespace normad::ui {

/// Classification accuracy per epoch of a dataset task: on the training passes and on the
/// validation split at each epoch's end (a gap where no validation pass was made), in percent;
/// optionally the test accuracy as a horizontal line. Beside the learning curves (errors).
class AccuracyCurvePlot : public QWidget {
    Q_OBJECT

public:
    explicit AccuracyCurvePlot(QWidget* parent = nullptr);

    /// Accuracies as fractions in [0, 1] (NaN: not measured that epoch), one per entry of `epochs`.
    void setCurves(const std::vector<int>& epochs, const std::vector<double>& trainAccuracy,
                   const std::vector<double>& validationAccuracy);
    /// The test split's accuracy (fraction) as a line; NaN removes it.
    void setTestAccuracy(double accuracy);
    void clear();

    QCustomPlot* plot() const { return m_plot; }
    int epochCount() const;
    /// The plotted values (percent), for tests.
    QVector<double> trainValues() const;
    QVector<double> validationValues() const;

private:
    QCustomPlot* m_plot = nullptr;
    QCPGraph* m_train = nullptr;
    QCPGraph* m_validation = nullptr;
    QCPGraph* m_test = nullptr; // two points across the axis: a line the CSV export sees too
};

} // namespace normad::ui
