#include "normad/DatasetTask.h"

#include "normad/CsvTableReader.h"
#include "normad/IdxReader.h"
#include "normad/Sha256.h"
#include "normad/TextFormat.h"

#include "EnumNames.h"
#include "Validation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>

namespace normad {

namespace fs = std::filesystem;

// --- schemas -------------------------------------------------------------------------------------

namespace {
constexpr auto scalingNames = {std::pair{ScalingMode::PerFeature, "per-feature"},
                               std::pair{ScalingMode::Global, "global"}};
constexpr auto splitNames = {std::pair{Split::Train, "train"}, std::pair{Split::Validation, "validation"},
                             std::pair{Split::Test, "test"}};
} // namespace

std::string toString(ScalingMode m)
{
    return detail::enumName<ScalingMode>(scalingNames, m);
}
ScalingMode scalingModeFromString(const std::string& s)
{
    return detail::enumFromName<ScalingMode>(scalingNames, s, "scaling");
}
std::string toString(Split s)
{
    return detail::enumName<Split>(splitNames, s);
}
Split splitFromString(const std::string& s)
{
    return detail::enumFromName<Split>(splitNames, s, "split");
}

const Schema<DatasetSplitSpec>& DatasetSplitSpec::schema()
{
    using P = DatasetSplitSpec;
    static const Schema<P> fields = {
        bind<P>({.key = "validationFraction",
                 .label = "Validation fraction",
                 .minimum = 0,
                 .maximum = 0.99,
                 .help = "fraction of each class held out to judge every epoch"},
                &P::validationFraction),
        bind<P>({.key = "testFraction",
                 .label = "Test fraction",
                 .minimum = 0,
                 .maximum = 0.99,
                 .help = "fraction of each class held out for the final test; 0 with a separate test file"},
                &P::testFraction),
        bind<P>({.key = "seed", .label = "Split seed", .help = "which samples go to which split"}, &P::seed),
        bind<P>({.key = "perClassLimit",
                 .label = "Samples per class",
                 .unit = "samples",
                 .minimum = 0,
                 .help = "train on a class-balanced subset of this many samples per class; 0 = all"},
                &P::perClassLimit),
    };
    return fields;
}

const Schema<EncodingParams>& encodingSchema()
{
    using P = EncodingParams;
    static const Schema<P> fields = {
        bind<P>({.key = "kind",
                 .label = "Encoding",
                 .help = "poisson: rate coding; latency: one spike, brighter earlier; receptive-fields: "
                         "Gaussian population coding (Bohte et al. 2002)"},
                &P::kind, {EncodingKind::Poisson, EncodingKind::Latency, EncodingKind::ReceptiveFields}),
        bind<P>({.key = "maxRate_Hz",
                 .label = "Max rate",
                 .unit = "Hz",
                 .minimum = 0,
                 .help = "poisson: the rate of a feature at its maximum"},
                &P::maxRate),
        bind<P>({.key = "earliest_s",
                 .label = "Earliest spike",
                 .unit = "s",
                 .minimum = 0,
                 .help = "latency, receptive fields: time of the strongest input",
                 .displayScale = 1e3,
                 .displayUnit = "ms"},
                &P::earliest),
        bind<P>({.key = "latest_s",
                 .label = "Latest spike",
                 .unit = "s",
                 .minimum = 0,
                 .help = "latency, receptive fields: time of the weakest input that fires",
                 .displayScale = 1e3,
                 .displayUnit = "ms"},
                &P::latest),
        bind<P>({.key = "latencyThreshold",
                 .label = "Latency threshold",
                 .minimum = 0,
                 .maximum = 1,
                 .help = "latency: scaled features below this do not fire"},
                &P::latencyThreshold),
        bind<P>({.key = "fieldsPerFeature",
                 .label = "Fields per feature",
                 .unit = "inputs",
                 .minimum = 3,
                 .help = "receptive fields: inputs per feature (k ≥ 3)"},
                &P::fieldsPerFeature),
        bind<P>({.key = "fieldWidthFactor",
                 .label = "Field width β",
                 .minimum = 0,
                 .minimumExclusive = true,
                 .help = "receptive fields: σ = 1/(β(k − 2)); Bohte's 1.5"},
                &P::fieldWidthFactor),
        bind<P>({.key = "responseThreshold",
                 .label = "Response threshold",
                 .minimum = 0,
                 .maximum = 0.999999,
                 .help = "receptive fields: responses below this do not fire"},
                &P::responseThreshold),
        bind<P>(
            {.key = "seed", .label = "Encoding seed", .help = "poisson: sample i's trains depend on (seed, i) only"},
            &P::seed),
    };
    return fields;
}

const Schema<DatasetTaskSpec>& DatasetTaskSpec::schema()
{
    using P = DatasetTaskSpec;
    static const Schema<P> fields = {
        bind<P>({.key = "scaling",
                 .label = "Feature scaling",
                 .help = "per-feature: each feature its own min–max range; global: one range (images)"},
                &P::scaling, {ScalingMode::PerFeature, ScalingMode::Global}),
        bind<P>({.key = "decision",
                 .label = "Decision rule",
                 .help = "closest-target: nearest class target (van Rossum); most-spikes; first-spike"},
                &P::decision, {DecisionRule::ClosestTarget, DecisionRule::MostSpikes, DecisionRule::FirstSpike}),
        bind<P>({.key = "cacheMegabytes",
                 .label = "Pattern cache",
                 .unit = "MB",
                 .minimum = 0,
                 .help = "encoded patterns kept in memory (the rest are encoded again when needed)"},
                &P::cacheMegabytes),
    };
    return fields;
}

// --- validation ----------------------------------------------------------------------------------

namespace {

/// Files a format needs, and how many a test set may have (0 or this).
std::size_t expectedFileCount(const std::string& format)
{
    if (format == "idx")
        return 2;
    if (format == "csv" || format == "image-folder")
        return 1;
    return 0; // a registered reader of another format says itself what it needs
}

void validateReferences(const std::vector<DataFileReference>& files, const std::string& path)
{
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string where = path + "[" + std::to_string(i) + "]";
        const DataFileReference& f = files[i];
        if (f.path.empty())
            detail::invalid(where, "path", "\"\"", "must name the data file");
        const bool hex = f.sha256.size() == 64 && std::all_of(f.sha256.begin(), f.sha256.end(), [](char c) {
                             return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
                         });
        if (!hex)
            detail::invalid(where, "sha256", quotedText(f.sha256), "must be 64 lower-case hex digits");
    }
}

} // namespace

