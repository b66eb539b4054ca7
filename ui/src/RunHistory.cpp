#include "normad/ui/RunHistory.h"

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RuleText.h"
#include "normad/ui/TrainingController.h"

#include "normad/RuleRegistry.h"
#include "normad/Simulator.h"

#include <algorithm>

namespace normad::ui {

QString Run::label() const
{
    return QStringLiteral("#%1 %2").arg(id).arg(name);
}

RunHistory::RunHistory(ProjectDocument* document, TrainingController* training, QObject* parent)
    : QObject(parent), m_document(document), m_training(training)
{
    connect(m_training, &TrainingController::finished, this, [this](const TrainingResult& result) {
        // The controller has just committed the session to the document (nothing when no epoch ended).
        if (result.epochs > 0)
            addRun(m_document->project(), result.epochs, QString::fromStdString(result.message));
    });
    connect(m_document, &ProjectDocument::replaced, this, &RunHistory::clear);
}

RunHistory::~RunHistory() = default; // the jobs cancel themselves

int RunHistory::indexOf(int id) const
{
    const auto it = std::find_if(m_runs.begin(), m_runs.end(), [id](const Run& r) { return r.id == id; });
    return it == m_runs.end() ? -1 : static_cast<int>(it - m_runs.begin());
}

QString RunHistory::defaultName(const TrainingParams& t, std::uint64_t seed, int epochs)
{
    // The settings that tell runs of one task apart (the rule and what differs from its defaults);
    // describeVariant (the tooltip) has the rest.
    QString rule = ruleSummary(t);
    if (t.schedule == UpdateSchedule::Batch)
        rule += QStringLiteral(", batch");
    const QString trained = epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(epochs);
    return tr("%1 · seed %2 · %3").arg(rule).arg(seed).arg(trained);
}

void RunHistory::addRun(const Project& project, int sessionEpochs, const QString& stopMessage)
{
    Run run;
    run.id = m_nextRun++;
    run.training = project.training;
    run.seed = project.seed;
    run.sessionEpochs = sessionEpochs;
    run.stopMessage = stopMessage;
    run.history = project.history;
    run.name = defaultName(project.training, project.seed, static_cast<int>(project.history.size()));
    run.weights = project.network.allWeights();
    run.dt = project.simulation.dt;
    run.duration = project.simulation.duration;
    for (std::size_t i = 0; i < project.task.patterns.size(); ++i) {
        const Pattern& pattern = project.task.patterns[i];
        run.patternNames << (pattern.name.empty() ? tr("pattern %1").arg(i)
                                                  : tr("%1: %2").arg(i).arg(QString::fromStdString(pattern.name)));
        std::vector<StepTrain> desired;
        for (const SpikeTrain& train : pattern.desired)
            desired.push_back(toSteps(train, project.simulation.dt));
        run.desired.push_back(std::move(desired));
    }
    m_runs.push_back(std::move(run));
    evaluate(m_runs.back(), project);
    emit runsChanged();
}

void RunHistory::keepPastHistory(const Project& before)
{
    if (before.history.empty())
        return;
    if (!m_runs.empty()) {
        const Run& last = m_runs.back();
        const std::vector<Eigen::MatrixXd> weights = before.network.allWeights();
        bool same = last.history.size() == before.history.size() && last.weights.size() == weights.size();
        for (std::size_t i = 0; same && i < weights.size(); ++i)
            same = last.weights[i].rows() == weights[i].rows() && last.weights[i].cols() == weights[i].cols() &&
                   last.weights[i] == weights[i];
        if (same)
            return;
    }
    addRun(before, 0, tr("kept when the network was reshaped"));
}

void RunHistory::evaluate(const Run& run, const Project& project)
{
    // The final forward pass of every pattern can take a while for a large task: it runs in the
    // background; the run is listed at once and its rasters appear when ready.
    auto& job = m_evaluations[run.id];
    job = std::make_unique<BackgroundJob<Outputs>>();
    const int id = run.id;
    connect(job.get(), &BackgroundJobBase::failed, this, [this, id](const QString& message) {
        setOutputs(id, {}); // shown as a run without rasters
        emit failed(tr("Run #%1: its final spikes could not be computed: %2").arg(id).arg(message));
    });
    job->start(
        [network = project.network, task = project.task, sim = project.simulation](const CancelFlag& cancel) {
            Outputs outputs;
            const Simulator simulator(network, sim);
            const auto output = static_cast<std::size_t>(network.layerCount());
            for (const Pattern& pattern : task.patterns) {
                SimulationRecord record = simulator.run(pattern.inputs, {}, &cancel);
                if (record.status == SimulationStatus::Cancelled)
                    return Outputs{}; // dropped: a cancelled job delivers nothing
                outputs.push_back(std::move(record.layers.at(output).spikes));
            }
            return outputs;
        },
        [this, id](Outputs outputs) { setOutputs(id, std::move(outputs)); });
}

void RunHistory::setOutputs(int id, Outputs outputs)
{
    if (auto it = m_evaluations.find(id); it != m_evaluations.end()) {
        it->second.release()->deleteLater(); // we are inside its delivery
        m_evaluations.erase(it);
    }
    const int index = indexOf(id);
    if (index < 0)
        return;
    m_runs[static_cast<std::size_t>(index)].outputs = std::move(outputs);
    m_runs[static_cast<std::size_t>(index)].outputsReady = true;
    emit runUpdated(index);
}

void RunHistory::setName(int index, const QString& name)
{
    if (index < 0 || index >= static_cast<int>(m_runs.size()) || name.trimmed().isEmpty())
        return;
    m_runs[static_cast<std::size_t>(index)].name = name.trimmed();
    emit runUpdated(index);
}

void RunHistory::setChecked(int index, bool checked)
{
    if (index < 0 || index >= static_cast<int>(m_runs.size()) ||
        m_runs[static_cast<std::size_t>(index)].checked == checked)
        return;
    m_runs[static_cast<std::size_t>(index)].checked = checked;
    emit runUpdated(index);
}

void RunHistory::removeRun(int index)
{
    if (index < 0 || index >= static_cast<int>(m_runs.size()))
        return;
    m_evaluations.erase(m_runs[static_cast<std::size_t>(index)].id);
    m_runs.erase(m_runs.begin() + index);
    emit runsChanged();
}

void RunHistory::clear()
{
    m_evaluations.clear(); // pending evaluations of the old project are cancelled
    m_runs.clear();
    m_bookmarks.clear();
    emit runsChanged();
    emit bookmarksChanged();
}

int RunHistory::addBookmark(const QString& name)
{
    // A running or paused session's weights are not in the document yet: stopping commits them.
    if (m_training->isActive())
        m_training->stopAndWait();
    const Project& p = m_document->project();
    Bookmark b;
    b.id = m_nextBookmark++;
    b.weights = p.network.allWeights();
    b.history = p.history;
    const QString rule = QString::fromStdString(findRule(p.training.rule).name);
    b.name =
        name.trimmed().isEmpty() ? tr("Epoch %1 · %2 · seed %3").arg(b.epochs()).arg(rule).arg(p.seed) : name.trimmed();
    m_bookmarks.push_back(std::move(b));
    emit bookmarksChanged();
    return static_cast<int>(m_bookmarks.size()) - 1;
}

QString RunHistory::branchFrom(int index)
{
    if (index < 0 || index >= static_cast<int>(m_bookmarks.size()))
        return tr("No such bookmark");
    if (m_training->isActive())
        m_training->stopAndWait();
    const Bookmark& b = m_bookmarks[static_cast<std::size_t>(index)];
    return m_document->edit(tr("Branch from “%1”").arg(b.name),
                            ProjectDocument::WeightsChanged | ProjectDocument::HistoryChanged, [&b](Project& p) {
                                if (static_cast<int>(b.weights.size()) != p.network.layerCount())
                                    throw std::invalid_argument(
                                        "the bookmark was taken on a network with " + std::to_string(b.weights.size()) +
                                        " layers; this one has " + std::to_string(p.network.layerCount()));
                                // setAllWeights names the layer and both shapes if the topology changed since.
                                p.network.setAllWeights(b.weights);
                                p.hasWeights = true;
                                p.history = b.history;
                            });
}

} // namespace normad::ui
