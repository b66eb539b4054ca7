#include "normad/ui/TrainingWorker.h"

#include "normad/Checkpoint.h"
#include "normad/Pattern.h"

#include <QByteArray>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace normad::ui {

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent)
{
    m_snapshot = std::make_shared<const TrainingSnapshot>();
}

TrainingWorker::~TrainingWorker() = default;

quint64 TrainingWorker::interrupt()
{
    // Count first, then raise the flag: acknowledge() clears the flag and re-reads the count, so
    // a command posted while another is being acknowledged can never be missed (seq_cst order).
    const quint64 ticket = m_interrupts.fetch_add(1) + 1;
    raiseCancel();
    return ticket;
}

void TrainingWorker::raiseCancel()
{
    m_cancel.store(true);
    {
        // Taking the lock orders the store before a waiter's predicate check: no lost wake-up.
        std::lock_guard lock(m_paceMutex);
    }
    m_paceWake.notify_all();
}

void TrainingWorker::keepPace()
{
    const double pace = m_pace.load();
    const auto now = Clock::now();
    if (pace > 0 && m_paceEpochStart != Clock::time_point{}) {
        const auto deadline =
            m_paceEpochStart + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / pace));
        if (now < deadline) {
            publish(true); // show the epoch that is being waited on
            std::unique_lock lock(m_paceMutex);
            m_paceWake.wait_until(lock, deadline, [this] { return m_cancel.load(); });
        }
    }
    m_paceEpochStart = Clock::now();
}

void TrainingWorker::shutdown()
{
    m_shutdown.store(true);
    raiseCancel();
}

void TrainingWorker::enqueue(std::function<void()> command, quint64 ticket)
{
    m_commands.post({ticket, std::move(command)});
    QMetaObject::invokeMethod(this, "runQueued", Qt::QueuedConnection);
}

void TrainingWorker::runQueued()
{
    auto next = m_commands.takeOne();
    if (!next)
        return;
    setTicket(next->first);
    next->second();
}

void TrainingWorker::post(Event event)
{
    // One wake-up per batch: the controller drains every waiting event when it wakes.
    if (m_events.post(std::move(event)))
        emit eventsPosted();
}

void TrainingWorker::fail(const QString& message)
{
    Event e;
    e.kind = Event::Kind::Failed;
    e.message = message;
    post(std::move(e));
}

SnapshotPtr TrainingWorker::latestSnapshot() const
{
    std::lock_guard lock(m_snapshotMutex);
    return m_snapshot;
}

bool TrainingWorker::acknowledge()
{
    m_handled = std::max(m_handled, m_ticket);
    m_ticket = 0;
    m_cancel.store(false);
    if (m_interrupts.load() > m_handled || m_shutdown.load())
        m_cancel.store(true); // an interrupting command waits behind this one: let it through
    return !m_shutdown.load();
}

void TrainingWorker::setState(State state)
{
    if (state != State::Running)
        m_rateWindow.clear();
    if (state == m_state)
        return;
    m_state = state;
    Event e;
    e.kind = Event::Kind::State;
    e.state = state;
    post(std::move(e));
}

TrainingWorker::CheckpointInterval TrainingWorker::defaultCheckpointInterval()
{
    CheckpointInterval every{0, 600.0}; // as normad train: a short session never writes one
    const QByteArray text = qgetenv("NORMAD_CHECKPOINT_EVERY").trimmed();
    if (text == "off")
        return {};
    if (text.size() < 2)
        return every;
    bool ok = false;
    const int value = text.left(text.size() - 1).toInt(&ok);
    if (!ok || value < 1)
        return every;
    switch (text.back()) {
    case 'e':
        return {value, 0};
    case 's':
        return {0, double(value)};
    case 'm':
        return {0, 60.0 * value};
    case 'h':
        return {0, 3600.0 * value};
    default:
        return every;
    }
}

void TrainingWorker::setCheckpointFile(const std::string& path)
{
    std::lock_guard lock(m_checkpointMutex);
    m_checkpointFile = path;
}

