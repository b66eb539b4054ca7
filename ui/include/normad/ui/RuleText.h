#pragma once

// Learning-rule settings in words for the run list, the inspector and the report, written from the
// rules' own descriptions (RuleInfo::parameters), so no code here knows which rules exist.

#include "normad/Schema.h"
#include "normad/TrainingParams.h"

#include <QString>

namespace normad::ui {

/// "τL′ = 1 ms", "a = 0.05", "Peak-normalised kernel = on": label, value × displayScale, display unit.
QString settingText(const FieldInfo& field, const FieldValue& value);

/// The selected rule's display name followed by its settings that differ from their defaults:
/// "NormAD", "ReSuMe τ = 10 ms", "NormAD τL′ = 2 ms, Normalisation = joint".
QString ruleSummary(const TrainingParams& training);

} // namespace normad::ui
