#pragma once

// Internal: a row of forms that stacks itself when the width runs out.

#include <QWidget>

#include <vector>

class QBoxLayout;

namespace normad::ui {

/// Columns side by side when the width gives each its size hint, stacked top to bottom when it does
/// not (the selected layer's forms at 1280×800 with the docks open). Its minimum width is the widest
/// column's, not their sum, so a scroll area around it scrolls down, never sideways.
class AdaptiveColumns : public QWidget {
public:
    explicit AdaptiveColumns(QWidget* parent = nullptr);

    /// Adds a column to the right of (or below) the others; `stretch` shares spare width side by side.
    void addColumn(QWidget* column, int stretch = 1);
    /// Stacked, the columns go top to bottom in this order instead (every column, once each): the
    /// one that matters most on a narrow tab first.
    void setStackedOrder(std::vector<QWidget*> order);
    /// True while the columns are stacked.
    bool isStacked() const;
    /// The width at and above which the columns stand side by side, in pixels.
    int sideBySideWidth() const;

    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    /// A column's hints change with its contents (a layer's derived values, another page): the
    /// choice is made again whenever the layout is asked to, not only on a resize.
    bool event(QEvent* event) override;

private:
    void arrange(int width);
    /// Puts the columns into the layout in `order`.
    void place(const std::vector<QWidget*>& order);

    QBoxLayout* m_layout = nullptr;
    std::vector<QWidget*> m_columns;
    std::vector<int> m_stretches;         // per column of m_columns
    std::vector<QWidget*> m_stackedOrder; // empty: as added
};

} // namespace normad::ui