void TrainingWorker::checkpointIfDue(int maxEpochs)
{
    const int epochs = m_trainer->completedEpochs() - m_lastCheckpointEpoch;
    const double seconds = std::chrono::duration<double>(Clock::now() - m_lastCheckpoint).count();
    const bool byEpochs = m_checkpointEvery.epochs > 0 && epochs >= m_checkpointEvery.epochs;
    const bool byTime = m_checkpointEvery.seconds > 0 && seconds >= m_checkpointEvery.seconds;
    if (byEpochs || byTime)
        writeCheckpoint(maxEpochs);
}

void TrainingWorker::writeCheckpoint(int maxEpochs)
{
    std::string file;
    {
        std::lock_guard lock(m_checkpointMutex);
        file = m_checkpointFile;
    }
    m_lastCheckpoint = Clock::now();
    m_lastCheckpointEpoch = m_trainer->completedEpochs();
    if (file.empty())
        return;
    if (!m_writtenCheckpoint.empty() && m_writtenCheckpoint != file)
        removeCheckpoint();
    // What the trainer was built from: the settings and seed it trains with (a continuation after a
    // finished session draws from seed + 1), the weights now, the project's history before it.
    Checkpoint c;
    c.project = m_project;
    c.project.training = m_trainer->params();
    c.project.seed = m_trainerSeed;
    c.project.network = m_trainer->network();
    c.project.hasWeights = true;
    c.project.history.clear();
    c.earlierHistory = m_baseHistory;
    c.projectDirectory = m_projectDirectory;
    c.maxEpochs = maxEpochs;
    c.trainer = m_trainer->state();
    try {
        saveCheckpoint(c, file);
        m_writtenCheckpoint = file;
    } catch (const std::exception& e) {
        // Training goes on (a Failed event would end the session for the controller); a crash now
        // loses more than one interval, and the log says why.
        qWarning("normad-workbench: checkpoint not written: %s", e.what());
        return;
    }
    // Test hook (docs/checkpoints.md): stop right after this checkpoint until the test kills the process.
    const QByteArray pause = qgetenv("NORMAD_TEST_PAUSE");
    if (!pause.isEmpty() && pause == "checkpoint:" + QByteArray::number(m_trainer->completedEpochs())) {
        std::fprintf(stderr, "normad-workbench: test pause at %s\n", pause.constData());
        std::fflush(stderr);
        for (;;)
            ::pause();
    }
}

void TrainingWorker::removeCheckpoint()
{
    if (m_writtenCheckpoint.empty())
        return;
    std::error_code ec;
    std::filesystem::remove(m_writtenCheckpoint, ec);
    m_writtenCheckpoint.clear();
}

void TrainingWorker::rebuildTrainer(Network network, const TrainingParams& params, std::uint64_t seed, bool keepHistory)
{
    if (keepHistory && m_trainer) {
        const int base = static_cast<int>(m_baseHistory.size());
        for (EpochMetrics e : m_trainer->history()) {
            e.epoch += base;
            m_baseHistory.push_back(std::move(e));
        }
        m_sessionEpochsBefore += m_trainer->completedEpochs();
    }
    // A dataset task trains on its loaded data; an inline task on its patterns (one Trainer code path).
    auto trainer =
        m_data ? std::make_unique<Trainer>(std::move(network), m_data, m_project.simulation, params, seed)
               : std::make_unique<Trainer>(std::move(network), m_project.task, m_project.simulation, params, seed);
    trainer->setRecordRequest(m_probes);
    m_trainer = std::move(trainer);
    m_trainerSeed = seed;
    // The interval counts from the trainer's start, pauses included: a session paused and resumed
    // often still checkpoints.
    m_lastCheckpointEpoch = 0;
    m_lastCheckpoint = Clock::now();
    m_historyDirty = true;
}

