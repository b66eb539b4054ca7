#pragma once

#include "normad/Project.h"

#include <QJsonValue>
#include <QString>

namespace normad::ui {

/// One field of a project addressed by its path in the project file (docs/project-format.md), e.g.
/// `training.rules.normad.effectiveTimeConstant_s` or `network.layers[1].learningRate_A`: Qt-typed wrappers of the
/// engine's normad::setField / getField / checkFieldPath (normad/ProjectFields.h), which set one
/// field through the struct schemas and validate it exactly as when a file is loaded.
namespace projectfield {

/// Checks a path and a value's JSON type against the project format without a project (a lesson
/// is checked when it is loaded). Returns an empty string, or the reason it is refused.
QString check(const QString& path, const QJsonValue& value);
/// Checks only the path (the field exists in the project format). Empty string or the reason.
QString checkPath(const QString& path);

/// A copy of `project` with the field at `path` set to `value`. Throws std::invalid_argument naming
/// the path: unknown field, index out of range, wrong type, or a value the project format refuses.
/// A per-layer neuron override (`network.layers[0].neuron.threshold_V`) is created if absent.
Project withField(const Project& project, const QString& path, const QJsonValue& value);

/// The current value of a field (for messages and tests); Undefined if the path names nothing.
QJsonValue get(const Project& project, const QString& path);

/// ProjectDocument change flags an edit of this path needs (TrainingChanged for `training.*` and
/// `seed`, which a running session takes over live; more for anything else).
int changesFor(const QString& path);

} // namespace projectfield
} // namespace normad::ui
