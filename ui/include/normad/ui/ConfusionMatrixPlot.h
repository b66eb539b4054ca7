#pragma once

#include "normad/Classification.h"

#include <QPointF>
#include <QString>
#include <QWidget>

#include <string>
#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPItemText;
class QLabel;

namespace normad::ui {

/// A confusion matrix as a heat map: one row per true class (top to bottom), one column per
/// predicted class and a last column "undecided"; each cell shows its count, its colour the count's
/// fraction of the row (the class's recall on the diagonal), so classes of different sizes compare.
/// Clicking a cell emits cellClicked(). Export through savePlot() with csv() (ConfusionMatrix::toCsv).
class ConfusionMatrixPlot : public QWidget {
    Q_OBJECT

public:
    explicit ConfusionMatrixPlot(QWidget* parent = nullptr);

    /// Shows `matrix`; `classNames` (one per class; missing names read "class k") label the axes.
    /// `caption` says what was evaluated ("test split: 912 of 1 000 correct").
    void setMatrix(const ConfusionMatrix& matrix, std::vector<std::string> classNames, const QString& caption = {});
    const ConfusionMatrix& matrix() const { return m_matrix; }
    const std::vector<std::string>& classNames() const { return m_classNames; }

    QCustomPlot* plot() const { return m_plot; }
    /// The CSV of the shown matrix (ConfusionMatrix::toCsv): the table an export writes beside the picture.
    QString csv() const;
    /// Writes the picture (.png/.svg/.pdf) and csv() beside it (FILE-STEM.csv). False with `error`.
    bool save(const QString& path, QString* error = nullptr) const;

    /// The text drawn in a cell (its count); `predicted` may be undecidedClass. Empty outside the matrix.
    QString cellText(int trueClass, int predicted) const;
    /// The cell's centre in plot widget pixels (to click it).
    QPointF cellCentre(int trueClass, int predicted) const;
    QString caption() const;

signals:
    /// A cell was clicked; `predictedClass` is undecidedClass for the last column.
    void cellClicked(int trueClass, int predictedClass);

private:
    void cellAt(QPointF pixel);
    int column(int predicted) const;

    QCustomPlot* m_plot = nullptr;
    QLabel* m_caption = nullptr;
    QCPColorMap* m_map = nullptr;
    std::vector<QCPItemText*> m_texts; ///< row-major, classCount × (classCount + 1)
    ConfusionMatrix m_matrix;
    std::vector<std::string> m_classNames;
};

} // namespace normad::ui
