#include "normad/NormadRule.h"

#include "normad/Kernels.h"
#include "normad/Metrics.h"
#include "normad/SpikeTrain.h"

#include "EnumNames.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace normad {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

bool byStepThenNeuron(const ErrorEntry& a, const ErrorEntry& b)
{
    return a.step != b.step ? a.step < b.step : a.neuron < b.neuron;
}

std::vector<std::int64_t> distinctSteps(const std::vector<ErrorEntry>& entries)
{
    std::vector<std::int64_t> steps;
    for (const ErrorEntry& e : entries)
        steps.push_back(e.step);
    std::sort(steps.begin(), steps.end());
    steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
    return steps;
}

// Row index of each step in a sorted list of distinct steps.
std::size_t rowOf(const std::vector<std::int64_t>& steps, std::int64_t step)
{
    return static_cast<std::size_t>(std::lower_bound(steps.begin(), steps.end(), step) - steps.begin());
}

constexpr auto vdotNames = {std::pair{VdotMode::Ode, "ode"}, std::pair{VdotMode::Constant, "const"}};
constexpr auto kernelNames = {std::pair{BackpropKernel::Effective, "effective"},
                              std::pair{BackpropKernel::Membrane, "membrane"}};
constexpr auto normalizationNames = {std::pair{Normalization::PerLayer, "perLayer"},
                                     std::pair{Normalization::Joint, "joint"}};
constexpr auto lagNames = {std::pair{EpsilonLag::SpikeStep, "spikeStep"}, std::pair{EpsilonLag::NextStep, "nextStep"}};
constexpr auto derivativeNames = {std::pair{kernels::EpsilonDerivative::Analytic, "analytic"},
                                  std::pair{kernels::EpsilonDerivative::Discrete, "discrete"}};

bool anyTrainableAtOrBelow(const Network& net, int l)
{
    for (int k = 1; k <= l; ++k)
        if (net.layer(k).trainable)
            return true;
    return false;
}

} // namespace

NormadRule::NormadRule(const Network& network, const SimulationParams& sim, const TrainingParams& params)
    : NormadRule(network, sim, NormadSettings::from(params))
{
}

NormadRule::NormadRule(const Network& network, const SimulationParams& sim, const NormadSettings& params)
    : m_sim(sim),
      m_settings(params),
      m_synapse(network.synapse()),
      m_decayDecay(kernels::decay(m_synapse.tauDecay, sim.dt)),
      m_decayRise(kernels::decay(m_synapse.tauRise, sim.dt)),
      m_decayEffective(kernels::decay(params.effectiveTimeConstant, sim.dt))
{
    for (int l : network.layerNumbers()) {
        const LifParams& p = network.layer(l).neuron;
        const double tauK = params.backpropKernel == BackpropKernel::Effective ? params.effectiveTimeConstant
                                                                               : p.membraneTimeConstant();
        m_epsilonPrime.push_back(kernels::pspDerivativeTable(sim.dt, m_synapse.tauDecay, m_synapse.tauRise, tauK,
                                                             m_synapse.amplitude, p.capacitance,
                                                             params.epsilonDerivative));
    }
}

Eigen::MatrixXd NormadRule::filteredInputs(const LayerActivity& population, int size, double capacitance,
                                           const std::vector<std::int64_t>& steps) const
{
    Eigen::MatrixXd rows(static_cast<Eigen::Index>(steps.size()), size);
    sweepFilteredInputs(population, size, capacitance, steps, [&rows](std::size_t row, const Eigen::ArrayXd& d) {
        rows.row(static_cast<Eigen::Index>(row)) = d.transpose();
    });
    return rows;
}

