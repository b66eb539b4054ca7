// Builds without the GUI (NORMAD_BUILD_GUI=OFF) have no plot renderer.

#include "CliPlots.h"

#include <stdexcept>

namespace normad::cli {

bool plotsAvailable()
{
    return false;
}

std::vector<std::string> writePlots(const Project&, const std::vector<EpochMetrics>&, const std::string&)
{
    throw std::invalid_argument("--plots: this build of normad has no plot renderer (configured with "
                                "NORMAD_BUILD_GUI=OFF)");
}

std::vector<std::string> writeSamplePreview(const SpikeRaster&, double, const Dataset&, std::size_t, const std::string&,
                                            const std::string&)
{
    return {}; // plotsAvailable() is false: the preview writes its CSV files only
}

} // namespace normad::cli
