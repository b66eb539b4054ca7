#include "normad/Examples.h"

#include "normad/TaskGenerators.h"
#include "normad/TextFormat.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace normad {

namespace {

using Kind = ExampleOption::Kind;

// Typed reads of settings that Example::check() accepted; a key not given keeps `fallback`.
double real(const ExampleSettings& s, std::string_view key, double fallback)
{
    const auto it = s.find(key);
    return it == s.end() ? fallback : std::get<double>(it->second);
}

int integer(const ExampleSettings& s, std::string_view key, int fallback)
{
    return static_cast<int>(real(s, key, fallback));
}

bool boolean(const ExampleSettings& s, std::string_view key, bool fallback)
{
    const auto it = s.find(key);
    return it == s.end() ? fallback : std::get<bool>(it->second);
}

std::string choice(const ExampleSettings& s, std::string_view key, std::string fallback)
{
    const auto it = s.find(key);
    return it == s.end() ? fallback : std::get<std::string>(it->second);
}

std::vector<int> integers(const ExampleSettings& s, std::string_view key, std::vector<int> fallback)
{
    const auto it = s.find(key);
    return it == s.end() ? fallback : std::get<std::vector<int>>(it->second);
}

Project makeSingle(std::uint64_t seed, const ExampleSettings& s)
{
    generators::SingleNeuronOptions o;
    o.inputs = integer(s, "inputs", o.inputs);
    o.inputRate = real(s, "inputRate", o.inputRate);
    o.duration = real(s, "duration", o.duration);
    o.targetRate = real(s, "targetRate", o.targetRate);
    o.targetMinInterval = real(s, "targetMinInterval", o.targetMinInterval);
    o.targetStart = real(s, "targetStart", o.targetStart);
    o.learningRate = real(s, "learningRate", o.learningRate);
    return generators::singleNeuron(seed, o);
}

Project makeMultilayer(std::uint64_t seed, const ExampleSettings& s)
{
    generators::MultilayerOptions o;
    o.inputs = integer(s, "inputs", o.inputs);
    o.hidden = integers(s, "hidden", o.hidden);
    o.outputs = integer(s, "outputs", o.outputs);
    o.inputRate = real(s, "inputRate", o.inputRate);
    o.duration = real(s, "duration", o.duration);
    o.patterns = integer(s, "patterns", o.patterns);
    o.teacher = boolean(s, "teacher", o.teacher);
    o.targetRate = real(s, "targetRate", o.targetRate);
    o.hiddenRate = real(s, "hiddenRate", o.hiddenRate);
    o.outputRate = real(s, "outputRate", o.outputRate);
    return generators::multilayer(seed, o);
}

Project makeXor(std::uint64_t seed, const ExampleSettings& s)
{
    generators::XorOptions o;
    if (choice(s, "encoding", "spikeTrains") == "latency")
        o.encoding = generators::XorOptions::Encoding::Latency;
    o.groupSize = integer(s, "groupSize", o.groupSize);
    o.hidden = integer(s, "hidden", o.hidden);
    o.duration = real(s, "duration", o.duration);
    o.inputRate = real(s, "inputRate", o.inputRate);
    return generators::xorTask(seed, o);
}

std::vector<Example> makeTable()
{
    std::vector<Example> table;
    table.push_back({
        "xor",
        "Spike-based XOR",
        "spike-based XOR with one hidden layer (spec 4.1, spike-train code)",
        {
            {"encoding",
             Kind::Choice,
             "spikeTrains: each bit is one of two Poisson trains; latency: an early or late "
             "spike",
             {"spikeTrains", "latency"}},
            {"groupSize", Kind::Integer, "inputs per bit group (there are 3 groups: bias, bit 1, bit 2)", {}},
            {"hidden", Kind::Integer, "neurons in the hidden layer", {}},
            {"duration", Kind::Real, "trial length, s", {}},
            {"inputRate", Kind::Real, "rate of the Poisson input trains, Hz", {}},
        },
        &makeXor,
        {},
    });
    table.push_back({
        "multilayer",
        "Multi-layer spike mapping",
        "generic spike mapping to a teacher network's output (spec 4.2)",
        {
            {"inputs", Kind::Integer, "Poisson input neurons", {}},
            {"hidden", Kind::IntegerList, "sizes of the hidden layers, first to last", {}},
            {"outputs", Kind::Integer, "output neurons", {}},
            {"inputRate", Kind::Real, "rate of the Poisson input trains, Hz", {}},
            {"duration", Kind::Real, "trial length, s", {}},
            {"patterns", Kind::Integer, "patterns of the task", {}},
            {"teacher", Kind::Boolean, "true: targets are a teacher network's output; false: Poisson targets", {}},
            {"targetRate", Kind::Real, "rate of Poisson targets (teacher false), Hz", {}},
            {"hiddenRate", Kind::Real, "learning rate r of the hidden layers, A", {}},
            {"outputRate", Kind::Real, "learning rate r of the output layer, A", {}},
        },
        &makeMultilayer,
        {},
    });
    table.push_back({
        "single",
        "Single neuron",
        "one LIF neuron learning a Poisson target train (NormAD 2015)",
        {
            {"inputs", Kind::Integer, "Poisson input neurons", {}},
            {"inputRate", Kind::Real, "rate of the Poisson input trains, Hz", {}},
            {"duration", Kind::Real, "trial length, s", {}},
            {"targetRate", Kind::Real, "rate of the Poisson target train, Hz", {}},
            {"targetMinInterval", Kind::Real, "least interval between target spikes, s", {}},
            {"targetStart", Kind::Real, "no target spike before this time, s", {}},
            {"learningRate", Kind::Real, "learning rate r, A", {}},
        },
        &makeSingle,
        {},
    });
    return table;
}

std::string settingText(const ExampleSetting& value)
{
    if (const double* d = std::get_if<double>(&value))
        return formatShortest(*d);
    if (const bool* b = std::get_if<bool>(&value))
        return *b ? "true" : "false";
    if (const std::string* s = std::get_if<std::string>(&value))
        return "\"" + *s + "\"";
    std::string list = "[";
    for (int n : std::get<std::vector<int>>(value))
        list += (list.size() > 1 ? ", " : "") + std::to_string(n);
    return list + "]";
}

} // namespace

