#pragma once

#include "normad/ui/WorkbenchFeature.h"

class QAction;

namespace normad::ui {

/// File ▸ Import ▸ Image as Spike Raster…: an image as the input or desired trains of a pattern
/// (ImageImportDialog, on the task designer's selected pattern).
class ImageImportFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit ImageImportFeature(WorkbenchShell& shell);

    QAction* importAction() const { return m_import; }
    /// Opens the image import dialog (modal); refused while training runs.
    void importImage();

private:
    QAction* m_import;
};

} // namespace normad::ui
