#include "normad/ui/ParameterSweep.h"

#include "normad/ui/ProjectFieldPath.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

namespace normad::ui {

ParameterSweep::ParameterSweep(QObject* parent) : QObject(parent) {}

ParameterSweep::~ParameterSweep()
{
    cancel();
}

bool ParameterSweep::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void ParameterSweep::cancel()
{
    if (!m_thread)
        return;
    m_cancel->store(true);
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void ParameterSweep::start(const SweepRequest& request, const Project& current)
{
    cancel();
    // Every value's project is built here, before anything runs: a value the project format
    // refuses is reported at once instead of from the thread.
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
    m_request = request;
    m_results.assign(projects.size(), {});
    m_cancel = std::make_shared<CancelFlag>(false);
    QPointer<ParameterSweep> self(this);
    m_thread = QThread::create([self, projects = std::move(projects), labels = request.labels, cancel = m_cancel,
                                seed = request.seed, maxEpochs = request.maxEpochs] {
        for (std::size_t i = 0; i < projects.size(); ++i) {
            reproduction::Variant variant{labels.value(static_cast<int>(i)).toStdString(), {},
                                          [p = projects[i]](std::uint64_t) { return p; }};
            reproduction::TrialResult r = reproduction::runTrial(variant, seed, maxEpochs, cancel.get());
            if (cancel->load())
                return;
            // Results go to the GUI thread as a queued call; `self` is checked there.
            QMetaObject::invokeMethod(
                qApp, [self, cancel, i, label = labels.value(static_cast<int>(i)), r] {
                    if (!self || self->m_cancel != cancel || cancel->load())
                        return;
                    self->m_results[i] = r;
                    emit self->trialFinished(static_cast<int>(i), label, r);
                },
                Qt::QueuedConnection);
        }
    });
    connect(m_thread, &QThread::finished, this, [this, cancel = m_cancel] {
        // Queued after the last trialFinished: the thread's events were posted before it ended.
        QMetaObject::invokeMethod(this, [this, cancel] { emit finished(cancel->load()); }, Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("NormAD sweep"));
    m_thread->start(QThread::LowPriority);
}

} // namespace normad::ui
