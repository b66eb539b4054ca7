#include "normad/ProjectIo.h"
#include "normad/RuleRegistry.h"

#include "JsonMatrix.h"
#include "JsonPrinter.h"
#include "ProjectJson.h"

#include "normad/AtomicFile.h"
#include "normad/MemoryBudget.h"
#include "normad/TextFormat.h"
#include "normad/Version.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

// The file format is documented in docs/project-format.md; keep the two in step.

namespace normad {

using detail::Json;
using detail::JsonReader;

namespace {

// ---------------------------------------------------------------------------------------------
// Migration. Each format change bumps projectFormatVersion and appends a step that rewrites a
// document of version v into version v + 1 (renamed keys, new required fields with the value the
// old program implied). Loading runs the steps in order, so every older file reaches the current
// layout before it is read; files are always written in the current version.

using MigrationStep = void (*)(Json& document);

/// Version 1 → 2: each learning rule's settings nest under training.rules.<key> (they were flat keys of
/// "training", ReSuMe's with a "resume" prefix). Values are moved as they are; reading checks them.
void nestRuleSettings(Json& document)
{
    const auto training = document.find("training");
    if (training == document.end() || !training->is_object())
        return; // reading reports it
    static const std::pair<const char*, std::pair<const char*, const char*>> moves[] = {
        {"effectiveTimeConstant_s", {"normad", "effectiveTimeConstant_s"}},
        {"vdotMode", {"normad", "vdotMode"}},
        {"vdotMin_V_per_s", {"normad", "vdotMin_V_per_s"}},
        {"vdotConstant_V_per_s", {"normad", "vdotConstant_V_per_s"}},
        {"backpropKernel", {"normad", "backpropKernel"}},
        {"epsilonDerivative", {"normad", "epsilonDerivative"}},
        {"normalization", {"normad", "normalization"}},
        {"resumeNonHebbian", {"resume", "nonHebbian"}},
        {"resumeTau_s", {"resume", "tau_s"}},
    };
    Json rules = Json::object();
    for (const auto& [old, to] : moves) {
        const auto it = training->find(old);
        if (it == training->end())
            continue;
        rules[to.first][to.second] = std::move(*it);
        training->erase(it);
    }
    (*training)["rules"] = std::move(rules);
}

/// Version 2 → 3: `task` may hold a `dataset` instead of `patterns`; a version-2 document is a
/// version-3 one without it, so nothing is rewritten.
void allowDatasetTasks(Json&)
{
}

/// migrationSteps[i] migrates version i + 1 to i + 2.
constexpr MigrationStep migrationSteps[] = {&nestRuleSettings, &allowDatasetTasks};

void migrate(Json& document, int fromVersion)
{
    for (int v = fromVersion; v < projectFormatVersion; ++v)
        if (const MigrationStep step = migrationSteps[v - 1])
            step(document);
    document["formatVersion"] = projectFormatVersion;
}

} // namespace

namespace detail {

// ---------------------------------------------------------------------------------------------
// Document → Project

LifParams readNeuron(const JsonReader& r, const Json& n, const std::string& path, LifParams p)
{
    r.fields(LifParams::schema(), n, path, p);
    return p;
}

LayerSpec readLayerSpec(const JsonReader& r, const Json& l, const std::string& path, const LifParams& base)
{
    LayerSpec spec;
    spec.neuron = base;
    r.fields(LayerSpec::schema(), l, path, spec);
    if (const Json* neuron = r.optionalObject(l, path, "neuron"))
        spec.neuron = readNeuron(r, *neuron, joinPath(path, "neuron"), base);
    if (const Json* init = r.optionalObject(l, path, "init"))
        r.fields(WeightInit::schema(), *init, joinPath(path, "init"), spec.init);
    r.validated(path, [&] { spec.validate(path); });
    return spec;
}

Eigen::MatrixXd readWeights(const JsonReader& r, const Json& v, const std::string& path, int rows, int cols,
                            const std::string& below)
{
    const Json& rowsJson = r.array(v, path);
    if (rowsJson.size() != static_cast<std::size_t>(rows))
        r.fail(path, "needs one row per neuron of this layer (" + std::to_string(rows) + " rows) (got " +
                         std::to_string(rowsJson.size()) + " rows)");
    Eigen::MatrixXd w(rows, cols);
    for (int i = 0; i < rows; ++i) {
        const std::string rowPath = indexPath(path, static_cast<std::size_t>(i));
        const Json& row = r.array(rowsJson[static_cast<std::size_t>(i)], rowPath);
        if (row.size() != static_cast<std::size_t>(cols))
            r.fail(rowPath, "needs one weight per neuron of " + below + " (" + std::to_string(cols) + ") (got " +
                                std::to_string(row.size()) + " values)");
        for (int j = 0; j < cols; ++j)
            w(i, j) = r.number(row[static_cast<std::size_t>(j)], indexPath(rowPath, static_cast<std::size_t>(j)));
    }
    return w;
}

void readNetwork(const JsonReader& r, const Json& root, Project& project)
{
    const Json& n = r.object(r.require(root, "", "network"), "network");
    readNetworkObject(r, n, project);
}

void readNetworkObject(const JsonReader& r, const Json& n, Project& project)
{
    const int inputs =
        static_cast<int>(r.integer(r.require(n, "network", "inputs"), "network.inputs", 1, maxPopulationSize));

    LifParams defaults;
    if (const Json* neuron = r.optionalObject(n, "network", "neuron")) {
        defaults = readNeuron(r, *neuron, "network.neuron", defaults);
        r.validated("network.neuron", [&] { defaults.validate("network.neuron"); });
    }

    const Json& layersJson = r.array(r.require(n, "network", "layers"), "network.layers");
    if (layersJson.empty())
        r.fail("network.layers", "needs at least one (output) layer (got 0 layers)");
    std::vector<LayerSpec> layers;
    const Json* firstWithWeights = nullptr;
    std::string firstWithWeightsPath, firstWithoutWeightsPath;
    for (std::size_t i = 0; i < layersJson.size(); ++i) {
        const std::string path = indexPath("network.layers", i);
        const Json& l = r.object(layersJson[i], path);
        layers.push_back(readLayerSpec(r, l, path, defaults));

        if (JsonReader::find(l, "weights_A") != nullptr) {
            if (firstWithWeights == nullptr) {
                firstWithWeights = &l;
                firstWithWeightsPath = path;
            }
        } else if (firstWithoutWeightsPath.empty()) {
            firstWithoutWeightsPath = path;
        }
    }
    if (firstWithWeights != nullptr && !firstWithoutWeightsPath.empty())
        r.fail(joinPath(firstWithoutWeightsPath, "weights_A"),
               "missing, but " + firstWithWeightsPath + " has weights: give weights for every layer or for none");

    // The weights are allocated now, before the task is read: a 131-byte file may ask for 10^7 inputs.
    // Beyond the program's fixed limit the Network refuses them itself (a bad file, not memory).
    if (const double bytes = Network::weightBytes(inputs, layers); bytes <= Network::maxWeightBytes)
        requireMemory(static_cast<std::uint64_t>(bytes), r.file(), "network",
                      "the weights of " + std::to_string(inputs) + " inputs and " +
                          plural(static_cast<long long>(layers.size()), "layer"));
    r.validated("network", [&] { project.network = Network(inputs, layers, project.network.synapse()); });

    project.hasWeights = firstWithWeights != nullptr;
    if (!project.hasWeights)
        return;
    for (int l : project.network.layerNumbers()) {
        const std::string path = joinPath(layerPath(l), "weights_A");
        const std::string below = l == 1 ? "the input population" : "the layer below";
        const Eigen::MatrixXd w =
            readWeights(r, *JsonReader::find(ofLayer(layersJson, l), "weights_A"), path,
                        project.network.populationSize(l), project.network.populationSize(l - 1), below);
        r.validated(path, [&] { project.network.setWeights(l, w); });
    }
}

SpikeRaster readRaster(const JsonReader& r, const Json& v, const std::string& path, std::size_t count,
                       const std::string& population, const SimulationParams& sim, bool oneSpikePerStep)
{
    const Json& trains = r.array(v, path);
    if (trains.size() != count)
        r.fail(path, "needs one train per " + population + " neuron (" + std::to_string(count) + ") (got " +
                         std::to_string(trains.size()) + " trains)");
    SpikeRaster raster(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::string trainPath = indexPath(path, i);
        const Json& train = r.array(trains[i], trainPath);
        raster[i].reserve(train.size());
        for (std::size_t k = 0; k < train.size(); ++k)
            raster[i].push_back(r.number(train[k], indexPath(trainPath, k)));
        r.validated(trainPath,
                    [&] { validateSpikeTrain(raster[i], sim.duration, sim.dt, oneSpikePerStep, trainPath); });
    }
    return raster;
}

std::vector<DataFileReference> readFileReferences(const JsonReader& r, const Json& v, const std::string& path)
{
    const Json& files = r.array(v, path);
    std::vector<DataFileReference> references;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string filePath = indexPath(path, i);
        const Json& f = r.object(files[i], filePath);
        DataFileReference ref;
        ref.path = r.text(r.require(f, filePath, "path"), joinPath(filePath, "path"));
        ref.size = static_cast<std::uint64_t>(r.integer(r.require(f, filePath, "size"), joinPath(filePath, "size"), 0,
                                                        std::numeric_limits<long long>::max()));
        ref.sha256 = r.text(r.require(f, filePath, "sha256"), joinPath(filePath, "sha256"));
        references.push_back(std::move(ref));
    }
    return references;
}

SpikeTrain readTrain(const JsonReader& r, const Json& v, const std::string& path)
{
    const Json& train = r.array(v, path);
    SpikeTrain times;
    for (std::size_t k = 0; k < train.size(); ++k)
        times.push_back(r.number(train[k], indexPath(path, k)));
    return times;
}

DatasetTaskSpec readDatasetTask(const JsonReader& r, const Json& d, const SimulationParams& simulation)
{
    const std::string path = "task.dataset";
    DatasetTaskSpec spec;
    const std::string sourcePath = joinPath(path, "source");
    const Json& source = r.object(r.require(d, path, "source"), sourcePath);
    spec.source.format = r.text(r.require(source, sourcePath, "format"), joinPath(sourcePath, "format"));
    spec.source.files = readFileReferences(r, r.require(source, sourcePath, "files"), joinPath(sourcePath, "files"));
    if (const Json* test = JsonReader::find(source, "testFiles"))
        spec.source.testFiles = readFileReferences(r, *test, joinPath(sourcePath, "testFiles"));
    r.optional(source, sourcePath, "labelColumn", spec.source.labelColumn);
    if (const Json* header = JsonReader::find(source, "header"))
        spec.source.header = r.boolean(*header, joinPath(sourcePath, "header"));
    if (const Json* names = JsonReader::find(source, "classNames")) {
        const std::string namesPath = joinPath(sourcePath, "classNames");
        const Json& list = r.array(*names, namesPath);
        for (std::size_t k = 0; k < list.size(); ++k)
            spec.source.classNames.push_back(r.text(list[k], indexPath(namesPath, k)));
    }
    r.optional(source, sourcePath, "imageWidth", spec.source.imageWidth);
    r.optional(source, sourcePath, "imageHeight", spec.source.imageHeight);

    r.fields(DatasetTaskSpec::schema(), d, path, spec);
    if (const Json* e = r.optionalObject(d, path, "encoding"))
        r.fields(encodingSchema(), *e, joinPath(path, "encoding"), spec.encoding);
    if (const Json* sp = r.optionalObject(d, path, "split"))
        r.fields(DatasetSplitSpec::schema(), *sp, joinPath(path, "split"), spec.split);
    if (const Json* t = r.optionalObject(d, path, "targets")) {
        const std::string targetsPath = joinPath(path, "targets");
        if (const Json* c = JsonReader::find(*t, "classSpikes"))
            spec.targets.classSpikes = readTrain(r, *c, joinPath(targetsPath, "classSpikes"));
        if (const Json* o = JsonReader::find(*t, "otherSpikes"))
            spec.targets.otherSpikes = readTrain(r, *o, joinPath(targetsPath, "otherSpikes"));
    }
    r.validated(path, [&] { spec.validate(simulation, path); });
    return spec;
}

void readTask(const JsonReader& r, const Json& root, Project& project)
{
    const Json& t = r.object(r.require(root, "", "task"), "task");
    if (const Json* dataset = JsonReader::find(t, "dataset")) {
        if (JsonReader::find(t, "patterns") != nullptr)
            r.fail("task", "holds both \"patterns\" and \"dataset\"; a task is one or the other");
        project.dataset = readDatasetTask(r, r.object(*dataset, "task.dataset"), project.simulation);
        return;
    }
    const Json& patterns = r.array(r.require(t, "task", "patterns"), "task.patterns");
    if (patterns.empty())
        r.fail("task.patterns", "the task needs at least one pattern (got 0 patterns)");
    const auto inputs = static_cast<std::size_t>(project.network.inputCount());
    const auto outputs = static_cast<std::size_t>(project.network.outputCount());
    for (std::size_t p = 0; p < patterns.size(); ++p) {
        const std::string path = indexPath("task.patterns", p);
        const Json& pj = r.object(patterns[p], path);
        Pattern pattern;
        r.optional(pj, path, "name", pattern.name);
        pattern.inputs = readRaster(r, r.require(pj, path, "inputs_s"), joinPath(path, "inputs_s"), inputs, "input",
                                    project.simulation, false);
        pattern.desired = readRaster(r, r.require(pj, path, "desired_s"), joinPath(path, "desired_s"), outputs,
                                     "output", project.simulation, true);
        project.task.patterns.push_back(std::move(pattern));
    }
}

// The selected rule and every rule's settings (training.rules.<key>), each read and checked against the
// rule's own description (RuleInfo::parameters); the common fields are TrainingParams::schema()'s.
void readRuleSettings(const JsonReader& r, const Json& t, TrainingParams& p)
{
    const std::string path = "training";
    r.optional(t, path, "rule", p.rule);
    try {
        findRule(p.rule);
    } catch (const std::invalid_argument& e) {
        r.fail(joinPath(path, "rule"), e.what());
    }
    const Json* rules = r.optionalObject(t, path, "rules");
    if (!rules)
        return;
    for (const auto& [key, settings] : rules->items()) {
        const std::string rulePath = joinPath(joinPath(path, "rules"), key);
        const RuleInfo* info = nullptr;
        try {
            info = &findRule(key);
        } catch (const std::invalid_argument& e) {
            r.fail(rulePath, e.what());
        }
        FieldValues& values = p.ruleSettings[key];
        for (const auto& item : r.object(settings, rulePath).items()) {
            // Not a structured binding: clang before 16 cannot capture one in a lambda (NORMAD_FUZZ).
            const auto& field = item.key();
            const auto& value = item.value();
            const std::string fieldPath = joinPath(rulePath, field);
            const auto described = std::find_if(info->parameters.begin(), info->parameters.end(),
                                                [&](const FieldInfo& f) { return f.key == field; });
            if (described == info->parameters.end()) {
                std::string known;
                for (const FieldInfo& f : info->parameters)
                    known += (known.empty() ? "" : ", ") + f.key;
                r.fail(fieldPath, "is not a setting of " + info->name +
                                      (known.empty() ? " (it has none)" : " (expected one of: " + known + ")"));
            }
            values[field] = r.field(*described, value, fieldPath); // type, range and choices
        }
    }
}

TrainingParams readTraining(const JsonReader& r, const Json& t)
{
    const std::string path = "training";
    TrainingParams p;
    readRuleSettings(r, t, p);
    r.fields(TrainingParams::schema(), t, path, p);
    if (const Json* m = r.optionalObject(t, path, "metrics"))
        r.fields(MetricParams::schema(), *m, "training.metrics", p.metrics);
    r.validated(path, [&] { p.validate(path); });
    return p;
}

/// Per-pattern metrics are stored column-wise (one array per field), which keeps long histories
/// compact and diff-able. Every column present must have one entry per pattern.
void readPatternColumns(const JsonReader& r, const Json& columns, const std::string& path, EpochMetrics& e)
{
    std::size_t count = 0;
    std::string countKey;
    auto column = [&](std::string_view key, auto&& assign) {
        const Json* c = JsonReader::find(columns, key);
        if (c == nullptr)
            return;
        const std::string cp = joinPath(path, key);
        r.array(*c, cp);
        if (countKey.empty()) {
            count = c->size();
            countKey = std::string(key);
            e.patterns.resize(count);
        } else if (c->size() != count) {
            r.fail(cp, "needs one entry per pattern like " + joinPath(path, countKey) + " (" + std::to_string(count) +
                           ") (got " + std::to_string(c->size()) + " entries)");
        }
        for (std::size_t i = 0; i < count; ++i)
            assign(e.patterns[i], (*c)[i], indexPath(cp, i));
    };
    auto real = [&](double PatternMetrics::*field) {
        return [&r, field](PatternMetrics& p, const Json& v, const std::string& vp) { p.*field = r.metric(v, vp); };
    };
    auto whole = [&](int PatternMetrics::*field) {
        return [&r, field](PatternMetrics& p, const Json& v, const std::string& vp) { p.*field = r.integer(v, vp); };
    };
    column("correlation", real(&PatternMetrics::correlation));
    column("minCorrelation", real(&PatternMetrics::minCorrelation));
    column("vanRossum", real(&PatternMetrics::vanRossum));
    column("outputSpikes", whole(&PatternMetrics::outputSpikes));
    column("desiredSpikes", whole(&PatternMetrics::desiredSpikes));
    column("spikeCountError", whole(&PatternMetrics::spikeCountError));
    column("missing", whole(&PatternMetrics::missing));
    column("extra", whole(&PatternMetrics::extra));
    column("errorInstants", whole(&PatternMetrics::errorInstants));
    column("cost", real(&PatternMetrics::cost));
    column("classified",
           [&r](PatternMetrics& p, const Json& v, const std::string& vp) { p.classified = r.boolean(v, vp); });
    column("converged",
           [&r](PatternMetrics& p, const Json& v, const std::string& vp) { p.converged = r.boolean(v, vp); });
}

std::string historyEntryProblem(const Json& entry)
{
    if (!entry.is_object())
        return "expected an object, got " + describe(entry);
    if (!entry.contains("epoch"))
        return "an epoch's entry needs its \"epoch\" (required field is missing)";
    return {};
}

std::vector<EpochMetrics> readHistory(const JsonReader& r, const Json& h)
{
    std::vector<EpochMetrics> history;
    for (std::size_t i = 0; i < h.size(); ++i) {
        const std::string path = indexPath("history", i);
        const Json& ej = r.object(h[i], path);
        if (const std::string problem = historyEntryProblem(ej); !problem.empty())
            r.fail(path, problem);
        EpochMetrics e;
        auto real = [&](std::string_view key, double& out) {
            if (const Json* v = JsonReader::find(ej, key))
                out = r.metric(*v, joinPath(path, key));
        };
        r.optional(ej, path, "epoch", e.epoch);
        real("meanCorrelation", e.meanCorrelation);
        real("minCorrelation", e.minCorrelation);
        real("vanRossum", e.vanRossum);
        real("spikeCountError", e.spikeCountError);
        r.optional(ej, path, "missing", e.missing);
        r.optional(ej, path, "extra", e.extra);
        real("cost", e.cost);
        r.optional(ej, path, "classified", e.classified);
        r.optional(ej, path, "converged", e.converged);
        if (const Json* rates = JsonReader::find(ej, "layerRates_Hz")) {
            const std::string rp = joinPath(path, "layerRates_Hz");
            r.array(*rates, rp);
            for (std::size_t k = 0; k < rates->size(); ++k)
                e.layerRates.push_back(r.metric((*rates)[k], indexPath(rp, k)));
        }
        real("wallTime_s", e.seconds);
        real("evaluatedMinCorrelation", e.evaluatedMinCorrelation);
        real("evaluatedMeanCorrelation", e.evaluatedMeanCorrelation);
        real("trainAccuracy", e.trainAccuracy);
        real("validationAccuracy", e.validationAccuracy);
        if (const Json* columns = r.optionalObject(ej, path, "patterns"))
            readPatternColumns(r, *columns, joinPath(path, "patterns"), e);
        e.presented = static_cast<int>(e.patterns.size());
        r.optional(ej, path, "presented", e.presented);
        history.push_back(std::move(e));
        if (i == 0) // the declared size is trusted only once an entry has been read
            history.reserve(h.size());
    }
    return history;
}

Project readProject(const JsonReader& r, Json& root)
{
    r.object(root, "");
    const Json& versionJson = r.require(root, "", "formatVersion");
    if (versionJson.is_number() && versionJson.get<double>() > projectFormatVersion &&
        std::trunc(versionJson.get<double>()) == versionJson.get<double>())
        r.fail("formatVersion", "written by a newer NormAD Workbench (format " + versionJson.dump() +
                                    "); this build reads up to " + std::to_string(projectFormatVersion));
    const int version = static_cast<int>(r.integer(versionJson, "formatVersion", 1, projectFormatVersion));
    migrate(root, version);

    Project project;
    r.optional(root, "", "name", project.name);
    r.optional(root, "", "description", project.description);
    if (const Json* seed = JsonReader::find(root, "seed")) {
        if (seed->is_number_unsigned())
            project.seed = seed->get<std::uint64_t>();
        else
            project.seed =
                static_cast<std::uint64_t>(r.integer(*seed, "seed", 0, std::numeric_limits<long long>::max()));
    }

    const Json& s = r.object(r.require(root, "", "simulation"), "simulation");
    r.fields(SimulationParams::schema(), s, "simulation", project.simulation);
    r.validated("simulation", [&] { project.simulation.validate("simulation"); });

    SynapseParams synapse;
    if (const Json* sy = r.optionalObject(root, "", "synapse")) {
        r.fields(SynapseParams::schema(), *sy, "synapse", synapse);
        r.validated("synapse", [&] { synapse.validate("synapse"); });
    }
    project.network = Network();
    r.validated("synapse", [&] { project.network.setSynapse(synapse); });

    r.require(root, "", "network");
    r.require(root, "", "task"); // before the network's weights are allocated
    readNetwork(r, root, project);
    readTask(r, root, project);
    if (const Json* t = r.optionalObject(root, "", "training"))
        project.training = readTraining(r, *t);
    if (const Json* h = JsonReader::find(root, "history"))
        project.history = readHistory(r, r.array(*h, "history"));

    // The parts were checked one by one above; this catches whatever relates them.
    r.validated("", [&] { project.validate(); });
    return project;
}

// ---------------------------------------------------------------------------------------------
// Project → document

/// Throws std::invalid_argument for values JSON cannot hold (the loader would refuse the file).
double finite(double v, const std::string& path)
{
    if (!std::isfinite(v))
        throw std::invalid_argument(path + ": cannot be saved: must be a finite number (got " + formatShortest(v) +
                                    ")");
    return v;
}

/// History metrics may legitimately be NaN (a diverged run); they are written as null.
OrderedJson metricValue(double v)
{
    return std::isfinite(v) ? OrderedJson(v) : OrderedJson(nullptr);
}

OrderedJson neuronJson(const LifParams& p, const std::string& path)
{
    return fieldsJson(LifParams::schema(), p, path);
}

OrderedJson neuronOverride(const LifParams& layer, const LifParams& base, const std::string& path)
{
    OrderedJson diff = OrderedJson::object();
    for (const Field<LifParams>& f : LifParams::schema())
        if (const FieldValue v = f.get(layer); v != f.get(base))
            diff[f.info.key] = fieldJson(f.info, v, joinPath(path, f.info.key));
    return diff;
}

OrderedJson layerJson(const LayerSpec& spec, const LifParams& base, const std::string& path)
{
    OrderedJson layer = OrderedJson::object();
    for (const Field<LayerSpec>& f : LayerSpec::schema()) {
        layer[f.info.key] = fieldJson(f.info, f.get(spec), joinPath(path, f.info.key));
        // The documented order: a neuron override, if any, right after the size.
        if (f.info.key == "size")
            if (OrderedJson diff = neuronOverride(spec.neuron, base, path + ".neuron"); !diff.empty())
                layer["neuron"] = std::move(diff);
    }
    layer["init"] = fieldsJson(WeightInit::schema(), spec.init, path + ".init");
    return layer;
}

OrderedJson trainingJson(const TrainingParams& t)
{
    OrderedJson training = OrderedJson::object();
    training["rule"] = t.rule;
    // Every registered rule's settings, completed with its defaults: a file names all of them, and
    // switching rules in it keeps each rule's values.
    OrderedJson rules = OrderedJson::object();
    for (const RuleInfo& rule : learningRules()) {
        OrderedJson values = OrderedJson::object();
        const FieldValues settings = t.settings(rule.key);
        for (const FieldInfo& f : rule.parameters) // in the order the rule describes them
            values[f.key] = fieldJson(f, settings.at(f.key), "training.rules." + rule.key + "." + f.key);
        rules[rule.key] = std::move(values);
    }
    training["rules"] = std::move(rules);
    for (const Field<TrainingParams>& f : TrainingParams::schema())
        training[f.info.key] = fieldJson(f.info, f.get(t), "training." + f.info.key);
    training["metrics"] = fieldsJson(MetricParams::schema(), t.metrics, "training.metrics");
    return training;
}

OrderedJson rasterJson(const SpikeRaster& raster, const std::string& path)
{
    OrderedJson trains = OrderedJson::array();
    for (std::size_t i = 0; i < raster.size(); ++i) {
        OrderedJson train = OrderedJson::array();
        for (double t : raster[i])
            train.push_back(finite(t, indexPath(path, i)));
        trains.push_back(std::move(train));
    }
    return trains;
}

OrderedJson historyJson(const EpochMetrics& e)
{
    OrderedJson h = OrderedJson::object();
    h["epoch"] = e.epoch;
    h["meanCorrelation"] = metricValue(e.meanCorrelation);
    h["minCorrelation"] = metricValue(e.minCorrelation);
    h["vanRossum"] = metricValue(e.vanRossum);
    h["spikeCountError"] = metricValue(e.spikeCountError);
    h["missing"] = e.missing;
    h["extra"] = e.extra;
    h["cost"] = metricValue(e.cost);
    h["classified"] = e.classified;
    h["converged"] = e.converged;
    OrderedJson rates = OrderedJson::array();
    for (double rate : e.layerRates)
        rates.push_back(metricValue(rate));
    h["layerRates_Hz"] = std::move(rates);
    h["wallTime_s"] = metricValue(e.seconds);
    h["evaluatedMinCorrelation"] = metricValue(e.evaluatedMinCorrelation);
    h["evaluatedMeanCorrelation"] = metricValue(e.evaluatedMeanCorrelation);
    // Dataset tasks (format 3): accuracies and the pattern count; absent for inline tasks, whose
    // files stay as they were.
    if (std::isfinite(e.trainAccuracy) || std::isfinite(e.validationAccuracy)) {
        h["presented"] = e.presented;
        h["trainAccuracy"] = metricValue(e.trainAccuracy);
        h["validationAccuracy"] = metricValue(e.validationAccuracy);
    }
    OrderedJson columns = OrderedJson::object();
    auto column = [&](const char* key, auto&& get) {
        OrderedJson c = OrderedJson::array();
        for (const PatternMetrics& p : e.patterns)
            c.push_back(get(p));
        columns[key] = std::move(c);
    };
    column("correlation", [](const PatternMetrics& p) { return metricValue(p.correlation); });
    column("minCorrelation", [](const PatternMetrics& p) { return metricValue(p.minCorrelation); });
    column("vanRossum", [](const PatternMetrics& p) { return metricValue(p.vanRossum); });
    column("outputSpikes", [](const PatternMetrics& p) { return OrderedJson(p.outputSpikes); });
    column("desiredSpikes", [](const PatternMetrics& p) { return OrderedJson(p.desiredSpikes); });
    column("spikeCountError", [](const PatternMetrics& p) { return OrderedJson(p.spikeCountError); });
    column("missing", [](const PatternMetrics& p) { return OrderedJson(p.missing); });
    column("extra", [](const PatternMetrics& p) { return OrderedJson(p.extra); });
    column("errorInstants", [](const PatternMetrics& p) { return OrderedJson(p.errorInstants); });
    column("cost", [](const PatternMetrics& p) { return metricValue(p.cost); });
    column("classified", [](const PatternMetrics& p) { return OrderedJson(p.classified); });
    column("converged", [](const PatternMetrics& p) { return OrderedJson(p.converged); });
    h["patterns"] = std::move(columns);
    return h;
}

OrderedJson fileReferencesJson(const std::vector<DataFileReference>& files)
{
    OrderedJson list = OrderedJson::array();
    for (const DataFileReference& f : files)
        list.push_back(OrderedJson{{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
    return list;
}

OrderedJson trainJson(const SpikeTrain& train, const std::string& path)
{
    OrderedJson times = OrderedJson::array();
    for (double t : train)
        times.push_back(finite(t, path));
    return times;
}

OrderedJson datasetTaskJson(const DatasetTaskSpec& spec)
{
    const std::string path = "task.dataset";
    OrderedJson source = OrderedJson::object();
    source["format"] = spec.source.format;
    source["files"] = fileReferencesJson(spec.source.files);
    if (!spec.source.testFiles.empty())
        source["testFiles"] = fileReferencesJson(spec.source.testFiles);
    if (spec.source.format == "csv") {
        source["labelColumn"] = spec.source.labelColumn;
        if (spec.source.header)
            source["header"] = *spec.source.header;
    }
    if (!spec.source.classNames.empty())
        source["classNames"] = spec.source.classNames;
    if (spec.source.format == "image-folder" || spec.source.imageWidth > 0 || spec.source.imageHeight > 0) {
        source["imageWidth"] = spec.source.imageWidth;
        source["imageHeight"] = spec.source.imageHeight;
    }
    OrderedJson d = OrderedJson::object();
    d["source"] = std::move(source);
    const OrderedJson scalars = fieldsJson(DatasetTaskSpec::schema(), spec, path);
    d["scaling"] = scalars["scaling"];
    d["encoding"] = fieldsJson(encodingSchema(), spec.encoding, path + ".encoding");
    d["split"] = fieldsJson(DatasetSplitSpec::schema(), spec.split, path + ".split");
    d["targets"] = OrderedJson{{"classSpikes", trainJson(spec.targets.classSpikes, path + ".targets.classSpikes")},
                               {"otherSpikes", trainJson(spec.targets.otherSpikes, path + ".targets.otherSpikes")}};
    d["decision"] = scalars["decision"];
    d["cacheMegabytes"] = scalars["cacheMegabytes"];
    return d;
}

OrderedJson networkJson(const Project& project, bool weights)
{
    const Network& net = project.network;
    OrderedJson network = OrderedJson::object();
    network["inputs"] = net.inputCount();
    const LifParams base = net.layerCount() > 0 ? net.layer(1).neuron : LifParams{};
    network["neuron"] = neuronJson(base, "network.neuron");
    OrderedJson layers = OrderedJson::array();
    for (int l : net.layerNumbers()) {
        const std::string path = layerPath(l);
        OrderedJson layer = layerJson(net.layer(l), base, path);
        if (weights && project.hasWeights) {
            const Eigen::MatrixXd& w = net.weights(l);
            if (!w.allFinite())
                throw std::invalid_argument(path + ".weights_A: cannot be saved: every weight must be finite "
                                                   "(got a non-finite weight; re-initialise the weights)");
            layer["weights_A"] = detail::matrixRows(w);
        }
        layers.push_back(std::move(layer));
    }
    network["layers"] = std::move(layers);
    return network;
}

OrderedJson projectDocument(const Project& project, DocumentParts parts)
{
    OrderedJson doc = OrderedJson::object();
    doc["formatVersion"] = projectFormatVersion;
    if (parts.generator)
        doc["generator"] = std::string("NormAD Workbench ") + versionString();
    doc["name"] = project.name;
    doc["description"] = project.description;
    doc["seed"] = project.seed;

    doc["simulation"] = fieldsJson(SimulationParams::schema(), project.simulation, "simulation");
    const Network& net = project.network;
    doc["synapse"] = fieldsJson(SynapseParams::schema(), net.synapse(), "synapse");

    doc["network"] = networkJson(project, parts.weights);

    OrderedJson patterns = OrderedJson::array();
    for (std::size_t p = 0; p < project.task.patterns.size(); ++p) {
        const Pattern& pattern = project.task.patterns[p];
        const std::string path = indexPath("task.patterns", p);
        OrderedJson pj = OrderedJson::object();
        pj["name"] = pattern.name;
        if (parts.spikes) {
            pj["inputs_s"] = rasterJson(pattern.inputs, path + ".inputs_s");
            pj["desired_s"] = rasterJson(pattern.desired, path + ".desired_s");
        } else {
            pj["inputSpikes"] = spikeCount(pattern.inputs);
            pj["desiredSpikes"] = spikeCount(pattern.desired);
        }
        patterns.push_back(std::move(pj));
    }
    if (project.dataset)
        doc["task"] = {{"dataset", datasetTaskJson(*project.dataset)}};
    else
        doc["task"] = {{"patterns", std::move(patterns)}};
    doc["training"] = trainingJson(project.training);
    if (!parts.history)
        return doc;

    OrderedJson history = OrderedJson::array();
    for (const EpochMetrics& e : project.history)
        history.push_back(historyJson(e));
    doc["history"] = std::move(history);
    return doc;
}

} // namespace detail

// ---------------------------------------------------------------------------------------------

namespace {
std::string composeMessage(const std::string& file, const std::string& field, const std::string& reason)
{
    return file + ": " + (field.empty() ? "" : field + ": ") + reason;
}
} // namespace

ProjectError::ProjectError(std::string file, std::string field, std::string reason)
    : std::runtime_error(composeMessage(file, field, reason)),
      m_file(std::move(file)),
      m_field(std::move(field)),
      m_reason(std::move(reason))
{
}

Project projectFromJson(const std::string& text, const std::string& source)
{
    const JsonReader reader(source);
    static constexpr detail::ElementCheck checks[] = {{"history", &detail::historyEntryProblem}};
    Json root = detail::parseJson(text, source, checks);
    try {
        return readProject(reader, root);
    } catch (...) {
        detail::dismantle(root); // its destructor could need memory that has just run out
        throw;
    }
}

std::string projectToJson(const Project& project)
{
    return detail::printJson(detail::projectDocument(project)) + '\n';
}

namespace {

Project readProjectFile(const std::string& path)
{
    auto refuse = [&](const std::string& reason) { throw ProjectError(path, "", reason); };
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below anyway).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        refuse(std::string("cannot open the file: ") + std::strerror(errno));
    struct FdCloser {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer{fd};

    struct stat st { };
    if (::fstat(fd, &st) != 0)
        refuse(std::string("cannot read the file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        refuse("is a directory, not a project file");
    if (!S_ISREG(st.st_mode))
        refuse("is not a regular file");
    // Checked before reading, so a huge (or sparse) file costs nothing.
    if (st.st_size > maxProjectFileBytes)
        refuse("the file is " + std::to_string(st.st_size) + " bytes; project files larger than " +
               std::to_string(maxProjectFileBytes) + " bytes (" + std::to_string(maxProjectFileBytes >> 20) +
               " MiB) are refused");

    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (true) {
        if (done == text.size()) {
            if (text.size() >= static_cast<std::size_t>(maxProjectFileBytes) + 1)
                refuse("the file grew beyond " + std::to_string(maxProjectFileBytes) + " bytes while being read");
            text.resize(std::min(text.size() + 65536, static_cast<std::size_t>(maxProjectFileBytes) + 1));
        }
        const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            refuse(std::string("cannot read the file: ") + std::strerror(errno));
        }
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    text.resize(done);
    return projectFromJson(text, path);
}

} // namespace

Project loadProject(const std::string& path)
{
    try {
        return readProjectFile(path);
    } catch (const std::bad_alloc&) {
        // The estimates of parseJson should prevent this; if memory runs out anyway (another
        // process took it), the message still names the file.
        throw MemoryBudgetError(path, "", "out of memory while loading the project");
    }
}

void saveProject(const Project& project, const std::string& path)
{
    writeFileAtomically(path, projectToJson(project));
}

} // namespace normad
