#pragma once

#include "normad/EpochMetrics.h"
#include "normad/Project.h"

#include <string>
#include <vector>

namespace normad::ui {

/// Renders the workbench's plots of a trained project without a window (`normad train --plots`):
/// learning curves of `history`, and for every pattern the final rasters (inputs, hidden, output with
/// desired spikes) and the output layer's membrane potentials, each as PNG and PDF with the CSV of
/// exactly the plotted data beside it. Needs a QApplication (the offscreen platform is fine).
/// Returns the files written; throws std::runtime_error naming a file that could not be written.
std::vector<std::string> writeTrainingPlots(const Project& trained, const std::vector<EpochMetrics>& history,
                                            const std::string& folder);

} // namespace normad::ui
