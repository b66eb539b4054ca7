#pragma once

#include "normad/Classification.h"

#include <QFont>
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
/// The counts are drawn in the largest font (up to the plot's) that fits every cell; when even the
/// smallest readable one does not (many classes in a small dock), the counts are hidden and the
/// cells still tell them on hover (a tooltip with the count and its share of the row), as they
/// always do. Clicking a cell emits cellClicked(). Export through savePlot() with csv()
/// (ConfusionMatrix::toCsv).
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
    /// What hovering the cell says: "Shirt → Pullover: 30 of 100 (30.0 %)". Empty outside the matrix.
    QString cellToolTip(int trueClass, int predicted) const;
    /// Whether the counts are drawn in the cells (false: too small for them; hover tells them).
    bool countsShown() const { return m_countsShown; }
    /// The font the counts are drawn in (fitted to the cells at the last layout).
    QFont countFont() const { return m_countFont; }
    /// Smallest count font, points: below it digits stop being readable and the counts are hidden.
    static constexpr double minimumCountPointSize = 6.5;

signals:
    /// A cell was clicked; `predictedClass` is undecidedClass for the last column.
    void cellClicked(int trueClass, int predictedClass);

private:
    void cellAt(QPointF pixel);
    /// The (true class, predicted) cell under `pixel`, false outside the matrix.
    bool cellUnder(QPointF pixel, int* trueClass, int* predicted) const;
    int column(int predicted) const;
    /// Chooses the count font for the current cell size (on every layout: resize, new matrix).
    void fitCounts();

    QCustomPlot* m_plot = nullptr;
    QLabel* m_caption = nullptr;
    QCPColorMap* m_map = nullptr;
    std::vector<QCPItemText*> m_texts; ///< row-major, classCount × (classCount + 1)
    ConfusionMatrix m_matrix;
    std::vector<std::string> m_classNames;
    QFont m_countFont;
    bool m_countsShown = true;
};

} // namespace normad::ui
