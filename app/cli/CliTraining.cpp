#include "CliTraining.h"

#include "CliCommand.h"
#include "CliDatasets.h"
#include "CliOutputFolder.h"
#include "CliPlots.h"

#include "normad/Exports.h"
#include "normad/ProjectIo.h"
#include "normad/Simulator.h"
#include "normad/TextFormat.h"
#include "normad/TrainingObserver.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

std::string rateList(const std::vector<double>& rates)
{
    std::string s;
    for (std::size_t l = 0; l < rates.size(); ++l) {
        if (l > 0)
            s += ' ';
        s += formatted("%.1f", rates[l]);
    }
    return s;
}

/// Final forward pass of every pattern: `pattern,neuron,time_s`, sorted by pattern, time, neuron.
/// Returns the number of patterns whose pass did not complete (left out of the file).
int outputSpikesCsv(const Network& network, const Project& project, std::string& csv)
{
    CsvWriter writer{"pattern", "neuron", "time_s"};
    int failed = 0;
    const Simulator simulator(network, project.simulation);
    for (std::size_t k = 0; k < project.task.patterns.size(); ++k) {
        // No cancel flag: after Ctrl-C this pass is what makes the written results complete.
        const SimulationRecord rec = simulator.run(project.task.patterns[k].inputs);
        if (rec.status != SimulationStatus::Completed) {
            ++failed;
            continue;
        }
        for (const auto& [step, neuron] : timeOrderedEvents(rec.layers.back().spikes))
            writer.field(k).field(neuron).field(static_cast<double>(step) * rec.dt).endRow();
    }
    csv = writer.text();
    return failed;
}

/// Forwards to the command's observer; with NORMAD_TEST_PAUSE=pattern:E:P set, pauses the run
/// (testPause) after position P of epoch E, so a test can kill it mid-epoch at a known point.
class PausingObserver final : public TrainingObserver {
public:
    explicit PausingObserver(TrainingObserver* inner) : m_inner(inner) { }
    void patternFinished(const PatternSnapshot& s) override
    {
        if (m_inner)
            m_inner->patternFinished(s);
        testPause("pattern:" + std::to_string(s.epoch) + ":" + std::to_string(s.positionInEpoch));
    }
    void epochFinished(const EpochMetrics& m, const Network& n) override
    {
        if (m_inner)
            m_inner->epochFinished(m, n);
    }
    void trainingFinished(const TrainingResult& r) override
    {
        if (m_inner)
            m_inner->trainingFinished(r);
    }
    bool wantsMembranes() const override { return m_inner && m_inner->wantsMembranes(); }
    bool wantsPatterns() const override
    {
        const char* pause = std::getenv("NORMAD_TEST_PAUSE"); // testPause() needs every pattern
        return (m_inner && m_inner->wantsPatterns()) || (pause && std::string_view(pause).starts_with("pattern:"));
    }

private:
    TrainingObserver* m_inner;
};

/// Writes a checkpoint of `trainer` (between epochs) with the run's settings.
void writeCheckpoint(const Trainer& trainer, const Project& project, const RunPlan& plan)
{
    Checkpoint c = plan.settings;
    c.project = project;
    c.project.network = trainer.network();
    c.project.hasWeights = true;
    c.project.history.clear();
    c.trainer = trainer.state();
    saveCheckpoint(c, plan.checkpointFile.string());
}

} // namespace

int exitCodeFor(StopReason reason)
{
    switch (reason) {
    case StopReason::Converged:
    case StopReason::MaxEpochs:
    case StopReason::Stagnated:
        return exitSuccess;
    case StopReason::Cancelled:
        return exitInterrupted;
    case StopReason::None:
    case StopReason::NonFinite:
    case StopReason::SilentLayer:
    case StopReason::RunawayLayer:
        break;
    }
    return exitFailure;
}

/// One human-readable line of an epoch's (or the final evaluation's) metrics.
std::string metricsText(const EpochMetrics& m)
{
    char buffer[256];
    std::snprintf(buffer, sizeof buffer,
                  "C min %.4f mean %.4f  vR %.4g  |dn| %.2f  missing %d extra %d  cost %g  rates ", m.minCorrelation,
                  m.meanCorrelation, m.vanRossum, m.spikeCountError, m.missing, m.extra, m.cost);
    std::string line = buffer + rateList(m.layerRates) + " Hz";
    // The network as it stands after the epoch (what convergence is judged on).
    if (!std::isnan(m.evaluatedMinCorrelation))
        line += "  end-of-epoch C min " + formatted("%.4f", m.evaluatedMinCorrelation);
    // Dataset tasks: how many training passes named the right class, and the validation split's
    // accuracy with the epoch-end weights.
    if (!std::isnan(m.trainAccuracy))
        line += "  accuracy train " + formatted("%.2f", 100.0 * m.trainAccuracy) + " %";
    if (!std::isnan(m.validationAccuracy))
        line += "  validation " + formatted("%.2f", 100.0 * m.validationAccuracy) + " %";
    return line;
}

