// normad reproduce: runs one of the papers' experiments (the engine's reproduction table,
// normad/Reproduction.h) over many seeds and prints and writes the per-variant summary.

#include "CliCommand.h"
#include "CliSupport.h"
#include "CliSweepFolder.h"

#include "normad/Reproduction.h"
#include "normad/TextFormat.h"
#include "normad/TrainingParams.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::array options{
    OptionSpec{"--trials", "", "N", ArgumentKind::Count, "trials (seeds) per variant (default 10)"},
    OptionSpec{"--seed", "", "S", ArgumentKind::Seed, "first seed; trials use S, S+1, ... (default 1)"},
    OptionSpec{"--threads", "", "T", ArgumentKind::Count,
               "trials run in parallel on T threads (default: all usable cores); results do not depend on T"},
    OptionSpec{"--epochs", "", "N", ArgumentKind::Count, "epoch budget per trial instead of each variant's own"},
    OptionSpec{"--variant", "", "NAMES", ArgumentKind::Text, "run only these variants (comma-separated; see --list)"},
    OptionSpec{"--set", "", "PATH=VALUE", ArgumentKind::Text,
               "set a project field in every trial's project (docs/project-format.md path, JSON value; repeat "
               "for several fields), e.g. training.rules.normad.epsilonLag=\"nextStep\""},
    OptionSpec{"--stay-epochs", "", "N", ArgumentKind::Count,
               "train every trial N epochs past its first success and count those whose epoch-end network still "
               "meets the criterion (stayed / held in the table; 0 = stop at the first success)"},
    OptionSpec{"--list", "", "", ArgumentKind::None, "list the experiments and their variants, then exit"},
    OptionSpec{"--out", "", "DIR", ArgumentKind::Text,
               "also write summary.csv, trials.csv and curves.csv into DIR, and keep each trial in DIR/trials: a "
               "rerun reads finished trials instead of training them"},
    OptionSpec{"--shard", "", "K/N", ArgumentKind::Text,
               "with --out: train only trials j with j mod N = K (default with --out: from the SLURM job-array "
               "variables); the table holds every trial finished in DIR"},
    OptionSpec{"--json", "", "", ArgumentKind::None,
               "print one JSON object per line (each trial, then each variant's summary)"},
};

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> items;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const std::size_t end = std::min(text.find(',', begin), text.size());
        if (end > begin)
            items.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return items;
}

std::string experimentList()
{
    std::string s;
    for (const reproduction::Experiment& e : reproduction::experiments()) {
        s += e.id + ": " + e.title + "\n  " + e.protocol + "\n";
        for (const reproduction::Variant& v : e.variants)
            s += "    " + v.name + std::string(v.name.size() < 30 ? 30 - v.name.size() : 1, ' ') + v.description + '\n';
    }
    return s;
}

/// ", with PATH = VALUE, PATH = VALUE" for the header line: every field --set gave, in order.
std::string settingsText(const std::vector<std::pair<std::string, std::string>>& settings)
{
    std::string out;
    for (const auto& [path, value] : settings)
        out += (out.empty() ? ", with " : ", ") + path + " = " + value;
    return out;
}

std::string orNa(double v, const char* format)
{
    return std::isnan(v) ? std::string("-") : formatted(format, v);
}

/// Per variant and epoch: the mean over trials of the worst pattern's C (a trial that stopped keeps
/// its last value) and the fraction of trials that had succeeded by then.
std::string curvesCsv(const std::vector<reproduction::VariantSummary>& summaries)
{
    CsvWriter csv{"variant", "epoch", "mean_min_correlation", "fraction_succeeded"};
    for (const auto& v : summaries) {
        std::size_t longest = 0;
        for (const auto& t : v.trials)
            longest = std::max(longest, t.minCorrelation.size());
        for (std::size_t e = 0; e < longest; ++e) {
            double sum = 0;
            int succeeded = 0;
            for (const auto& t : v.trials) {
                if (!t.minCorrelation.empty())
                    sum += t.minCorrelation[std::min(e, t.minCorrelation.size() - 1)];
                if (t.success && t.epochsToSuccess <= static_cast<int>(e) + 1)
                    ++succeeded;
            }
            const double n = static_cast<double>(v.trials.size());
            csv.field(v.name).field(e + 1).field(sum / n).field(succeeded / n).endRow();
        }
    }
    return csv.text();
}

Json trialJson(const std::string& experiment, const std::string& variant, const reproduction::TrialResult& t)
{
    Json j = Json::object();
    j["type"] = "trial";
    j["experiment"] = experiment;
    j["variant"] = variant;
    j.update(Json::parse(reproduction::trialJson(t))); // the members of trial.json, in its order
    j.erase("min_correlation");                        // one line per trial: the curves stay in the trial's folder
    j.erase("mean_correlation");
    if (t.kept)
        j["kept"] = true; // read from --out DIR/trials, not trained by this call
    return j;
}

