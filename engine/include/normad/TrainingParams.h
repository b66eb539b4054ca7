#pragma once

#include "normad/Kernels.h"
#include "normad/MetricParams.h"
#include "normad/Schema.h"

#include <string>

namespace normad {

/// Which rule trains the network.
enum class LearningRule {
    NormAD,  ///< spec §2 (single layer) and §3.5 (every layer)
    ReSuMe,  ///< Ponulak & Kasiński 2010 baseline, output layer only (spec §6)
};
/// V̇ at a hidden spike (spec §3.4 A4 and its variant).
enum class VdotMode { Ode, Constant };
/// Kernel ε through which a hidden spike-time change moves the next layer's V (spec §3.4 A5).
enum class BackpropKernel {
    Effective,  ///< ε = α ∗ ĥ with τL′ (the spec's A5)
    Membrane,   ///< ε = α ∗ h with τL (the spec's variant; our default: it won on XOR and the generic
                ///< mapping, docs/reproduction.md)
};
/// Normalisation of the multi-layer update (spec §3.4 A6 and §3.7 variant B).
enum class Normalization { PerLayer, Joint };
/// When the accumulated Δw is applied (spec §2.5, §3.7).
enum class UpdateSchedule { Online, Batch };
/// What "converged" means (spec §2.7 and §4.1).
enum class Convergence {
    Correlation,     ///< every output neuron of every pattern reaches C ≥ targetCorrelation
    Classification,  ///< every pattern's output is closer (higher C) to its own desired train than to every
                     ///< other distinct desired train of the task, with C ≥ targetCorrelation (XOR, §4.1)
};

/// Everything that controls training besides the network and the task.
struct TrainingParams {
    LearningRule rule = LearningRule::NormAD;
    double effectiveTimeConstant = 1e-3;  ///< τL′ of ĥ, seconds (spec §2.2)
    VdotMode vdotMode = VdotMode::Ode;
    double vdotMin = 1.0;                 ///< lower clip of V̇ at a hidden spike, V/s (A4)
    double vdotConstant = 1.0;            ///< V̇ used in VdotMode::Constant, V/s
    BackpropKernel backpropKernel = BackpropKernel::Membrane;
    kernels::EpsilonDerivative epsilonDerivative = kernels::EpsilonDerivative::Analytic;
    Normalization normalization = Normalization::PerLayer;
    UpdateSchedule schedule = UpdateSchedule::Online;
    bool shufflePatterns = false;         ///< present patterns in a seeded random order each epoch

    /// Learning-rate schedule: every `rateDecayEvery` epochs multiply every r_l by `rateDecayFactor`
    /// (the group's MNIST code halves r every 3 epochs). 0 = constant rate.
    int rateDecayEvery = 0;
    double rateDecayFactor = 0.5;

    double resumeNonHebbian = 0.0;        ///< ReSuMe's a (dimensionless)
    double resumeTau = 5e-3;              ///< ReSuMe's learning window τ, seconds

    // Stop criteria
    int maxEpochs = 300;
    Convergence convergence = Convergence::Correlation;
    double targetCorrelation = 0.98;      ///< stop when every pattern reaches it in one epoch; > 1 never
    /// Judge convergence on a forward pass of every pattern with the weights at the end of the epoch
    /// (Trainer::evaluate) instead of on the training passes, each of which preceded its own pattern's
    /// update. On by default: the network returned at a "converged" stop is then one that meets the
    /// criterion (with online NormAD the training passes can report success while the epoch's last
    /// updates already broke it again; docs/xor-research.md). Costs one forward pass per pattern and
    /// epoch. Off = the prototype's counting (spec §2.8), one epoch later for a single pattern.
    bool convergeOnEvaluation = true;
    int stagnationEpochs = 0;             ///< stop when the worst pattern's C has not improved for this many epochs; 0 = off

    // Guards (0 disables)
    int silentEpochs = 20;                ///< a trainable hidden layer silent on every pattern this many epochs in a row
    double runawayRate = 300.0;           ///< mean rate of a layer over an epoch above this, Hz

    MetricParams metrics;

    /// The description of the settings common to every rule (file key, unit, range, default, help)
    /// that reads, writes, checks and edits them by path (docs/project-format.md). The rule-specific
    /// settings (effectiveTimeConstant … resumeTau) are not in it: each rule describes its own.
    static const Schema<TrainingParams>& schema();
    void validate(const std::string& where = "training") const;
};

std::string toString(LearningRule);
std::string toString(VdotMode);
std::string toString(BackpropKernel);
std::string toString(Normalization);
std::string toString(UpdateSchedule);
std::string toString(kernels::EpsilonDerivative);
std::string toString(Convergence);
Convergence convergenceFromString(const std::string&);
LearningRule learningRuleFromString(const std::string&);
VdotMode vdotModeFromString(const std::string&);
BackpropKernel backpropKernelFromString(const std::string&);
Normalization normalizationFromString(const std::string&);
UpdateSchedule updateScheduleFromString(const std::string&);
kernels::EpsilonDerivative epsilonDerivativeFromString(const std::string&);

/// "NormAD per-layer, V̇ ode (min 1 V/s), ε with τL′ = 1 ms, online": the variant named in every result.
std::string describeVariant(const TrainingParams&);

} // namespace normad
