#pragma once

#include "normad/Cancellation.h"
#include "normad/Project.h"

#include <cstddef>
#include <vector>

namespace normad::ui {

/// Topology edits that keep a project consistent: the network is rebuilt through Network's
/// validating constructor (so a too-large network is refused with its GiB estimate), every
/// pattern's rasters follow the input and output counts, and weights are kept where they still fit.
namespace reshape {

/// Where each new LIF layer came from: ofLayer(origin, l) is the old layer number (1 … L_old) of new
/// layer l, or 0 for a new layer / a layer whose weights must be redrawn.
using LayerOrigin = std::vector<int>;

/// The identity origin of a network with `layers` LIF layers.
LayerOrigin identity(int layers);

/// Replaces the project's network by one with `inputs` inputs and `layers`.
/// Weights: a layer keeps its old matrix when its origin is non-zero and the matrix shape
/// (N_l × N_{l−1}) is unchanged; every other layer is redrawn from its WeightInit exactly as a fresh
/// project with the same seed would draw it (Network::initializeWeights(seed)).
/// Task: every pattern's input raster is resized to `inputs` trains and its desired raster to the
/// new output count; new neurons get empty trains, removed neurons (the last ones) are dropped.
/// History: when any size changes (inputs, a layer, the number of layers) the training history is
/// cleared, since it describes another network; moving a layer of the same size keeps it.
/// Throws std::invalid_argument (from Network) on an invalid or too-large topology.
/// With `cancel` raised while the weights are drawn it returns false and leaves `project` as it was
/// (a large network is built by a background job the user may cancel).
bool apply(Project& project, int inputs, std::vector<LayerSpec> layers, const LayerOrigin& origin,
           const CancelFlag* cancel = nullptr);

/// Spikes that resizing every pattern to `inputs` inputs and `outputs` outputs would delete.
std::size_t spikesLost(const Task& task, int inputs, int outputs);

} // namespace reshape
} // namespace normad::ui
