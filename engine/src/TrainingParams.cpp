#include "normad/TrainingParams.h"

#include "normad/RuleRegistry.h"

#include "EnumNames.h"
#include "Validation.h"

#include <cmath>
#include <sstream>

namespace normad {

const Schema<TrainingParams>& TrainingParams::schema()
{
    using P = TrainingParams;
    static const Schema<P> fields = {
        bind<P>({.key = "schedule",
                 .label = "Update schedule",
                 .help = "online: apply Δw after each pattern; batch: after each epoch; mini-batch: after "
                         "every batch-size patterns"},
                &P::schedule, {UpdateSchedule::Online, UpdateSchedule::Batch, UpdateSchedule::MiniBatch}),
        bind<P>({.key = "batchSize",
                 .label = "Batch size",
                 .unit = "patterns",
                 .minimum = 1,
                 .help = "mini-batch: patterns whose Δw are summed before they are applied"},
                &P::batchSize),
        bind<P>({.key = "shufflePatterns",
                 .label = "Shuffle patterns",
                 .help = "present the patterns in a seeded random order each epoch"},
                &P::shufflePatterns),
        bind<P>({.key = "rateDecayEvery",
                 .label = "Rate decay every",
                 .unit = "epochs",
                 .minimum = 0,
                 .help = "multiply every r_l by the decay factor every this many epochs; 0 = constant rate"},
                &P::rateDecayEvery),
        bind<P>({.key = "rateDecayFactor",
                 .label = "Rate decay factor",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "the factor of the learning-rate decay"},
                &P::rateDecayFactor),
        bind<P>({.key = "maxEpochs",
                 .label = "Max epochs",
                 .unit = "epochs",
                 .minimum = 0,
                 .help = "training stops after this many epochs"},
                &P::maxEpochs),
        bind<P>({.key = "convergence",
                 .label = "Converged when",
                 .help = "correlation: every output reaches the target C; classification: every pattern is "
                         "closest to its own desired train"},
                &P::convergence, {Convergence::Correlation, Convergence::Classification}),
        bind<P>({.key = "targetCorrelation",
                 .label = "Target C",
                 .help = "stop when every pattern reaches it in one epoch; above 1 never"},
                &P::targetCorrelation),
        bind<P>({.key = "convergeOnEvaluation",
                 .label = "Converge on evaluation",
                 .help = "judge convergence on a pass with the weights at the end of the epoch"},
                &P::convergeOnEvaluation),
        bind<P>({.key = "stagnationEpochs",
                 .label = "Stop after stagnation",
                 .unit = "epochs",
                 .minimum = 0,
                 .help = "stop when the worst pattern's C has not improved for this many epochs; 0 = off"},
                &P::stagnationEpochs),
        bind<P>({.key = "silentEpochs",
                 .label = "Silent-layer guard",
                 .unit = "epochs",
                 .minimum = 0,
                 .help = "stop when a trainable hidden layer stays silent this many epochs in a row; 0 = off"},
                &P::silentEpochs),
        bind<P>({.key = "runawayRate_Hz",
                 .label = "Runaway-rate guard",
                 .unit = "Hz",
                 .minimum = 0,
                 .help = "stop when a layer's mean rate over an epoch exceeds it; 0 = off"},
                &P::runawayRate),
    };
    return fields;
}

namespace {
std::string rulesPath(const std::string& where, std::string_view key)
{
    return where + ".rules." + std::string(key);
}
} // namespace

FieldValues TrainingParams::settings(std::string_view key) const
{
    const RuleInfo& info = findRule(key);
    const auto it = ruleSettings.find(key);
    return completed(info.parameters, it == ruleSettings.end() ? FieldValues{} : it->second,
                     rulesPath("training", key));
}

void TrainingParams::setSetting(std::string_view key, const std::string& field, const FieldValue& value)
{
    FieldValues values;
    if (const auto it = ruleSettings.find(key); it != ruleSettings.end())
        values = it->second;
    values[field] = value;
    completed(findRule(key).parameters, values, rulesPath("training", key)); // throws before anything changes
    ruleSettings[std::string(key)] = std::move(values);
}

void TrainingParams::validate(const std::string& where) const
{
    try {
        findRule(rule);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(where + ".rule: " + e.what());
    }
    for (const auto& [key, values] : ruleSettings) {
        const std::string path = rulesPath(where, key);
        try {
            completed(findRule(key).parameters, values, path);
        } catch (const std::invalid_argument& e) {
            if (std::string(e.what()).starts_with("unknown learning rule"))
                throw std::invalid_argument(path + ": " + e.what());
            throw;
        }
    }
    checkFields(schema(), *this, where);
    metrics.validate(where + ".metrics");
}

double learningRateScale(const TrainingParams& params, int completedEpochs)
{
    if (params.rateDecayEvery <= 0)
        return 1.0;
    return std::pow(params.rateDecayFactor, completedEpochs / params.rateDecayEvery);
}

namespace {
constexpr auto scheduleNames = {std::pair{UpdateSchedule::Online, "online"}, std::pair{UpdateSchedule::Batch, "batch"},
                                std::pair{UpdateSchedule::MiniBatch, "mini-batch"}};
constexpr auto convergenceNames = {std::pair{Convergence::Correlation, "correlation"},
                                   std::pair{Convergence::Classification, "classification"}};
} // namespace

std::string toString(Convergence v)
{
    return detail::enumName<Convergence>(convergenceNames, v);
}
Convergence convergenceFromString(const std::string& s)
{
    return detail::enumFromName<Convergence>(convergenceNames, s, "convergence criterion");
}
std::string toString(UpdateSchedule v)
{
    return detail::enumName<UpdateSchedule>(scheduleNames, v);
}
UpdateSchedule updateScheduleFromString(const std::string& s)
{
    return detail::enumFromName<UpdateSchedule>(scheduleNames, s, "update schedule");
}

std::string describeVariant(const TrainingParams& p)
{
    std::ostringstream s;
    s << findRule(p.rule).describeVariant(p.settings()) << ", " << toString(p.schedule);
    if (p.schedule == UpdateSchedule::MiniBatch)
        s << " of " << p.batchSize;
    if (p.rateDecayEvery > 0)
        s << ", r × " << p.rateDecayFactor << " every " << p.rateDecayEvery << " epochs";
    return s.str();
}

} // namespace normad
