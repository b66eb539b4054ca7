#pragma once

#include "normad/MetricParams.h"
#include "normad/Schema.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace normad {

/// When the accumulated Δw is applied (spec §2.5, §3.7): after each pattern, after each epoch, or
/// after every `batchSize` patterns of an epoch (and at its end).
enum class UpdateSchedule { Online, Batch, MiniBatch };
/// What "converged" means (spec §2.7 and §4.1).
enum class Convergence {
    Correlation,    ///< every output neuron of every pattern reaches C ≥ targetCorrelation
    Classification, ///< every pattern's output is closer (higher C) to its own desired train than to every
                    ///< other distinct desired train of the task, with C ≥ targetCorrelation (XOR, §4.1)
};

/// Everything that controls training besides the network and the task.
struct TrainingParams {
    /// Key of the learning rule in the registry (RuleRegistry.h): "normad", "resume", "psd".
    std::string rule = "normad";
    /// Settings per rule key (project file: training.rules.<key>). Every rule keeps its own, so switching
    /// rules loses nothing; a missing key or field means the rule's default (RuleInfo::parameters).
    std::map<std::string, FieldValues, std::less<>> ruleSettings;

    UpdateSchedule schedule = UpdateSchedule::Online;
    /// MiniBatch: patterns whose Δw are summed before they are applied; 1 behaves as online, the
    /// epoch's size (or more) as batch.
    int batchSize = 32;
    bool shufflePatterns = false; ///< present patterns in a seeded random order each epoch

    /// Learning-rate schedule: every `rateDecayEvery` epochs multiply every r_l by `rateDecayFactor`
    /// (the group's MNIST code halves r every 3 epochs). 0 = constant rate.
    int rateDecayEvery = 0;
    double rateDecayFactor = 0.5;

    // Stop criteria
    int maxEpochs = 300;
    Convergence convergence = Convergence::Correlation;
    double targetCorrelation = 0.98; ///< stop when every pattern reaches it in one epoch; > 1 never
    /// Judge convergence on a forward pass of every pattern with the weights at the end of the epoch
    /// (Trainer::evaluate) instead of on the training passes, each of which preceded its own pattern's
    /// update. On by default: the network returned at a "converged" stop is then one that meets the
    /// criterion (with online NormAD the training passes can report success while the epoch's last
    /// updates already broke it again; docs/xor-research.md). Costs one forward pass per pattern and
    /// epoch. Off = the prototype's counting (spec §2.8), one epoch later for a single pattern.
    bool convergeOnEvaluation = true;
    /// Stop when the worst pattern's C has not improved for this many epochs; 0 = off. Dataset tasks:
    /// when the validation accuracy (the training accuracy without a validation split) has not improved.
    int stagnationEpochs = 0;

    // Guards (0 disables)
    int silentEpochs = 20;      ///< a trainable hidden layer silent on every pattern this many epochs in a row
    double runawayRate = 300.0; ///< mean rate of a layer over an epoch above this, Hz

    MetricParams metrics;

    /// The description of the settings common to every rule (file key, unit, range, default, help)
    /// that reads, writes, checks and edits them by path (docs/project-format.md). The rule-specific
    /// settings are not in it: each rule describes its own (RuleInfo::parameters).
    static const Schema<TrainingParams>& schema();

    /// The settings of rule `key` completed with its defaults and checked (throws
    /// std::invalid_argument naming training.rules.<key>.<field>, or an unknown rule).
    FieldValues settings(std::string_view key) const;
    /// The settings of the selected rule.
    FieldValues settings() const { return settings(rule); }
    /// Sets one setting of rule `key` after checking it against the rule's description.
    void setSetting(std::string_view key, const std::string& field, const FieldValue& value);

    /// Checks the common fields, that `rule` is registered and every rule's settings.
    void validate(const std::string& where = "training") const;
};

/// The factor every r_l is multiplied by after `completedEpochs` epochs: rateDecayFactor^⌊epochs /
/// rateDecayEvery⌋ (1 when rateDecayEvery = 0). The one place the decay is computed: the trainer and
/// the rule inspector both call it.
double learningRateScale(const TrainingParams& params, int completedEpochs);

std::string toString(UpdateSchedule);
std::string toString(Convergence);
Convergence convergenceFromString(const std::string&);
UpdateSchedule updateScheduleFromString(const std::string&);

/// "NormAD perLayer, τL′ = 1 ms, V̇ ode (min 1 V/s), ε with τL (analytic ε′), online": the rule's
/// RuleInfo::describeVariant, the schedule and the rate decay; the variant named in every result.
std::string describeVariant(const TrainingParams&);

} // namespace normad
