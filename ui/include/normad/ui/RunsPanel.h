#pragma once

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace normad::ui {

class RunCurveOverlay;
class RunHistory;
class RunRasterOverlay;

/// The Runs dock: every kept run with a checkbox (shown in the comparison) and an editable name,
/// the bookmarks to branch from, and the two comparison plots (learning curves, final rasters).
class RunsPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunsPanel(RunHistory* history, QWidget* parent = nullptr);

    RunHistory* history() const { return m_history; }
    QTreeWidget* runList() const { return m_list; }
    QComboBox* bookmarkChooser() const { return m_bookmarks; }
    QPushButton* bookmarkButton() const { return m_bookmark; }
    QPushButton* branchButton() const { return m_branch; }
    RunCurveOverlay* curves() const { return m_curves; }
    RunRasterOverlay* rasters() const { return m_rasters; }

    /// Branches from the bookmark chosen in the panel; shows a message box if it cannot.
    void branchFromChosen();

signals:
    /// "Export…" was chosen for one of the comparison plots.
    void exportRequested(QCustomPlot* plot, const QString& name);

private:
    void rebuildList();
    void updateItem(int index);
    void rebuildBookmarks();
    void replot();
    void itemChanged(QTreeWidgetItem* item, int column);

    RunHistory* m_history;
    QTreeWidget* m_list = nullptr;
    QComboBox* m_bookmarks = nullptr;
    QPushButton* m_bookmark = nullptr;
    QPushButton* m_branch = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_export = nullptr;
    RunCurveOverlay* m_curves = nullptr;
    RunRasterOverlay* m_rasters = nullptr;
    bool m_filling = false;
};

} // namespace normad::ui
