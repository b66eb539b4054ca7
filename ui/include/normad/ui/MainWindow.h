#pragma once

#include "normad/Project.h"

#include <QMainWindow>

#include <optional>

class QLabel;

namespace normad::ui {

/// The workbench's main window. For now it opens a project and shows its structure; the designers,
/// run control and live plots are added dock by dock.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    /// Loads a project file; shows a message box naming the problem if it cannot be read.
    bool openProject(const QString& path);
    /// Shows a project that is already in memory (an example, a recovered file).
    void setProject(Project project, const QString& displayName);
    const std::optional<Project>& project() const { return m_project; }

private:
    void chooseProject();
    void showAbout();
    void refresh();

    std::optional<Project> m_project;
    QString m_displayName;
    QLabel* m_summary = nullptr;
};

} // namespace normad::ui
