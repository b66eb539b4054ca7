// normad dataset info: what a dataset holds — samples, features, classes and their counts, and the
// split a project (or `dataset new`'s defaults) makes of it; optionally the split itself as CSV.

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliSupport.h"

#include "normad/DatasetSplit.h"
#include "normad/TextFormat.h"

#include <array>
#include <filesystem>
#include <ostream>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array options{
    OptionSpec{"--label", "", "COLUMN", ArgumentKind::Text,
               "CSV: the label column by header name (default: label, class or target, else the last column)"},
    OptionSpec{"--split-csv", "", "FILE", ArgumentKind::Text,
               "write the split, one row per sample (file,sample,split,label), to FILE"},
    OptionSpec{"--json", "", "", ArgumentKind::None, "print one JSON object instead of text"},
};

std::string percent(double fraction)
{
    return formatShortest(100.0 * fraction) + " %";
}

/// A project file rather than a data source: a regular file named *.json.
bool isProjectFile(const std::string& path)
{
    std::error_code error;
    return fs::path(path).extension() == ".json" && fs::is_regular_file(path, error);
}

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string sourcePath = args.positionals().at(0);
    SourceFiles source;
    std::shared_ptr<const LoadedDataset> loaded;
    std::optional<Dataset> read;
    std::optional<Dataset> readTest;
    SplitParams params;
    DatasetSplit split;
    int perClassLimit = 0;
    if (isProjectFile(sourcePath)) {
        // The project's own split, exactly as training makes it.
        if (args.has("--label"))
            throw UsageError("'--label' is for a data source; a project names its label column itself");
        const Project project = loadInputProject(sourcePath);
        if (!project.dataset)
            throw std::invalid_argument(sourcePath + ": not a dataset project (task.dataset is absent)");
        loaded = loadDatasetForCli(*project.dataset, fs::absolute(fs::path(sourcePath)).parent_path().string(),
                                   project.simulation, context.cancel);
        source.format = project.dataset->source.format;
        for (const DataFileReference& f : project.dataset->source.files)
            source.files.push_back(f.path);
        for (const DataFileReference& f : project.dataset->source.testFiles)
            source.testFiles.push_back(f.path);
        params = project.dataset->split.params();
        perClassLimit = project.dataset->split.perClassLimit;
        split = loaded->split();
    } else {
        source = findSourceFiles(sourcePath);
        SourceReadOptions options;
        options.labelColumn = args.text("--label").value_or("");
        read = readSourceFiles(source, options);
        if (!source.testFiles.empty())
            readTest = readSourceFiles(source, options, true);
        params = defaultSplit(source);
        split = stratifiedSplit(read->labels(), read->classCount(), params);
        if (readTest)
            split.test = allSamples(readTest->sampleCount());
    }
    const Dataset& data = loaded ? loaded->dataset() : *read;
    const Dataset* testData = loaded ? loaded->testDataset() : (readTest ? &*readTest : nullptr);
    if (const std::optional<std::string> file = args.text("--split-csv"))
        writeText(*file, splitCsv(split, data.labels(), testData ? &testData->labels() : nullptr));

    const std::vector<std::size_t> counts = data.classCounts();
    if (args.has("--json")) {
        Json j = Json::object();
        j["source"] = sourcePath;
        j["format"] = source.format;
        j["files"] = source.files;
        j["test_files"] = source.testFiles;
        j["samples"] = data.sampleCount();
        j["test_samples"] = testData ? testData->sampleCount() : 0;
        j["features"] = data.featureCount();
        if (data.isImage()) {
            j["image_width"] = data.imageWidth();
            j["image_height"] = data.imageHeight();
        } else {
            j["feature_names"] = data.featureNames();
        }
        if (!data.origin().labelColumn.empty())
            j["label_column"] = data.origin().labelColumn;
        Json classes = Json::array();
        for (int k = 0; k < data.classCount(); ++k)
            classes.push_back({{"name", data.classNames()[static_cast<std::size_t>(k)]},
                               {"samples", counts[static_cast<std::size_t>(k)]}});
        j["classes"] = std::move(classes);
        j["split"] = {{"per_class_limit", perClassLimit},
                      {"validation_fraction", params.validationFraction},
                      {"test_fraction", params.testFraction},
                      {"seed", params.seed},
                      {"train", split.train.size()},
                      {"validation", split.validation.size()},
                      {"test", split.test.size()}};
        context.out << dumpJson(j) << '\n';
        return exitSuccess;
    }

    context.out << "source: " << sourcePath << " (" << source.format << ")\n"
                << "samples: " << data.sampleCount();
    if (testData)
        context.out << " (+ " << testData->sampleCount() << " in the test files)";
    context.out << "\nfeatures: " << data.featureCount();
    if (data.isImage())
        context.out << " (" << data.imageWidth() << " x " << data.imageHeight() << " pixel images, grey 0 … 255)";
    else if (!data.origin().labelColumn.empty())
        context.out << " (label column: " << data.origin().labelColumn << ")";
    context.out << "\nclasses: " << data.classCount() << '\n';
    for (int k = 0; k < data.classCount(); ++k)
        context.out << "  " << k << "  " << data.classNames()[static_cast<std::size_t>(k)] << "  "
                    << plural(static_cast<long long>(counts[static_cast<std::size_t>(k)]), "sample") << '\n';
    context.out << "split (validation " << percent(params.validationFraction) << ", test "
                << (testData ? std::string("= the test files") : percent(params.testFraction)) << ", seed "
                << params.seed << "): train " << split.train.size() << ", validation " << split.validation.size()
                << ", test " << split.test.size();
    if (perClassLimit > 0)
        context.out << " (train: a class-balanced subset of " << perClassLimit << " per class)";
    context.out << '\n';
    if (const std::optional<std::string> file = args.text("--split-csv"))
        context.out << "wrote: " << *file << '\n';
    return exitSuccess;
}

} // namespace

CommandSpec datasetInfoCommand()
{
    return {
        "normad dataset info PROJECT|SOURCE [options]",
        "Reads a dataset and prints its samples, features, classes with their sample counts, and its\n"
        "stratified split: a dataset project's own (PROJECT.json, its files checked against their\n"
        "size and SHA-256), or the one 'normad dataset new' would make of SOURCE. "
        "SOURCE is a CSV table (one row per sample,\n"
        "numeric features and a label column), a folder holding MNIST-style IDX files\n"
        "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], optionally t10k-…), an IDX\n"
        "images file with its labels file beside it, or a folder with one sub-folder of PNG/JPEG\n"
        "images per class. A source that cannot be read is refused naming the file, line and value.",
        options,
        "  with --split-csv FILE: file,sample,split,label — file 0 = the source, 1 = its test files;\n"
        "                         sample = 0-based index in that file; split = train|validation|test\n",
        "",
        {"PROJECT or SOURCE", 1, 1},
        &run,
    };
}

} // namespace normad::cli
