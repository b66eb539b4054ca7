#include "normad/ui/RecentFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace normad::ui {

namespace {
const QString settingsKey = QStringLiteral("recentFiles");
}

RecentFiles::RecentFiles(QObject* parent) : QObject(parent)
{
}

QStringList RecentFiles::files() const
{
    QStringList list;
    for (const QString& f : QSettings().value(settingsKey).toStringList())
        if (QFileInfo::exists(f))
            list << f;
    return list;
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = QSettings().value(settingsKey).toStringList();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > maxFiles)
        list.removeLast();
    QSettings().setValue(settingsKey, list);
}

void RecentFiles::clear()
{
    QSettings().remove(settingsKey);
}

QMenu* RecentFiles::createMenu(const QString& title, QWidget* parent)
{
    auto* menu = new QMenu(title, parent);
    // Filled when shown, so every window and a file deleted meanwhile are always up to date.
    connect(menu, &QMenu::aboutToShow, this, [this, menu] { fill(menu); });
    fill(menu);
    return menu;
}

void RecentFiles::fill(QMenu* menu)
{
    menu->clear();
    const QStringList list = files();
    for (int i = 0; i < list.size(); ++i) {
        const QString& f = list[i];
        // &1 … &8 as accelerators; the full path in the tooltip and status tip.
        QAction* a = menu->addAction(tr("&%1 %2").arg(i + 1).arg(QFileInfo(f).fileName()));
        a->setToolTip(QDir::toNativeSeparators(f));
        a->setStatusTip(QDir::toNativeSeparators(f));
        connect(a, &QAction::triggered, this, [this, f] { emit openRequested(f); });
    }
    if (list.isEmpty())
        menu->addAction(tr("No recent projects"))->setEnabled(false);
    menu->addSeparator();
    QAction* clearAction = menu->addAction(tr("&Clear list"), this, &RecentFiles::clear);
    clearAction->setEnabled(!list.isEmpty());
}

} // namespace normad::ui