Json summaryJson(const std::string& experiment, const reproduction::VariantSummary& v)
{
    const auto orNull = [](double x) { return std::isnan(x) ? Json() : Json(x); };
    Json j = Json::object();
    j["type"] = "summary";
    j["experiment"] = experiment;
    j["variant"] = v.name;
    j["description"] = v.description;
    j["rule"] = v.rule;
    j["trials"] = v.trials.size();
    j["successes"] = v.successes();
    j["mean_epochs"] = orNull(v.meanEpochsToSuccess());
    j["median_epochs"] = orNull(v.medianEpochsToSuccess());
    j["mean_final_min_correlation"] = v.meanFinalCorrelation();
    j["seconds"] = v.seconds();
    if (v.epochsAfterSuccess > 0) {
        j["epochs_after_success"] = v.epochsAfterSuccess;
        j["stayed_solved"] = v.stayedSolved();
        j["held_fraction"] = orNull(v.heldFraction());
    }
    return j;
}

std::string summaryLine(const reproduction::VariantSummary& v)
{
    char line[256];
    std::snprintf(line, sizeof line, "%-32s %3d/%-3d   %8s / %-8s   %11s   %6.1f\n", v.name.c_str(), v.successes(),
                  static_cast<int>(v.trials.size()), orNa(v.meanEpochsToSuccess(), "%.1f").c_str(),
                  orNa(v.medianEpochsToSuccess(), "%.1f").c_str(), orNa(v.meanFinalCorrelation(), "%.3f").c_str(),
                  v.seconds());
    std::string text = line;
    if (v.epochsAfterSuccess > 0) {
        // Continued training (stability, --stay-epochs): stayed solved at every later epoch, and the share
        // of all later epochs that still met the criterion.
        text.pop_back();
        text += "   stayed " + std::to_string(v.stayedSolved()) + "/" + std::to_string(v.trials.size()) + ", held " +
                orNa(100 * v.heldFraction(), "%.1f") + " %\n";
    }
    return text;
}