void DatasetSourceSpec::validate(const std::string& where) const
{
    const std::vector<std::string> formats = datasetFormats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end() && format != "image-folder") {
        std::string known;
        for (const std::string& f : formats)
            known += (known.empty() ? "" : ", ") + f;
        detail::invalid(where, "format", quotedText(format),
                        "unknown data format (known: " + known + ", image-folder)");
    }
    const std::size_t count = expectedFileCount(format);
    if (files.empty() || (count > 0 && files.size() != count))
        detail::invalid(where, "files", std::to_string(files.size()) + " files",
                        format == "idx" ? "idx needs 2 files: the images, then the labels"
                                        : "needs " + std::string(count > 1 ? std::to_string(count) : "1") + " file");
    if (!testFiles.empty() && count > 0 && testFiles.size() != count)
        detail::invalid(where, "testFiles", std::to_string(testFiles.size()) + " files",
                        "needs none or " + std::to_string(count) + " (as `files`)");
    validateReferences(files, where + ".files");
    validateReferences(testFiles, where + ".testFiles");
    if (imageWidth < 0 || imageHeight < 0 || (format == "image-folder" && (imageWidth < 1 || imageHeight < 1)))
        detail::invalid(where, imageWidth < 1 ? "imageWidth" : "imageHeight",
                        std::to_string(imageWidth < 1 ? imageWidth : imageHeight),
                        format == "image-folder" ? "must be at least 1 pixel" : "must not be negative");
}