void TrainingWorker::loadProject(Project project, std::shared_ptr<const LoadedDataset> data,
                                 std::string projectDirectory)
{
    if (!acknowledge())
        return;
    removeCheckpoint(); // a new session: the last one's run is gone
    m_projectDirectory = std::move(projectDirectory);
    m_data = project.dataset ? std::move(data) : nullptr;
    const bool trainable = project.dataset ? m_data != nullptr : !project.task.patterns.empty();
    if (project.network.layerCount() == 0 || !trainable) {
        // Nothing to train yet (a blank document, a dataset still loading): not an error.
        m_trainer.reset();
        m_project = std::move(project);
        m_baseHistory.clear();
        m_view.reset();
        m_historyDirty = true;
        setState(State::Idle);
        publish(true);
        return;
    }
    try {
        project.ensureWeights();
        m_project = std::move(project);
        m_baseHistory = m_project.history;
        m_sessionEpochsBefore = 0;
        m_trainer.reset();
        rebuildTrainer(m_project.network, m_project.training, m_project.seed, false);
        m_view.reset();
        m_lastDeltas.clear();
        m_lastPattern = -1;
        m_currentEpoch = static_cast<int>(m_baseHistory.size());
        m_position = 0;
        setState(State::Idle);
        publish(true);
    } catch (const std::exception& e) {
        m_trainer.reset();
        setState(State::Idle);
        const QString message = tr("Cannot train this project: %1").arg(QString::fromStdString(e.what()));
        fail(message);
    }
}

bool TrainingWorker::ensureTrainable()
{
    if (!m_trainer) {
        const QString message = tr("No trainable project is loaded.");
        fail(message);
        return false;
    }
    if (m_trainer->finished()) {
        // A criterion ended the last run: go on from the trained weights as a continuation.
        Network network = m_trainer->network();
        rebuildTrainer(std::move(network), m_project.training, m_project.seed + 1, true);
        m_sessionEpochsBefore = 0;
    }
    // Taken at each command: a changed thread count changes the speed only, never a result.
    m_trainer->setThreads(m_threads.load());
    return true;
}

void TrainingWorker::runLoop()
{
    setState(State::Running);
    m_paceEpochStart = Clock::now();
    try {
        const int limit = std::max(0, m_project.training.maxEpochs - m_sessionEpochsBefore);
        std::function<void()> betweenEpochs;
        if (m_checkpointEvery.epochs > 0 || m_checkpointEvery.seconds > 0)
            betweenEpochs = [this, limit] { checkpointIfDue(limit); };
        m_trainer->run(this, &m_cancel, limit, betweenEpochs);
    } catch (const std::exception& e) {
        setState(State::Paused);
        publish(true);
        const QString message = tr("Training stopped: %1").arg(QString::fromStdString(e.what()));
        fail(message);
        return;
    }
    if (m_trainer->finished())
        finishSession();
    // Otherwise a newer command interrupted the run; it decides what happens next, and a
    // resume continues exactly where this run left off.
}

void TrainingWorker::afterStep()
{
    if (m_trainer->finished())
        finishSession();
    else
        publish(true);
}

void TrainingWorker::finishSession()
{
    removeCheckpoint(); // the session's weights go to the document: nothing left to continue
    setState(State::Finished);
    publish(true);
    TrainingResult result = m_trainer->result();
    if (!m_trainer->finished()) {
        result.reason = StopReason::Cancelled;
        result.message = "stopped by the user after " +
                         std::to_string(m_sessionEpochsBefore + m_trainer->completedEpochs()) + " epochs";
    }
    result.epochs = m_sessionEpochsBefore + m_trainer->completedEpochs();
    Event e;
    e.kind = Event::Kind::Finished;
    e.result = std::move(result);
    e.final = latestSnapshot();
    post(std::move(e));
}

void TrainingWorker::start()
{
    if (!acknowledge() || !ensureTrainable())
        return;
    runLoop();
}

void TrainingWorker::resume()
{
    start();
}

void TrainingWorker::pause()
{
    if (!acknowledge())
        return;
    if (m_state == State::Running) {
        setState(State::Paused);
        publish(true);
    }
}