std::vector<ErrorEntry> NormadRule::backpropagate(int layer, const Network& network,
                                                  const std::vector<ErrorEntry>& errorsAbove,
                                                  const LayerActivity& activity) const
{
    // Spec §3.5: B^l_i[s] = Σ_k w^{l+1}_{ki} Σ_{q ≥ s} E^{l+1}_k[q] ε′[q − s], sampled at the neuron's
    // own spikes s, and δ = B / V̇(t_s) (A3–A5).
    std::vector<ErrorEntry> out;
    if (errorsAbove.empty())
        return out;
    const Eigen::MatrixXd& w = network.weights(layer + 1);
    const std::vector<double>& eps = epsilonPrime(layer + 1);
    const auto window = static_cast<std::int64_t>(eps.size());
    // The lag convention (EpsilonLag): ε′ read at (q − s)·dt, or one step later.
    const std::int64_t lagOffset = m_settings.epsilonLag == EpsilonLag::NextStep ? 1 : 0;
    const LifParams& p = network.layer(layer).neuron;
    const double rheobase = p.rheobase();

    // The entries above as plain arrays: their steps, and per neuron i the products w_ki·E_k[q] (the
    // same first product of each term as before, formed once per neuron instead of once per spike).
    std::vector<std::int64_t> entrySteps(errorsAbove.size());
    for (std::size_t e = 0; e < errorsAbove.size(); ++e)
        entrySteps[e] = errorsAbove[e].step;
    std::vector<double> weighted(errorsAbove.size());
    for (std::size_t i = 0; i < activity.spikes.size(); ++i) {
        const StepTrain& spikes = activity.spikes[i];
        if (spikes.empty())
            continue;
        for (std::size_t e = 0; e < errorsAbove.size(); ++e)
            weighted[e] = w(errorsAbove[e].neuron, static_cast<Eigen::Index>(i)) * errorsAbove[e].value;
        for (std::size_t k = 0; k < spikes.size(); ++k) {
            const std::int64_t s = spikes[k];
            // Entries at steps s … s + window − lag − 1, in order: ε′[q − s + lag] exists for them.
            const auto first = static_cast<std::size_t>(std::lower_bound(entrySteps.begin(), entrySteps.end(), s) -
                                                        entrySteps.begin());
            const auto end =
                static_cast<std::size_t>(std::lower_bound(entrySteps.begin() + static_cast<std::ptrdiff_t>(first),
                                                          entrySteps.end(), s + window - lagOffset) -
                                         entrySteps.begin());
            const std::int64_t shift = lagOffset - s; // ε′ index of an entry at step q: q + shift
            double backprop = 0;
            for (std::size_t e = first; e < end; ++e)
                backprop += weighted[e] * eps[static_cast<std::size_t>(entrySteps[e] + shift)];
            if (backprop == 0)
                continue;
            double vdot = m_settings.vdotConstant;
            if (m_settings.vdotMode == VdotMode::Ode) {
                // A4: V̇ at the crossing from the ODE with V = VT, clipped below at V̇_min.
                const double current = activity.currents.at(i).at(k);
                vdot = std::max((current - rheobase) / p.capacitance, m_settings.vdotMin);
            }
            out.push_back({static_cast<int>(i), s, backprop / vdot});
        }
    }
    std::sort(out.begin(), out.end(), byStepThenNeuron);
    return out;
}

PatternGradient NormadRule::compute(const Network& network, const SimulationRecord& record,
                                    const std::vector<StepTrain>& desired, double rateScale,
                                    const CancelFlag* cancel) const
{
    // The per-layer form writes each updated layer whole: only the layers it leaves are zeroed.
    PatternGradient g = m_settings.normalization == Normalization::PerLayer ? emptyGradient(network, record, desired)
                                                                            : zeroGradient(network, record, desired);
    if (m_settings.matchTolerance > 0) {
        // Near misses within the tolerance are matches: no error instant, so a solution whose spikes all
        // lie within it is a fixed point of the rule (docs/reproduction.md, "Solutions that stay solved").
        const int L = network.layerCount();
        g.error(L) = normad::outputErrors(desired, record.activity(L).spikes, toleranceSteps());
    }
    if (m_settings.learntCorrelation < 1)
        dropLearntNeurons(record.activity(network.layerCount()).spikes, desired, g.error(network.layerCount()));
    if (m_settings.normalization == Normalization::PerLayer) {
        perLayerUpdate(network, record, rateScale, g, cancel);
        zeroEmptyDeltas(network, g);
    } else {
        jointUpdate(network, record, rateScale, g, cancel);
    }
    return g;
}

std::vector<bool> NormadRule::learntNeurons(const std::vector<StepTrain>& actual,
                                            const std::vector<StepTrain>& desired) const
{
    std::vector<bool> learnt(actual.size(), false);
    for (std::size_t o = 0; o < actual.size() && o < desired.size(); ++o)
        learnt[o] = metrics::correlation(toTimes(desired[o], m_sim.dt), toTimes(actual[o], m_sim.dt),
                                         CorrelationKernel::Gaussian,
                                         m_settings.learntKernelWidth) >= m_settings.learntCorrelation;
    return learnt;
}

