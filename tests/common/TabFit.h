#pragma once

// Shared by the UI suites: does a central tab fit its scroll area's width at 1280×800?

#include <QScrollArea>
#include <QScrollBar>
#include <QString>
#include <QWidget>

namespace testui {

/// Empty when `content` (a central tab inside its scroll area) shows no horizontal scroll bar;
/// otherwise how many pixels it needs and has, for the failure message.
inline QString sidewaysScroll(const QWidget* content)
{
    const auto* scroll = qobject_cast<const QScrollArea*>(content->parentWidget()->parentWidget());
    if (!scroll)
        return QStringLiteral("the tab is not inside a scroll area");
    if (!scroll->horizontalScrollBar()->isVisible())
        return {};
    return QStringLiteral("needs %1 px, has %2 px")
        .arg(content->minimumSizeHint().width())
        .arg(scroll->viewport()->width());
}

} // namespace testui
