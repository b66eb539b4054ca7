// normad dataset info: what a dataset holds — samples, features, classes and their counts, and the
// split a project (or `dataset new`'s defaults) makes of it; optionally the split itself as CSV.

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliSupport.h"

#include "normad/DatasetSplit.h"
#include "normad/TextFormat.h"

#include <array>
#include <ostream>

namespace normad::cli {

namespace {

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

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string sourcePath = args.positionals().at(0);
    const SourceFiles source = findSourceFiles(sourcePath);
    SourceReadOptions read;
    read.labelColumn = args.text("--label").value_or("");
    const Dataset data = readSourceFiles(source, read);
    std::optional<Dataset> testData;
    if (!source.testFiles.empty())
        testData = readSourceFiles(source, read, true);

    const SplitParams params = defaultSplit(source);
    DatasetSplit split = stratifiedSplit(data.labels(), data.classCount(), params);
    if (testData)
        split.test = allSamples(testData->sampleCount());
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
        j["split"] = {{"validation_fraction", params.validationFraction},
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
                << ", test " << split.test.size() << '\n';
    if (const std::optional<std::string> file = args.text("--split-csv"))
        context.out << "wrote: " << *file << '\n';
    return exitSuccess;
}

} // namespace

CommandSpec datasetInfoCommand()
{
    return {
        "normad dataset info SOURCE [options]",
        "Reads a dataset and prints its samples, features, classes with their sample counts, and the\n"
        "stratified split 'normad dataset new' makes of it. SOURCE is a CSV table (one row per sample,\n"
        "numeric features and a label column), a folder holding MNIST-style IDX files\n"
        "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], optionally t10k-…), an IDX\n"
        "images file with its labels file beside it, or a folder with one sub-folder of PNG/JPEG\n"
        "images per class. A source that cannot be read is refused naming the file, line and value.",
        options,
        "  with --split-csv FILE: file,sample,split,label — file 0 = the source, 1 = its test files;\n"
        "                         sample = 0-based index in that file; split = train|validation|test\n",
        "",
        {"SOURCE", 1, 1},
        &run,
    };
}

} // namespace normad::cli
