#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QMenu;

namespace normad::ui {

/// The most recently opened or saved project files, kept in QSettings ("recentFiles") across
/// sessions, newest first, as a "File ▸ Open Recent" menu.
class RecentFiles : public QObject {
    Q_OBJECT

public:
    static constexpr int maxFiles = 8;

    explicit RecentFiles(QObject* parent = nullptr);

    /// The list, newest first; files that no longer exist are left out.
    QStringList files() const;
    /// Puts `path` (made absolute) at the top.
    void add(const QString& path);
    void clear();
    /// A menu that lists the files when it is shown; choosing one emits openRequested().
    QMenu* createMenu(const QString& title, QWidget* parent);

signals:
    void openRequested(const QString& path);

private:
    void fill(QMenu* menu);
};

} // namespace normad::ui