void TrainingWorker::stepPattern()
{
    if (!acknowledge() || !ensureTrainable())
        return;
    setState(State::Paused);
    try {
        m_trainer->stepPattern(this, &m_cancel);
    } catch (const std::exception& e) {
        const QString message = tr("Step failed: %1").arg(QString::fromStdString(e.what()));
        fail(message);
    }
    afterStep();
}

void TrainingWorker::stepEpoch()
{
    if (!acknowledge() || !ensureTrainable())
        return;
    setState(State::Paused);
    try {
        m_trainer->stepEpoch(this, &m_cancel);
    } catch (const std::exception& e) {
        const QString message = tr("Step failed: %1").arg(QString::fromStdString(e.what()));
        fail(message);
    }
    afterStep();
}

void TrainingWorker::stop()
{
    if (!acknowledge() || !m_trainer)
        return;
    if (m_state == State::Running || m_state == State::Paused)
        finishSession();
}

void TrainingWorker::resetWeights(quint64 seed)
{
    if (!acknowledge() || !m_trainer)
        return;
    try {
        Network network = m_trainer->network();
        network.initializeWeights(seed);
        removeCheckpoint();
        m_baseHistory.clear();
        m_sessionEpochsBefore = 0;
        m_trainer.reset();
        rebuildTrainer(std::move(network), m_project.training, m_project.seed, false);
        m_lastDeltas.clear();
        m_view.reset();
        setState(State::Idle);
        publish(true);
    } catch (const std::exception& e) {
        const QString message = tr("Cannot reset the weights: %1").arg(QString::fromStdString(e.what()));
        fail(message);
    }
}

void TrainingWorker::applySettings(TrainingParams params, quint64 seed)
{
    if (!acknowledge() || !m_trainer)
        return;
    const bool wasRunning = m_state == State::Running;
    try {
        params.validate();
        m_project.training = params;
        m_project.seed = seed;
        Network network = m_trainer->network();
        rebuildTrainer(std::move(network), params, seed, true);
    } catch (const std::exception& e) {
        const QString message = tr("Settings not applied: %1").arg(QString::fromStdString(e.what()));
        fail(message);
        return;
    }
    if (wasRunning)
        runLoop();
    else
        publish(true);
}