void DatasetTaskSpec::validate(const SimulationParams& simulation, const std::string& where) const
{
    source.validate(where + ".source");
    checkFields(schema(), *this, where);
    checkFields(DatasetSplitSpec::schema(), split, where + ".split");
    try {
        split.params().validate(where + ".split");
    } catch (const std::invalid_argument&) {
        throw;
    }
    if (!source.testFiles.empty() && split.testFraction != 0)
        detail::invalid(where + ".split", "testFraction", detail::formatValue(split.testFraction),
                        "must be 0: the test files are the test split");
    checkFields(encodingSchema(), encoding, where + ".encoding");
    try {
        encoding.validate(simulation, where + ".encoding");
    } catch (const std::invalid_argument& e) {
        // EncodingParams names its members; the file names them with their units.
        std::string message = e.what();
        for (const auto& [member, key] : {std::pair{".maxRate:", ".maxRate_Hz:"},
                                          std::pair{".earliest:", ".earliest_s:"}, std::pair{".latest:", ".latest_s:"}})
            if (const auto at = message.find(member); at != std::string::npos) {
                message.replace(at, std::string(member).size(), key);
                break;
            }
        throw std::invalid_argument(message);
    }
    targets.validate(simulation, where + ".targets");
    if (!source.classNames.empty() && source.classNames.size() < 2)
        detail::invalid(where + ".source", "classNames", std::to_string(source.classNames.size()) + " names",
                        "needs at least 2 classes");
}

// --- readers -------------------------------------------------------------------------------------

namespace {

Dataset readIdxSource(const DatasetSourceSpec& source, const std::vector<std::string>& paths)
{
    IdxReadOptions options;
    options.classNames = source.classNames;
    // Debian's Fashion-MNIST gets its class names without the project spelling them out.
    if (options.classNames.empty() && fs::path(paths.at(0)).parent_path() == fs::path(fashionMnistDirectory))
        options.classNames = fashionMnistClassNames();
    return readIdx(paths.at(0), paths.at(1), options);
}

Dataset readCsvSource(const DatasetSourceSpec& source, const std::vector<std::string>& paths)
{
    CsvReadOptions options;
    options.labelColumn = source.labelColumn;
    options.hasHeader = source.header;
    return readCsvTable(paths.at(0), options);
}

struct ReaderTable {
    std::mutex mutex;
    std::map<std::string, DatasetReader> readers{{"idx", &readIdxSource}, {"csv", &readCsvSource}};
};

ReaderTable& readerTable()
{
    static ReaderTable table;
    return table;
}

} // namespace

void registerDatasetReader(const std::string& format, DatasetReader reader)
{
    ReaderTable& table = readerTable();
    const std::lock_guard lock(table.mutex);
    table.readers[format] = std::move(reader);
}

std::vector<std::string> datasetFormats()
{
    ReaderTable& table = readerTable();
    const std::lock_guard lock(table.mutex);
    std::vector<std::string> formats;
    for (const auto& [format, reader] : table.readers)
        formats.push_back(format);
    return formats;
}

Dataset readDatasetSource(const DatasetSourceSpec& source, const std::vector<std::string>& resolvedPaths)
{
    DatasetReader reader;
    {
        ReaderTable& table = readerTable();
        const std::lock_guard lock(table.mutex);
        if (const auto it = table.readers.find(source.format); it != table.readers.end())
            reader = it->second;
    }
    if (!reader) {
        std::string known;
        for (const std::string& f : datasetFormats())
            known += (known.empty() ? "" : ", ") + f;
        throw DatasetError(
            "task.dataset.source.format: no reader for " + quotedText(source.format) +
            " in this program (known: " + known + ")" +
            (source.format == "image-folder" ? "; image folders are read by the workbench and the CLI" : ""));
    }
    return reader(source, resolvedPaths);
}

DataFileMismatch::DataFileMismatch(DataFileCheck check, std::string field, DataFileReference reference)
    : std::runtime_error(field + ": " + check.message),
      m_check(std::move(check)),
      m_field(std::move(field)),
      m_reference(std::move(reference))
{
}

} // namespace normad