void NormadRule::dropLearntNeurons(const std::vector<StepTrain>& actual, const std::vector<StepTrain>& desired,
                                   std::vector<ErrorEntry>& errors) const
{
    // A neuron that meets the margin contributes no error instant, so nothing is back-propagated from
    // it either: a network in which every output meets it on every pattern is a fixed point.
    const std::vector<bool> learnt = learntNeurons(actual, desired);
    std::erase_if(errors, [&learnt](const ErrorEntry& e) { return learnt.at(static_cast<std::size_t>(e.neuron)); });
}

std::vector<bool> NormadRule::trainedLayers(const Network& network) const
{
    std::vector<bool> trained;
    for (int l : network.layerNumbers())
        trained.push_back(network.layer(l).trainable);
    return trained;
}

void NormadRule::perLayerUpdate(const Network& network, const SimulationRecord& record, double rateScale,
                                PatternGradient& g, const CancelFlag* cancel) const
{
    const int L = network.layerCount();
    for (int l = L - 1; l >= 1 && anyTrainableAtOrBelow(network, l); --l)
        g.error(l) = backpropagate(l, network, g.error(l + 1), record.activity(l));

    for (int l : network.layerNumbers()) {
        const LayerSpec& spec = network.layer(l);
        const std::vector<ErrorEntry>& errors = g.error(l);
        if (!spec.trainable || errors.empty())
            continue;
        // Δw^l_i = r_l Σ E^l_i[n]·d̂^{l−1}[n]/‖d̂^{l−1}[n]‖ (A6: per-layer, per-instant normalisation).
        // Accumulated during the d̂ sweep into a row-major matrix, so each entry is one contiguous axpy
        // and no steps × inputs matrix is ever formed.
        const std::vector<std::int64_t> steps = distinctSteps(errors);
        RowMatrix delta = RowMatrix::Zero(network.populationSize(l), network.populationSize(l - 1));
        const double rate = spec.learningRate * rateScale;
        auto entry = errors.begin(); // errors are sorted by step, like `steps`
        const auto inputs = static_cast<std::size_t>(network.populationSize(l - 1));
        const bool completed = sweepFilteredInputs(
            record.activity(l - 1), network.populationSize(l - 1), spec.neuron.capacitance, steps,
            [&](std::size_t row, const Eigen::ArrayXd& d) {
                // The dispatched kernels round exactly as the former `d.matrix().norm()` and
                // `delta.row(i) += s * d.matrix().transpose()` (tst_rule: perLayerUpdateBitIdentical).
                const double norm = std::sqrt(detail::squaredNorm(d.data(), inputs));
                for (; entry != errors.end() && entry->step == steps[row]; ++entry) {
                    if (!(norm > 0)) { // 0/0 guard: such an instant contributes nothing
                        if (l == L)
                            ++g.skippedZeroNorm;
                        continue;
                    }
                    detail::scaledAdd(delta.row(entry->neuron).data(), d.data(), inputs, rate * entry->value / norm);
                }
            },
            cancel);
        if (!completed) {
            g.cancelled = true;
            return;
        }
        g.delta(l) = delta;
    }
}

