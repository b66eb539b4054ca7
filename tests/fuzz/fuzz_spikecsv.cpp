// libFuzzer harness of the spike CSV reader (spikesFromCsv, Exports.h: header `neuron,time_s`):
// any bytes as a CSV, read twice — with the population and trial taken from the file, and into a
// population of 3 neurons and a trial of 0.1 s on a 0.1 ms grid. Refusals (std::invalid_argument,
// MemoryBudgetError) are the expected outcome of bad input; anything else escaping is a finding,
// and so is an accepted spike outside the trial or a raster of the wrong size.

#include "FuzzSupport.h"

#include "normad/Exports.h"
#include "normad/MemoryBudget.h"
#include "normad/SimulationParams.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace {

void check(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "accepted spike trains break a promise of spikesFromCsv: %s\n", what);
        std::abort();
    }
}

void read(const std::string& text, int neuronCount, const normad::SimulationParams* trial)
{
    normad::SpikeRaster raster;
    try {
        raster = normad::spikesFromCsv(text, "fuzz.csv", neuronCount, trial);
    } catch (const std::invalid_argument& e) {
        normad::fuzz::refused(e);
        return;
    } catch (const normad::MemoryBudgetError& e) {
        normad::fuzz::refused(e);
        return;
    }
    if (neuronCount >= 0)
        check(raster.size() == static_cast<std::size_t>(neuronCount), "the raster has the population's size");
    for (const normad::SpikeTrain& train : raster)
        for (std::size_t i = 0; i < train.size(); ++i) {
            check(std::isfinite(train[i]) && train[i] >= 0, "times are finite and not negative");
            check(i == 0 || train[i - 1] <= train[i], "each train is sorted");
            check(!trial || train[i] < trial->duration, "times lie inside the trial");
        }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(normad::fuzz::bytesOf(data, size));
    read(text, -1, nullptr);
    normad::SimulationParams trial;
    trial.dt = 1e-4;
    trial.duration = 0.1;
    read(text, 3, &trial);
    return 0;
}
