// normad dataset preview: one sample of a dataset project as the network sees it — its encoded
// input raster as CSV (and PNG when the build has the GUI), its features, and its target raster.

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliOutputFolder.h"
#include "CliPlots.h"
#include "CliSupport.h"

#include "normad/DatasetTask.h"
#include "normad/TextFormat.h"

#include <array>
#include <filesystem>
#include <ostream>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array options{
    OptionSpec{"--sample", "", "N", ArgumentKind::Count, "the N-th sample (0-based) of the split (default 0)"},
    OptionSpec{"--split", "", "SPLIT", ArgumentKind::Text, "train, validation or test (default train)"},
    OptionSpec{"--out", "", "DIR", ArgumentKind::Text,
               "write the files into DIR (default: ./<project stem>-preview), as a whole: DIR holds the previous "
               "preview's files or all of this one's, never a mix (docs/checkpoints.md)"},
};

/// The files `normad dataset preview` writes into its folder (an older normad wrote them without the marker).
const std::vector<std::string>& previewFiles()
{
    static const std::vector<std::string> files = {"inputs.csv", "target.csv", "features.csv", "raster.png",
                                                   "image.png"};
    return files;
}

std::string rasterCsv(const SpikeRaster& raster)
{
    CsvWriter writer{"neuron", "time_s"};
    for (std::size_t n = 0; n < raster.size(); ++n)
        for (const double t : raster[n])
            writer.field(n).field(t).endRow();
    return writer.text();
}

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    const std::string outDir = args.text("--out").value_or(defaultOutputFolder(projectPath, "-preview"));
    OutputFolder::checkArgument(outDir, previewFiles()); // a file named by --out is a usage error, at once

    const Project project = loadInputProject(projectPath);
    const ChosenSample chosen = chooseSample(project, projectPath, args, context.cancel);
    const std::shared_ptr<const LoadedDataset>& data = chosen.data;
    const Split split = chosen.split;
    const std::size_t position = chosen.position;
    // Written as a whole (CliOutputFolder.h): the files go into a staging folder published at the end.
    OutputFolder folder(outDir, previewFiles(), OutputFolder::Partial::Discard, context.err);
    const fs::path staging = folder.staging();

    const std::shared_ptr<const Pattern>& pattern = chosen.pattern;
    const std::size_t sample = chosen.sample;
    const int label = chosen.label;
    const Dataset& dataset = data->datasetOf(split);
    std::vector<std::string> written;
    writeText(staging / "inputs.csv", rasterCsv(pattern->inputs));
    written.push_back(folder.finalName("inputs.csv"));
    writeText(staging / "target.csv", rasterCsv(data->targets().at(static_cast<std::size_t>(label))));
    written.push_back(folder.finalName("target.csv"));
    {
        CsvWriter features{"feature", "value", "scaled"};
        const std::vector<double> raw = dataset.features(sample);
        const std::vector<double> scaled = data->scaler().scaled(dataset, sample);
        for (std::size_t j = 0; j < raw.size(); ++j) {
            const std::string name =
                j < dataset.featureNames().size() ? dataset.featureNames()[j] : "pixel " + std::to_string(j);
            features.field(name).field(raw[j]).field(scaled[j]).endRow();
        }
        writeText(staging / "features.csv", features.text());
        written.push_back(folder.finalName("features.csv"));
    }
    std::size_t spikes = 0;
    for (const SpikeTrain& train : pattern->inputs)
        spikes += train.size();
    const std::string className = data->classNames().at(static_cast<std::size_t>(label));
    if (plotsAvailable()) {
        const std::vector<std::string> plots =
            writeSamplePreview(pattern->inputs, project.simulation.duration, dataset, sample,
                               toString(split) + " sample " + std::to_string(position) + " (data row " +
                                   std::to_string(sample) + ", class " + className + ")",
                               staging.string());
        for (const std::string& plot : plots)
            written.push_back(folder.finalName(fs::path(plot).filename().string()));
    }
    folder.publish();
    context.out << toString(split) << " sample " << position << ": data sample " << sample << ", class " << label
                << " (" << className << ")\n"
                << "  encoding " << toString(data->spec().encoding.kind) << ": " << pattern->inputs.size()
                << " inputs, " << plural(static_cast<long long>(spikes), "spike") << " in "
                << formatShortest(project.simulation.duration) << " s\n"
                << "wrote:";
    for (const std::string& file : written)
        context.out << ' ' << file;
    context.out << '\n';
    return exitSuccess;
}

} // namespace

CommandSpec datasetPreviewCommand()
{
    return {
        "normad dataset preview PROJECT [options]",
        "Encodes one sample of a dataset project as training would (scaler fitted on the training\n"
        "split, the project's encoding) and writes its input raster, its features and the target\n"
        "raster of its class — to look at an encoding before training.",
        options,
        "  inputs.csv    the sample's input spikes: neuron,time_s (neuron = input, 0-based; seconds)\n"
        "  target.csv    the desired output raster of its class: neuron,time_s\n"
        "  features.csv  feature,value,scaled (scaled = what the encoding sees, in [0, 1])\n"
        "  raster.png    the input raster (builds with the GUI); image.png for an image sample\n",
        "",
        {"PROJECT", 1, 1},
        &run,
    };
}

} // namespace normad::cli