void NormadRule::jointUpdate(const Network& network, const SimulationRecord& record, double rateScale,
                             PatternGradient& g, const CancelFlag* cancel) const
{
    // Variant B (spec §3.7): for every output error instant q, the whole-network gradient
    // g_q = (∂V_o(t_q)/∂W^1, …, ∂V_o(t_q)/∂W^L) over the trainable layers, one backward pass per
    // instant; ΔW^l = r_l Σ_q e_q g^l_q/‖g_q‖.
    const int L = network.layerCount();
    const std::vector<ErrorEntry>& outErrors = g.error(L);

    // d̂^{l−1} at every step a layer-l entry can sit on: output error steps, hidden spike steps.
    std::vector<std::vector<std::int64_t>> steps(static_cast<std::size_t>(L));
    std::vector<Eigen::MatrixXd> rows(static_cast<std::size_t>(L));
    for (int l : network.layerNumbers()) {
        if (!network.layer(l).trainable)
            continue;
        std::vector<std::int64_t>& s = ofLayer(steps, l);
        if (l == L) {
            s = distinctSteps(outErrors);
        } else {
            for (const StepTrain& t : record.activity(l).spikes)
                s.insert(s.end(), t.begin(), t.end());
            std::sort(s.begin(), s.end());
            s.erase(std::unique(s.begin(), s.end()), s.end());
        }
        ofLayer(rows, l) = filteredInputs(record.activity(l - 1), network.populationSize(l - 1),
                                          network.layer(l).neuron.capacitance, s);
    }

    // The per-layer E^l trains are still reported: the summed sensitivities of all error instants.
    for (int l = L - 1; l >= 1 && anyTrainableAtOrBelow(network, l); --l)
        g.error(l) = backpropagate(l, network, g.error(l + 1), record.activity(l));

    std::vector<Eigen::MatrixXd> grad(static_cast<std::size_t>(L));
    for (const ErrorEntry& source : outErrors) {
        if (cancelled(cancel)) {
            g.cancelled = true;
            return;
        }
        std::vector<std::vector<ErrorEntry>> sens(static_cast<std::size_t>(L));
        ofLayer(sens, L) = {{source.neuron, source.step, 1.0}};
        for (int l = L - 1; l >= 1 && anyTrainableAtOrBelow(network, l); --l)
            ofLayer(sens, l) = backpropagate(l, network, ofLayer(sens, l + 1), record.activity(l));
        double norm2 = 0;
        for (int l : network.layerNumbers()) {
            if (!network.layer(l).trainable)
                continue;
            Eigen::MatrixXd& gradient = ofLayer(grad, l);
            gradient = Eigen::MatrixXd::Zero(network.populationSize(l), network.populationSize(l - 1));
            for (const ErrorEntry& e : ofLayer(sens, l))
                gradient.row(e.neuron) +=
                    e.value * ofLayer(rows, l).row(static_cast<Eigen::Index>(rowOf(ofLayer(steps, l), e.step)));
            norm2 += gradient.squaredNorm();
        }
        if (!(norm2 > 0)) {
            ++g.skippedZeroNorm;
            continue;
        }
        const double inv = 1.0 / std::sqrt(norm2);
        for (int l : network.layerNumbers())
            if (network.layer(l).trainable)
                g.delta(l) += network.layer(l).learningRate * rateScale * source.value * inv * ofLayer(grad, l);
    }
}

std::string toString(VdotMode v)
{
    return detail::enumName<VdotMode>(vdotNames, v);
}
std::string toString(BackpropKernel v)
{
    return detail::enumName<BackpropKernel>(kernelNames, v);
}
std::string toString(Normalization v)
{
    return detail::enumName<Normalization>(normalizationNames, v);
}
std::string toString(EpsilonLag v)
{
    return detail::enumName<EpsilonLag>(lagNames, v);
}
EpsilonLag epsilonLagFromString(const std::string& s)
{
    return detail::enumFromName<EpsilonLag>(lagNames, s, "ε′ lag");
}
std::int64_t NormadRule::toleranceSteps() const
{
    return std::llround(m_settings.matchTolerance / m_sim.dt);
}
std::string toString(kernels::EpsilonDerivative v)
{
    return detail::enumName<kernels::EpsilonDerivative>(derivativeNames, v);
}
VdotMode vdotModeFromString(const std::string& s)
{
    return detail::enumFromName<VdotMode>(vdotNames, s, "V̇ mode");
}
BackpropKernel backpropKernelFromString(const std::string& s)
{
    return detail::enumFromName<BackpropKernel>(kernelNames, s, "backprop kernel");
}
Normalization normalizationFromString(const std::string& s)
{
    return detail::enumFromName<Normalization>(normalizationNames, s, "normalisation");
}
kernels::EpsilonDerivative epsilonDerivativeFromString(const std::string& s)
{
    return detail::enumFromName<kernels::EpsilonDerivative>(derivativeNames, s, "ε′ evaluation");
}

// ---------------------------------------------------------------------------------------------
// Settings and description (keys as in the project file, training.rules.normad).

