#include "normad/RuleRegistry.h"

#include "normad/TextFormat.h"

#include <stdexcept>
#include <string>

namespace normad {

// Each rule's file defines its description.
RuleInfo normadRuleInfo();
RuleInfo resumeRuleInfo();
RuleInfo psdRuleInfo();
RuleInfo superspikeRuleInfo();

const std::vector<RuleInfo>& learningRules()
{
    static const std::vector<RuleInfo> rules = {
        normadRuleInfo(),
        resumeRuleInfo(),
        psdRuleInfo(),
        superspikeRuleInfo(),
    };
    return rules;
}

const RuleInfo& findRule(std::string_view key)
{
    // The message reads like the other enum names of the file: unknown learning rule "x" (expected
    // "normad", "resume" or "psd").
    const std::vector<RuleInfo>& rules = learningRules();
    std::string expected;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (rules[i].key == key)
            return rules[i];
        expected += (i == 0 ? "" : i + 1 == rules.size() ? " or " : ", ") + ("\"" + rules[i].key + "\"");
    }
    throw std::invalid_argument("unknown learning rule " + quotedText(key) + " (expected " + expected + ")");
}

} // namespace normad
