#pragma once

#include "normad/Project.h"

#include <string>

// Export ▸ Brian2 script (docs/exports.md): a standalone, readable Python script that builds a
// project's network in Brian2 with its weights, feeds it one pattern's input spikes, runs one trial
// and plots the raster of every layer. It reproduces `normad simulate PROJECT --pattern K` spike for
// spike: same integration over a step (exact or Heun), reset, refractoriness, synaptic kernel and
// the engine's order of operations within a step (Simulator.h). The command line and the workbench
// share this one generator.

namespace normad {

/// The Brian2 script of `project` (its weights must be present: call ensureWeights() first) driven by
/// pattern `pattern` (0-based). No date or path inside, so the same project gives the same text.
/// Throws std::invalid_argument, naming the field and the value, for a project without inline
/// patterns (a dataset project), a pattern index out of range, non-finite weights, an input spike
/// outside the trial or two spikes of one input in the same step (Brian2's SpikeGeneratorGroup
/// refuses them, the engine would add both).
std::string brian2Script(const Project& project, int pattern);

/// Writes brian2Script() of `project` (weights drawn from its seed if it has none) to `path`
/// atomically. Throws std::invalid_argument as brian2Script(), std::runtime_error if it cannot write.
void exportBrian2Script(Project project, int pattern, const std::string& path);

} // namespace normad
