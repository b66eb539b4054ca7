#pragma once

#include "normad/DatasetTask.h"
#include "normad/Project.h"

#include <string>

// Export ▸ Brian2 script (docs/exports.md): a standalone, readable Python script that builds a
// project's network in Brian2 with its weights, feeds it one pattern's input spikes, runs one trial
// and plots the raster of every layer. It reproduces `normad simulate PROJECT --pattern K` spike for
// spike: same integration over a step (exact or Heun), reset, refractoriness, synaptic kernel and
// the engine's order of operations within a step (Simulator.h). A dataset project's script presents
// one sample of a split, encoded as training encodes it, and reproduces `normad simulate PROJECT
// --sample K --split S`. The command line and the workbench share this one generator.

namespace normad {

/// The Brian2 script of `project` (its weights must be present: call ensureWeights() first) driven by
/// pattern `pattern` (0-based). No date or path inside, so the same project gives the same text.
/// Throws std::invalid_argument, naming the field and the value, for a dataset project (its samples
/// need the loaded data: the overload below), a pattern index out of range, non-finite weights, an
/// input spike outside the trial or two spikes of one input in the same step (Brian2's
/// SpikeGeneratorGroup refuses them, the engine would add both).
std::string brian2Script(const Project& project, int pattern);

/// The Brian2 script of a dataset project driven by sample `position` (0-based, in the order of
/// data.patterns(split), as `normad simulate --sample` and Python's simulate() number it) of
/// `split`, encoded by `data` (LoadedDataset::load of project.dataset). The docstring names the
/// sample, its index in the data file and its class. Throws std::invalid_argument as above, and for
/// a project without task.dataset, a position outside the split or a network whose input or output
/// count does not match the data.
std::string brian2Script(const Project& project, const LoadedDataset& data, Split split, int position);

/// Writes brian2Script() of `project` (weights drawn from its seed if it has none) to `path`
/// atomically. Throws std::invalid_argument as brian2Script(), std::runtime_error if it cannot write.
void exportBrian2Script(Project project, int pattern, const std::string& path);
/// The same for sample `position` of `split` of a dataset project.
void exportBrian2Script(Project project, const LoadedDataset& data, Split split, int position, const std::string& path);

} // namespace normad
