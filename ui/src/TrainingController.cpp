#include "normad/ui/TrainingController.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace normad::ui {

TrainingController::TrainingController(ProjectDocument* document, QObject* parent)
    : QObject(parent), m_document(document), m_thread(new QThread), m_worker(new TrainingWorker)
{
    m_thread->setObjectName(QStringLiteral("NormAD training"));
    m_worker->moveToThread(m_thread);
    // The worker dies on its own thread, after its last event: nothing of it is touched here after
    // wait() (Qt's wait is invisible to ThreadSanitizer; the worker's boxes lock in their destructors).
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TrainingWorker::eventsPosted, this, &TrainingController::deliverEvents);
    connect(m_document, &ProjectDocument::changed, this, &TrainingController::documentChanged);
    // A dataset task becomes trainable when its data has loaded (or stops being so when it goes).
    connect(m_document, &ProjectDocument::datasetChanged, this, [this] {
        m_expectRunning = false;
        reloadWorker();
    });
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
    // Stop flag → quit() → wait(). Events still waiting are dropped with the worker.
    m_worker->shutdown();
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_worker = nullptr;
    m_thread = nullptr;
    m_pending.clear();
    if (!m_checkpointFile.isEmpty())
        QFile::remove(m_checkpointFile);
}

void TrainingController::setCheckpointFile(const QString& path)
{
    m_checkpointFile = path;
    if (m_worker)
        m_worker->setCheckpointFile(path.toStdString());
}

void TrainingController::continueRun(TrainerState state, int maxEpochs)
{
    m_pendingRun.emplace(std::move(state), maxEpochs);
    postPendingRun();
}

void TrainingController::postPendingRun()
{
    if (!m_pendingRun)
        return;
    const Project& p = m_document->project();
    if (p.dataset && !m_document->loadedDataset())
        return; // datasetChanged() reloads the worker, and calls this again
    post([w = m_worker, run = std::move(*m_pendingRun)] { w->restoreRun(run.first, run.second); }, true);
    m_pendingRun.reset();
    start();
}

void TrainingController::deliverEvents()
{
    if (!m_worker)
        return;
    // One queue, popped one event at a time: a handler that calls stopAndWait() (and so this
    // function) continues the same queue instead of overtaking the events still waiting here.
    for (TrainingWorker::Event& e : m_worker->takeEvents())
        m_pending.push_back(std::move(e));
    while (!m_pending.empty()) {
        TrainingWorker::Event e = std::move(m_pending.front());
        m_pending.pop_front();
        dispatch(e);
    }
}

void TrainingController::dispatch(TrainingWorker::Event& e)
{
    using Kind = TrainingWorker::Event::Kind;
    switch (e.kind) {
    case Kind::Snapshot:
        emit snapshotReady();
        break;
    case Kind::Progress:
        emit progress(e.epoch, e.pattern);
        break;
    case Kind::State:
        m_state = e.state;
        if (e.state != State::Running)
            m_expectRunning = false;
        emit stateChanged(e.state);
        break;
    case Kind::Failed:
        ++m_endings;
        emit failed(e.message);
        break;
    case Kind::Finished:
        ++m_endings;
        sessionFinished(e.result, e.final);
        break;
    }
}

SnapshotPtr TrainingController::latestSnapshot() const
{
    return m_worker ? m_worker->latestSnapshot() : std::make_shared<const TrainingSnapshot>();
}

template <typename Command> void TrainingController::post(Command command, bool interrupting)
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

void TrainingController::followClass(int label)
{
    if (m_worker)
        m_worker->followClass(label);
}

void TrainingController::setThreads(int threads)
{
    if (m_worker)
        m_worker->setThreads(threads);
}

void TrainingController::setPace(double epochsPerSecond)
{
    epochsPerSecond = std::isfinite(epochsPerSecond) ? std::max(0.0, epochsPerSecond) : 0.0;
    if (m_worker)
        m_worker->setPace(epochsPerSecond);
    if (epochsPerSecond != m_pace) {
        m_pace = epochsPerSecond;
        emit paceChanged(m_pace);
    }
}

bool TrainingController::stopAndWait(int timeoutMs)
{
    deliverEvents(); // the state may already have moved on
    if (!isActive() && !m_expectRunning)
        return true;
    // No nested event loop: block on the worker's event box and handle its events here, in order,
    // until the session's end (finished or failed) has been handled or the time is up. The worker
    // never waits for this thread, so the stop lands within a few hundred simulation steps.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    const int endingsBefore = m_endings;
    stop();
    while (m_worker && m_endings == endingsBefore && m_worker->waitForEvents(deadline))
        deliverEvents();
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
    // Where an untitled document's data paths start, as for the dataset's loading (DatasetFeature).
    const QString path = m_document->filePath();
    const QString directory = path.isEmpty() ? QDir::currentPath() : QFileInfo(path).absolutePath();
    post([w = m_worker, project = m_document->project(), data = m_document->loadedDataset(),
          directory = directory.toStdString()] { w->loadProject(project, data, directory); },
         true);
    postPendingRun();
}

void TrainingController::sessionFinished(const TrainingResult& result, const SnapshotPtr& final)
{
    m_state = State::Finished;
    m_expectRunning = false;
    if (final && final->sessionEpochs > 0) {
        const int epochs = final->sessionEpochs;
        m_committing = true;
        const QString error = m_document->edit(
            epochs == 1 ? tr("Train 1 epoch") : tr("Train %1 epochs").arg(epochs),
            ProjectDocument::WeightsChanged | ProjectDocument::HistoryChanged, [&final](Project& p) {
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
