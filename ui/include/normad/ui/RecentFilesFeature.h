#pragma once

#include "normad/ui/WorkbenchFeature.h"

class QMenu;

namespace normad::ui {

class RecentFiles;

/// File ▸ Open Recent: every project file the window opens or saves goes to the top of the list
/// (RecentFiles, kept across sessions); choosing one opens it after asking about unsaved changes.
class RecentFilesFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit RecentFilesFeature(WorkbenchShell& shell);

    RecentFiles* recentFiles() const { return m_recent; }
    /// The Open Recent submenu.
    QMenu* recentMenu() const { return m_menu; }

private:
    RecentFiles* m_recent;
    QMenu* m_menu;
};

} // namespace normad::ui
