#include "normad/ui/TrainingController.h"

#include "normad/ui/ThreadHandoff.h"

#include "normad/ui/TrainingWorker.h"

#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <algorithm>

namespace normad::ui {

TrainingController::TrainingController(ProjectDocument* document, QObject* parent)
    : QObject(parent), m_document(document), m_thread(new QThread), m_worker(new TrainingWorker)
{
    m_thread->setObjectName(QStringLiteral("NormAD training"));
    m_worker->moveToThread(m_thread);
    // Every handler of a worker signal starts with handoff::receive() (see ThreadHandoff.h).
    connect(m_worker, &TrainingWorker::snapshotReady, this, [this] {
        handoff::receive();
        emit snapshotReady();
    });
    connect(m_worker, &TrainingWorker::progress, this, [this](int epoch, int pattern) {
        handoff::receive();
        emit progress(epoch, pattern);
    });
    connect(m_worker, &TrainingWorker::failed, this, [this](const QString& message) {
        handoff::receive();
        emit failed(message);
    });
    connect(m_worker, &TrainingWorker::stateChanged, this, [this](State state) {
        handoff::receive();
        m_state = state;
        if (state != State::Running)
            m_expectRunning = false;
        emit stateChanged(state);
    });
    connect(m_worker, &TrainingWorker::finished, this, [this](const TrainingResult& result, const SnapshotPtr& final) {
        handoff::receive();
        sessionFinished(result, final);
    });
    connect(m_document, &ProjectDocument::changed, this, &TrainingController::documentChanged);
    m_thread->start();
    reloadWorker();
}

TrainingController::~TrainingController()
{
    shutdown();
}

void TrainingController::shutdown()
{
    if (!m_thread)
        return;
    m_worker->shutdown();
    m_thread->quit();
    m_thread->wait();
    delete m_worker;  // its thread has ended: no event can reach it any more
    delete m_thread;
    m_worker = nullptr;
    m_thread = nullptr;
}

SnapshotPtr TrainingController::latestSnapshot() const
{
    return m_worker ? m_worker->latestSnapshot() : std::make_shared<const TrainingSnapshot>();
}

template <typename Command>
void TrainingController::post(Command command, bool interrupting)
{
    if (!m_worker)
        return;
    const quint64 ticket = interrupting ? m_worker->interrupt() : 0;
    m_worker->enqueue(std::function<void()>(std::move(command)), ticket);
}

void TrainingController::start()
{
    m_expectRunning = true;
    post([w = m_worker] { w->start(); }, true);
}

void TrainingController::pause()
{
    m_expectRunning = false;
    post([w = m_worker] { w->pause(); }, true);
}

void TrainingController::resume()
{
    start();
}

void TrainingController::togglePause()
{
    if (m_expectRunning || m_state == State::Running)
        pause();
    else
        resume();
}

void TrainingController::stepPattern()
{
    // A step while running pauses first; while paused, steps queue up and none is lost.
    const bool interrupting = m_expectRunning;
    m_expectRunning = false;
    post([w = m_worker] { w->stepPattern(); }, interrupting);
}

void TrainingController::stepEpoch()
{
    const bool interrupting = m_expectRunning;
    m_expectRunning = false;
    post([w = m_worker] { w->stepEpoch(); }, interrupting);
}

void TrainingController::stop()
{
    m_expectRunning = false;
    post([w = m_worker] { w->stop(); }, true);
}

void TrainingController::resetWeights(quint64 seed)
{
    if (isActive())
        stopAndWait();
    m_document->edit(tr("Reset weights"), ProjectDocument::WeightsChanged | ProjectDocument::HistoryChanged,
                     [seed](Project& p) {
                         p.network.initializeWeights(seed);
                         p.hasWeights = true;
                         p.history.clear();
                     });
}

void TrainingController::setProbes(const RecordRequest& probes)
{
    post([w = m_worker, probes] { w->setProbes(probes); }, true);
}

void TrainingController::followPattern(int patternIndex)
{
    if (m_worker)
        m_worker->followPattern(patternIndex);
}

bool TrainingController::stopAndWait(int timeoutMs)
{
    if (!isActive() && !m_expectRunning)
        return true;
    QEventLoop loop;
    connect(this, &TrainingController::finished, &loop, &QEventLoop::quit);
    connect(this, &TrainingController::failed, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    stop();
    loop.exec();
    return !isActive();
}

void TrainingController::documentChanged(ProjectDocument::Changes changes)
{
    if (m_committing)
        return;
    if (isActive() && changes == ProjectDocument::Changes(ProjectDocument::TrainingChanged)) {
        const Project& p = m_document->project();
        post([w = m_worker, params = p.training, seed = p.seed] { w->applySettings(params, seed); }, true);
        return;
    }
    // Anything else (a designer edit, undo, a new project) starts over from the document.
    m_expectRunning = false;
    reloadWorker();
}

void TrainingController::reloadWorker()
{
    post([w = m_worker, project = m_document->project()] { w->loadProject(project); }, true);
}

void TrainingController::sessionFinished(const TrainingResult& result, const SnapshotPtr& final)
{
    m_state = State::Finished;
    m_expectRunning = false;
    if (final && final->sessionEpochs > 0) {
        const int epochs = final->sessionEpochs;
        m_committing = true;
        const QString error = m_document->edit(
            epochs == 1 ? tr("Train 1 epoch") : tr("Train %1 epochs").arg(epochs), ProjectDocument::WeightsChanged | ProjectDocument::HistoryChanged,
            [&final](Project& p) {
                for (int l : layerNumbers(std::min(p.network.layerCount(), static_cast<int>(final->weights.size()))))
                    p.network.setWeights(l, ofLayer(final->weights, l));
                p.hasWeights = true;
                if (final->history)
                    p.history = *final->history;
            });
        m_committing = false;
        if (!error.isEmpty())
            emit failed(tr("The trained weights could not be kept: %1").arg(error));
    }
    // The worker starts the next session from exactly what the document now holds.
    reloadWorker();
    emit finished(result);
}

} // namespace normad::ui
