#include "normad/Brian2Export.h"

#include "normad/AtomicFile.h"
#include "normad/TextFormat.h"
#include "normad/Version.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// The script's modelling choices are those of tests/cli/brian2_compare.py (Brian2's exact
// integration of the same linear equations, refractory period counted from the spike's own step),
// plus a schedule that runs every operation of a step in the engine's order, so that an input or a
// layer's spike of step n enters the next layer's traces before step n is integrated (Simulator.h).

namespace normad {

namespace {

constexpr std::size_t scriptColumns = 100;

/// Python text of a double that reads back as the same double (formatShortest is round-trip exact).
std::string pyFloat(double v)
{
    return formatShortest(v);
}

/// One line of a comment or docstring: no line breaks, so a name cannot escape the comment.
std::string oneLine(const std::string& text)
{
    std::string s = text;
    std::replace_if(
        s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    // A docstring ends at three quotes and a backslash escapes; neither may come from a name.
    std::replace(s.begin(), s.end(), '"', '\'');
    std::replace(s.begin(), s.end(), '\\', '/');
    return s;
}

/// `items` joined by ", " and wrapped into lines that start with `indent` spaces.
std::string wrapped(const std::vector<std::string>& items, std::size_t indent)
{
    std::string text, line;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const std::string item = items[k] + (k + 1 < items.size() ? "," : "");
        if (!line.empty() && indent + line.size() + 1 + item.size() > scriptColumns) {
            text += std::string(indent, ' ') + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + item;
    }
    if (!line.empty())
        text += std::string(indent, ' ') + line + "\n";
    return text;
}

/// `name = np.array([...], dtype=...)`, wrapped.
std::string arrayAssignment(const std::string& name, const std::vector<std::string>& items, const std::string& dtype)
{
    if (items.empty())
        return name + " = np.array([], dtype=" + dtype + ")\n";
    return name + " = np.array([\n" + wrapped(items, 4) + "], dtype=" + dtype + ")\n";
}

/// The weight matrix as nested lists, one row (postsynaptic neuron) per block.
std::string matrixAssignment(const std::string& name, const Eigen::MatrixXd& w)
{
    std::string text = name + " = np.array([\n";
    for (Eigen::Index i = 0; i < w.rows(); ++i) {
        std::vector<std::string> row;
        for (Eigen::Index j = 0; j < w.cols(); ++j)
            row.push_back(pyFloat(w(i, j)));
        std::string block = wrapped(row, 5);
        block[4] = '[';
        block.insert(block.size() - 1, "],");
        text += block;
    }
    return text + "]).reshape(" + std::to_string(w.rows()) + ", " + std::to_string(w.cols()) + ")\n";
}

/// What a script presents and how its text names it: pattern k of an inline task, or sample k of a
/// dataset split (encoded as training encodes it).
struct Presentation {
    const Pattern* pattern = nullptr;
    std::string where;        ///< the inputs in error messages: "task.patterns[1].inputs"
    std::string title;        ///< the docstring's first line: "pattern 1 (name)"
    std::string inputs;       ///< "pattern 1 of 4" (the docstring: "feeds it the input spikes of …")
    std::string simulateArgs; ///< "--pattern 1": what `normad simulate` presents the same input with
    std::string comment;      ///< the comment above the input arrays, without "# " and the line break
};

/// `text` broken at spaces into lines of at most `width` columns (a longer word stands alone). A
/// `quoted command` is one word, so it can be searched for and copied whole.
std::string wrappedText(const std::string& text, std::size_t width)
{
    std::string out, line;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(' ', start);
        if (text.compare(start, 1, "`") == 0) // to the closing backquote
            end = text.find(' ', text.find('`', start + 1));
        if (end == std::string::npos)
            end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        start = end + 1;
    }
    return out + line + "\n";
}

struct InputEvent {
    std::int64_t step;
    int neuron;
};

std::vector<InputEvent> inputEvents(const Project& project, const Presentation& shown)
{
    const Pattern& p = *shown.pattern;
    const std::int64_t steps = project.simulation.steps();
    const std::string& where = shown.where;
    if (static_cast<int>(p.inputs.size()) != project.network.inputCount())
        throw std::invalid_argument(where + ": " + std::to_string(p.inputs.size()) + " trains for " +
                                    std::to_string(project.network.inputCount()) + " input neurons");
    std::vector<InputEvent> events;
    for (std::size_t j = 0; j < p.inputs.size(); ++j) {
        StepTrain train = toSteps(p.inputs[j], project.simulation.dt);
        std::sort(train.begin(), train.end());
        for (std::size_t s = 0; s < train.size(); ++s) {
            const std::int64_t n = train[s];
            if (n < 0 || n >= steps)
                throw std::invalid_argument(where + "[" + std::to_string(j) + "]: a spike at " +
                                            pyFloat(p.inputs[j][s]) + " s lies outside the trial (steps 0 … " +
                                            std::to_string(steps - 1) + ")");
            if (s > 0 && train[s - 1] == n)
                throw std::invalid_argument(where + "[" + std::to_string(j) + "]: two spikes in step " +
                                            std::to_string(n) + " (t = " + pyFloat(n * project.simulation.dt) +
                                            " s); Brian2's SpikeGeneratorGroup accepts one spike per step");
            events.push_back({n, static_cast<int>(j)});
        }
    }
    std::sort(events.begin(), events.end(), [](const InputEvent& a, const InputEvent& b) {
        return a.step != b.step ? a.step < b.step : a.neuron < b.neuron;
    });
    return events;
}

std::string header(const Project& project, const Presentation& shown)
{
    const Network& net = project.network;
    std::string sizes = std::to_string(net.inputCount()) + " inputs";
    for (int l : net.layerNumbers())
        sizes += " -> " + std::to_string(net.populationSize(l));
    std::string s;
    s += "#!/usr/bin/env python3\n";
    s += "\"\"\"" + oneLine(project.name.empty() ? "Untitled project" : project.name) + ": " + shown.title +
         " in Brian2.\n\n";
    s += wrappedText("Exported by NormAD Workbench " + std::string(versionString()) +
                         " (Export > Brian2 script). Network: " + sizes + " LIF neurons, " +
                         plural(static_cast<long long>(project.history.size()), "epoch") + " trained, seed " +
                         std::to_string(project.seed) +
                         ". The script builds the network with its weights, feeds it the input spikes of " +
                         shown.inputs +
                         ", runs one trial and plots the spikes of every layer. It reproduces `normad "
                         "simulate PROJECT " +
                         shown.simulateArgs + "` spike for spike (docs/exports.md).",
                     scriptColumns) +
         "\n";
    s += "    python3 SCRIPT.py [--spikes OUT.npz] [--plot OUT.png | --no-plot]\n\n";
    s += "--spikes writes every population's spikes (`{name}_indices`, `{name}_times` in seconds, `dt`);\n"
         "the raster goes to a PNG beside this script, and to a window when Matplotlib has one.\n"
         "Needs NumPy, Brian2 and Matplotlib.\n\"\"\"\n";
    return s;
}

std::string preamble(const Project& project)
{
    const SimulationParams& sim = project.simulation;
    const SynapseParams& syn = project.network.synapse();
    const bool exact = sim.integrator == Integrator::Exact;
    std::string s;
    s += "import argparse\nimport os\n\nimport numpy as np\n";
    std::vector<std::string> names{"Network",      "NeuronGroup", "SpikeGeneratorGroup",
                                   "SpikeMonitor", "Synapses",    "amp",
                                   "defaultclock", "farad",       "prefs",
                                   "second",       "siemens",     "volt"};
    if (!exact)
        names.insert(names.begin(), "ExplicitStateUpdater");
    s += "from brian2 import (\n" + wrapped(names, 4) + ")\n\n";
    s += "prefs.codegen.target = \"numpy\"  # runs without a C++ compiler; the numbers are the same\n\n";
    s += "# Time grid: t_n = n*dt for n = 0 ... steps - 1 (simulation.dt_s, round(duration_s / dt_s)).\n";
    s += "dt = " + pyFloat(sim.dt) + " * second\n";
    s += "steps = " + std::to_string(sim.steps()) + "\n";
    s += "defaultclock.dt = dt\n\n";
    s += "# Synaptic kernel, shared by every layer: a presynaptic spike adds its weight w (amperes) to both\n"
         "# traces a and b of its target, which then decay; the current is I0*(a - b), i.e. the kernel\n"
         "# I0*w*(exp(-t/tau_decay) - exp(-t/tau_rise)) (synapse.amplitude, tauDecay_s, tauRise_s).\n";
    s += "kernel = dict(I0=" + pyFloat(syn.amplitude) + ", tau_decay=" + pyFloat(syn.tauDecay) +
         " * second, tau_rise=" + pyFloat(syn.tauRise) + " * second)\n\n";
    if (exact) {
        s += "# The LIF neuron (simulation.integrator = \"exact\"): Brian2 solves these linear equations exactly\n"
             "# over each step, as the engine does; the traces keep decaying inside the step.\n";
        s += "lif_equations = \"\"\"\n"
             "dv/dt = (-gL*(v - EL) + I0*(a - b))/C : volt (unless refractory)\n"
             "da/dt = -a/tau_decay : amp\n"
             "db/dt = -b/tau_rise : amp\n"
             "\"\"\"\n";
    } else {
        s += "# The LIF neuron (simulation.integrator = \"heun\"): Heun's method with the synaptic current held\n"
             "# at its value at the start of the step. The traces are parameters of the step, decayed by\n"
             "# exp(-dt/tau) at its start (see the schedule below), so Heun integrates v alone.\n";
        s += "lif_equations = \"\"\"\n"
             "dv/dt = (-gL*(v - EL) + I0*(a - b))/C : volt (unless refractory)\n"
             "a : amp\n"
             "b : amp\n"
             "\"\"\"\n";
        s += "# Heun's method (Brian2's own \"heun\" is the stochastic one, plain Euler without noise):\n"
             "heun = ExplicitStateUpdater(\"k1 = dt*f(x, t)\\nk2 = dt*f(x + k1, t + dt)\\nx_new = x + (k1 + k2)/2\")\n";
    }
    s += "\n\n";
    s += "def lif_layer(n, name, C, gL, EL, VT, refractory_steps):\n"
         "    \"\"\"n LIF neurons at rest: a spike when v >= VT at the end of a step, then v = EL, held there for\n"
         "    refractory_steps steps. Brian2 counts the spike's own step into the refractory period, the\n"
         "    engine only the steps after it: hence the + 1.\"\"\"\n";
    s += std::string("    group = NeuronGroup(n, lif_equations, threshold=\"v >= VT\", reset=\"v = EL\",\n") +
         "                        refractory=(refractory_steps + 1) * dt, method=" + (exact ? "\"exact\"" : "heun") +
         ", name=name,\n"
         "                        namespace=dict(kernel, C=C, gL=gL, EL=EL, VT=VT))\n"
         "    group.v = EL\n"
         "    return group\n\n\n";
    s += "def all_to_all(source, target, weights, name):\n"
         "    \"\"\"Synapses from every neuron of source to every neuron of target; weights[post, pre] in amperes\n"
         "    (the project's layout, PyTorch's nn.Linear). Brian2's i is the presynaptic index, j the\n"
         "    postsynaptic one.\"\"\"\n"
         "    synapses = Synapses(source, target, \"w : amp\", on_pre=\"a_post += w\\nb_post += w\", name=name)\n"
         "    post, pre = np.indices(weights.shape)\n"
         "    synapses.connect(i=pre.ravel(), j=post.ravel())\n"
         "    synapses.w = weights.ravel() * amp\n"
         "    return synapses\n\n\n";
    return s;
}

std::string layerBlock(const Project& project, int l)
{
    const Network& net = project.network;
    const LifParams& p = net.layer(l).neuron;
    const std::string L = std::to_string(l);
    const std::string pre = l == 1 ? "inputs" : "layer" + std::to_string(l - 1);
    const auto refractorySteps = std::llround(p.refractoryPeriod / project.simulation.dt);
    std::string s;
    s += "# Layer " + L + ": " + plural(net.populationSize(l), "LIF neuron") + " (network.layers[" +
         std::to_string(l - 1) + "].neuron; refractory period " + pyFloat(p.refractoryPeriod) +
         " s = " + std::to_string(refractorySteps) + " steps).\n";
    const std::string call = "layer" + L + " = lif_layer(";
    s += call + std::to_string(net.populationSize(l)) + ", \"layer" + L + "\", C=" + pyFloat(p.capacitance) +
         " * farad, gL=" + pyFloat(p.leakConductance) + " * siemens,\n" + std::string(call.size(), ' ') +
         "EL=" + pyFloat(p.restPotential) + " * volt, VT=" + pyFloat(p.threshold) +
         " * volt, refractory_steps=" + std::to_string(refractorySteps) + ")\n";
    if (p.clampAtRest)
        s += "# neuron.clampAtRest: v is never left below EL (applied after each step's integration).\n"
             "clamp" +
             L + " = layer" + L + ".run_regularly(\"v = clip(v, EL, inf*volt)\", name=\"clamp" + L + "\")\n";
    if (project.simulation.integrator == Integrator::Heun)
        s += "decay" + L + " = layer" + L +
             ".run_regularly(\"a *= exp(-dt/tau_decay)\\nb *= exp(-dt/tau_rise)\", name=\"decay" + L + "\")\n";
    s += "# Weights into layer " + L + ", amperes, [" + std::to_string(net.populationSize(l)) + " post, " +
         std::to_string(net.populationSize(l - 1)) + " pre].\n";
    s += matrixAssignment("W" + L, net.weights(l));
    s += "synapses" + L + " = all_to_all(" + pre + ", layer" + L + ", W" + L + ", \"synapses" + L + "\")\n\n";
    return s;
}

std::string scheduleBlock(const Project& project)
{
    const bool heun = project.simulation.integrator == Integrator::Heun;
    std::string s;
    s += "# One step as the engine takes it (Simulator.h): the inputs of step n are delivered, then layer by\n"
         "# layer the traces receive the spikes of step n, v is integrated over [t_n, t_n + dt], and a\n"
         "# neuron whose v reached VT spikes at step n and is reset. A spike of layer l at step n reaches\n"
         "# layer l + 1 within the same step. Brian2's default schedule would deliver it after the state\n"
         "# update (one step later), so every operation runs in this order in one slot:\n";
    std::vector<std::string> items{"inputs"};
    for (int l : project.network.layerNumbers()) {
        const std::string L = std::to_string(l);
        if (heun)
            items.push_back("decay" + L);
        items.push_back("synapses" + L + ".pre");
        items.push_back("layer" + L + ".state_updater");
        if (project.network.layer(l).neuron.clampAtRest)
            items.push_back("clamp" + L);
        items.push_back("layer" + L + ".thresholder[\"spike\"]");
        items.push_back("layer" + L + ".resetter[\"spike\"]");
    }
    s += "schedule = [\n" + wrapped(items, 4) + "]\n";
    s += "for position, operation in enumerate(schedule):\n"
         "    operation.when, operation.order = \"groups\", position\n\n";
    return s;
}

std::string runBlock(const Project& project)
{
    std::vector<std::string> populations{"inputs"}, objects{"inputs"};
    for (int l : project.network.layerNumbers()) {
        populations.push_back("layer" + std::to_string(l));
        objects.push_back("layer" + std::to_string(l));
        objects.push_back("synapses" + std::to_string(l));
    }
    std::string s;
    s += "populations = {\n";
    for (const std::string& p : populations)
        s += "    \"" + p + "\": " + p + ",\n";
    s += "}\n";
    s += "monitors = {name: SpikeMonitor(group, name=name + \"_spikes\") for name, group in populations.items()}\n";
    objects.push_back("*monitors.values()");
    s += "network = Network(\n" + wrapped(objects, 4) + ")\n\n\n";
    s += "def write_spikes(path):\n"
         "    \"\"\"Every population's spikes: {name}_indices, {name}_times (seconds), in Brian2's order.\"\"\"\n"
         "    arrays = {\"dt\": np.float64(dt / second)}\n"
         "    for name, monitor in monitors.items():\n"
         "        arrays[name + \"_indices\"] = np.asarray(monitor.i[:], dtype=np.int64)\n"
         "        arrays[name + \"_times\"] = np.asarray(monitor.t[:] / second, dtype=np.float64)\n"
         "    np.savez(path, **arrays)\n\n\n";
    s += "def plot_raster(path):\n"
         "    \"\"\"One raster per population, saved to path and shown when Matplotlib has a window.\"\"\"\n"
         "    import matplotlib\n"
         "    if \"MPLBACKEND\" not in os.environ and not (os.environ.get(\"DISPLAY\") or "
         "os.environ.get(\"WAYLAND_DISPLAY\")):\n"
         "        matplotlib.use(\"Agg\")\n"
         "    import matplotlib.pyplot as plt\n"
         "    figure, axes = plt.subplots(len(monitors), 1, sharex=True, squeeze=False,\n"
         "                                figsize=(8, 1.2 + 1.3 * len(monitors)))\n"
         "    for axis, (name, monitor) in zip(axes[::-1, 0], monitors.items()):\n"
         "        axis.plot(monitor.t / second, monitor.i, \"|\", color=\"black\", markersize=6)\n"
         "        n = populations[name].N\n"
         "        axis.set_ylim(-0.5, n - 0.5)\n"
         "        axis.set_yticks(np.unique(np.linspace(0, n - 1, min(n, 5)).round().astype(int)))\n"
         "        axis.set_ylabel(\"neuron\\n\" + name)\n"
         "    axes[-1, 0].set_xlim(0, steps * float(dt / second))\n"
         "    axes[-1, 0].set_xlabel(\"time (s)\")\n"
         "    axes[0, 0].set_title(__doc__.splitlines()[0])\n"
         "    figure.tight_layout()\n"
         "    figure.savefig(path, dpi=120)\n"
         "    if matplotlib.get_backend().lower() != \"agg\":\n"
         "        plt.show()\n\n\n";
    s += "if __name__ == \"__main__\":\n"
         "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])\n"
         "    parser.add_argument(\"--spikes\", metavar=\"OUT.npz\", help=\"write every population's spikes "
         "to OUT.npz\")\n"
         "    parser.add_argument(\"--plot\", metavar=\"OUT.png\", default=os.path.splitext(__file__)[0] + "
         "\".png\",\n"
         "                        help=\"where the raster goes (default: beside this script)\")\n"
         "    parser.add_argument(\"--no-plot\", action=\"store_true\", help=\"do not plot\")\n"
         "    arguments = parser.parse_args()\n"
         "    network.run(steps * dt)\n"
         "    for name, monitor in monitors.items():\n"
         "        print(f\"{name}: {monitor.num_spikes} spikes\")\n"
         "    if arguments.spikes:\n"
         "        write_spikes(arguments.spikes)\n"
         "    if not arguments.no_plot:\n"
         "        plot_raster(arguments.plot)\n";
    return s;
}

} // namespace

namespace {

void checkWeights(const Network& net)
{
    if (net.layerCount() < 1)
        throw std::invalid_argument("network.layers: the project has no LIF layer to export");
    for (int l : net.layerNumbers()) {
        const Eigen::MatrixXd& w = net.weights(l);
        if (w.rows() != net.populationSize(l) || w.cols() != net.populationSize(l - 1))
            throw std::invalid_argument("weights of layer " + std::to_string(l) + " are missing");
        if (!w.allFinite())
            throw std::invalid_argument("weights of layer " + std::to_string(l) +
                                        " are not finite: a Brian2 script cannot reproduce them");
    }
}

std::string script(const Project& project, const Presentation& shown)
{
    const Network& net = project.network;
    checkWeights(net);
    const std::vector<InputEvent> events = inputEvents(project, shown);

    std::string s = header(project, shown) + preamble(project);
    std::vector<std::string> indices, steps;
    for (const InputEvent& e : events) {
        indices.push_back(std::to_string(e.neuron));
        steps.push_back(std::to_string(e.step));
    }
    s += "# " + shown.comment + "\n";
    s += arrayAssignment("input_indices", indices, "np.int64");
    s += arrayAssignment("input_steps", steps, "np.int64");
    s += "inputs = SpikeGeneratorGroup(" + std::to_string(net.inputCount()) +
         ", input_indices, input_steps * dt, name=\"inputs\")\n\n";
    for (int l : net.layerNumbers())
        s += layerBlock(project, l);
    s += scheduleBlock(project);
    s += runBlock(project);
    return s;
}

/// "training", "validation", "test": how the docstring names a split.
std::string splitAdjective(Split split)
{
    return split == Split::Train ? "training" : toString(split);
}

} // namespace

std::string brian2Script(const Project& project, int pattern)
{
    if (project.dataset)
        throw std::invalid_argument("task.dataset: this project's task is a dataset; its Brian2 script presents one "
                                    "sample of a split (normad export --brian2 FILE.py --sample K --split SPLIT)");
    const int patterns = static_cast<int>(project.task.patterns.size());
    if (pattern < 0 || pattern >= patterns)
        throw std::invalid_argument("pattern " + std::to_string(pattern) + " does not exist: the project has " +
                                    std::to_string(patterns) + " pattern(s)");
    const Pattern& p = project.task.patterns[static_cast<std::size_t>(pattern)];
    const std::string k = std::to_string(pattern);
    Presentation shown;
    shown.pattern = &p;
    shown.where = "task.patterns[" + k + "].inputs";
    shown.title = "pattern " + k + (p.name.empty() ? "" : " (" + oneLine(p.name) + ")");
    shown.inputs = "pattern " + k + " of " + std::to_string(patterns);
    shown.simulateArgs = "--pattern " + k;
    shown.comment = "Pattern " + k + "'s input spikes (task.patterns[" + k +
                    "].inputs): neuron indices and grid steps, time = step * dt.";
    return script(project, shown);
}

std::string brian2Script(const Project& project, const LoadedDataset& data, Split split, int position)
{
    if (!project.dataset)
        throw std::invalid_argument("task.dataset: the project's task is not a dataset; its Brian2 script presents one "
                                    "of its patterns (--pattern K)");
    const PatternSet& set = data.patterns(split);
    const int count = static_cast<int>(set.size());
    if (position < 0 || position >= count)
        throw std::invalid_argument("sample " + std::to_string(position) + " does not exist: the " + toString(split) +
                                    " split has " + std::to_string(count) + " sample(s)");
    if (project.network.outputCount() != data.classCount())
        throw std::invalid_argument("network.layers: the output layer has " +
                                    std::to_string(project.network.outputCount()) + " neurons for " +
                                    std::to_string(data.classCount()) + " classes");
    const auto i = static_cast<std::size_t>(position);
    const std::shared_ptr<const Pattern> pattern = set.pattern(i);
    const int label = set.label(i);
    const std::size_t sample = set.sampleIndex(i);
    const std::vector<std::string>& files = data.datasetOf(split).origin().files;
    const std::string file =
        files.empty() ? std::string("the data file") : std::filesystem::path(files.front()).filename().string();
    const std::string className = oneLine(data.classNames().at(static_cast<std::size_t>(label)));
    const std::string k = std::to_string(position);
    const std::string splitName = toString(split);
    // What the sample is in the data: its row or record and its label (class index and name).
    const std::string origin = "sample " + std::to_string(sample) + " of " + oneLine(file) + ", label " +
                               std::to_string(label) + " '" + className + "'";
    Presentation shown;
    shown.pattern = pattern.get();
    shown.where = "task.dataset: " + splitName + " sample " + k + " (" + origin + "), its encoded inputs";
    shown.title = splitAdjective(split) + " sample " + k + " (" + origin + ")";
    shown.inputs =
        splitAdjective(split) + " sample " + k + " of " + std::to_string(count) + " (" + origin +
        "), encoded as training encodes it (task.dataset.encoding: " + toString(project.dataset->encoding.kind) + ")";
    shown.simulateArgs = "--sample " + k + " --split " + splitName;
    shown.comment = "The input spikes of " + splitAdjective(split) + " sample " + k + " (" + origin +
                    ", encoded by\n# task.dataset.encoding): neuron indices and grid steps, time = step * dt.";
    return script(project, shown);
}

void exportBrian2Script(Project project, int pattern, const std::string& path)
{
    project.ensureWeights();
    writeFileAtomically(path, brian2Script(project, pattern));
}

void exportBrian2Script(Project project, const LoadedDataset& data, Split split, int position, const std::string& path)
{
    project.ensureWeights();
    writeFileAtomically(path, brian2Script(project, data, split, position));
}

} // namespace normad
