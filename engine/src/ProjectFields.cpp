#include "normad/ProjectFields.h"

#include "JsonMatrix.h"
#include "ProjectJson.h"

#include "normad/ProjectIo.h"
#include "normad/RuleRegistry.h"

#include <cctype>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>
#include <variant>
#include <vector>

namespace normad {

namespace {

using detail::Json;
using detail::JsonReader;
using detail::OrderedJson;

struct Token {
    std::string key;       // empty for an index
    std::size_t index = 0; // for an index
    bool isIndex = false;
};

[[noreturn]] void refuse(const std::string& message)
{
    throw std::invalid_argument(message);
}

/// `a.b[2].c` → a, b, [2], c.
std::vector<Token> parsePath(const std::string& path)
{
    auto bad = [&] {
        refuse("\"" + path +
               "\" is not a project path (write it as in docs/project-format.md, e.g. "
               "training.maxEpochs or network.layers[0].learningRate_A)");
    };
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (true) {
        const std::size_t begin = i;
        while (i < path.size() && (std::isalnum(static_cast<unsigned char>(path[i])) || path[i] == '_'))
            ++i;
        if (i == begin || std::isdigit(static_cast<unsigned char>(path[begin])))
            bad();
        tokens.push_back({path.substr(begin, i - begin)});
        while (i < path.size() && path[i] == '[') {
            const std::size_t digits = ++i;
            std::size_t index = 0;
            while (i < path.size() && std::isdigit(static_cast<unsigned char>(path[i])) && i - digits < 9)
                index = index * 10 + static_cast<std::size_t>(path[i++] - '0');
            if (i == digits || i >= path.size() || path[i] != ']')
                bad();
            ++i;
            tokens.push_back({{}, index, true});
        }
        if (i == path.size())
            return tokens;
        if (path[i] != '.')
            bad();
        ++i;
    }
}

// ---------------------------------------------------------------------------------------------
// Resolving a path: which part of a project it addresses. The shape of the file is written out
// here once; the keys of described structs come from their schemas.

enum class Place {
    Name,
    Description,
    Seed,
    Simulation,      // simulation[.key]
    Synapse,         // synapse[.key]
    Inputs,          // network.inputs
    NetworkNeuron,   // network.neuron[.key]
    Layers,          // network.layers
    Layer,           // network.layers[i][.key]
    LayerNeuron,     // network.layers[i].neuron[.key]
    LayerInit,       // network.layers[i].init[.key]
    LayerWeights,    // network.layers[i].weights_A
    PatternName,     // task.patterns[i].name
    PatternInputs,   // task.patterns[i].inputs_s
    PatternDesired,  // task.patterns[i].desired_s
    Training,        // training[.key]
    Metrics,         // training.metrics[.key]
    RuleSetting,     // training.rules.<rule>.<key>
    Dataset,         // task.dataset[.scaling|decision|cacheMegabytes]
    DatasetEncoding, // task.dataset.encoding[.key]
    DatasetSplit,    // task.dataset.split[.key]
    DatasetTargets,  // task.dataset.targets.classSpikes|otherSpikes
};

enum class JsonType { Number, Boolean, String, Array, Object };

struct Target {
    Place place;
    JsonType type;                   // what the path takes
    std::size_t index = 0;           // the layer or pattern of the path
    std::string key;                 // a field inside the place; "" = the place itself
    const FieldInfo* info = nullptr; // the description of `key`, if it is described
    std::string rule{};              // RuleSetting: the rule's registry key
};

JsonType typeOf(FieldKind kind)
{
    switch (kind) {
    case FieldKind::Boolean:
        return JsonType::Boolean;
    case FieldKind::Choice:
        return JsonType::String;
    default:
        return JsonType::Number;
    }
}

std::string typeName(JsonType t)
{
    switch (t) {
    case JsonType::Number:
        return "a number";
    case JsonType::Boolean:
        return "true or false";
    case JsonType::String:
        return "a string";
    case JsonType::Array:
        return "an array";
    case JsonType::Object:
        return "an object";
    }
    return {};
}

bool hasType(const Json& v, JsonType t)
{
    switch (t) {
    case JsonType::Number:
        return v.is_number();
    case JsonType::Boolean:
        return v.is_boolean();
    case JsonType::String:
        return v.is_string();
    case JsonType::Array:
        return v.is_array();
    case JsonType::Object:
        return v.is_object();
    }
    return false;
}

/// A described struct at tokens[0, at): the struct itself, or one of its fields.
template <class S>
std::optional<Target> described(Place place, const Schema<S>& schema, const std::vector<Token>& t, std::size_t at,
                                std::size_t index = 0)
{
    if (t.size() == at)
        return Target{place, JsonType::Object, index, {}, nullptr};
    if (t.size() == at + 1 && !t[at].isIndex)
        if (const Field<S>* f = findField(schema, t[at].key))
            return Target{place, typeOf(f->info.kind), index, f->info.key, &f->info};
    return std::nullopt;
}

std::optional<Target> resolveTokens(const std::vector<Token>& t)
{
    auto key = [&](std::size_t i, std::string_view k) { return i < t.size() && !t[i].isIndex && t[i].key == k; };
    auto index = [&](std::size_t i) { return i < t.size() && t[i].isIndex; };
    auto leaf = [&](std::size_t i, Place place, JsonType type, std::size_t at = 0) -> std::optional<Target> {
        if (t.size() == i)
            return Target{place, type, at, {}, nullptr};
        return std::nullopt;
    };

    if (key(0, "name"))
        return leaf(1, Place::Name, JsonType::String);
    if (key(0, "description"))
        return leaf(1, Place::Description, JsonType::String);
    if (key(0, "seed"))
        return leaf(1, Place::Seed, JsonType::Number);
    if (key(0, "simulation"))
        return described(Place::Simulation, SimulationParams::schema(), t, 1);
    if (key(0, "synapse"))
        return described(Place::Synapse, SynapseParams::schema(), t, 1);
    if (key(0, "network")) {
        if (key(1, "inputs"))
            return leaf(2, Place::Inputs, JsonType::Number);
        if (key(1, "neuron"))
            return described(Place::NetworkNeuron, LifParams::schema(), t, 2);
        if (key(1, "layers")) {
            if (t.size() == 2)
                return Target{Place::Layers, JsonType::Array, 0, {}, nullptr};
            if (!index(2))
                return std::nullopt;
            const std::size_t l = t[2].index;
            if (key(3, "neuron"))
                return described(Place::LayerNeuron, LifParams::schema(), t, 4, l);
            if (key(3, "init"))
                return described(Place::LayerInit, WeightInit::schema(), t, 4, l);
            if (key(3, "weights_A"))
                return leaf(4, Place::LayerWeights, JsonType::Array, l);
            return described(Place::Layer, LayerSpec::schema(), t, 3, l);
        }
        return std::nullopt;
    }
    if (key(0, "task") && key(1, "dataset")) {
        if (key(2, "encoding"))
            return described(Place::DatasetEncoding, encodingSchema(), t, 3);
        if (key(2, "split"))
            return described(Place::DatasetSplit, DatasetSplitSpec::schema(), t, 3);
        if (key(2, "targets") && (key(3, "classSpikes") || key(3, "otherSpikes")) && t.size() == 4)
            return Target{Place::DatasetTargets, JsonType::Array, 0, t[3].key, nullptr};
        return described(Place::Dataset, DatasetTaskSpec::schema(), t, 2);
    }
    if (key(0, "task") && key(1, "patterns") && index(2)) {
        const std::size_t p = t[2].index;
        if (key(3, "name"))
            return leaf(4, Place::PatternName, JsonType::String, p);
        if (key(3, "inputs_s"))
            return leaf(4, Place::PatternInputs, JsonType::Array, p);
        if (key(3, "desired_s"))
            return leaf(4, Place::PatternDesired, JsonType::Array, p);
        return std::nullopt;
    }
    if (key(0, "training")) {
        if (key(1, "metrics"))
            return described(Place::Metrics, MetricParams::schema(), t, 2);
        // The rule's key and the whole rules object go through the training section's reader.
        if (key(1, "rule"))
            return t.size() == 2 ? std::optional(Target{Place::Training, JsonType::String, 0, "rule", nullptr})
                                 : std::nullopt;
        if (key(1, "rules")) {
            if (t.size() == 2)
                return Target{Place::Training, JsonType::Object, 0, "rules", nullptr};
            // A rule's setting, described by the rule alone (RuleInfo::parameters).
            if (t.size() == 4 && !t[2].isIndex && !t[3].isIndex)
                for (const RuleInfo& rule : learningRules())
                    if (rule.key == t[2].key)
                        for (const FieldInfo& f : rule.parameters)
                            if (f.key == t[3].key) {
                                Target target{Place::RuleSetting, typeOf(f.kind), 0, f.key, &f};
                                target.rule = rule.key;
                                return target;
                            }
            return std::nullopt;
        }
        return described(Place::Training, TrainingParams::schema(), t, 1);
    }
    return std::nullopt;
}

Target resolve(const std::string& path)
{
    const std::vector<Token> tokens = parsePath(path);
    if (tokens.front().key == "history")
        refuse("\"" + path + "\": the training history cannot be set");
    if (std::optional<Target> target = resolveTokens(tokens))
        return *target;
    refuse("\"" + path + "\" names no field of the project format (docs/project-format.md)");
}

// ---------------------------------------------------------------------------------------------
// Reading and writing the addressed part

void requireIndex(const std::string& path, std::size_t index, std::size_t count)
{
    if (index >= count)
        refuse(path + ": index " + std::to_string(index) + " is out of range (this project has " +
               std::to_string(count) + ")");
}

/// Sets a described field of `s`, or all of `s` from an object (absent keys: the defaults, as when
/// a file is loaded).
template <class S>
void assign(const JsonReader& r, const Schema<S>& schema, const Target& t, const Json& v, const std::string& path, S& s)
{
    if (t.info != nullptr) {
        findField(schema, t.key)->set(s, r.field(*t.info, v, path));
        return;
    }
    s = S{};
    r.fields(schema, r.object(v, path), path, s);
}

template <class S>
OrderedJson describedJson(const Schema<S>& schema, const Target& t, const S& s, const std::string& path)
{
    if (t.info != nullptr)
        return detail::fieldJson(*t.info, findField(schema, t.key)->get(s), path);
    return detail::fieldsJson(schema, s, path);
}

/// The task fits a network of `inputs` and `outputs` and the trial of `sim`: the inline patterns, or
/// a dataset's settings (its input count is checked when it is loaded).
void validateTask(const Project& p, int inputs, int outputs, const SimulationParams& sim)
{
    if (p.dataset) {
        p.dataset->validate(sim, "task.dataset");
        if (!p.dataset->source.classNames.empty() &&
            static_cast<std::size_t>(outputs) != p.dataset->source.classNames.size())
            throw std::invalid_argument("network.layers: the output layer needs one neuron per class (" +
                                        std::to_string(p.dataset->source.classNames.size()) + ") (got " +
                                        std::to_string(outputs) + ")");
        return;
    }
    p.task.validate(inputs, outputs, sim.duration, sim.dt, "task");
}

/// Replaces the network by one of these sizes and layers, keeping the synapse and (if the project
/// carries them) the weights, which must still fit; the task must fit the new shape.
void rebuildNetwork(Project& p, int inputs, std::vector<LayerSpec> layers)
{
    Network net(inputs, std::move(layers), p.network.synapse());
    if (p.hasWeights)
        for (int l = 1; l <= net.layerCount(); ++l)
            net.setWeights(l, p.network.weights(l));
    validateTask(p, net.inputCount(), net.outputCount(), p.simulation);
    p.network = std::move(net);
}

/// A compound edit of the network (a layer list, a whole layer or neuron object): the network
/// section is written, edited at `place` and read back by the loader's own network reader.
void editNetworkSection(const JsonReader& r, Project& p, const Target& t, const Json& v)
{
    Json network(detail::networkJson(p, true));
    switch (t.place) {
    case Place::Layers:
        network["layers"] = v;
        break;
    case Place::Layer:
        network["layers"][t.index] = v;
        break;
    case Place::LayerNeuron:
        network["layers"][t.index]["neuron"] = v;
        break;
    default:
        network["neuron"] = v;
        break;
    }
    Project edited;
    edited.network.setSynapse(p.network.synapse());
    detail::readNetworkObject(r, network, edited);
    validateTask(p, edited.network.inputCount(), edited.network.outputCount(), p.simulation);
    p.network = std::move(edited.network);
    p.hasWeights = edited.hasWeights;
}

void setAt(Project& p, const Target& t, const Json& v, const std::string& path)
{
    const JsonReader r(path);
    const int layerCount = p.network.layerCount();
    if (t.place == Place::Layer || t.place == Place::LayerNeuron || t.place == Place::LayerInit ||
        t.place == Place::LayerWeights)
        requireIndex(path, t.index, static_cast<std::size_t>(layerCount));
    if (t.place == Place::PatternName || t.place == Place::PatternInputs || t.place == Place::PatternDesired)
        requireIndex(path, t.index, p.task.patterns.size());
    const int l = static_cast<int>(t.index) + 1; // the engine's layer number of network.layers[index]
    std::vector<LayerSpec> layers = p.network.layers();

    switch (t.place) {
    case Place::Name:
        p.name = r.text(v, path);
        return;
    case Place::Description:
        p.description = r.text(v, path);
        return;
    case Place::Seed:
        p.seed = v.is_number_unsigned()
                     ? v.get<std::uint64_t>()
                     : static_cast<std::uint64_t>(r.integer(v, path, 0, std::numeric_limits<long long>::max()));
        return;
    case Place::Simulation: {
        SimulationParams s = p.simulation;
        assign(r, SimulationParams::schema(), t, v, path, s);
        s.validate("simulation");
        validateTask(p, p.network.inputCount(), p.network.outputCount(), s);
        p.simulation = s;
        return;
    }
    case Place::Synapse: {
        SynapseParams s = p.network.synapse();
        assign(r, SynapseParams::schema(), t, v, path, s);
        p.network.setSynapse(s);
        return;
    }
    case Place::Inputs:
        rebuildNetwork(p, static_cast<int>(r.integer(v, path, 1, maxPopulationSize)), layers);
        return;
    case Place::NetworkNeuron: {
        if (t.info == nullptr)
            return editNetworkSection(r, p, t, v);
        // As in the file: a layer that does not override this key follows the network's neuron.
        const Field<LifParams>& f = *findField(LifParams::schema(), t.key);
        const FieldValue value = r.field(*t.info, v, path);
        const FieldValue old = f.get(layers.front().neuron);
        LifParams base = layers.front().neuron; // what the file writes as network.neuron
        f.set(base, value);
        base.validate("network.neuron");
        for (LayerSpec& spec : layers)
            if (f.get(spec.neuron) == old)
                f.set(spec.neuron, value);
        return rebuildNetwork(p, p.network.inputCount(), std::move(layers));
    }
    case Place::Layers:
        return editNetworkSection(r, p, t, v);
    case Place::Layer:
        if (t.info == nullptr)
            return editNetworkSection(r, p, t, v);
        assign(r, LayerSpec::schema(), t, v, path, ofLayer(layers, l));
        return rebuildNetwork(p, p.network.inputCount(), std::move(layers));
    case Place::LayerNeuron:
        if (t.info == nullptr)
            return editNetworkSection(r, p, t, v);
        assign(r, LifParams::schema(), t, v, path, ofLayer(layers, l).neuron);
        return rebuildNetwork(p, p.network.inputCount(), std::move(layers));
    case Place::LayerInit:
        assign(r, WeightInit::schema(), t, v, path, ofLayer(layers, l).init);
        return rebuildNetwork(p, p.network.inputCount(), std::move(layers));
    case Place::LayerWeights: {
        // A file gives weights for every layer or for none.
        if (!p.hasWeights && layerCount > 1)
            refuse(path + ": this project carries no weights (they are drawn from the seed): draw them first, "
                          "or set network.layers with weights_A for every layer");
        const Eigen::MatrixXd w =
            detail::readWeights(r, v, path, p.network.populationSize(l), p.network.populationSize(l - 1),
                                l == 1 ? "the input population" : "the layer below");
        p.network.setWeights(l, w);
        p.hasWeights = true;
        return;
    }
    case Place::PatternName:
        p.task.patterns[t.index].name = r.text(v, path);
        return;
    case Place::PatternInputs:
        p.task.patterns[t.index].inputs = detail::readRaster(
            r, v, path, static_cast<std::size_t>(p.network.inputCount()), "input", p.simulation, false);
        return;
    case Place::PatternDesired:
        p.task.patterns[t.index].desired = detail::readRaster(
            r, v, path, static_cast<std::size_t>(p.network.outputCount()), "output", p.simulation, true);
        return;
    case Place::Training: {
        if (t.info != nullptr) {
            TrainingParams training = p.training;
            assign(r, TrainingParams::schema(), t, v, path, training);
            training.validate("training");
            p.training = std::move(training);
            return;
        }
        // The whole object, or a rule's setting: through the training section's reader.
        Json training = t.key.empty() ? v : Json(detail::trainingJson(p.training));
        if (!t.key.empty())
            training[t.key] = v;
        p.training = detail::readTraining(r, r.object(training, path));
        return;
    }
    case Place::Metrics: {
        TrainingParams training = p.training;
        assign(r, MetricParams::schema(), t, v, path, training.metrics);
        training.validate("training");
        p.training = std::move(training);
        return;
    }
    case Place::RuleSetting: {
        TrainingParams training = p.training;
        training.setSetting(t.rule, t.key, r.field(*t.info, v, path));
        training.validate("training");
        p.training = std::move(training);
        return;
    }
    case Place::Dataset:
    case Place::DatasetEncoding:
    case Place::DatasetSplit:
    case Place::DatasetTargets: {
        if (t.place == Place::Dataset && t.info == nullptr) {
            // The whole object: read as a file's, and the task becomes a dataset task.
            p.dataset = detail::readDatasetTask(r, r.object(v, path), p.simulation);
            p.task.patterns.clear();
            return;
        }
        if (!p.dataset)
            refuse(path + ": this project's task is patterns, not a dataset");
        DatasetTaskSpec spec = *p.dataset;
        if (t.place == Place::Dataset)
            assign(r, DatasetTaskSpec::schema(), t, v, path, spec);
        else if (t.place == Place::DatasetEncoding)
            assign(r, encodingSchema(), t, v, path, spec.encoding);
        else if (t.place == Place::DatasetSplit)
            assign(r, DatasetSplitSpec::schema(), t, v, path, spec.split);
        else {
            SpikeTrain train;
            const Json& list = r.array(v, path);
            for (std::size_t k = 0; k < list.size(); ++k)
                train.push_back(r.number(list[k], detail::indexPath(path, k)));
            (t.key == "classSpikes" ? spec.targets.classSpikes : spec.targets.otherSpikes) = std::move(train);
        }
        spec.validate(p.simulation, "task.dataset");
        p.dataset = std::move(spec);
        return;
    }
    }
}

OrderedJson valueAt(const Project& p, const Target& t, const std::string& path)
{
    const Network& net = p.network;
    if (t.place == Place::Layer || t.place == Place::LayerNeuron || t.place == Place::LayerInit ||
        t.place == Place::LayerWeights)
        requireIndex(path, t.index, static_cast<std::size_t>(net.layerCount()));
    if (t.place == Place::PatternName || t.place == Place::PatternInputs || t.place == Place::PatternDesired)
        requireIndex(path, t.index, p.task.patterns.size());
    const int l = static_cast<int>(t.index) + 1;

    switch (t.place) {
    case Place::Name:
        return p.name;
    case Place::Description:
        return p.description;
    case Place::Seed:
        return p.seed;
    case Place::Simulation:
        return describedJson(SimulationParams::schema(), t, p.simulation, path);
    case Place::Synapse:
        return describedJson(SynapseParams::schema(), t, net.synapse(), path);
    case Place::Inputs:
        return net.inputCount();
    case Place::NetworkNeuron:
        return describedJson(LifParams::schema(), t, net.layer(1).neuron, path);
    case Place::Layers:
        return detail::networkJson(p, true)["layers"];
    case Place::Layer:
        if (t.info == nullptr)
            return detail::networkJson(p, true)["layers"][t.index];
        return describedJson(LayerSpec::schema(), t, net.layer(l), path);
    case Place::LayerNeuron:
        return describedJson(LifParams::schema(), t, net.layer(l).neuron, path);
    case Place::LayerInit:
        return describedJson(WeightInit::schema(), t, net.layer(l).init, path);
    case Place::LayerWeights:
        if (!p.hasWeights)
            refuse(path + ": this project carries no weights (they are drawn from the seed)");
        return detail::matrixRows(net.weights(l));
    case Place::PatternName:
        return p.task.patterns[t.index].name;
    case Place::PatternInputs:
        return detail::rasterJson(p.task.patterns[t.index].inputs, path);
    case Place::PatternDesired:
        return detail::rasterJson(p.task.patterns[t.index].desired, path);
    case Place::Training:
        if (t.info == nullptr) {
            const OrderedJson training = detail::trainingJson(p.training);
            return t.key.empty() ? training : training[t.key];
        }
        return describedJson(TrainingParams::schema(), t, p.training, path);
    case Place::Metrics:
        return describedJson(MetricParams::schema(), t, p.training.metrics, path);
    case Place::RuleSetting:
        return detail::fieldJson(*t.info, p.training.settings(t.rule).at(t.key), path);
    case Place::Dataset:
    case Place::DatasetEncoding:
    case Place::DatasetSplit:
    case Place::DatasetTargets: {
        if (!p.dataset)
            refuse(path + ": this project's task is patterns, not a dataset");
        const OrderedJson d = detail::datasetTaskJson(*p.dataset);
        if (t.place == Place::Dataset)
            return t.info == nullptr ? d : d[t.key];
        if (t.place == Place::DatasetTargets)
            return d["targets"][t.key];
        const OrderedJson& section = d[t.place == Place::DatasetEncoding ? "encoding" : "split"];
        return t.info == nullptr ? section : section[t.key];
    }
    }
    return {};
}

/// Runs `f`, turning a refusal into std::invalid_argument that starts with `path`.
template <class F> void namedAfter(const std::string& path, F&& f)
{
    auto name = [&](const std::string& field, const std::string& reason) {
        if (field.empty() || field == path)
            return path + ": " + reason;
        return field.starts_with(path) ? field + ": " + reason : path + ": " + field + ": " + reason;
    };
    try {
        f();
    } catch (const ProjectError& e) {
        refuse(name(e.field(), e.reason()));
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        refuse(message.starts_with(path) ? message : path + ": " + message);
    }
}

void setJson(Project& project, const std::string& path, const Json& value)
{
    const Target target = resolve(path);
    namedAfter(path, [&] {
        // Every part is edited on a copy and assigned when valid, so a refusal changes nothing.
        Project edited = project;
        setAt(edited, target, value, path);
        project = std::move(edited);
    });
}

} // namespace

std::string checkFieldPath(std::string_view path)
{
    try {
        resolve(std::string(path));
        return {};
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

std::string checkFieldValue(std::string_view path, std::string_view json)
{
    const std::string p(path);
    try {
        const Target target = resolve(p);
        const Json value = detail::parseJson(std::string(json), p);
        if (!hasType(value, target.type))
            return "\"" + p + "\" takes " + typeName(target.type) + ", not " + detail::describe(value);
        return {};
    } catch (const ProjectError& e) {
        return p + ": " + e.reason();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

void setFieldJson(Project& project, std::string_view path, std::string_view json)
{
    const std::string p(path);
    Json value;
    namedAfter(p, [&] { value = detail::parseJson(std::string(json), p); });
    setJson(project, p, value);
}

void setField(Project& project, std::string_view path, const FieldValue& value)
{
    setJson(project, std::string(path), std::visit([](const auto& v) { return Json(v); }, value));
}

std::string getField(const Project& project, std::string_view path)
{
    const std::string p(path);
    const Target target = resolve(p);
    std::string text;
    namedAfter(p, [&] { text = valueAt(project, target, p).dump(-1, ' ', false, Json::error_handler_t::replace); });
    return text;
}

} // namespace normad
