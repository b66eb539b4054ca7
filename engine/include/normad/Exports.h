#pragma once

#include "normad/Cancellation.h"
#include "normad/EpochMetrics.h"
#include "normad/Npz.h"
#include "normad/Project.h"
#include "normad/SpikeTrain.h"

#include <string>
#include <vector>

// Exports of what the engine holds, for other tools (docs/exports.md). Every writer is atomic
// (writeFileAtomically) and every file records the seed, dt, the parameters and the version.

namespace normad {

/// File formats, chosen from a file name's extension (case-insensitive).
enum class ExportFormat { Npz, Csv, Json };
/// Throws std::invalid_argument naming the file if the extension is not one of `allowed`.
ExportFormat exportFormatOf(const std::string& path, const std::vector<ExportFormat>& allowed);

// --- run manifest and training log ---------------------------------------------------------

/// The run manifest, JSON: program and version, seed, dt, the number of epochs trained, what the
/// export holds (`what`, e.g. "weights") and every parameter of the project (the project file's
/// keys, without the spike trains, weights and history, which are summarised as counts).
std::string runManifestJson(const Project& project, const std::string& what);
/// Per-epoch training log: epoch,mean_correlation,min_correlation,van_rossum,spike_count_error,
/// missing,extra,cost,converged,seconds, then c_pattern{k} and rate_layer{l}_hz. One row per epoch.
std::string trainingLogCsv(const std::vector<EpochMetrics>& history, int patternCount, int layerCount);
/// Sidecar names of an export: "out/weights.npz" → "out/weights.manifest.json", "out/weights.log.csv".
std::string manifestPathFor(const std::string& exportPath);
std::string trainingLogPathFor(const std::string& exportPath);
/// Writes the manifest and the training log beside an exported file.
void writeExportSidecars(const Project& project, const std::string& exportPath, const std::string& what);

// --- weights --------------------------------------------------------------------------------

/// .npz: `layer{k}.weight`, float64 [n_out, n_in] in amperes for k = 1 … L (the engine's layer
/// numbers; row i = postsynaptic neuron, PyTorch nn.Linear layout), and `metadata`: a 0-d unicode
/// array holding the run manifest plus units, dt, neuron parameters per layer and the keys
/// (numpy: `json.loads(str(np.load(f)["metadata"]))`).
NpzArchive weightsNpz(const Project& project);
/// CSV: `layer,post,pre,weight_A` (round-trip precision), one row per synapse.
std::string weightsCsv(const Project& project);
/// JSON: {"metadata": {…}, "layers": [{"key", "layer", "shape", "weights_A": [[…]]}]}.
std::string weightsJson(const Project& project);
/// Writes the weights in the format of the extension (.npz, .csv, .json) plus the sidecars.
/// Draws the weights from the seed first if the project carries none. Throws std::invalid_argument
/// for a project without a LIF layer (nothing to export).
void exportWeights(Project project, const std::string& path);

// --- spike trains ---------------------------------------------------------------------------

/// Which population of which pattern a spike export holds.
struct SpikeSource {
    enum class Kind { Inputs, Desired, Layer };
    Kind kind = Kind::Inputs;
    int pattern = 0; ///< 0-based pattern index
    int layer = 0;   ///< Kind::Layer: 1 … L, recorded by a forward pass with the project's weights

    /// "inputs", "desired", "layer2"; throws std::invalid_argument for anything else.
    static SpikeSource parse(const std::string& text, int pattern = 0);
    std::string toString() const;
};

/// The spike trains of `source` (for Kind::Layer: a forward pass of the pattern; throws
/// std::runtime_error if it does not complete). Throws std::invalid_argument for a bad index.
SpikeRaster spikesOf(const Project& project, const SpikeSource& source, const CancelFlag* cancel = nullptr);

/// CSV `neuron,time_s`, sorted by time then neuron; times in the shortest text that reads back as
/// the same double. With `dt` > 0, times on its grid are written as stepTime() gives them (0.0174,
/// not 0.017400000000000002).
std::string spikesCsv(const SpikeRaster& raster, double dt = 0.0);
/// .npz in Brian2's SpikeGeneratorGroup layout: `indices` int64 [n], `times` float64 [n] seconds
/// (sorted by time then neuron), `n_neurons` int64 0-d, and `metadata` (0-d unicode, JSON).
NpzArchive spikesNpz(const SpikeRaster& raster, const std::string& metadataJson);
/// Writes the spikes of `source` (.csv or .npz) plus the sidecars.
void exportSpikes(const Project& project, const SpikeSource& source, const std::string& path,
                  const CancelFlag* cancel = nullptr);
/// Writes `raster` (.csv or .npz); `metadataJson` goes into the .npz; `dt` as for spikesCsv.
void writeSpikes(const SpikeRaster& raster, const std::string& path, const std::string& metadataJson = "{}",
                 double dt = 0.0);

/// Reads spike trains from CSV (header `neuron,time_s`) or .npz
/// (`indices` and `times`, seconds; integer or float arrays). With `neuronCount` ≥ 0 the raster has
/// that many trains and an index beyond it is refused; with −1 it has max index + 1 (or
/// `n_neurons` from an .npz). Trains come back sorted. Throws std::invalid_argument naming the
/// file, the line or array and the value: bad header, non-numeric field, negative or non-finite
/// time, negative or out-of-range index, mismatched lengths, and with `trial` a time outside it
/// (insideTrial). A CSV is streamed (lines of at most 4096 bytes) and checked whole before the
/// raster is sized; throws MemoryBudgetError naming the file when the raster would not fit in memory.
SpikeRaster importSpikes(const std::string& path, int neuronCount = -1, const SimulationParams* trial = nullptr);
SpikeRaster spikesFromCsv(const std::string& text, const std::string& source, int neuronCount = -1,
                          const SimulationParams* trial = nullptr);
SpikeRaster spikesFromNpz(const NpzArchive& archive, const std::string& source, int neuronCount = -1,
                          const SimulationParams* trial = nullptr);

} // namespace normad
