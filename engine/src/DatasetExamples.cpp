// The dataset examples of the Examples registry: Fisher's Iris table (compiled in, written beside the
// project) and Fashion-MNIST (Debian's dataset-fashion-mnist, referenced where it is installed).

#include "normad/CsvTableReader.h"
#include "normad/DatasetProject.h"
#include "normad/Examples.h"
#include "normad/IdxReader.h"
#include "normad/Sha256.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace normad {

extern const std::string_view irisCsv; // ExampleData.cpp, generated from resources/datasets/iris.csv

namespace {

using Kind = ExampleOption::Kind;

int integerSetting(const ExampleSettings& s, std::string_view key, int fallback)
{
    const auto it = s.find(key);
    return it == s.end() ? fallback : static_cast<int>(std::get<double>(it->second));
}

DatasetProjectOptions projectOptions(std::uint64_t seed, const ExampleSettings& s, const std::string& name)
{
    DatasetProjectOptions options;
    options.seed = seed;
    options.name = name;
    options.maxEpochs = std::max(1, integerSetting(s, "epochs", options.maxEpochs));
    if (const auto it = s.find("hidden"); it != s.end())
        options.hidden = std::get<std::vector<int>>(it->second);
    if (const auto it = s.find("encoding"); it != s.end())
        options.encoding = encodingKindFromString(std::get<std::string>(it->second));
    return options;
}

Project makeIris(std::uint64_t seed, const ExampleSettings& settings)
{
    const Dataset data = readCsvText(irisCsv, "iris.csv");
    DatasetTaskSpec spec;
    spec.source.format = "csv";
    spec.source.files.push_back({"iris.csv", irisCsv.size(), sha256Hex(irisCsv)});
    spec.source.labelColumn = data.origin().labelColumn;
    spec.source.header = true;
    // 150 rows: 20 % (30) held out for the test accuracy, 15 % for validation.
    spec.split.validationFraction = 0.15;
    spec.split.testFraction = 0.2;
    spec.split.seed = seed;
    Project p = makeDatasetProject(spec, data, projectOptions(seed, settings, "Iris (Fisher 1936)"));
    p.description = "Fisher's Iris: 150 flowers, 4 measurements, 3 species; Gaussian receptive fields, "
                    "one hidden layer. " +
                    p.description;
    return p;
}

Project makeFashionMnist(std::uint64_t seed, const ExampleSettings& settings)
{
    const std::filesystem::path folder(fashionMnistDirectory);
    const std::vector<std::string> trainFiles = {(folder / "train-images-idx3-ubyte.gz").string(),
                                                 (folder / "train-labels-idx1-ubyte.gz").string()};
    const std::vector<std::string> testFiles = {(folder / "t10k-images-idx3-ubyte.gz").string(),
                                                (folder / "t10k-labels-idx1-ubyte.gz").string()};
    for (const std::string& file : trainFiles)
        if (!std::filesystem::exists(file))
            throw std::runtime_error(file + " does not exist: install Debian's dataset-fashion-mnist package");
    IdxReadOptions read;
    read.classNames = fashionMnistClassNames();
    const Dataset data = readIdx(trainFiles[0], trainFiles[1], read);
    DatasetTaskSpec spec;
    spec.source.format = "idx";
    // A system dataset: absolute paths, wherever the project is saved.
    const auto reference = [](const std::string& file) {
        const FileFingerprint f = fingerprintFile(file);
        return DataFileReference{file, f.size, f.sha256};
    };
    for (const std::string& file : trainFiles)
        spec.source.files.push_back(reference(file));
    for (const std::string& file : testFiles)
        spec.source.testFiles.push_back(reference(file));
    spec.source.classNames = data.classNames();
    spec.split.validationFraction = 0.02; // 1 200 images judged after every epoch
    spec.split.testFraction = 0.0;        // the t10k files are the test set
    spec.split.seed = seed;
    spec.split.perClassLimit = integerSetting(settings, "perClass", 100);
    Project p = makeDatasetProject(spec, data, projectOptions(seed, settings, "Fashion-MNIST"));
    p.description = "Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28 x 28 grey images of 10 kinds of clothing; "
                    "latency coding, one hidden layer, trained on a class-balanced subset. " +
                    p.description;
    return p;
}

} // namespace

namespace {

std::vector<Example> makeDatasetTable()
{
    std::vector<Example> table;
    const ExampleOption hidden{"hidden", Kind::IntegerList, "hidden layer sizes", {}};
    const ExampleOption epochs{"epochs", Kind::Integer, "maximum training epochs", {}};
    const ExampleOption encoding{
        "encoding", Kind::Choice, "input encoding", {"poisson", "latency", "receptive-fields"}};
    table.push_back({
        "iris",
        "Iris flowers (dataset)",
        "4 features → 20 receptive-field inputs → hidden → 3 classes: "
        "Fisher's Iris table, data written beside the project",
        {hidden, epochs, encoding},
        &makeIris,
        {{"iris.csv", irisCsv}},
    });
    table.push_back({
        "fashion-mnist",
        "Fashion-MNIST (dataset)",
        "784 pixels → 100 → 10 classes: Fashion-MNIST from /usr/share/datasets/fashion-mnist, class-balanced subset",
        {hidden, epochs, encoding, {"perClass", Kind::Integer, "training samples per class (0 = all 54 000)", {}}},
        &makeFashionMnist,
        {},
    });
    return table;
}

} // namespace

const std::vector<Example>& datasetExamples()
{
    static const std::vector<Example> table = makeDatasetTable();
    return table;
}

std::vector<std::string> writeExampleData(const Example& example, const std::string& directory)
{
    std::vector<std::string> written;
    if (example.dataFiles.empty())
        return written;
    std::error_code error;
    std::filesystem::create_directories(directory.empty() ? "." : directory, error);
    for (const ExampleDataFile& file : example.dataFiles) {
        const std::string path = (std::filesystem::path(directory) / file.name).string();
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(file.contents.data(), static_cast<std::streamsize>(file.contents.size()));
        out.close();
        if (!out)
            throw std::runtime_error("cannot write " + path);
        written.push_back(path);
    }
    return written;
}

} // namespace normad
