#include "normad/Task.h"

#include "Validation.h"

namespace normad {

void Task::validate(int inputCount, int outputCount, double duration, double dt, const std::string& where) const
{
    if (patterns.empty())
        detail::invalid(where, "patterns", "0 patterns", "the task needs at least one pattern");
    for (std::size_t p = 0; p < patterns.size(); ++p) {
        const Pattern& pattern = patterns[p];
        const std::string at = where + ".patterns[" + std::to_string(p) + "]";
        if (static_cast<int>(pattern.inputs.size()) != inputCount)
            detail::invalid(at, "inputs_s", std::to_string(pattern.inputs.size()) + " trains",
                            "needs one train per input neuron (" + std::to_string(inputCount) + ")");
        if (static_cast<int>(pattern.desired.size()) != outputCount)
            detail::invalid(at, "desired_s", std::to_string(pattern.desired.size()) + " trains",
                            "needs one train per output neuron (" + std::to_string(outputCount) + ")");
        for (std::size_t i = 0; i < pattern.inputs.size(); ++i)
            validateSpikeTrain(pattern.inputs[i], duration, dt, false, at + ".inputs_s[" + std::to_string(i) + "]");
        for (std::size_t o = 0; o < pattern.desired.size(); ++o)
            validateSpikeTrain(pattern.desired[o], duration, dt, true, at + ".desired_s[" + std::to_string(o) + "]");
    }
}

} // namespace normad
