#include "normad/ui/AutosaveFeature.h"

#include "normad/ui/Autosave.h"
#include "normad/ui/TrainingController.h"

namespace normad::ui {

AutosaveFeature::AutosaveFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_autosave = new Autosave(shell.document(), this);
    connect(m_autosave, &Autosave::failed, this,
            [this](const QString& message) { this->shell().showMessage(message, 15000); });
    // A long training run checkpoints beside the autosave, under the same session lock: a crash
    // leaves it for the next start to continue (Autosave::offerRecovery).
    if (TrainingController* training = shell.training())
        training->setCheckpointFile(m_autosave->checkpointFile());
}

} // namespace normad::ui