namespace {
constexpr const char* tauKey = "effectiveTimeConstant_s";
constexpr const char* vdotModeKey = "vdotMode";
constexpr const char* vdotMinKey = "vdotMin_V_per_s";
constexpr const char* vdotConstantKey = "vdotConstant_V_per_s";
constexpr const char* kernelKey = "backpropKernel";
constexpr const char* derivativeKey = "epsilonDerivative";
constexpr const char* normalizationKey = "normalization";
constexpr const char* lagKey = "epsilonLag";
constexpr const char* toleranceKey = "matchTolerance_s";
constexpr const char* learntKey = "learntCorrelation";
constexpr const char* learntWidthKey = "learntKernelWidth_s";

template <typename E> std::vector<std::string> names(detail::EnumTable<E> table)
{
    std::vector<std::string> out;
    for (const auto& [value, name] : table)
        out.emplace_back(name);
    return out;
}

std::vector<FieldInfo> normadParameters()
{
    const NormadSettings d;
    std::vector<FieldInfo> p;
    FieldInfo f;
    f = {};
    f.key = tauKey;
    f.label = "τL′ of ĥ";
    f.unit = "s";
    f.minimum = 0;
    f.minimumExclusive = true;
    f.defaultValue = d.effectiveTimeConstant;
    f.help = "Time constant of the approximate impulse response ĥ that filters the inputs into d̂ (spec §2.2)";
    f.displayScale = 1e3;
    f.displayUnit = "ms";
    p.push_back(f);
    f = {};
    f.key = vdotModeKey;
    f.label = "V̇ at a hidden spike";
    f.kind = FieldKind::Choice;
    f.choices = names<VdotMode>(vdotNames);
    f.defaultValue = toString(d.vdotMode);
    f.help = "ode: V̇ from the membrane equation at the threshold, clipped below (A4); const: a fixed V̇";
    p.push_back(f);
    f = {};
    f.key = vdotMinKey;
    f.label = "V̇ lower clip";
    f.unit = "V/s";
    f.minimum = 0;
    f.minimumExclusive = true;
    f.defaultValue = d.vdotMin;
    f.help = "With V̇ ode: the smallest V̇ used at a hidden spike, so a grazing crossing cannot blow up δ (A4)";
    p.push_back(f);
    f = {};
    f.key = vdotConstantKey;
    f.label = "V̇ constant";
    f.unit = "V/s";
    f.minimum = 0;
    f.minimumExclusive = true;
    f.defaultValue = d.vdotConstant;
    f.help = "With V̇ const: the V̇ every hidden spike is divided by";
    p.push_back(f);
    f = {};
    f.key = kernelKey;
    f.label = "Backprop kernel ε";
    f.kind = FieldKind::Choice;
    f.choices = names<BackpropKernel>(kernelNames);
    f.defaultValue = toString(d.backpropKernel);
    f.help = "How a hidden spike-time change moves the next layer's V: effective = α ∗ ĥ with τL′ (A5), "
             "membrane = α ∗ h with τL";
    p.push_back(f);
    f = {};
    f.key = derivativeKey;
    f.label = "ε′ evaluation";
    f.kind = FieldKind::Choice;
    f.choices = names<kernels::EpsilonDerivative>(derivativeNames);
    f.defaultValue = toString(d.epsilonDerivative);
    f.help = "analytic: closed-form ε′ on the grid; discrete: the grid's own filters, central differences (§3.6)";
    p.push_back(f);
    f = {};
    f.key = normalizationKey;
    f.label = "Normalisation";
    f.kind = FieldKind::Choice;
    f.choices = names<Normalization>(normalizationNames);
    f.defaultValue = toString(d.normalization);
    f.help = "perLayer: each layer's d̂ normalised per error instant (A6); joint: one norm over the whole "
             "network's gradient per instant (spec §3.7 variant B)";
    p.push_back(f);
    f = {};
    f.key = lagKey;
    f.label = "ε′ lag";
    f.kind = FieldKind::Choice;
    f.choices = names<EpsilonLag>(lagNames);
    f.defaultValue = toString(d.epsilonLag);
    f.help = "spikeStep: an output error at step q reads ε′ at (q − s)·dt for a hidden spike labelled at step s; "
             "nextStep: at (q − s + 1)·dt (the other convention, for comparison)";
    p.push_back(f);
    f = {};
    f.key = toleranceKey;
    f.label = "Match tolerance";
    f.unit = "s";
    f.minimum = 0;
    f.defaultValue = d.matchTolerance;
    f.help = "An output spike at most this far from a desired spike matches it and gives no error instant, so a "
             "solution within it stays put; 0 = the papers' rule (only same-step spikes cancel)";
    f.displayScale = 1e3;
    f.displayUnit = "ms";
    p.push_back(f);
    f = {};
    f.key = learntKey;
    f.label = "Learnt at C ≥";
    f.minimum = 0;
    f.minimumExclusive = true;
    f.maximum = 1;
    f.defaultValue = d.learntCorrelation;
    f.help = "An output neuron whose spikes correlate with its desired spikes at least this much on a pattern "
             "(C, Gaussian kernel) gives no error there: learning stops on what is learnt, so a solution with "
             "every pattern at or above it stays put. Set it to the task's criterion; 1 = the papers' rule";
    p.push_back(f);
    f = {};
    f.key = learntWidthKey;
    f.label = "Learnt C kernel width σ";
    f.unit = "s";
    f.minimum = 0;
    f.minimumExclusive = true;
    f.defaultValue = d.learntKernelWidth;
    f.help = "σ of the Gaussian kernel of the C that 'Learnt at C ≥' compares (the project's metric uses its own)";
    f.displayScale = 1e3;
    f.displayUnit = "ms";
    p.push_back(f);
    return p;
}

std::string describeNormad(const FieldValues& values)
{
    const NormadSettings p = NormadSettings::from(values);
    std::ostringstream s;
    s << "NormAD " << toString(p.normalization) << ", τL′ = " << p.effectiveTimeConstant * 1e3 << " ms, V̇ ";
    if (p.vdotMode == VdotMode::Ode)
        s << "ode (min " << p.vdotMin << " V/s)";
    else
        s << "const " << p.vdotConstant << " V/s";
    s << ", ε with " << (p.backpropKernel == BackpropKernel::Effective ? "τL′" : "τL") << " ("
      << toString(p.epsilonDerivative) << " ε′)";
    // Only when not the default, so the papers' rule keeps its description.
    if (p.epsilonLag != EpsilonLag::SpikeStep)
        s << ", ε′ lag " << toString(p.epsilonLag);
    if (p.matchTolerance > 0)
        s << ", match tolerance " << p.matchTolerance * 1e3 << " ms";
    if (p.learntCorrelation < 1)
        s << ", learnt at C ≥ " << p.learntCorrelation << " (σ = " << p.learntKernelWidth * 1e3 << " ms)";
    return s.str();
}
} // namespace

