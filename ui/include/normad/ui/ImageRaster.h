#pragma once

#include "normad/ui/ProjectDocument.h"

#include "normad/SpikeTrain.h"

#include <QImage>
#include <QString>

#include <cstdint>

namespace normad::ui {

/// How an image becomes a spike raster: rows are neurons, columns are time.
struct ImageRasterOptions {
    int neuronCount = 1;    ///< rows of the raster; the image is scaled to this many rows
    double duration = 0.5;  ///< trial length T, seconds: the image's width spans [0, T)
    double dt = 1e-4;       ///< grid step, seconds: every spike lands on n·dt
    int threshold = 128;    ///< luminance 0–255: a pixel darker than this is a spike
    bool invert = false;    ///< light pixels are spikes (luminance inverted before the threshold)
    double jitter = 0.0;    ///< σ of a Gaussian shift of every spike, seconds (0 = none)
    std::uint64_t seed = 1; ///< seeds the jitter: same image, options and seed → same raster
    /// A spike closer than this to the previous one kept on its neuron is dropped, seconds
    /// (0 = keep all). For desired trains use Rp + dt: the earliest spike the neuron can fire again.
    double minInterval = 0.0;
};

/// The raster and what the conversion had to give up.
struct ImageRasterResult {
    SpikeRaster raster;
    int columns = 0;             ///< columns of the scaled image (≤ the number of time steps)
    long long pixelsOn = 0;      ///< pixels past the threshold in the scaled image
    long long mergedSpikes = 0;  ///< spikes that fell into a step already holding one (after jitter)
    long long droppedSpikes = 0; ///< spikes closer than minInterval to the previous kept one
};

/// The image as the raster sees it: composited over white, scaled (smoothly) to `neuronCount`
/// rows and min(width, T/dt) columns, as 8-bit grey. Row i = neuron i, column c = time bin c.
QImage rasterImage(const QImage& image, int neuronCount, std::int64_t steps);

/// Converts `image` to spike trains (pure: no widgets, no document). Column c of the scaled image
/// (W columns) is the time bin starting at step floor(c·steps/W); a pixel past the threshold puts a
/// spike at that step. Then, per neuron in ascending order, each spike moves by N(0, jitter) drawn
/// from one std::mt19937_64 seeded with `seed` (clamped into the trial, snapped to dt); spikes sharing
/// a step merge; spikes closer than `minInterval` to the last kept one are dropped. Throws
/// std::invalid_argument naming the option for a null image or an invalid option.
ImageRasterResult imageToRaster(const QImage& image, const ImageRasterOptions& options);

/// Where an imported raster goes.
struct ImageRasterTarget {
    int pattern = 0;        ///< pattern index; −1 = a new pattern appended (its other trains empty)
    bool desired = false;   ///< desired output trains instead of the inputs
    QString newPatternName; ///< name of the new pattern (pattern = −1)
};

/// Puts `raster` into the project as ONE undoable edit ("Import image as …"). Returns the
/// refusal (the document validates: sizes, spikes inside the trial, one desired spike per step),
/// empty on success.
QString applyImageRaster(ProjectDocument& document, const ImageRasterTarget& target, const SpikeRaster& raster);

} // namespace normad::ui