void TrainingWorker::restoreRun(TrainerState state, int maxEpochs)
{
    if (!acknowledge())
        return;
    if (!m_trainer) {
        fail(tr("Cannot continue the training run: the project is not trainable."));
        return;
    }
    try {
        m_trainer->restore(state);
    } catch (const std::exception& e) {
        fail(tr("Cannot continue the training run: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    // The session's limit counts the epochs it trained before the checkpoint's trainer.
    m_sessionEpochsBefore = std::max(0, m_project.training.maxEpochs - maxEpochs);
    m_lastCheckpointEpoch = m_trainer->completedEpochs();
    m_lastCheckpoint = Clock::now();
    m_currentEpoch = static_cast<int>(m_baseHistory.size()) + m_trainer->completedEpochs();
    m_historyDirty = true;
    setState(State::Paused);
    publish(true);
}

void TrainingWorker::setProbes(RecordRequest probes)
{
    if (!acknowledge())
        return;
    m_probes = std::move(probes);
    if (m_trainer)
        m_trainer->setRecordRequest(m_probes);
    m_lastView = {};
    if (m_state == State::Running && m_trainer)
        runLoop();
}

bool TrainingWorker::wantsMembranes() const
{
    // Record membranes only for passes that may become a snapshot: recording costs memory traffic.
    return !m_probes.empty() && Clock::now() - m_lastView >= snapshotInterval;
}

void TrainingWorker::patternFinished(const PatternSnapshot& s)
{
    const int base = static_cast<int>(m_baseHistory.size());
    m_lastPattern = s.patternIndex;
    m_currentEpoch = base + s.epoch;
    m_position = s.positionInEpoch;
    const auto now = Clock::now();
    const int follow = m_follow.load();
    const int followClass = m_followClass.load();
    const bool followed = (follow < 0 || follow == s.patternIndex) && (followClass < 0 || followClass == s.label);
    const bool stale = !m_view || (follow >= 0 && m_view->patternIndex != follow) ||
                       (followClass >= 0 && m_view->label != followClass);
    // With probes, a pass is due exactly when wantsMembranes() said so before it (it was recorded);
    // deciding by the clock here again could pick a pass recorded without membranes.
    const bool due = m_probes.empty() ? now - m_lastView >= snapshotInterval : !s.record.membranes.empty();
    if (followed && (stale || due)) {
        auto view = std::make_shared<PatternView>();
        view->patternIndex = s.patternIndex;
        view->label = s.label;
        view->epoch = m_currentEpoch;
        view->spikes.reserve(s.record.layers.size());
        for (const LayerActivity& layer : s.record.layers)
            view->spikes.push_back(layer.spikes);
        for (const SpikeTrain& train : s.pattern.desired)
            view->desired.push_back(toSteps(train, m_project.simulation.dt));
        view->membranes = s.record.membranes;
        view->metrics = s.metrics;
        m_view = std::move(view);
        m_lastView = now;
    }
    if (now - m_lastPublish >= snapshotInterval) {
        m_lastDeltas = s.gradient.deltas;
        publish(false);
    }
}

void TrainingWorker::epochFinished(const EpochMetrics&, const Network&)
{
    m_historyDirty = true;
    if (m_state == State::Running) // steps are paced by the user already
        keepPace();
}

void TrainingWorker::publish(bool)
{
    const auto now = Clock::now();
    m_lastPublish = now;
    auto snap = std::make_shared<TrainingSnapshot>();
    snap->state = m_state;
    snap->dt = m_project.simulation.dt;
    snap->duration = m_project.simulation.duration;
    const int trainerEpochs = m_trainer ? m_trainer->completedEpochs() : 0;
    snap->completedEpochs = static_cast<int>(m_baseHistory.size()) + trainerEpochs;
    snap->sessionEpochs = m_sessionEpochsBefore + trainerEpochs;
    snap->currentEpoch = m_currentEpoch;
    snap->lastPattern = m_lastPattern;
    snap->positionInEpoch = m_position;
    if (m_historyDirty || !m_history) {
        auto history = std::make_shared<std::vector<EpochMetrics>>(m_baseHistory);
        if (m_trainer)
            for (EpochMetrics e : m_trainer->history()) {
                e.epoch += static_cast<int>(m_baseHistory.size());
                history->push_back(std::move(e));
            }
        m_history = std::move(history);
        m_historyDirty = false;
    }
    snap->history = m_history;
    if (m_trainer)
        snap->weights = m_trainer->network().allWeights();
    snap->deltas = m_lastDeltas;
    snap->view = m_view;

    snap->patternsPerEpoch = m_trainer ? static_cast<int>(m_trainer->trainingSet().size()) : 0;
    if (m_state == State::Running) {
        // Epochs done including the share of the one under way: a dataset epoch can take longer than
        // the window, and whole epochs alone would then read 0 epochs/s.
        double done = snap->completedEpochs;
        if (snap->patternsPerEpoch > 0 && m_currentEpoch > snap->completedEpochs)
            done += std::min(1.0, (m_position + 1.0) / snap->patternsPerEpoch);
        m_rateWindow.emplace_back(now, done);
        while (m_rateWindow.size() > 2 && now - m_rateWindow.front().first > std::chrono::seconds(2))
            m_rateWindow.pop_front();
        const double span = std::chrono::duration<double>(now - m_rateWindow.front().first).count();
        if (span > 0.2)
            snap->epochsPerSecond = (done - m_rateWindow.front().second) / span;
        else if (const auto previous = latestSnapshot())
            snap->epochsPerSecond = previous->epochsPerSecond;
    }
    {
        std::lock_guard lock(m_snapshotMutex);
        m_snapshot = std::move(snap);
    }
    post(Event{}); // Kind::Snapshot
    Event progress;
    progress.kind = Event::Kind::Progress;
    progress.epoch = static_cast<int>(m_baseHistory.size()) + trainerEpochs;
    progress.pattern = m_lastPattern;
    post(std::move(progress));
}

} // namespace normad::ui
