#pragma once

#include "normad/ui/ImageRaster.h"

#include <QDialog>
#include <QImage>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSlider;
class QSpinBox;

namespace normad::ui {

class ProjectDocument;

/// Task ▸ Import image…, File ▸ Import ▸ Image as Spike Raster…: an image (PNG, JPEG, anything
/// QImage reads) becomes the input or desired trains of a pattern, rows = neurons, columns = time.
/// Shows the image and the raster it gives; applying is one undoable edit (applyImageRaster).
class ImageImportDialog : public QDialog {
    Q_OBJECT

public:
    /// `pattern`: the pattern selected in the task designer (the default target).
    ImageImportDialog(ProjectDocument* document, int pattern, QWidget* parent = nullptr);

    /// Loads an image file; false with a message in the status line if it cannot be read.
    bool loadImage(const QString& path);
    void setImage(const QImage& image);
    /// Target choices: pattern index (−1 = new pattern) and which trains.
    void setTarget(int pattern, bool desired);
    ImageRasterTarget target() const;
    ImageRasterOptions options() const;
    /// The conversion the preview shows (empty raster without an image).
    const ImageRasterResult& result() const { return m_result; }
    /// The line under the previews: raster size, spikes, spikes dropped to keep the spacing.
    QString summary() const;
    /// Applies the preview to the document as one undoable edit; returns the refusal or "".
    QString apply();

private:
    void chooseFile();
    void targetChanged();
    void updatePreview();

    ProjectDocument* m_doc;
    QImage m_image;
    ImageRasterResult m_result;
    QString m_error;

    QLineEdit* m_path = nullptr;
    QLabel* m_imagePreview = nullptr;
    QLabel* m_rasterPreview = nullptr;
    QComboBox* m_pattern = nullptr;
    QComboBox* m_trains = nullptr;
    QSlider* m_thresholdSlider = nullptr;
    QSpinBox* m_threshold = nullptr;
    QCheckBox* m_invert = nullptr;
    QDoubleSpinBox* m_jitter = nullptr;
    QSpinBox* m_seed = nullptr;
    QDoubleSpinBox* m_minInterval = nullptr;
    QLabel* m_summary = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace normad::ui
