#include "normad/LayerSpec.h"

#include "Validation.h"

namespace normad {

void LayerSpec::validate(const std::string& where) const
{
    if (size < 1)
        detail::invalid(where, "size", std::to_string(size), "must be at least 1");
    neuron.validate(where + ".neuron");
    detail::requireNonNegative(where, "learningRate", learningRate);
    init.validate(where + ".init");
}

} // namespace normad
