#pragma once

#include "normad/ui/BackgroundJob.h"

#include "normad/EncodedDataset.h"
#include "normad/Pattern.h"

#include <QImage>
#include <QString>
#include <QWidget>

#include <cstddef>
#include <memory>
#include <vector>

class QComboBox;
class QCustomPlot;
class QLabel;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace normad::ui {

/// The samples of one split as the panel browses them.
struct SampleSet {
    QString name;                                  ///< "training", "validation", "test"
    std::shared_ptr<const EncodedDataset> encoded; ///< its dataset, scaling and encoding
    std::vector<std::size_t> samples;              ///< indices into encoded->dataset(), in browsing order
    /// Trial length T the samples are encoded for, s: the raster's time axis spans [0, T], so where a
    /// sample's spikes fall in the trial can be read off and compared between samples and encodings.
    double duration = 0;
};

/// A dataset task at a glance: where the data come from, how many samples each class has in each
/// split, and a sample browser that shows one sample as the data hold it (the image, nearest
/// neighbour scaled, or the feature vector as bars) beside its input spike raster. The raster is
/// encoded off the GUI thread (BackgroundJob), so a slow encoding never blocks the window.
class DatasetPanel : public QWidget {
    Q_OBJECT

public:
    explicit DatasetPanel(QWidget* parent = nullptr);

    /// Shows `sets` (each with a non-null `encoded`); `description` names the source (format, files).
    void setSource(const QString& description, std::vector<SampleSet> sets);
    void clear();

    /// Browses sample `position` of set `set` (clamped to the set).
    void showSample(int set, int position);
    int currentSet() const;
    int currentPosition() const;
    /// Index into the current set's dataset of the sample shown; SIZE_MAX when nothing is shown.
    std::size_t currentSample() const;
    const std::vector<SampleSet>& sets() const { return m_sets; }

    QString description() const;
    /// Rows: classes (then a total); columns: the sets.
    QTableWidget* classCountTable() const { return m_counts; }
    /// The shown sample's image at its own size (null for a feature table).
    QImage shownImage() const { return m_image; }
    /// Bars of the shown feature vector (0 for an image).
    int shownFeatureCount() const;
    /// Spikes in the shown input raster (0 until the encoding arrives).
    int rasterSpikeCount() const;
    QCustomPlot* rasterPlot() const { return m_raster; }
    QCustomPlot* featurePlot() const { return m_features; }

signals:
    /// The raster of `sample` (index into the current set's dataset) is on screen.
    void sampleEncoded(std::size_t sample);
    /// Encoding a sample failed (a user-facing message).
    void failed(const QString& message);

private:
    void updateCounts();
    void showCurrent();
    void showRaster(const Pattern& pattern, std::size_t sample);

    std::vector<SampleSet> m_sets;
    QLabel* m_description = nullptr;
    QTableWidget* m_counts = nullptr;
    QComboBox* m_set = nullptr;
    QSpinBox* m_position = nullptr;
    QLabel* m_sampleInfo = nullptr;
    QStackedWidget* m_view = nullptr;
    QLabel* m_imageLabel = nullptr;
    QCustomPlot* m_features = nullptr;
    QCustomPlot* m_raster = nullptr;
    QImage m_image;
    BackgroundJob<Pattern> m_encoding;
};

} // namespace normad::ui
