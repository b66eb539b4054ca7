#include "normad/TrainingParams.h"

#include "EnumNames.h"
#include "Validation.h"

#include <sstream>

namespace normad {

const Schema<TrainingParams>& TrainingParams::schema()
{
    using P = TrainingParams;
    static const Schema<P> fields = {
        bind<P>({.key = "schedule", .label = "Update schedule",
                 .help = "online: apply Δw after each pattern; batch: after each epoch"},
                &P::schedule, {UpdateSchedule::Online, UpdateSchedule::Batch}),
        bind<P>({.key = "shufflePatterns", .label = "Shuffle patterns",
                 .help = "present the patterns in a seeded random order each epoch"},
                &P::shufflePatterns),
        bind<P>({.key = "rateDecayEvery", .label = "Rate decay every", .unit = "epochs", .minimum = 0,
                 .help = "multiply every r_l by the decay factor every this many epochs; 0 = constant rate"},
                &P::rateDecayEvery),
        bind<P>({.key = "rateDecayFactor", .label = "Rate decay factor", .minimum = 0, .minimumExclusive = true,
                 .help = "the factor of the learning-rate decay"},
                &P::rateDecayFactor),
        bind<P>({.key = "maxEpochs", .label = "Max epochs", .unit = "epochs", .minimum = 0,
                 .help = "training stops after this many epochs"},
                &P::maxEpochs),
        bind<P>({.key = "convergence", .label = "Converged when",
                 .help = "correlation: every output reaches the target C; classification: every pattern is "
                         "closest to its own desired train"},
                &P::convergence, {Convergence::Correlation, Convergence::Classification}),
        bind<P>({.key = "targetCorrelation", .label = "Target C",
                 .help = "stop when every pattern reaches it in one epoch; above 1 never"},
                &P::targetCorrelation),
        bind<P>({.key = "convergeOnEvaluation", .label = "Converge on evaluation",
                 .help = "judge convergence on a pass with the weights at the end of the epoch"},
                &P::convergeOnEvaluation),
        bind<P>({.key = "stagnationEpochs", .label = "Stop after stagnation", .unit = "epochs", .minimum = 0,
                 .help = "stop when the worst pattern's C has not improved for this many epochs; 0 = off"},
                &P::stagnationEpochs),
        bind<P>({.key = "silentEpochs", .label = "Silent-layer guard", .unit = "epochs", .minimum = 0,
                 .help = "stop when a trainable hidden layer stays silent this many epochs in a row; 0 = off"},
                &P::silentEpochs),
        bind<P>({.key = "runawayRate_Hz", .label = "Runaway-rate guard", .unit = "Hz", .minimum = 0,
                 .help = "stop when a layer's mean rate over an epoch exceeds it; 0 = off"},
                &P::runawayRate),
    };
    return fields;
}

void TrainingParams::validate(const std::string& where) const
{
    // Rule-specific settings (to be described by each rule).
    detail::requirePositive(where, "effectiveTimeConstant_s", effectiveTimeConstant);
    detail::requirePositive(where, "vdotMin_V_per_s", vdotMin);
    detail::requirePositive(where, "vdotConstant_V_per_s", vdotConstant);
    detail::requireFinite(where, "resumeNonHebbian", resumeNonHebbian);
    detail::requirePositive(where, "resumeTau_s", resumeTau);

    checkFields(schema(), *this, where);
    metrics.validate(where + ".metrics");
}

namespace {
constexpr auto ruleNames = {std::pair{LearningRule::NormAD, "normad"}, std::pair{LearningRule::ReSuMe, "resume"}};
constexpr auto vdotNames = {std::pair{VdotMode::Ode, "ode"}, std::pair{VdotMode::Constant, "const"}};
constexpr auto kernelNames = {std::pair{BackpropKernel::Effective, "effective"},
                              std::pair{BackpropKernel::Membrane, "membrane"}};
constexpr auto normalizationNames = {std::pair{Normalization::PerLayer, "perLayer"},
                                     std::pair{Normalization::Joint, "joint"}};
constexpr auto scheduleNames = {std::pair{UpdateSchedule::Online, "online"}, std::pair{UpdateSchedule::Batch, "batch"}};
constexpr auto derivativeNames = {std::pair{kernels::EpsilonDerivative::Analytic, "analytic"},
                                  std::pair{kernels::EpsilonDerivative::Discrete, "discrete"}};
constexpr auto convergenceNames = {std::pair{Convergence::Correlation, "correlation"},
                                   std::pair{Convergence::Classification, "classification"}};
} // namespace

std::string toString(Convergence v) { return detail::enumName<Convergence>(convergenceNames, v); }
Convergence convergenceFromString(const std::string& s)
{
    return detail::enumFromName<Convergence>(convergenceNames, s, "convergence criterion");
}
std::string toString(LearningRule v) { return detail::enumName<LearningRule>(ruleNames, v); }
std::string toString(VdotMode v) { return detail::enumName<VdotMode>(vdotNames, v); }
std::string toString(BackpropKernel v) { return detail::enumName<BackpropKernel>(kernelNames, v); }
std::string toString(Normalization v) { return detail::enumName<Normalization>(normalizationNames, v); }
std::string toString(UpdateSchedule v) { return detail::enumName<UpdateSchedule>(scheduleNames, v); }
std::string toString(kernels::EpsilonDerivative v) { return detail::enumName<kernels::EpsilonDerivative>(derivativeNames, v); }

LearningRule learningRuleFromString(const std::string& s) { return detail::enumFromName<LearningRule>(ruleNames, s, "learning rule"); }
VdotMode vdotModeFromString(const std::string& s) { return detail::enumFromName<VdotMode>(vdotNames, s, "V̇ mode"); }
BackpropKernel backpropKernelFromString(const std::string& s)
{
    return detail::enumFromName<BackpropKernel>(kernelNames, s, "backprop kernel");
}
Normalization normalizationFromString(const std::string& s)
{
    return detail::enumFromName<Normalization>(normalizationNames, s, "normalisation");
}
UpdateSchedule updateScheduleFromString(const std::string& s)
{
    return detail::enumFromName<UpdateSchedule>(scheduleNames, s, "update schedule");
}
kernels::EpsilonDerivative epsilonDerivativeFromString(const std::string& s)
{
    return detail::enumFromName<kernels::EpsilonDerivative>(derivativeNames, s, "ε′ evaluation");
}

std::string describeVariant(const TrainingParams& p)
{
    std::ostringstream s;
    if (p.rule == LearningRule::ReSuMe) {
        s << "ReSuMe (a = " << p.resumeNonHebbian << ", τ = " << p.resumeTau * 1e3 << " ms), " << toString(p.schedule);
        return s.str();
    }
    s << "NormAD " << toString(p.normalization) << ", τL′ = " << p.effectiveTimeConstant * 1e3 << " ms, V̇ ";
    if (p.vdotMode == VdotMode::Ode)
        s << "ode (min " << p.vdotMin << " V/s)";
    else
        s << "const " << p.vdotConstant << " V/s";
    s << ", ε with " << (p.backpropKernel == BackpropKernel::Effective ? "τL′" : "τL") << " ("
      << toString(p.epsilonDerivative) << " ε′), " << toString(p.schedule);
    if (p.rateDecayEvery > 0)
        s << ", r × " << p.rateDecayFactor << " every " << p.rateDecayEvery << " epochs";
    return s.str();
}

} // namespace normad
