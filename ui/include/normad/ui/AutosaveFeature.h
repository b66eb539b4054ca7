#pragma once

#include "normad/ui/WorkbenchFeature.h"

namespace normad::ui {

class Autosave;

/// Autosave of the window's project to a recovery file (Autosave); a failed autosave is reported
/// in the status bar. (Recovery is offered by the application at start: Autosave::offerRecovery.)
class AutosaveFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit AutosaveFeature(WorkbenchShell& shell);

    Autosave* autosave() const { return m_autosave; }

private:
    Autosave* m_autosave;
};

} // namespace normad::ui
