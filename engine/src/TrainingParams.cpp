#include "normad/TrainingParams.h"

#include "EnumNames.h"
#include "Validation.h"

#include <sstream>

namespace normad {

void TrainingParams::validate(const std::string& where) const
{
    detail::requirePositive(where, "effectiveTimeConstant", effectiveTimeConstant);
    detail::requirePositive(where, "vdotMin", vdotMin);
    detail::requirePositive(where, "vdotConstant", vdotConstant);
    if (rateDecayEvery < 0)
        detail::invalid(where, "rateDecayEvery", std::to_string(rateDecayEvery), "must not be negative");
    detail::requirePositive(where, "rateDecayFactor", rateDecayFactor);
    detail::requireFinite(where, "resumeNonHebbian", resumeNonHebbian);
    detail::requirePositive(where, "resumeTau", resumeTau);
    if (maxEpochs < 0)
        detail::invalid(where, "maxEpochs", std::to_string(maxEpochs), "must not be negative");
    detail::requireFinite(where, "targetCorrelation", targetCorrelation);
    if (stagnationEpochs < 0)
        detail::invalid(where, "stagnationEpochs", std::to_string(stagnationEpochs), "must not be negative");
    if (silentEpochs < 0)
        detail::invalid(where, "silentEpochs", std::to_string(silentEpochs), "must not be negative");
    detail::requireNonNegative(where, "runawayRate", runawayRate);
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
