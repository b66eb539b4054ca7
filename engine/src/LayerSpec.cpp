#include "normad/LayerSpec.h"

#include "Validation.h"

namespace normad {

const Schema<LayerSpec>& LayerSpec::schema()
{
    using P = LayerSpec;
    static const Schema<P> fields = {
        bind<P>({.key = "size",
                 .label = "Neurons",
                 .minimum = 1,
                 .maximum = maxPopulationSize,
                 .help = "number of LIF neurons in the layer",
                 .required = true},
                &P::size),
        bind<P>({.key = "learningRate_A",
                 .label = "Learning rate r",
                 .unit = "A",
                 .minimum = 0,
                 .help = "r_l of the update (the unit of the weights)",
                 .displayScale = 1e9,
                 .displayUnit = "nA"},
                &P::learningRate),
        bind<P>({.key = "trainable", .label = "Trainable", .help = "false freezes the layer's weights"}, &P::trainable),
    };
    return fields;
}

void LayerSpec::validate(const std::string& where) const
{
    checkFields(schema(), *this, where);
    neuron.validate(where + ".neuron");
    init.validate(where + ".init");
}

} // namespace normad
