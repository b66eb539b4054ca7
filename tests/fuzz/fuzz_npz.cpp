// libFuzzer harness of the .npz reader (NpzArchive::fromBytes, Npz.h) and of the spike trains read
// from an archive (spikesFromNpz, Exports.h). Refusals — NpzError and MemoryBudgetError from the
// archive, std::invalid_argument and MemoryBudgetError from the spike reader — are the expected
// outcome of bad input; anything else escaping is a finding, and so is an array whose data does not
// match its shape.

#include "FuzzSupport.h"

#include "normad/Exports.h"
#include "normad/MemoryBudget.h"
#include "normad/Npz.h"
#include "normad/SimulationParams.h"

#include <cstdio>
#include <cstdlib>

namespace {

void check(bool ok, const std::string& what)
{
    if (!ok) {
        std::fprintf(stderr, "an accepted archive breaks a promise of NpzArchive: %s\n", what.c_str());
        std::abort();
    }
}

void readSpikes(const normad::NpzArchive& archive, int neuronCount, const normad::SimulationParams* trial)
{
    try {
        const normad::SpikeRaster raster = normad::spikesFromNpz(archive, "fuzz.npz", neuronCount, trial);
        if (neuronCount >= 0)
            check(raster.size() == static_cast<std::size_t>(neuronCount), "the raster has the population's size");
    } catch (const std::invalid_argument& e) {
        normad::fuzz::refused(e);
    } catch (const normad::MemoryBudgetError& e) {
        normad::fuzz::refused(e);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    normad::NpzArchive archive;
    try {
        archive = normad::NpzArchive::fromBytes(std::string(normad::fuzz::bytesOf(data, size)), "fuzz.npz");
    } catch (const normad::NpzError& e) {
        normad::fuzz::refused(e);
        return 0;
    } catch (const normad::MemoryBudgetError& e) {
        normad::fuzz::refused(e);
        return 0;
    }
    for (const auto& [name, array] : archive.entries()) {
        const std::int64_t n = array.elementCount();
        switch (array.kind()) {
        case normad::NpyArray::Kind::Float:
            check(array.doubles().size() == static_cast<std::size_t>(n), "array '" + name + "': data matches shape");
            break;
        case normad::NpyArray::Kind::Integer:
            check(array.integers().size() == static_cast<std::size_t>(n), "array '" + name + "': data matches shape");
            break;
        case normad::NpyArray::Kind::String:
            break;
        }
    }
    readSpikes(archive, -1, nullptr);
    normad::SimulationParams trial;
    trial.dt = 1e-4;
    trial.duration = 0.1;
    readSpikes(archive, 3, &trial);
    return 0;
}
