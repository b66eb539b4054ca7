#include "normad/WeightInit.h"

#include "EnumNames.h"
#include "Validation.h"

#include <stdexcept>

namespace normad {

const Schema<WeightInit>& WeightInit::schema()
{
    using P = WeightInit;
    static const Schema<P> fields = {
        bind<P>({.key = "kind", .label = "Initial weights", .help = "how the weights are drawn from the seed"},
                &P::kind, {Kind::Zero, Kind::Constant, Kind::Normal, Kind::Uniform}),
        bind<P>({.key = "mean_A",
                 .label = "Mean",
                 .unit = "A",
                 .help = "the constant value, or the normal mean",
                 .displayScale = 1e9,
                 .displayUnit = "nA"},
                &P::mean),
        // Checked in validate() whatever the kind (docs/project-format.md): every number written is
        // one the GUI may switch to, so none may be invalid.
        bind<P>({.key = "stddev_A",
                 .label = "Standard deviation",
                 .unit = "A",
                 .help = "standard deviation of the normal draw",
                 .displayScale = 1e9,
                 .displayUnit = "nA"},
                &P::stddev),
        bind<P>({.key = "low_A",
                 .label = "Low",
                 .unit = "A",
                 .help = "lower bound of the uniform draw",
                 .displayScale = 1e9,
                 .displayUnit = "nA"},
                &P::low),
        bind<P>({.key = "high_A",
                 .label = "High",
                 .unit = "A",
                 .help = "upper bound of the uniform draw",
                 .displayScale = 1e9,
                 .displayUnit = "nA"},
                &P::high),
    };
    return fields;
}

void WeightInit::validate(const std::string& where) const
{
    checkFields(schema(), *this, where);
    // Every field, whatever the kind: the file writes all four and switching the kind uses them.
    if (!(stddev >= 0))
        detail::invalid(where, "stddev_A", detail::formatValue(stddev), "must not be negative");
    if (!(low <= high))
        detail::invalid(where, "high_A", detail::formatValue(high),
                        "must not be below low_A " + detail::formatValue(low));
}

namespace {
using Kind = WeightInit::Kind;
constexpr auto kindNames = {std::pair{Kind::Zero, "zero"}, std::pair{Kind::Constant, "constant"},
                            std::pair{Kind::Normal, "normal"}, std::pair{Kind::Uniform, "uniform"}};
} // namespace

std::string toString(WeightInit::Kind k)
{
    return detail::enumName<Kind>(kindNames, k);
}
WeightInit::Kind weightInitKindFromString(const std::string& s)
{
    return detail::enumFromName<Kind>(kindNames, s, "weight initialisation");
}

} // namespace normad
