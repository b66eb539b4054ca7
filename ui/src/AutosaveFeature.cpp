#include "normad/ui/AutosaveFeature.h"

#include "normad/ui/Autosave.h"

namespace normad::ui {

AutosaveFeature::AutosaveFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_autosave = new Autosave(shell.document(), this);
    connect(m_autosave, &Autosave::failed, this,
            [this](const QString& message) { this->shell().showMessage(message, 15000); });
}

} // namespace normad::ui