const ExampleOption* Example::option(std::string_view key) const
{
    const auto it = std::find_if(options.begin(), options.end(), [&](const ExampleOption& o) { return o.key == key; });
    return it == options.end() ? nullptr : &*it;
}

void Example::check(const ExampleSettings& settings) const
{
    for (const auto& setting : settings) {
        // Not a structured binding: clang before 16 cannot capture one in `refuse` (NORMAD_FUZZ).
        const auto& key = setting.first;
        const auto& value = setting.second;
        const ExampleOption* o = option(key);
        auto refuse = [&](const std::string& reason) {
            throw std::invalid_argument(key + ": " + reason + " (got " + settingText(value) + ")");
        };
        if (!o) {
            std::string known;
            for (const ExampleOption& k : options)
                known += (known.empty() ? "" : ", ") + k.key;
            refuse("not an option of the " + name + " example (options: " + known + ")");
        }
        const double* d = std::get_if<double>(&value);
        switch (o->kind) {
        case Kind::Real:
            if (!d || !std::isfinite(*d))
                refuse("must be a finite number");
            break;
        case Kind::Integer:
            if (!d || !std::isfinite(*d) || std::floor(*d) != *d || *d < 0 || *d > 1e9)
                refuse("must be a whole number >= 0");
            break;
        case Kind::Boolean:
            if (!std::holds_alternative<bool>(value))
                refuse("must be true or false");
            break;
        case Kind::Choice: {
            const std::string* s = std::get_if<std::string>(&value);
            if (!s || std::find(o->choices.begin(), o->choices.end(), *s) == o->choices.end()) {
                std::string names;
                for (const std::string& c : o->choices)
                    names += (names.empty() ? "" : " or ") + c;
                refuse("must be " + names);
            }
            break;
        }
        case Kind::IntegerList: {
            const auto* list = std::get_if<std::vector<int>>(&value);
            if (!list || std::any_of(list->begin(), list->end(), [](int n) { return n < 1; }))
                refuse("must be a list of whole numbers >= 1");
            break;
        }
        }
    }
}

Project Example::make(std::uint64_t seed, const ExampleSettings& settings) const
{
    check(settings);
    return generate(seed, settings);
}

std::string Example::layerSizes() const
{
    const Network network = make(1).network;
    std::string sizes = std::to_string(network.inputCount()) + " inputs";
    for (int l : network.layerNumbers())
        sizes += " → " + std::to_string(network.populationSize(l));
    return sizes;
}

std::string Example::summary() const
{
    return layerSizes() + ": " + description;
}

const std::vector<Example>& examples()
{
    static const std::vector<Example> table = makeTable();
    return table;
}

const Example* findExample(std::string_view name)
{
    for (const auto* table : {&examples(), &datasetExamples()})
        for (const Example& e : *table)
            if (e.name == name)
                return &e;
    return nullptr;
}

const Example& example(std::string_view name)
{
    if (const Example* e = findExample(name))
        return *e;
    throw std::invalid_argument("unknown example '" + std::string(name) + "': choose " + exampleNames());
}

std::string exampleNames(std::string_view separator, std::string_view lastSeparator)
{
    std::vector<Example> table = examples();
    table.insert(table.end(), datasetExamples().begin(), datasetExamples().end());
    std::string s;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (i > 0)
            s += i + 1 == table.size() ? lastSeparator : separator;
        s += table[i].name;
    }
    return s;
}

} // namespace normad
