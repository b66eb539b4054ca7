#pragma once

#include "normad/ui/WorkbenchFeature.h"

class QUndoView;

namespace normad::ui {

/// The History dock (View ▸ History, Ctrl+H): every undoable step of the project by name; clicking
/// one goes back (or forward) to it. It starts as a tab behind the run settings.
class UndoHistoryFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit UndoHistoryFeature(WorkbenchShell& shell);

    QUndoView* view() const { return m_view; }

private:
    QUndoView* m_view;
};

} // namespace normad::ui