int run(const ParsedArgs& args, CommandContext& context)
{
    if (args.has("--list")) {
        context.out << experimentList();
        return exitSuccess;
    }
    if (args.positionals().empty())
        throw UsageError("missing EXPERIMENT for 'reproduce' (see 'normad reproduce --list')");
    reproduction::RunOptions options;
    options.trials = args.count("--trials").value_or(options.trials);
    if (options.trials < 1)
        throw UsageError("--trials: must be at least 1 (got 0)");
    options.firstSeed = args.seed("--seed").value_or(options.firstSeed);
    options.threads = std::max(1, args.count("--threads").value_or(availableCores()));
    if (const std::optional<int> epochs = args.count("--epochs"))
        options.maxEpochs = *epochs;
    if (const std::optional<int> stay = args.count("--stay-epochs"))
        options.stayEpochs = *stay;
    if (const std::optional<std::string> names = args.text("--variant"))
        options.variants = splitList(*names);
    // Repeatable: a grid cell of a multi-layer rule sets one learning rate per layer.
    for (const std::string& set : args.texts("--set")) {
        const std::size_t eq = set.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == set.size())
            throw UsageError("--set: expected PATH=VALUE, e.g. training.rules.normad.matchTolerance_s=0.001 (got \"" +
                             set + "\")");
        options.settings.emplace_back(set.substr(0, eq), set.substr(eq + 1));
    }
    const bool json = args.has("--json");
    const reproduction::Experiment& experiment = reproduction::experiment(args.positionals().at(0));
    std::optional<fs::path> out;
    if (const std::optional<std::string> dir = args.text("--out"))
        out = prepareOutputFolder(*dir);
    // Shards meet in the kept trials: without --out a shard's table would be its share alone.
    if (args.has("--shard") && !out)
        throw UsageError("--shard needs --out DIR, where the shards keep their trials (see 'normad reproduce --help')");
    if (out) {
        options.folder = (*out / "trials").string();
        options.shard = chooseShard(args.text("--shard")).value_or(Shard{});
    }

    if (!json)
        context.out << experiment.title << '\n'
                    << experiment.protocol << '\n'
                    << options.trials << " trial(s) per variant, seeds " << options.firstSeed << "-"
                    << options.firstSeed + static_cast<std::uint64_t>(options.trials) - 1 << ", " << options.threads
                    << " thread(s)" << (options.shard.count > 1 ? ", shard " + options.shard.text() : std::string())
                    << settingsText(options.settings)
                    << (options.stayEpochs > 0 ? ", " + plural(options.stayEpochs, "epoch") + " past the first success"
                                               : std::string())
                    << "\n\n";
    const auto onTrial = [&](const reproduction::Variant& v, const reproduction::TrialResult& t) {
        if (json)
            context.out << dumpJson(trialJson(experiment.id, v.name, t)) << '\n';
        else
            context.out << "  " << v.name << " seed " << t.seed << ": " << (t.success ? "success" : "no success")
                        << " (" << toString(t.reason) << ", " << t.epochs << " epochs, final min C "
                        << formatted("%.3f", t.finalMinCorrelation) << ")" << (t.kept ? " (kept)" : "") << '\n';
        context.out.flush();
    };
    const std::vector<reproduction::VariantSummary> summaries =
        reproduction::run(experiment, options, onTrial, context.cancel);
    std::size_t covered = 0;
    for (const auto& v : summaries)
        covered += v.trials.size();
    const std::size_t planned = summaries.size() * static_cast<std::size_t>(options.trials);
    if (covered < planned && !cancelled(context.cancel) && !json)
        context.out << "note: the table covers " << covered << " of " << planned
                    << " trials; the rest belong to other shards that have not finished them yet (rerun with the "
                       "same --out when they have)\n";

    CsvWriter summaryCsv{"experiment",
                         "variant",
                         "trials",
                         "successes",
                         "mean_epochs",
                         "median_epochs",
                         "mean_final_min_correlation",
                         "seconds",
                         "rule",
                         "epochs_after_success",
                         "stayed_solved",
                         "held_fraction"};
    CsvWriter trialsCsv{"experiment",
                        "variant",
                        "seed",
                        "success",
                        "epochs",
                        "epochs_to_success",
                        "final_min_correlation",
                        "best_min_correlation",
                        "stop_reason",
                        "seconds",
                        "epochs_after_success",
                        "held_epochs"};
    if (!json)
        context.out << "\nvariant                          success   epochs mean / median   final min C   wall s\n";
    for (const auto& v : summaries) {
        context.out << (json ? dumpJson(summaryJson(experiment.id, v)) + '\n' : summaryLine(v));
        summaryCsv.field(experiment.id).field(v.name).field(v.trials.size()).field(v.successes());
        summaryCsv.field(v.meanEpochsToSuccess()).field(v.medianEpochsToSuccess()).field(v.meanFinalCorrelation());
        summaryCsv.field(v.seconds()).field(v.rule).field(v.epochsAfterSuccess).field(v.stayedSolved());
        summaryCsv.field(v.heldFraction()).endRow();
        for (const auto& t : v.trials) {
            // The seed as text: a 64-bit seed does not fit the writer's signed integers.
            trialsCsv.field(experiment.id).field(v.name).field(std::to_string(t.seed)).field(t.success ? 1 : 0);
            trialsCsv.field(t.epochs).field(t.epochsToSuccess).field(t.finalMinCorrelation);
            trialsCsv.field(t.bestMinCorrelation).field(toString(t.reason)).field(t.seconds);
            trialsCsv.field(t.epochsAfterSuccess).field(t.heldEpochs).endRow();
        }
    }
    if (out) {
        writeText(*out / "summary.csv", summaryCsv.text());
        writeText(*out / "trials.csv", trialsCsv.text());
        writeText(*out / "curves.csv", curvesCsv(summaries));
        if (!json)
            context.out << "wrote: " << (*out / "summary.csv").string() << ' ' << (*out / "trials.csv").string() << ' '
                        << (*out / "curves.csv").string() << '\n';
    }
    if (cancelled(context.cancel)) {
        context.err << errorLine("interrupted: the summaries cover the trials that finished");
        return exitInterrupted;
    }
    return exitSuccess;
}

} // namespace

CommandSpec reproduceCommand()
{
    return {
        "normad reproduce EXPERIMENT [options]     (normad reproduce --list)",
        "Runs every variant of an experiment (single, scaling, xor, multilayer, stability; see --list) over\n"
        "N seeds, in parallel, and prints per variant: successes, epochs to success (mean, median),\n"
        "the mean final correlation of the worst pattern and the wall time; for 'stability' (or any\n"
        "experiment with --stay-epochs), also how many trials stayed solved through the epochs after\n"
        "their first success and the share of those epochs that met the criterion. docs/reproduction.md\n"
        "documents the protocols and the results.",
        options,
        "  summary.csv  one row per variant (with --out)\n"
        "  trials.csv   one row per trial: seed, success, epochs, final/best min C, stop reason\n"
        "  curves.csv   variant,epoch,mean_min_correlation,fraction_succeeded (learning curves)\n"
        "  trials/      each trial's result, trials/run-NNNN/trial.json (trial j = variant j / N, seed S + j mod\n"
        "               N), and plan.json; read back by a rerun with the same --out instead of training again\n",
        "  130  interrupted by Ctrl-C (the table covers the trials that finished)\n",
        {"EXPERIMENT", 0, 1},
        &run,
    };
}

} // namespace normad::cli
