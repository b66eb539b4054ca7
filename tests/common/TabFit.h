#pragma once

// Shared by the UI suites: does a central tab fit its scroll area's width at 1280×800?

#include <QLabel>
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

/// The visible one-line labels under `content` narrower than their text: a form squeezed beside
/// another cuts them off without any scroll bar. Empty when none is; otherwise their texts.
inline QString clippedLabels(const QWidget* content)
{
    QString clipped;
    for (const QLabel* label : content->findChildren<QLabel*>()) {
        if (!label->isVisibleTo(content) || label->wordWrap() || label->text().isEmpty())
            continue;
        // 2 px of slack: a rich-text table's hint rounds up by a pixel that cuts nothing off.
        if (label->width() < label->sizeHint().width() - 2)
            clipped += QStringLiteral("'%1' (%2 of %3 px) ")
                           .arg(label->text())
                           .arg(label->width())
                           .arg(label->sizeHint().width());
    }
    return clipped;
}

} // namespace testui
