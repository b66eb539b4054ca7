#pragma once

#include "normad/Dataset.h"
#include "normad/EpochMetrics.h"
#include "normad/Project.h"

#include <string>
#include <vector>

namespace normad::cli {

/// True when this build can render plots (built with the GUI: Qt Widgets + QCustomPlot).
bool plotsAvailable();
/// `normad train --plots DIR`: the learning curves, final rasters and membrane traces of a trained
/// project as PNG/PDF + CSV, rendered offscreen. Returns the files written.
std::vector<std::string> writePlots(const Project& trained, const std::vector<EpochMetrics>& history,
                                    const std::string& folder);

/// `normad dataset preview`: `inputs` as a raster PNG (raster.png, titled `title`; x in ms over
/// [0, duration]) and, for an image dataset, the sample's pixels (image.png, enlarged). Returns the
/// files written.
std::vector<std::string> writeSamplePreview(const SpikeRaster& inputs, double duration, const Dataset& data,
                                            std::size_t sample, const std::string& title, const std::string& folder);

} // namespace normad::cli
