#include "normad/ui/RuleInspection.h"

#include "normad/TrainingParams.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace normad::ui {

RuleInspection inspectRule(const Project& source, const std::vector<Eigen::MatrixXd>& weights,
                           const RuleInspectionRequest& request, int completedEpochs, const CancelFlag* cancel)
{
    Project project = source;
    project.ensureWeights();
    Network& net = project.network;
    const int L = net.layerCount();
    // Layers whose given weights no longer fit the topology keep the project's own.
    if (static_cast<int>(weights.size()) == L)
        for (int l : net.layerNumbers()) {
            const Eigen::MatrixXd& w = ofLayer(weights, l);
            if (w.rows() == net.weights(l).rows() && w.cols() == net.weights(l).cols())
                net.setWeights(l, w);
        }
    if (request.pattern < 0 || request.pattern >= static_cast<int>(project.task.patterns.size()))
        throw std::invalid_argument("inspector: pattern " + std::to_string(request.pattern) + " does not exist");
    if (request.layer < 1 || request.layer > L)
        throw std::invalid_argument("inspector: layer " + std::to_string(request.layer) + " does not exist");
    if (request.neuron < 0 || request.neuron >= net.populationSize(request.layer))
        throw std::invalid_argument("inspector: neuron " + std::to_string(request.neuron) + " does not exist");

    RuleInspection r;
    r.request = request;
    const int l = request.layer, i = request.neuron;
    const SimulationParams& sim = project.simulation;
    const TrainingParams& params = project.training;
    r.dt = sim.dt;
    r.variant = describeVariant(params);
    r.rateScale = learningRateScale(params, completedEpochs);
    r.rate = net.layer(l).learningRate * r.rateScale;
    // The inspector explains NormAD's update (d̂ per synapse), with the project's NormAD settings
    // whichever rule the project trains with.
    const NormadSettings normad = NormadSettings::from(params);
    r.perInstantSplit = normad.normalization == Normalization::PerLayer;

    // The forward pass and the update, exactly as the trainer makes them.
    const Pattern& pattern = project.task.patterns[static_cast<std::size_t>(request.pattern)];
    RecordRequest record;
    record.probes.push_back({l, i});
    const SimulationRecord rec = Simulator(net, sim).run(pattern.inputs, record, cancel);
    if (rec.status == SimulationStatus::Cancelled)
        return r; // nobody will look at it
    r.steps = rec.steps;
    std::vector<StepTrain> desired;
    for (const SpikeTrain& t : pattern.desired)
        desired.push_back(toSteps(t, sim.dt));
    const NormadRule rule(net, sim, normad);
    r.gradient = rule.compute(net, rec, desired, r.rateScale);
    r.delta = r.gradient.delta(l).row(i);
    r.deltaNorm = r.delta.norm();

    r.actual = rec.activity(l).spikes[static_cast<std::size_t>(i)];
    if (l == L)
        r.desired = desired[static_cast<std::size_t>(i)];
    if (const MembraneTrace* m = rec.membrane(l, i))
        r.membrane = m->volts;
    for (const ErrorEntry& e : r.gradient.error(l))
        if (e.neuron == i)
            r.errors.push_back(e);
    if (l < L) {
        r.errorsAbove = r.gradient.error(l + 1);
        const Eigen::MatrixXd& above = net.weights(l + 1);
        for (Eigen::Index k = 0; k < above.rows(); ++k)
            r.weightsAbove.push_back(above(k, i));
    }

    // d̂ at the error instants, and the per-instant split of Δw_i.
    const int pre = net.populationSize(l - 1);
    const double capacitance = net.layer(l).neuron.capacitance;
    const LayerActivity& population = rec.activity(l - 1);
    std::vector<std::int64_t> errorSteps;
    for (const ErrorEntry& e : r.errors)
        errorSteps.push_back(e.step);
    r.dhatAtErrors = rule.filteredInputs(population, pre, capacitance, errorSteps);
    r.normAtErrors = r.dhatAtErrors.rowwise().norm();
    r.contributions = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(r.errors.size()), pre);
    for (std::size_t n = 0; n < r.errors.size(); ++n) {
        const double norm = r.normAtErrors(static_cast<Eigen::Index>(n));
        if (norm == 0) {
            ++r.zeroNormInstants;
            continue;
        }
        r.contributions.row(static_cast<Eigen::Index>(n)) =
            (r.rate * r.errors[n].value / norm) * r.dhatAtErrors.row(static_cast<Eigen::Index>(n));
    }

    // Synapses to trace: as asked, then the largest |Δw_ij| of the others up to three, so that an
    // explained synapse is drawn beside the biggest updates (in one pass: the inspector used to
    // simulate twice to get them).
    r.synapses = request.synapses;
    r.synapses.erase(std::remove_if(r.synapses.begin(), r.synapses.end(), [pre](int j) { return j < 0 || j >= pre; }),
                     r.synapses.end());
    if (r.synapses.size() < 3) {
        std::vector<int> order(static_cast<std::size_t>(pre));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return std::abs(r.delta(a)) > std::abs(r.delta(b)); });
        for (int j : order)
            if (r.synapses.size() < 3 && std::find(r.synapses.begin(), r.synapses.end(), j) == r.synapses.end())
                r.synapses.push_back(j);
    }
    const std::int64_t stride =
        std::max<std::int64_t>(1, (rec.steps + request.maxTracePoints - 1) / std::max(1, request.maxTracePoints));
    for (std::int64_t n = 0; n < rec.steps; n += stride)
        r.traceSteps.push_back(n);
    r.dhatTraces.assign(r.synapses.size(), std::vector<double>(r.traceSteps.size(), 0.0));
    r.normTrace.assign(r.traceSteps.size(), 0.0);
    rule.sweepFilteredInputs(population, pre, capacitance, r.traceSteps, [&](std::size_t row, const Eigen::ArrayXd& d) {
        for (std::size_t s = 0; s < r.synapses.size(); ++s)
            r.dhatTraces[s][row] = d(r.synapses[s]);
        r.normTrace[row] = d.matrix().norm();
    });
    return r;
}

} // namespace normad::ui