NormadSettings NormadSettings::from(const FieldValues& values)
{
    NormadSettings s;
    s.effectiveTimeConstant = realValue(values, tauKey);
    s.vdotMode = vdotModeFromString(choiceValue(values, vdotModeKey));
    s.vdotMin = realValue(values, vdotMinKey);
    s.vdotConstant = realValue(values, vdotConstantKey);
    s.backpropKernel = backpropKernelFromString(choiceValue(values, kernelKey));
    s.epsilonDerivative = epsilonDerivativeFromString(choiceValue(values, derivativeKey));
    s.normalization = normalizationFromString(choiceValue(values, normalizationKey));
    s.epsilonLag = epsilonLagFromString(choiceValue(values, lagKey));
    s.matchTolerance = realValue(values, toleranceKey);
    s.learntCorrelation = realValue(values, learntKey);
    s.learntKernelWidth = realValue(values, learntWidthKey);
    return s;
}

NormadSettings NormadSettings::from(const TrainingParams& params)
{
    return from(params.settings("normad"));
}

FieldValues NormadSettings::values() const
{
    return {{tauKey, effectiveTimeConstant},
            {vdotModeKey, toString(vdotMode)},
            {vdotMinKey, vdotMin},
            {vdotConstantKey, vdotConstant},
            {kernelKey, toString(backpropKernel)},
            {derivativeKey, toString(epsilonDerivative)},
            {normalizationKey, toString(normalization)},
            {lagKey, toString(epsilonLag)},
            {toleranceKey, matchTolerance},
            {learntKey, learntCorrelation},
            {learntWidthKey, learntKernelWidth}};
}

RuleInfo normadRuleInfo()
{
    RuleInfo info;
    info.key = "normad";
    info.name = "NormAD";
    info.citation = "Anwani & Rajendran, IJCNN 2015; Neurocomputing 380 (2020) 67–77";
    info.summary = "Normalized approximate descent: Δw = r Σ e[n]·d̂[n]/‖d̂[n]‖, every trainable layer";
    info.trainsHiddenLayers = true;
    info.parameters = normadParameters();
    info.create = [](const Network& network, const SimulationParams& sim, const FieldValues& values) {
        return std::make_unique<NormadRule>(network, sim, NormadSettings::from(values));
    };
    info.describeVariant = &describeNormad;
    return info;
}

} // namespace normad
