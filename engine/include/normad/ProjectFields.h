#pragma once

// One field of a project addressed by its path in the project file (docs/project-format.md):
// `seed`, `simulation.dt_s`, `training.maxEpochs`, `network.layers[1].learningRate_A`,
// `network.layers[0].neuron.threshold_V`, `task.patterns[0].desired_s`, … A described field (the
// struct schemas) is set directly, checked against its description and its struct's validate(); a
// compound value (a layer list, a raster) is read by the project file's own section readers. Either
// way the value is validated exactly as when a file is loaded, and nothing else of the project is
// serialised.

#include "normad/Project.h"
#include "normad/Schema.h"

#include <string>
#include <string_view>

namespace normad {

/// Checks that `path` names a settable field of the project format, without a project (indices are
/// not checked). Returns "" or the reason it is refused.
std::string checkFieldPath(std::string_view path);
/// checkFieldPath plus the JSON type of `json` (a JSON value as text) against the field's. Ranges
/// are not checked: they are checked when the value is set. Returns "" or the reason.
std::string checkFieldValue(std::string_view path, std::string_view json);

/// Sets the field at `path` to `json`, a JSON value as text ("1e-4", "true", "\"joint\"",
/// "[[0.06]]"). Throws std::invalid_argument naming the path (and the value): unknown field, index
/// out of range, wrong type, or a value loading would refuse; `project` is then unchanged. Setting
/// a key of a layer's `neuron` creates the layer's override; setting a key of `network.neuron`
/// changes every layer that does not override it.
void setFieldJson(Project& project, std::string_view path, std::string_view json);
/// As setFieldJson with a scalar value (a string is a choice's name or a text).
void setField(Project& project, std::string_view path, const FieldValue& value);

/// The value of the field at `path` as JSON text (a layer's neuron key: the value in effect for that
/// layer). Throws std::invalid_argument if the path names nothing in this project.
std::string getField(const Project& project, std::string_view path);

} // namespace normad
