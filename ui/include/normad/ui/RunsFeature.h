#pragma once

#include "normad/ui/WorkbenchFeature.h"

class QAction;
class QMenu;

namespace normad::ui {

class RunHistory;
class RunsPanel;

/// Issue 6, "Baselines and comparison": keeps every finished session as a run (RunHistory), adds
/// the Runs dock (RunsPanel, hidden until the user shows it: it never opens by itself),
/// Training ▸ Bookmark Weights / Branch from Bookmark / Runs and View ▸ Runs. The panel's plot
/// exports leave as RunsPanel::exportRequested.
class RunsFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit RunsFeature(WorkbenchShell& shell);

    RunHistory* history() const { return m_history; }
    RunsPanel* panel() const { return m_panel; }
    QAction* bookmarkAction() const { return m_bookmark; }
    QMenu* branchMenu() const { return m_branch; }

private:
    void bookmark();
    void fillBranchMenu();
    void runsChanged();

    RunHistory* m_history;
    RunsPanel* m_panel;
    QAction* m_bookmark;
    QMenu* m_branch;
};

} // namespace normad::ui
