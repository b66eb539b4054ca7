// normad dataset new: a ready, trainable project for a dataset source, with defaults chosen from the
// data (normad/DatasetProject.h), referencing the files by path, size and SHA-256.

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliSupport.h"

#include "normad/DatasetProject.h"
#include "normad/DatasetTask.h"
#include "normad/ProjectIo.h"
#include "normad/TextFormat.h"

#include <array>
#include <filesystem>
#include <ostream>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array options{
    OptionSpec{"--output", "-o", "FILE", ArgumentKind::Text,
               "write the project to FILE (default: <source name>.json in the current folder)"},
    OptionSpec{"--label", "", "COLUMN", ArgumentKind::Text,
               "CSV: the label column by header name (default: label, class or target, else the last column)"},
    OptionSpec{"--encoding", "", "KIND", ArgumentKind::Text,
               "poisson, latency or receptive-fields (default: receptive-fields for a table, latency for images)"},
    OptionSpec{"--hidden", "", "N[,N…]", ArgumentKind::Text,
               "hidden layer sizes, 0 = output layer only (default: one layer sized from the data)"},
    OptionSpec{"--epochs", "", "N", ArgumentKind::Count, "maximum epochs of 'normad train' (default 100)"},
    OptionSpec{"--per-class", "", "N", ArgumentKind::Count,
               "train on a class-balanced subset of N samples per class (default 0: every training sample)"},
    OptionSpec{"--image-size", "", "WxH", ArgumentKind::Text,
               "image folders: scale every image to W x H (default 28x28)"},
    OptionSpec{"--seed", "", "N", ArgumentKind::Seed, "seed of the split, the encoding and the weights (default 1)"},
};

std::vector<int> hiddenSizes(const std::string& text)
{
    if (text == "0")
        return {};
    std::vector<int> sizes;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const int size = parseCount("--hidden", text.substr(start, comma - start));
        if (size < 1)
            throw UsageError("invalid value '" + text + "' for '--hidden': layer sizes are at least 1 (or 0 alone)");
        sizes.push_back(size);
        start = comma + 1;
    }
    return sizes;
}

std::pair<int, int> imageSize(const std::string& text)
{
    const std::size_t x = text.find('x');
    if (x == std::string::npos)
        throw UsageError("invalid value '" + text + "' for '--image-size': expected WxH, e.g. 28x28");
    const int width = parseCount("--image-size", text.substr(0, x));
    const int height = parseCount("--image-size", text.substr(x + 1));
    if (width < 1 || height < 1 || width > 4096 || height > 4096)
        throw UsageError("invalid value '" + text + "' for '--image-size': width and height from 1 to 4096");
    return {width, height};
}

DataFileReference reference(const std::string& format, const std::string& path, const std::string& projectDirectory)
{
    return format == "image-folder" ? referenceDataFolder(path, projectDirectory)
                                    : referenceDataFile(path, projectDirectory);
}

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string sourcePath = args.positionals().at(0);
    // Every option is checked before the data is read (which may take seconds).
    std::optional<EncodingKind> encoding;
    if (const std::optional<std::string> kind = args.text("--encoding")) {
        try {
            encoding = encodingKindFromString(*kind);
        } catch (const std::invalid_argument&) {
            throw UsageError("invalid value '" + *kind + "' for '--encoding': poisson, latency or receptive-fields");
        }
    }
    DatasetProjectOptions projectOptions;
    projectOptions.encoding = encoding;
    if (const std::optional<std::string> hidden = args.text("--hidden"))
        projectOptions.hidden = hiddenSizes(*hidden);
    if (const std::optional<int> epochs = args.count("--epochs")) {
        if (*epochs < 1)
            throw UsageError("invalid value '0' for '--epochs': at least 1");
        projectOptions.maxEpochs = *epochs;
    }
    projectOptions.seed = args.seed("--seed").value_or(1);
    SourceReadOptions read;
    read.labelColumn = args.text("--label").value_or("");
    if (const std::optional<std::string> size = args.text("--image-size"))
        std::tie(read.imageWidth, read.imageHeight) = imageSize(*size);

    const SourceFiles files = findSourceFiles(sourcePath);
    const std::string output =
        args.text("--output").value_or(fs::path(sourcePath).filename().replace_extension().string() + ".json");
    const std::string projectDirectory = fs::absolute(fs::path(output)).parent_path().string();
    const Dataset data = readSourceFiles(files, read);
    if (cancelled(context.cancel)) {
        context.err << errorLine("interrupted: nothing written");
        return exitInterrupted;
    }

    DatasetTaskSpec spec;
    spec.source.format = files.format;
    for (const std::string& file : files.files)
        spec.source.files.push_back(reference(files.format, file, projectDirectory));
    for (const std::string& file : files.testFiles)
        spec.source.testFiles.push_back(reference(files.format, file, projectDirectory));
    if (files.format == "csv")
        spec.source.labelColumn = data.origin().labelColumn;
    if (files.format == "idx")
        spec.source.classNames = data.classNames();
    if (files.format == "image-folder") {
        spec.source.imageWidth = read.imageWidth;
        spec.source.imageHeight = read.imageHeight;
    }
    const SplitParams split = defaultSplit(files);
    spec.split.validationFraction = split.validationFraction;
    spec.split.testFraction = split.testFraction;
    spec.split.seed = projectOptions.seed;
    spec.split.perClassLimit = args.count("--per-class").value_or(0);

    const Project project = makeDatasetProject(spec, data, projectOptions);
    saveProject(project, output);
    const DatasetTaskSpec& made = *project.dataset;
    context.out << "wrote " << output << ": " << data.sampleCount() << " samples, "
                << plural(data.classCount(), "class", "classes") << ", " << data.featureCount() << " features\n"
                << "  encoding: " << toString(made.encoding.kind) << " (" << project.network.inputCount()
                << " inputs), decision: " << toString(made.decision) << '\n'
                << "  network: " << describeTopology(project) << '\n'
                << "  split: validation " << formatShortest(100 * made.split.validationFraction) << " %, test "
                << (files.testFiles.empty() ? formatShortest(100 * made.split.testFraction) + " %"
                                            : std::string("the test files"))
                << ", seed " << made.split.seed << "; up to " << project.training.maxEpochs << " epochs\n"
                << "next: normad train " << output << "\n";
    return exitSuccess;
}

} // namespace

CommandSpec datasetNewCommand()
{
    return {
        "normad dataset new SOURCE [-o PROJECT.json] [options]",
        "Writes a ready, trainable project for a dataset: the data is referenced (path relative to the\n"
        "project where possible, size, SHA-256), not copied. SOURCE is what 'normad dataset info' reads:\n"
        "a CSV table, a folder of MNIST-style IDX files, or a folder of class image folders. Defaults are\n"
        "chosen from the data: Gaussian receptive fields for a table, latency coding for images; one\n"
        "hidden layer; one output neuron per class, its target spikes at 10, 20 and 30 ms, the others\n"
        "silent; the closest target (van Rossum) names the class; at most 100 epochs. Then:\n"
        "  normad train PROJECT.json     and     normad evaluate PROJECT-run/trained.json",
        options,
        "  PROJECT.json  the project, JSON (format 3, task.dataset; written atomically)\n",
        "  130  interrupted by Ctrl-C (nothing is written)\n",
        {"SOURCE", 1, 1},
        &run,
    };
}

} // namespace normad::cli
