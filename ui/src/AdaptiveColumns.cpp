#include "AdaptiveColumns.h"

#include <QBoxLayout>
#include <QResizeEvent>

#include <algorithm>

namespace normad::ui {

AdaptiveColumns::AdaptiveColumns(QWidget* parent)
    : QWidget(parent), m_layout(new QBoxLayout(QBoxLayout::LeftToRight, this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
}

void AdaptiveColumns::addColumn(QWidget* column, int stretch)
{
    m_layout->addWidget(column, stretch);
    m_columns.push_back(column);
    m_stretches.push_back(stretch);
    // Only a shown widget's width means anything (an unshown one has Qt's default 640 px): deciding
    // from it would stack the columns for the first layout and move them right after.
    if (isVisible())
        arrange(width());
}

void AdaptiveColumns::setStackedOrder(std::vector<QWidget*> order)
{
    m_stackedOrder = std::move(order);
    if (isStacked())
        place(m_stackedOrder);
}

void AdaptiveColumns::place(const std::vector<QWidget*>& order)
{
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto it = std::find(m_columns.begin(), m_columns.end(), order[i]);
        if (it == m_columns.end())
            continue;
        m_layout->removeWidget(order[i]);
        const int stretch = m_stretches[static_cast<std::size_t>(it - m_columns.begin())];
        m_layout->insertWidget(static_cast<int>(i), order[i], stretch);
    }
}

bool AdaptiveColumns::isStacked() const
{
    return m_layout->direction() == QBoxLayout::TopToBottom;
}

int AdaptiveColumns::sideBySideWidth() const
{
    // Size hints, not minimum hints: side by side, each form keeps the room it asks for.
    int width = m_layout->spacing() * std::max(0, int(m_columns.size()) - 1);
    for (const QWidget* c : m_columns)
        width += c->sizeHint().width();
    const QMargins m = contentsMargins() + m_layout->contentsMargins();
    return width + m.left() + m.right();
}

QSize AdaptiveColumns::minimumSizeHint() const
{
    QSize size = QWidget::minimumSizeHint(); // the layout's, as arranged now
    int widest = 0;
    for (const QWidget* c : m_columns)
        widest = std::max(widest, c->minimumSizeHint().width());
    const QMargins m = contentsMargins() + m_layout->contentsMargins();
    size.setWidth(widest + m.left() + m.right());
    return size;
}

void AdaptiveColumns::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    arrange(event->size().width());
}

bool AdaptiveColumns::event(QEvent* event)
{
    if (event->type() == QEvent::LayoutRequest && isVisible())
        arrange(width());
    return QWidget::event(event);
}

void AdaptiveColumns::arrange(int width)
{
    // The choice depends on the width and the columns' hints only, never on the current direction,
    // so a resize cannot make it flip back and forth.
    const auto direction = width >= sideBySideWidth() ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (direction != m_layout->direction()) {
        m_layout->setDirection(direction);
        if (!m_stackedOrder.empty())
            place(direction == QBoxLayout::TopToBottom ? m_stackedOrder : m_columns);
        // The columns take their places now, not at the next layout pass: a form shown for an
        // instant in the other arrangement (stacked before its first resize) would hand its
        // first paint and the pointer's hover to a widget about to move.
        m_layout->activate();
        updateGeometry(); // the height it needs has changed
    }
}

} // namespace normad::ui
