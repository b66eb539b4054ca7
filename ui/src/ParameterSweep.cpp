#include "normad/ui/ParameterSweep.h"

#include "normad/ui/ProjectFieldPath.h"

namespace normad::ui {

ParameterSweep::ParameterSweep(QObject* parent) : QObject(parent)
{
    connect(&m_job, &BackgroundJobBase::failed, this, [this](const QString& message) {
        emit failed(tr("The sweep “%1” stopped: %2").arg(m_request.title, message));
        emit finished(true);
    });
}

ParameterSweep::~ParameterSweep() = default; // the job cancels itself

void ParameterSweep::cancel()
{
    if (!m_job.isRunning())
        return;
    m_job.cancel();
    ++m_generation;
    emit finished(true);
}

void ParameterSweep::start(const SweepRequest& request, const Project& current)
{
    // Every value's project is built here, before anything runs: a value the project format
    // refuses is reported at once instead of from the background.
    std::vector<Project> projects;
    for (double v : request.values) {
        // The base is a freshly generated task when the sweep names one, else the open project.
        QJsonObject options = request.options;
        if (!request.option.isEmpty())
            options.insert(request.option, v);
        Project p = request.task.isEmpty() ? current : generatedProject(request.task, request.seed, options);
        if (!request.path.isEmpty())
            p = projectfield::withField(p, request.path, v);
        p.training.maxEpochs = request.maxEpochs;
        p.history.clear();
        p.validate();
        projects.push_back(std::move(p));
    }
    cancel();
    ++m_generation;
    m_request = request;
    m_projects = std::move(projects);
    m_results.assign(m_projects.size(), {});
    if (!m_projects.empty())
        runTrial(0);
}

void ParameterSweep::runTrial(std::size_t index)
{
    // One job per value: each curve arrives as soon as it is done, and a new sweep (or cancel())
    // supersedes whichever trial is running.
    const QString label = m_request.labels.value(static_cast<int>(index));
    m_job.start(
        [project = m_projects[index], label, seed = m_request.seed,
         maxEpochs = m_request.maxEpochs](const CancelFlag& cancel) {
            const reproduction::Variant variant{label.toStdString(), {}, [project](std::uint64_t) { return project; }};
            return reproduction::runTrial(variant, seed, maxEpochs, &cancel);
        },
        [this, index, label, generation = m_generation](reproduction::TrialResult result) {
            m_results[index] = std::move(result);
            emit trialFinished(static_cast<int>(index), label, m_results[index]);
            if (generation != m_generation)
                return; // a slot of trialFinished started or cancelled a sweep
            if (index + 1 < m_projects.size())
                runTrial(index + 1);
            else
                emit finished(false);
        });
}

} // namespace normad::ui
