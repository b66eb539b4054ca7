#pragma once

// Internal: the parts of the project file (docs/project-format.md) as readers and writers of JSON, so
// that a single field or section can be read or written alone: by the project file (ProjectIo.cpp),
// the export manifest (Exports.cpp) and the edits by path (ProjectFields.cpp). Every reader names the
// JSON path of a refused value; every section is validated as when a whole file is loaded.

#include "FieldJson.h"
#include "JsonReader.h"

#include "normad/Project.h"

#include <Eigen/Core>

#include <cstddef>
#include <string>

namespace normad::detail {

// --- Document → Project ------------------------------------------------------------------------

/// A neuron object (network.neuron or a layer's override): the keys present replace those of `base`.
LifParams readNeuron(const JsonReader& r, const Json& n, const std::string& path, LifParams base);
/// One entry of network.layers without its weights; the neuron is `base` plus the layer's override.
LayerSpec readLayerSpec(const JsonReader& r, const Json& l, const std::string& path, const LifParams& base);
/// The `network` object: inputs, neuron, layers and (all or none) weights, into project.network and
/// project.hasWeights; the synapse is kept.
void readNetworkObject(const JsonReader& r, const Json& n, Project& project);
/// A weight matrix `rows` × `cols` as rows; `below` names the presynaptic population in messages.
Eigen::MatrixXd readWeights(const JsonReader& r, const Json& v, const std::string& path, int rows, int cols,
                            const std::string& below);
/// A raster of `count` trains, each checked against the trial of `sim`.
SpikeRaster readRaster(const JsonReader& r, const Json& v, const std::string& path, std::size_t count,
                       const std::string& population, const SimulationParams& sim, bool oneSpikePerStep);
/// task.dataset (checked with DatasetTaskSpec::validate against `simulation`).
DatasetTaskSpec readDatasetTask(const JsonReader& r, const Json& d, const SimulationParams& simulation);
/// The training object (checked with TrainingParams::validate).
TrainingParams readTraining(const JsonReader& r, const Json& t);

// --- Project → document ------------------------------------------------------------------------

OrderedJson neuronJson(const LifParams& p, const std::string& path);
/// The members of `layer` that differ from `base` (the network-wide neuron).
OrderedJson neuronOverride(const LifParams& layer, const LifParams& base, const std::string& path);
/// One entry of network.layers without its weights.
OrderedJson layerJson(const LayerSpec& spec, const LifParams& base, const std::string& path);
OrderedJson rasterJson(const SpikeRaster& raster, const std::string& path);
OrderedJson trainingJson(const TrainingParams& t);
/// task.dataset in the documented order.
OrderedJson datasetTaskJson(const DatasetTaskSpec& spec);
/// The `network` object; with `weights`, weights_A of every layer if the project carries weights.
OrderedJson networkJson(const Project& project, bool weights);

/// What projectDocument() writes besides the settings.
struct DocumentParts {
    bool generator = true; ///< the "generator" line (program and version)
    bool weights = true;   ///< weights_A, if the project carries weights
    bool spikes = true;    ///< the patterns' spike times; false: their spike counts instead
    bool history = true;   ///< the training history
};
/// The project as a document of the file format; throws std::invalid_argument naming the field of a
/// value JSON cannot hold.
OrderedJson projectDocument(const Project& project, DocumentParts parts = {});

} // namespace normad::detail
