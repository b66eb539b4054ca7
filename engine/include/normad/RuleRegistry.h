#pragma once

#include "normad/LearningRule.h"

#include <string_view>
#include <vector>

namespace normad {

/// Every learning rule the engine offers, in display order (the first is the default). A plain table
/// in RuleRegistry.cpp: adding a rule is its file, one line there, and its tests.
const std::vector<RuleInfo>& learningRules();

/// The rule with this key; throws std::invalid_argument naming the key and listing the known ones.
const RuleInfo& findRule(std::string_view key);

} // namespace normad
