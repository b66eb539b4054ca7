#include "CliDatasets.h"

#include "normad/CsvTableReader.h"
#include "normad/IdxReader.h"
#include "normad/TextFormat.h"
#include "normad/imagedata/ImageFolderReader.h"

#include <filesystem>
#include <stdexcept>

namespace normad::cli {

namespace fs = std::filesystem;

namespace {

/// `folder/stem` or `folder/stem.gz`, whichever exists; empty if neither.
std::string existingIdx(const fs::path& folder, const std::string& stem)
{
    for (const std::string& name : {stem, stem + ".gz"})
        if (std::error_code error; fs::is_regular_file(folder / name, error))
            return (folder / name).string();
    return {};
}

} // namespace

SourceFiles findSourceFiles(const std::string& source)
{
    std::error_code error;
    const fs::path path(source);
    if (!fs::exists(path, error))
        throw std::invalid_argument(source + ": no such file or folder");
    if (fs::is_directory(path, error)) {
        const std::string images = existingIdx(path, "train-images-idx3-ubyte");
        const std::string labels = existingIdx(path, "train-labels-idx1-ubyte");
        if (!images.empty() && !labels.empty()) {
            SourceFiles idx{"idx", {images, labels}, {}};
            const std::string testImages = existingIdx(path, "t10k-images-idx3-ubyte");
            const std::string testLabels = existingIdx(path, "t10k-labels-idx1-ubyte");
            if (!testImages.empty() && !testLabels.empty())
                idx.testFiles = {testImages, testLabels};
            return idx;
        }
        return {"image-folder", {source}, {}};
    }
    const std::string name = path.filename().string();
    if (const auto at = name.find("images-idx3"); at != std::string::npos) {
        std::string labelsName = name;
        labelsName.replace(at, 11, "labels-idx1");
        const fs::path labels = path.parent_path() / labelsName;
        if (!fs::is_regular_file(labels, error))
            throw std::invalid_argument(source + ": an IDX images file needs its labels file beside it (" +
                                        labels.string() + " does not exist)");
        return {"idx", {source, labels.string()}, {}};
    }
    return {"csv", {source}, {}};
}

namespace {

Dataset readFiles(const SourceFiles& source, const SourceReadOptions& options, bool test)
{
    const std::vector<std::string>& files = test ? source.testFiles : source.files;
    if (files.empty())
        throw std::invalid_argument("the source has no " + std::string(test ? "test " : "") + "files");
    if (source.format == "csv") {
        CsvReadOptions csv;
        csv.labelColumn = options.labelColumn;
        csv.hasHeader = options.header;
        return readCsvTable(files.at(0), csv);
    }
    if (source.format == "idx") {
        IdxReadOptions idx;
        const std::string folder = fs::path(files.at(0)).parent_path().string();
        // The ten names of Fashion-MNIST where the files are Debian's; digits (0 … 9) otherwise.
        if (fs::path(folder) == fs::path(fashionMnistDirectory))
            idx.classNames = fashionMnistClassNames();
        return readIdx(files.at(0), files.at(1), idx);
    }
    if (source.format == "image-folder") {
        ImageFolderOptions folder;
        folder.width = options.imageWidth;
        folder.height = options.imageHeight;
        return readImageFolder(files.at(0), folder);
    }
    throw std::invalid_argument("unknown dataset format '" + source.format + "' (csv, idx or image-folder)");
}

} // namespace

Dataset readSourceFiles(const SourceFiles& source, const SourceReadOptions& options, bool test)
{
    try {
        return readFiles(source, options, test);
    } catch (const DatasetError& e) {
        // A data file that cannot be used is bad input, like an invalid project (exit code 2).
        throw std::invalid_argument(e.what());
    }
}

SplitParams defaultSplit(const SourceFiles& source)
{
    SplitParams split;
    split.validationFraction = source.testFiles.empty() ? 0.15 : 0.1;
    split.testFraction = source.testFiles.empty() ? 0.2 : 0.0;
    split.seed = 1;
    return split;
}

std::string splitCsv(const DatasetSplit& split, const std::vector<int>& labels, const std::vector<int>* testFileLabels)
{
    CsvWriter writer{"file", "sample", "split", "label"};
    const auto rows = [&](const std::vector<std::size_t>& samples, const char* name, int file,
                          const std::vector<int>& fileLabels) {
        for (const std::size_t i : samples)
            writer.field(file).field(i).field(name).field(fileLabels.at(i)).endRow();
    };
    rows(split.train, "train", 0, labels);
    rows(split.validation, "validation", 0, labels);
    rows(split.test, "test", testFileLabels ? 1 : 0, testFileLabels ? *testFileLabels : labels);
    return writer.text();
}

std::shared_ptr<const LoadedDataset> loadDatasetForCli(const DatasetTaskSpec& spec, const std::string& projectDirectory,
                                                       const SimulationParams& simulation, const CancelFlag* cancel)
{
    try {
        return LoadedDataset::load(spec, projectDirectory, simulation, cancel);
    } catch (const DataFileMismatch& e) {
        throw std::invalid_argument(e.what()); // names the field (task.dataset.source.files[i]) and what differs
    } catch (const DatasetError& e) {
        throw std::invalid_argument(e.what());
    }
}

void rebaseDataReferences(Project& project, const std::string& fromDirectory, const std::string& toDirectory)
{
    if (!project.dataset)
        return;
    for (auto* files : {&project.dataset->source.files, &project.dataset->source.testFiles})
        for (DataFileReference& file : *files)
            file = rebaseDataFile(file, fromDirectory, toDirectory);
}

Split splitOption(const ParsedArgs& args, Split fallback)
{
    const std::optional<std::string> name = args.text("--split");
    if (!name)
        return fallback;
    try {
        return splitFromString(*name);
    } catch (const std::invalid_argument&) {
        throw UsageError("invalid value '" + *name + "' for '--split': train, validation or test");
    }
}

ChosenSample chooseSample(const Project& project, const std::string& projectPath, const ParsedArgs& args,
                          const CancelFlag* cancel)
{
    ChosenSample chosen;
    chosen.split = splitOption(args);
    chosen.position = static_cast<std::size_t>(args.count("--sample").value_or(0));
    if (!project.dataset)
        throw std::invalid_argument(projectPath + ": not a dataset project (task.dataset is absent)");
    const std::string projectDirectory =
        std::filesystem::absolute(std::filesystem::path(projectPath)).parent_path().string();
    chosen.data = loadDatasetForCli(*project.dataset, projectDirectory, project.simulation, cancel);
    const PatternSet& set = chosen.data->patterns(chosen.split);
    if (chosen.position >= set.size())
        throw UsageError("invalid value '" + std::to_string(chosen.position) + "' for '--sample': the " +
                         toString(chosen.split) + " split of " + projectPath + " has " +
                         plural(static_cast<long long>(set.size()), "sample"));
    chosen.pattern = set.pattern(chosen.position);
    chosen.sample = set.sampleIndex(chosen.position);
    chosen.label = set.label(chosen.position);
    return chosen;
}

} // namespace normad::cli
