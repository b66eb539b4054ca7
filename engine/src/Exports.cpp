#include "normad/Exports.h"

#include "JsonMatrix.h"
#include "ProjectJson.h"

#include "normad/AtomicFile.h"
#include "normad/MemoryBudget.h"
#include "normad/Simulator.h"
#include "normad/StepTime.h"
#include "normad/TextFormat.h"
#include "normad/Version.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>
#include <stdexcept>
#include <utility>

// Layouts documented in docs/exports.md; keep the two in step.

namespace normad {

namespace {

namespace fs = std::filesystem;
using OrderedJson = nlohmann::ordered_json;

std::string lowerExtension(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

std::string formatName(ExportFormat f)
{
    switch (f) {
    case ExportFormat::Npz:
        return ".npz";
    case ExportFormat::Csv:
        return ".csv";
    case ExportFormat::Json:
        return ".json";
    }
    return "?";
}

std::string dump(const OrderedJson& j, int indent = 2)
{
    return j.dump(indent, ' ', false, OrderedJson::error_handler_t::replace) + (indent >= 0 ? "\n" : "");
}

OrderedJson manifest(const Project& project, const std::string& what)
{
    // The parameters are the project file's own keys (docs/project-format.md), so a manifest reads
    // like the project that produced it; bulky data is replaced by counts.
    OrderedJson parameters =
        detail::projectDocument(project, {.generator = false, .weights = false, .spikes = false, .history = false});

    OrderedJson m = OrderedJson::object();
    m["generator"] = std::string("NormAD Workbench ") + versionString();
    m["version"] = versionString();
    m["export"] = what;
    m["seed"] = project.seed;
    m["dt_s"] = project.simulation.dt;
    m["duration_s"] = project.simulation.duration;
    m["epochsTrained"] = project.history.size();
    m["hasTrainedWeights"] = project.hasWeights;
    m["parameters"] = std::move(parameters);
    return m;
}

OrderedJson weightsMetadata(const Project& project)
{
    OrderedJson m = manifest(project, "weights");
    m["units"] = {{"weight", "A"}, {"time", "s"}};
    m["layout"] = "layer{k}.weight: float64 [n_out, n_in], row i = postsynaptic neuron i (PyTorch nn.Linear), "
                  "k = 1..L counted from the first LIF layer";
    OrderedJson layers = OrderedJson::array();
    const Network& net = project.network;
    for (int l : net.layerNumbers())
        layers.push_back({{"key", "layer" + std::to_string(l) + ".weight"},
                          {"layer", l},
                          {"shape", {net.populationSize(l), net.populationSize(l - 1)}},
                          {"neuron", detail::neuronJson(net.layer(l).neuron, "neuron")},
                          {"learningRate_A", net.layer(l).learningRate},
                          {"trainable", net.layer(l).trainable}});
    m["layers"] = std::move(layers);
    m["synapse"] = detail::fieldsJson(SynapseParams::schema(), net.synapse(), "synapse");
    return m;
}

void requireFiniteWeights(const Project& project)
{
    if (!project.network.weightsFinite())
        throw std::invalid_argument("cannot export the weights: a weight is not finite (re-initialise the weights)");
}

std::string trim(std::string_view s)
{
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
        --e;
    return std::string(s.substr(b, e - b));
}

/// Larger neuron indices are refused: no population is that large (maxPopulationSize).
constexpr std::int64_t maxImportedNeurons = 10'000'000;

/// Checks one imported spike; `where()` names it ("line 12", "spike 3 (indices/times[3])").
template <typename Where>
void checkSpike(std::int64_t neuron, double time, int neuronCount, std::int64_t declaredCount,
                const SimulationParams* trial, const std::string& source, Where where)
{
    if (neuron < 0)
        throw std::invalid_argument(source + ": " + where() + ": negative neuron index " + std::to_string(neuron));
    if (neuronCount >= 0 && neuron >= neuronCount)
        throw std::invalid_argument(source + ": " + where() + ": neuron " + std::to_string(neuron) +
                                    " is beyond the population of " + std::to_string(neuronCount) + " (indices 0 to " +
                                    std::to_string(neuronCount - 1) + ")");
    if (neuron >= maxImportedNeurons)
        throw std::invalid_argument(source + ": " + where() + ": neuron index " + std::to_string(neuron) +
                                    " is beyond the largest population accepted (" +
                                    std::to_string(maxImportedNeurons) + ")");
    if (declaredCount >= 0 && neuronCount < 0 && neuron >= declaredCount)
        throw std::invalid_argument(source + ": " + where() + ": neuron " + std::to_string(neuron) +
                                    " is beyond n_neurons = " + std::to_string(declaredCount));
    if (!std::isfinite(time) || time < 0)
        throw std::invalid_argument(source + ": " + where() + ": spike time " + formatShortest(time) +
                                    " s is not a finite, non-negative number of seconds");
    // In the time domain: a time of 1e308 s has no step number (llround overflows).
    if (trial != nullptr && !insideTrial(time, trial->duration, trial->dt))
        throw std::invalid_argument(source + ": " + where() + ": spike time " + formatShortest(time) +
                                    " s is outside the trial [0, " + formatShortest(trial->duration) + ") s");
}

/// The memory of a raster of `spikes` spikes in `trains` trains, refused beyond the budget
/// before any train is sized.
void requireRasterMemory(std::uint64_t spikes, std::uint64_t trains, const std::string& source)
{
    requireMemory(
        saturatingMultiply(spikes, sizeof(double)) + saturatingMultiply(trains, sizeof(SpikeTrain)), source, "",
        plural(static_cast<long long>(spikes), "spike") + " in " + plural(static_cast<long long>(trains), "train"));
}

/// Collects (neuron, time) events into a raster, checking each; `where(i)` names event i.
template <typename Where>
SpikeRaster buildRaster(const std::vector<std::int64_t>& neurons, const std::vector<double>& times, int neuronCount,
                        std::int64_t declaredCount, const SimulationParams* trial, const std::string& source,
                        Where where)
{
    std::int64_t count = neuronCount >= 0 ? neuronCount : declaredCount;
    for (std::size_t i = 0; i < neurons.size(); ++i) {
        checkSpike(neurons[i], times[i], neuronCount, declaredCount, trial, source, [&] { return where(i); });
        count = std::max(count, neurons[i] + 1);
    }
    requireRasterMemory(neurons.size(), static_cast<std::uint64_t>(std::max<std::int64_t>(count, 0)), source);
    SpikeRaster raster(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
    for (std::size_t i = 0; i < neurons.size(); ++i)
        raster[static_cast<std::size_t>(neurons[i])].push_back(times[i]);
    for (SpikeTrain& train : raster)
        std::sort(train.begin(), train.end());
    return raster;
}

/// Longest line of a spike CSV: "neuron,time_s" needs some 40 bytes; a longer line is no spike.
constexpr std::size_t maxSpikeLineBytes = 4096;

/// Reads the next line of at most maxSpikeLineBytes into `line` (without its '\n'); false at the
/// end. A longer line is refused without reading it whole (a 100 MB field stays on disk).
bool nextSpikeLine(std::istream& in, std::string& line, int lineNumber, const std::string& source)
{
    char buffer[maxSpikeLineBytes + 2];
    in.getline(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (in.bad())
        throw std::runtime_error(source + ": cannot read the file");
    if (in.fail() && !in.eof())
        throw std::invalid_argument(
            source + ": line " + std::to_string(lineNumber) + ": longer than " + std::to_string(maxSpikeLineBytes) +
            " bytes (a spike is 'neuron,time_s'): " + quotedText(std::string_view(buffer, got)));
    if (got == 0 && in.eof())
        return false;
    // With the '\n' found, gcount counts it; a last line without one ends at the end of the file.
    line.assign(buffer, in.eof() ? got : got - 1);
    return true;
}

/// Parses one non-blank spike CSV line "neuron,time_s".
std::pair<std::int64_t, double> parseSpikeLine(const std::string& trimmed, const std::string& source,
                                               const std::string& at)
{
    const auto comma = trimmed.find(',');
    if (comma == std::string::npos || trimmed.find(',', comma + 1) != std::string::npos)
        throw std::invalid_argument(source + ": " + at + ": expected two fields 'neuron,time_s', got " +
                                    quotedText(trimmed, 60));
    const std::string a = trim(std::string_view(trimmed).substr(0, comma));
    const std::string b = trim(std::string_view(trimmed).substr(comma + 1));
    std::int64_t neuron = 0;
    const auto [pa, ea] = std::from_chars(a.data(), a.data() + a.size(), neuron);
    if (ea != std::errc() || pa != a.data() + a.size())
        throw std::invalid_argument(source + ": " + at + ": the neuron " + quotedText(a) + " is not a whole number");
    double t = 0;
    const auto [pb, eb] = std::from_chars(b.data(), b.data() + b.size(), t);
    if (eb != std::errc() || pb != b.data() + b.size())
        throw std::invalid_argument(source + ": " + at + ": the time " + quotedText(b) + " is not a number (seconds)");
    return {neuron, t};
}

/// Spike CSV from a stream, in two passes so that memory stays that of the result: the first checks
/// every line and counts each neuron's spikes (a bad last line costs no memory), the second fills
/// trains sized exactly. The stream must be seekable.
SpikeRaster readSpikeCsv(std::istream& in, const std::string& source, int neuronCount, const SimulationParams* trial)
{
    std::string line;
    int lineNumber = 0;
    bool haveHeader = false;
    std::vector<std::uint64_t> counts(static_cast<std::size_t>(std::max(neuronCount, 0)));
    std::uint64_t spikes = 0;
    while (nextSpikeLine(in, line, lineNumber + 1, source)) {
        ++lineNumber;
        const std::string trimmed = trim(line);
        if (trimmed.empty())
            continue;
        const std::string at = "line " + std::to_string(lineNumber);
        if (!haveHeader) {
            std::string header = trimmed;
            header.erase(std::remove(header.begin(), header.end(), ' '), header.end());
            if (header.starts_with("\xEF\xBB\xBF")) // a spreadsheet's byte-order mark
                header.erase(0, 3);
            if (header != "neuron,time_s")
                throw std::invalid_argument(source + ": " + at + ": expected the header 'neuron,time_s', got " +
                                            quotedText(trimmed, 60));
            haveHeader = true;
            continue;
        }
        const auto [neuron, t] = parseSpikeLine(trimmed, source, at);
        checkSpike(neuron, t, neuronCount, -1, trial, source, [&] { return at; });
        if (static_cast<std::uint64_t>(neuron) >= counts.size())
            counts.resize(static_cast<std::size_t>(neuron) + 1);
        ++counts[static_cast<std::size_t>(neuron)];
        ++spikes;
    }
    if (!haveHeader)
        throw std::invalid_argument(source + ": empty file: expected the header 'neuron,time_s'");
    requireRasterMemory(spikes, counts.size(), source);

    SpikeRaster raster(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i)
        raster[i].reserve(static_cast<std::size_t>(counts[i]));
    in.clear();
    in.seekg(0);
    bool header = true;
    for (int number = 1; nextSpikeLine(in, line, number, source); ++number) {
        const std::string trimmed = trim(line);
        if (trimmed.empty())
            continue;
        if (std::exchange(header, false))
            continue;
        const auto [neuron, t] = parseSpikeLine(trimmed, source, "line " + std::to_string(number));
        const auto i = static_cast<std::size_t>(neuron);
        if (neuron < 0 || i >= raster.size() || raster[i].size() == counts[i])
            throw std::runtime_error(source + ": the file changed while it was read");
        raster[i].push_back(t);
    }
    for (SpikeTrain& train : raster)
        std::sort(train.begin(), train.end());
    return raster;
}

} // namespace

ExportFormat exportFormatOf(const std::string& path, const std::vector<ExportFormat>& allowed)
{
    const std::string ext = lowerExtension(path);
    for (ExportFormat f : allowed)
        if (ext == formatName(f))
            return f;
    std::string list;
    for (ExportFormat f : allowed)
        list += (list.empty() ? "" : ", ") + formatName(f);
    throw std::invalid_argument("cannot tell the format of '" + path + "' from its extension '" + ext +
                                "': use one of " + list);
}

std::string runManifestJson(const Project& project, const std::string& what)
{
    return dump(manifest(project, what));
}

std::string trainingLogCsv(const std::vector<EpochMetrics>& history, int patternCount, int layerCount)
{
    CsvWriter csv;
    for (const char* name : {"epoch", "mean_correlation", "min_correlation", "van_rossum", "spike_count_error",
                             "missing", "extra", "cost", "converged", "seconds"})
        csv.field(name);
    for (int k = 0; k < patternCount; ++k)
        csv.field("c_pattern" + std::to_string(k));
    for (int l : layerNumbers(layerCount))
        csv.field("rate_layer" + std::to_string(l) + "_hz");
    csv.endRow();
    for (const EpochMetrics& m : history) {
        csv.field(m.epoch);
        for (double v : {m.meanCorrelation, m.minCorrelation, m.vanRossum, m.spikeCountError})
            csv.field(v);
        csv.field(m.missing).field(m.extra).field(m.cost).field(m.converged ? 1 : 0);
        // Wall time: to the microsecond, more digits would be clock noise.
        csv.field(std::round(m.seconds * 1e6) / 1e6);
        // Cells stay empty where an epoch has fewer patterns or layers than the header.
        for (int k = 0; k < patternCount; ++k) {
            if (k < static_cast<int>(m.patterns.size()))
                csv.field(m.patterns[static_cast<std::size_t>(k)].correlation);
            else
                csv.field("");
        }
        for (int l : layerNumbers(layerCount)) {
            if (l <= static_cast<int>(m.layerRates.size()))
                csv.field(m.layerRate(l));
            else
                csv.field("");
        }
        csv.endRow();
    }
    return csv.text();
}

std::string manifestPathFor(const std::string& exportPath)
{
    fs::path p(exportPath);
    return (p.parent_path() / (p.stem().string() + ".manifest.json")).string();
}

std::string trainingLogPathFor(const std::string& exportPath)
{
    fs::path p(exportPath);
    return (p.parent_path() / (p.stem().string() + ".log.csv")).string();
}

void writeExportSidecars(const Project& project, const std::string& exportPath, const std::string& what)
{
    writeFileAtomically(manifestPathFor(exportPath), runManifestJson(project, what));
    writeFileAtomically(
        trainingLogPathFor(exportPath),
        trainingLogCsv(project.history, static_cast<int>(project.task.patterns.size()), project.network.layerCount()));
}

// --- weights ------------------------------------------------------------------------------------

NpzArchive weightsNpz(const Project& project)
{
    requireFiniteWeights(project);
    NpzArchive archive;
    const Network& net = project.network;
    for (int l : net.layerNumbers()) {
        const Eigen::MatrixXd& w = net.weights(l);
        std::vector<double> rowMajor(static_cast<std::size_t>(w.size()));
        for (Eigen::Index i = 0; i < w.rows(); ++i)
            for (Eigen::Index j = 0; j < w.cols(); ++j)
                rowMajor[static_cast<std::size_t>(i * w.cols() + j)] = w(i, j);
        archive.add("layer" + std::to_string(l) + ".weight",
                    NpyArray::float64({static_cast<std::int64_t>(w.rows()), static_cast<std::int64_t>(w.cols())},
                                      std::move(rowMajor)));
    }
    archive.add("metadata", NpyArray::string(dump(weightsMetadata(project), -1)));
    return archive;
}

std::string weightsCsv(const Project& project)
{
    requireFiniteWeights(project);
    CsvWriter csv{"layer", "post", "pre", "weight_A"};
    const Network& net = project.network;
    for (int l : net.layerNumbers()) {
        const Eigen::MatrixXd& w = net.weights(l);
        for (Eigen::Index i = 0; i < w.rows(); ++i)
            for (Eigen::Index j = 0; j < w.cols(); ++j)
                csv.field(l).field(static_cast<long long>(i)).field(static_cast<long long>(j)).field(w(i, j)).endRow();
    }
    return csv.text();
}

std::string weightsJson(const Project& project)
{
    requireFiniteWeights(project);
    OrderedJson doc = OrderedJson::object();
    doc["metadata"] = weightsMetadata(project);
    OrderedJson layers = OrderedJson::array();
    const Network& net = project.network;
    for (int l : net.layerNumbers()) {
        const Eigen::MatrixXd& w = net.weights(l);
        layers.push_back({{"key", "layer" + std::to_string(l) + ".weight"},
                          {"layer", l},
                          {"shape", {w.rows(), w.cols()}},
                          {"weights_A", detail::matrixRows(w)}});
    }
    doc["layers"] = std::move(layers);
    return dump(doc);
}

void exportWeights(Project project, const std::string& path)
{
    const ExportFormat format = exportFormatOf(path, {ExportFormat::Npz, ExportFormat::Csv, ExportFormat::Json});
    if (project.network.layerCount() == 0) // an empty file would look like a successful export
        throw std::invalid_argument("cannot export weights to " + path + ": the project has no network (no LIF layer)");
    project.ensureWeights();
    switch (format) {
    case ExportFormat::Npz:
        weightsNpz(project).save(path);
        break;
    case ExportFormat::Csv:
        writeFileAtomically(path, weightsCsv(project));
        break;
    case ExportFormat::Json:
        writeFileAtomically(path, weightsJson(project));
        break;
    }
    writeExportSidecars(project, path, "weights");
}

// --- spike trains -------------------------------------------------------------------------------

SpikeSource SpikeSource::parse(const std::string& text, int pattern)
{
    SpikeSource s;
    s.pattern = pattern;
    if (text == "inputs") {
        s.kind = Kind::Inputs;
    } else if (text == "desired") {
        s.kind = Kind::Desired;
    } else if (text.starts_with("layer") && text.size() > 5 && text.size() < 12 &&
               std::all_of(text.begin() + 5, text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        s.kind = Kind::Layer;
        s.layer = std::stoi(text.substr(5));
    } else {
        throw std::invalid_argument("unknown spike source '" + text + "': use inputs, desired or layerN (N = 1 … L)");
    }
    return s;
}

std::string SpikeSource::toString() const
{
    switch (kind) {
    case Kind::Inputs:
        return "inputs";
    case Kind::Desired:
        return "desired";
    case Kind::Layer:
        break;
    }
    return "layer" + std::to_string(layer);
}

SpikeRaster spikesOf(const Project& project, const SpikeSource& source, const CancelFlag* cancel)
{
    const int patterns = static_cast<int>(project.task.patterns.size());
    if (source.pattern < 0 || source.pattern >= patterns)
        throw std::invalid_argument("pattern " + std::to_string(source.pattern) + " does not exist: the project has " +
                                    std::to_string(patterns) + " pattern(s)");
    const Pattern& p = project.task.patterns[static_cast<std::size_t>(source.pattern)];
    switch (source.kind) {
    case SpikeSource::Kind::Inputs:
        return p.inputs;
    case SpikeSource::Kind::Desired:
        return p.desired;
    case SpikeSource::Kind::Layer:
        break;
    }
    const int L = project.network.layerCount();
    if (source.layer < 1 || source.layer > L)
        throw std::invalid_argument("layer " + std::to_string(source.layer) +
                                    " does not exist: the network has LIF layers 1 to " + std::to_string(L));
    Project withWeights = project;
    withWeights.ensureWeights();
    const Simulator simulator(withWeights.network, withWeights.simulation);
    const SimulationRecord rec = simulator.run(p.inputs, {}, cancel);
    if (rec.status != SimulationStatus::Completed)
        throw std::runtime_error("the forward pass of pattern " + std::to_string(source.pattern) +
                                 " did not complete: " + rec.message);
    SpikeRaster raster;
    for (const StepTrain& steps : rec.activity(source.layer).spikes)
        raster.push_back(toTimes(steps, rec.dt));
    return raster;
}

std::string spikesCsv(const SpikeRaster& raster, double dt)
{
    CsvWriter csv{"neuron", "time_s"};
    for (const auto& [time, neuron] : timeOrderedEvents(raster))
        csv.field(neuron).field(dt > 0 ? tidyTime(time, dt) : time).endRow();
    return csv.text();
}

NpzArchive spikesNpz(const SpikeRaster& raster, const std::string& metadataJson)
{
    const auto events = timeOrderedEvents(raster);
    std::vector<std::int64_t> indices;
    std::vector<double> times;
    indices.reserve(events.size());
    times.reserve(events.size());
    for (const auto& [time, neuron] : events) {
        indices.push_back(neuron);
        times.push_back(time);
    }
    const auto n = static_cast<std::int64_t>(events.size());
    NpzArchive archive;
    archive.add("indices", NpyArray::int64({n}, std::move(indices)));
    archive.add("times", NpyArray::float64({n}, std::move(times)));
    archive.add("n_neurons", NpyArray::int64({}, {static_cast<std::int64_t>(raster.size())}));
    archive.add("metadata", NpyArray::string(metadataJson));
    return archive;
}

void writeSpikes(const SpikeRaster& raster, const std::string& path, const std::string& metadataJson, double dt)
{
    switch (exportFormatOf(path, {ExportFormat::Npz, ExportFormat::Csv})) {
    case ExportFormat::Npz:
        spikesNpz(raster, metadataJson).save(path);
        break;
    default:
        writeFileAtomically(path, spikesCsv(raster, dt));
        break;
    }
}

void exportSpikes(const Project& project, const SpikeSource& source, const std::string& path, const CancelFlag* cancel)
{
    exportFormatOf(path, {ExportFormat::Npz, ExportFormat::Csv}); // refuse a bad name before simulating
    const SpikeRaster raster = spikesOf(project, source, cancel);
    const std::string what = "spikes:" + source.toString() + ":pattern" + std::to_string(source.pattern);
    OrderedJson meta = manifest(project, what);
    meta["units"] = {{"times", "s"}};
    meta["source"] = source.toString();
    meta["pattern"] = source.pattern;
    meta["patternName"] = project.task.patterns[static_cast<std::size_t>(source.pattern)].name;
    meta["layout"] = "Brian2 SpikeGeneratorGroup(n_neurons, indices, times * second); sorted by time, then index";
    // Recorded spikes are steps: written as the steps' decimal times. Stored trains are written as the
    // project holds them, so an export read back is the same double.
    writeSpikes(raster, path, dump(meta, -1), source.kind == SpikeSource::Kind::Layer ? project.simulation.dt : 0.0);
    writeExportSidecars(project, path, what);
}

SpikeRaster spikesFromCsv(const std::string& text, const std::string& source, int neuronCount,
                          const SimulationParams* trial)
{
    std::istringstream in(text);
    return readSpikeCsv(in, source, neuronCount, trial);
}

SpikeRaster spikesFromNpz(const NpzArchive& archive, const std::string& source, int neuronCount,
                          const SimulationParams* trial)
{
    const NpyArray* indices = archive.find("indices");
    const NpyArray* times = archive.find("times");
    if (!indices || !times)
        throw std::invalid_argument(source + ": the archive has no '" + std::string(!indices ? "indices" : "times") +
                                    "' array (spike trains are 'indices' and 'times' in seconds, Brian2's layout)");
    auto oneDimensional = [&](const NpyArray& a, const char* name) {
        if (a.shape().size() != 1)
            throw std::invalid_argument(source + ": array '" + name + "' must be one-dimensional, has " +
                                        std::to_string(a.shape().size()) + " dimensions");
        if (a.kind() == NpyArray::Kind::String)
            throw std::invalid_argument(source + ": array '" + name + "' holds text (dtype " + a.dtype() +
                                        "), not numbers");
    };
    oneDimensional(*indices, "indices");
    oneDimensional(*times, "times");
    if (indices->elementCount() != times->elementCount())
        throw std::invalid_argument(source + ": 'indices' has " + std::to_string(indices->elementCount()) +
                                    " elements and 'times' " + std::to_string(times->elementCount()) +
                                    ": they must match (one index per spike time)");
    std::vector<std::int64_t> n;
    if (indices->kind() == NpyArray::Kind::Integer) {
        n = indices->integers();
    } else {
        for (std::size_t i = 0; i < indices->doubles().size(); ++i) {
            const double v = indices->doubles()[i];
            if (!std::isfinite(v) || v != std::floor(v) || std::abs(v) > 9e15)
                throw std::invalid_argument(source + ": indices[" + std::to_string(i) + "] = " + std::to_string(v) +
                                            " is not a whole number");
            n.push_back(static_cast<std::int64_t>(v));
        }
    }
    std::vector<double> t;
    if (times->kind() == NpyArray::Kind::Float)
        t = times->doubles();
    else
        for (std::int64_t v : times->integers())
            t.push_back(static_cast<double>(v));
    std::int64_t declared = -1;
    if (const NpyArray* count = archive.find("n_neurons")) {
        if (count->kind() != NpyArray::Kind::Integer || count->elementCount() != 1 || count->integers().front() < 0)
            throw std::invalid_argument(source + ": 'n_neurons' must be one non-negative integer");
        declared = count->integers().front();
        if (neuronCount >= 0 && declared > neuronCount)
            throw std::invalid_argument(source + ": the file holds " + std::to_string(declared) +
                                        " neurons, the population has " + std::to_string(neuronCount));
        // Checked before the raster is sized from it: n_neurons = 10^15 is no population.
        if (declared > maxImportedNeurons)
            throw std::invalid_argument(source + ": array \"n_neurons\": " + std::to_string(declared) +
                                        " neurons is beyond the largest population accepted (" +
                                        std::to_string(maxImportedNeurons) + ")");
    }
    return buildRaster(n, t, neuronCount, declared, trial, source, [](std::size_t i) {
        return "spike " + std::to_string(i) + " (indices/times[" + std::to_string(i) + "])";
    });
}

SpikeRaster importSpikes(const std::string& path, int neuronCount, const SimulationParams* trial)
{
    try {
        if (exportFormatOf(path, {ExportFormat::Npz, ExportFormat::Csv}) == ExportFormat::Npz) {
            try {
                return spikesFromNpz(NpzArchive::load(path), path, neuronCount, trial);
            } catch (const NpzError& e) {
                throw std::invalid_argument(e.what());
            }
        }
        std::error_code ec;
        if (!fs::is_regular_file(path, ec))
            throw std::invalid_argument(path + ": " + (fs::exists(path, ec) ? "not a regular file" : "no such file"));
        if (fs::file_size(path, ec) > 1024ull * 1024 * 1024)
            throw std::invalid_argument(path + ": larger than the 1 GiB accepted for a spike CSV");
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw std::invalid_argument(path + ": cannot open");
        return readSpikeCsv(in, path, neuronCount, trial);
    } catch (const std::bad_alloc&) {
        throw MemoryBudgetError(path, "", "out of memory while reading the spike trains");
    }
}

} // namespace normad