Json metricsJson(const EpochMetrics& m)
{
    Json j = Json::object();
    j["epoch"] = m.epoch;
    j["mean_correlation"] = m.meanCorrelation;
    j["min_correlation"] = m.minCorrelation;
    j["van_rossum"] = m.vanRossum;
    j["spike_count_error"] = m.spikeCountError;
    j["missing"] = m.missing;
    j["extra"] = m.extra;
    j["cost"] = m.cost;
    j["converged"] = m.converged;
    j["seconds"] = m.seconds;
    Json patterns = Json::array();
    for (const PatternMetrics& p : m.patterns)
        patterns.push_back(p.correlation);
    j["pattern_correlation"] = std::move(patterns);
    j["layer_rates_hz"] = m.layerRates;
    if (!std::isnan(m.evaluatedMinCorrelation)) {
        j["evaluated_min_correlation"] = m.evaluatedMinCorrelation;
        j["evaluated_mean_correlation"] = m.evaluatedMeanCorrelation;
    }
    if (!std::isnan(m.trainAccuracy))
        j["train_accuracy"] = m.trainAccuracy;
    if (!std::isnan(m.validationAccuracy))
        j["validation_accuracy"] = m.validationAccuracy;
    return j;
}

void agreeOnSetup(const TrainingRanks& ranks, const std::function<void()>& step)
{
    if (!ranks.group) {
        step();
        return;
    }
    std::exception_ptr own;
    std::string message;
    try {
        step();
    } catch (const std::exception& e) {
        own = std::current_exception();
        message = e.what();
    }
    // Collective: every rank reaches it, so a failure on one rank cannot leave the others waiting.
    const std::string first = ranks.firstError(message);
    if (!first.empty())
        throw SetupFailed{first, own};
}

