#include "normad/ui/ImageImportFeature.h"

#include "normad/ui/ImageImportDialog.h"
#include "normad/ui/TaskDesigner.h"
#include "normad/ui/TrainingController.h"

#include <QAction>
#include <QMainWindow>
#include <QMessageBox>

namespace normad::ui {

ImageImportFeature::ImageImportFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_import = new QAction(tr("&Image as Spike Raster…"), this);
    connect(m_import, &QAction::triggered, this, &ImageImportFeature::importImage);
    addMenuAction(Menu::Import, m_import);
}

void ImageImportFeature::importImage()
{
    QWidget* window = shell().window();
    if (shell().training()->isActive()) {
        QMessageBox::information(window, tr("Import Image"), tr("Stop training to edit the task."));
        return;
    }
    auto* task = qobject_cast<TaskDesigner*>(shell().tab(Tab::Task));
    ImageImportDialog dialog(shell().document(), task ? task->currentPattern() : 0, window);
    dialog.exec();
}

} // namespace normad::ui
