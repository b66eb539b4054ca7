// normad evaluate: a dataset project's network on one split — accuracy, per-class precision and
// recall, the confusion matrix and every sample's prediction.

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliOutputFolder.h"
#include "CliSupport.h"

#include "normad/DatasetTask.h"
#include "normad/Evaluation.h"
#include "normad/TextFormat.h"
#include "normad/ThreadPool.h"

#include <array>
#include <cmath>
#include <filesystem>
#include <ostream>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array options{
    OptionSpec{"--split", "", "SPLIT", ArgumentKind::Text,
               "train, validation or test (default: test, or validation when there is no test split)"},
    OptionSpec{"--out", "", "DIR", ArgumentKind::Text,
               "write confusion.csv and predictions.csv into DIR (default: ./<project stem>-eval), as a whole, "
               "replacing an earlier run's (docs/checkpoints.md)"},
    OptionSpec{"--json", "", "", ArgumentKind::None, "print one JSON object instead of text"},
    OptionSpec{"--threads", "", "N", ArgumentKind::Count,
               "simulate the samples on N threads (default 0 = every core); the result is the same for any N"},
};

std::string percentText(double fraction)
{
    return std::isnan(fraction) ? std::string("-") : formatted("%.2f", 100.0 * fraction) + " %";
}

int run(const ParsedArgs& args, CommandContext& context)
{
    const std::string projectPath = args.positionals().at(0);
    std::optional<Split> chosen;
    if (const std::optional<std::string> name = args.text("--split")) {
        try {
            chosen = splitFromString(*name);
        } catch (const std::invalid_argument&) {
            throw UsageError("invalid value '" + *name + "' for '--split': train, validation or test");
        }
    }
    const std::string outDir = args.text("--out").value_or(defaultOutputFolder(projectPath, "-eval"));

    Project project = loadInputProject(projectPath);
    if (!project.dataset)
        throw std::invalid_argument(projectPath + ": not a dataset project (task.dataset is absent); evaluate "
                                                  "needs classes (use 'normad train' for pattern tasks)");
    project.ensureWeights();
    const std::string projectDirectory = fs::absolute(fs::path(projectPath)).parent_path().string();
    const std::shared_ptr<const LoadedDataset> data =
        loadDatasetForCli(*project.dataset, projectDirectory, project.simulation, context.cancel);
    const Split split = chosen.value_or(data->patterns(Split::Test).empty() ? Split::Validation : Split::Test);
    const PatternSet& set = data->patterns(split);
    if (set.empty())
        throw std::invalid_argument(projectPath + ": the " + toString(split) + " split is empty (task.dataset.split)");
    // Written as a whole (CliOutputFolder.h): the files go into a staging folder published at the end.
    OutputFolder folder(outDir, {"confusion.csv", "predictions.csv"}, OutputFolder::Partial::Discard, context.err);

    ThreadPool pool(args.count("--threads").value_or(0));
    const ClassEvaluation result = evaluate(project.network, set, project.simulation, project.training,
                                            data->decision(), data->targets(), context.cancel, {}, &pool);
    if (result.cancelled) {
        context.err << errorLine("interrupted: nothing written");
        return exitInterrupted;
    }
    const std::vector<std::string>& names = data->classNames();
    writeText(folder.staging() / "confusion.csv", result.confusion.toCsv(names));
    writeText(folder.staging() / "predictions.csv", predictionsCsv(result, names));
    folder.publish();
    const fs::path out = folder.path();
    const std::size_t correct = result.confusion.correct();

    if (args.has("--json")) {
        Json j = Json::object();
        j["project"] = projectPath;
        j["split"] = toString(split);
        j["samples"] = set.size();
        j["correct"] = correct;
        j["accuracy"] = result.accuracy;
        Json classes = Json::array();
        for (int k = 0; k < data->classCount(); ++k) {
            const auto i = static_cast<std::size_t>(k);
            Json c = {{"name", names[i]}, {"samples", result.confusion.support(k)}};
            c["precision"] = std::isnan(result.precision[i]) ? Json(nullptr) : Json(result.precision[i]);
            c["recall"] = std::isnan(result.recall[i]) ? Json(nullptr) : Json(result.recall[i]);
            classes.push_back(std::move(c));
        }
        j["classes"] = std::move(classes);
        j["seconds"] = result.seconds;
        j["files"] = {(out / "confusion.csv").string(), (out / "predictions.csv").string()};
        context.out << dumpJson(j) << '\n';
        return exitSuccess;
    }
    context.out << toString(split) << " accuracy: " << percentText(result.accuracy) << " (" << correct << " of "
                << set.size() << " samples, decision " << toString(data->decision()) << ")\n"
                << "class  samples  precision  recall  name\n";
    for (int k = 0; k < data->classCount(); ++k) {
        const auto i = static_cast<std::size_t>(k);
        char line[96];
        std::snprintf(line, sizeof line, "%5d  %7zu  %9s  %6s  ", k, result.confusion.support(k),
                      percentText(result.precision[i]).c_str(), percentText(result.recall[i]).c_str());
        context.out << line << names[i] << '\n';
    }
    if (result.nonFinite)
        context.out << "note: a simulation stopped on a non-finite value; its sample counts as undecided\n";
    context.out << "evaluated in " << formatted("%.3g", result.seconds) << " s ("
                << formatted("%.1f", result.seconds > 0 ? static_cast<double>(set.size()) / result.seconds : 0.0)
                << " samples/s)\nwrote: " << (out / "confusion.csv").string() << ' '
                << (out / "predictions.csv").string() << '\n';
    return exitSuccess;
}

} // namespace

CommandSpec evaluateCommand()
{
    return {
        "normad evaluate PROJECT [options]",
        "Runs the network of a dataset project (e.g. the trained.json 'normad train' wrote) on one split\n"
        "without learning, names each sample's class with the project's decision rule and prints the\n"
        "accuracy and each class's precision and recall.",
        options,
        "  confusion.csv    one row per true class: counts per predicted class, then 'undecided'\n"
        "  predictions.csv  sample,true,predicted,correct (sample = index in the data file)\n",
        "  130  interrupted by Ctrl-C (nothing is written)\n",
        {"PROJECT", 1, 1},
        &run,
    };
}

} // namespace normad::cli