TrainingOutputs trainAndWrite(const Project& project, const std::string& projectDirectory, const fs::path& out,
                              int maxEpochs, TrainingObserver* observer, const CancelFlag* cancel,
                              const std::optional<std::string>& plotDir, int threads, const TrainingRanks& ranks,
                              const RunPlan& plan)
{
    const fs::path& finalOut = plan.publishedAs.empty() ? out : plan.publishedAs;
    // A dataset task reads and checks its files first (a moved or changed file is bad input). Under
    // MPI every rank reads and checks them, and the ranks agree before training.
    std::shared_ptr<const LoadedDataset> data;
    std::unique_ptr<Trainer> trainerPtr;
    agreeOnSetup(ranks, [&] {
        if (project.dataset)
            data = loadDatasetForCli(*project.dataset, projectDirectory, project.simulation, cancel);
        trainerPtr =
            data ? std::make_unique<Trainer>(project.network, data, project.simulation, project.training, project.seed)
                 : std::make_unique<Trainer>(project.network, project.task, project.simulation, project.training,
                                             project.seed);
        trainerPtr->setThreads(threads);
        if (ranks.group)
            trainerPtr->setGroup(ranks.group);
    });
    Trainer& trainer = *trainerPtr;
    if (plan.resumeFrom)
        trainer.restore(*plan.resumeFrom);
    TrainingOutputs o;
    // Checkpoints: rank 0 alone writes them (every rank holds the same state).
    const bool checkpoints = ranks.writer() && !plan.checkpointFile.empty();
    auto lastCheckpoint = std::chrono::steady_clock::now();
    int lastCheckpointEpoch = trainer.completedEpochs();
    auto checkpoint = [&] {
        writeCheckpoint(trainer, project, plan);
        lastCheckpoint = std::chrono::steady_clock::now();
        o.checkpointEpoch = lastCheckpointEpoch = trainer.completedEpochs();
        testPause("checkpoint:" + std::to_string(o.checkpointEpoch));
    };
    std::function<void()> betweenEpochs;
    if (checkpoints && (plan.everyEpochs > 0 || plan.everySeconds > 0))
        betweenEpochs = [&] {
            const bool byEpochs =
                plan.everyEpochs > 0 && trainer.completedEpochs() - lastCheckpointEpoch >= plan.everyEpochs;
            const bool byTime =
                plan.everySeconds > 0 &&
                std::chrono::duration<double>(std::chrono::steady_clock::now() - lastCheckpoint).count() >=
                    plan.everySeconds;
            if (byEpochs || byTime)
                checkpoint();
        };
    std::optional<PausingObserver> pausing;
    if (std::getenv("NORMAD_TEST_PAUSE"))
        observer = &pausing.emplace(observer);
    o.result = trainer.run(observer, cancel, maxEpochs, betweenEpochs);
    const TrainingResult& result = o.result;
    if (!ranks.writer())
        return o; // every rank holds the same result; rank 0 writes it
    if (checkpoints) {
        std::error_code ec;
        if (result.reason == StopReason::Cancelled) {
            // An interrupted run keeps its newest checkpoint in the published folder, to be resumed.
            if (trainer.atEpochBoundary() && trainer.completedEpochs() > lastCheckpointEpoch &&
                trainer.network().weightsFinite())
                checkpoint();
            if (fs::exists(plan.checkpointFile, ec)) {
                o.written.push_back((finalOut / plan.checkpointFile.filename()).string());
                o.notes.push_back("continue from the checkpoint of epoch " + std::to_string(lastCheckpointEpoch) +
                                  " with: normad train --resume " + finalOut.string());
            }
        } else {
            fs::remove(plan.checkpointFile, ec); // the run is complete: nothing to continue
        }
    }
    // A cancelled run has no final evaluation yet; make one without the (set) cancel flag.
    o.finalEvaluation = result.reason == StopReason::Cancelled ? trainer.evaluate() : result.finalEvaluation;
    o.dataset = data != nullptr;

    std::vector<std::string>& written = o.written;
    std::vector<std::string>& notes = o.notes;
    const bool finite = trainer.network().weightsFinite();
    if (finite) {
        Project trained = project;
        trained.network = trainer.network();
        trained.hasWeights = true;
        trained.history = result.history;
        // Relative data paths are re-expressed from the run folder.
        rebaseDataReferences(trained, projectDirectory, fs::absolute(finalOut).string());
        saveProject(trained, (out / "trained.json").string());
        written.push_back((finalOut / "trained.json").string());
        // The test hook of a kill between two result files (docs/checkpoints.md).
        testPause("output-file");
    } else {
        notes.push_back("trained.json not written: the weights are not finite");
    }
    {
        Project run = project;
        run.history = result.history;
        writeText(out / "manifest.json", runManifestJson(run, "train"));
        written.push_back((finalOut / "manifest.json").string());
    }
    // The same per-epoch log every export carries.
    writeText(out / "metrics.csv", trainingLogCsv(result.history, static_cast<int>(project.task.patterns.size()),
                                                  project.network.layerCount()));
    written.push_back((finalOut / "metrics.csv").string());
    if (data) {
        CsvWriter accuracy{"epoch", "train_accuracy", "validation_accuracy", "cost", "seconds"};
        for (const EpochMetrics& m : result.history)
            accuracy.field(m.epoch)
                .field(m.trainAccuracy)
                .field(m.validationAccuracy)
                .field(m.cost)
                .field(m.seconds)
                .endRow();
        writeText(out / "accuracy.csv", accuracy.text());
        written.push_back((finalOut / "accuracy.csv").string());
        notes.push_back("evaluate the test split with: normad evaluate " + (finalOut / "trained.json").string());
    }
    if (finite && !data) {
        std::string spikes;
        if (const int failed = outputSpikesCsv(trainer.network(), project, spikes); failed > 0)
            notes.push_back("output_spikes.csv leaves out " + plural(failed, "pattern") +
                            " whose forward pass did not complete");
        writeText(out / "output_spikes.csv", spikes);
        written.push_back((finalOut / "output_spikes.csv").string());
    }
    if (finite && plotDir) {
        // A dataset task has no inline patterns: its plots are the learning curves.
        Project trained = project;
        trained.network = trainer.network();
        trained.hasWeights = true;
        const std::vector<std::string> plots = writePlots(trained, result.history, *plotDir);
        written.insert(written.end(), plots.begin(), plots.end());
    }
    if (!finite) {
        notes.push_back("output_spikes.csv not written: the weights are not finite");
        if (plotDir)
            notes.push_back("plots not written: the weights are not finite");
    }
    return o;
}

} // namespace normad::cli
