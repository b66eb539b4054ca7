#pragma once

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingSnapshot.h"
#include "normad/ui/TrainingWorker.h"

#include "normad/Simulator.h"
#include "normad/Trainer.h"

#include <QObject>
#include <QString>

#include <deque>
#include <optional>
#include <utility>

class QThread;

namespace normad::ui {

/// GUI-thread side of training: owns the worker thread, turns button presses into queued worker
/// commands, keeps the worker in step with the document and writes a finished session back into
/// it as one undoable "Train N epochs" edit. Shutdown is stop flag → quit() → wait().
class TrainingController : public QObject {
    Q_OBJECT

public:
    using State = TrainingSnapshot::State;

    explicit TrainingController(ProjectDocument* document, QObject* parent = nullptr);
    ~TrainingController() override;

    State state() const { return m_state; }
    /// Running or paused: a session whose weights are not in the document yet.
    bool isActive() const { return m_state == State::Running || m_state == State::Paused; }
    SnapshotPtr latestSnapshot() const;
    TrainingWorker* worker() const { return m_worker; }

    void start();
    void pause();
    void resume();
    /// Space: pause a running session, resume a paused one, start otherwise.
    void togglePause();
    void stepPattern();
    void stepEpoch();
    void stop();
    /// Redraws the weights from `seed` as an undoable edit of the document.
    void resetWeights(quint64 seed);
    void setProbes(const RecordRequest& probes);
    /// The pattern the plots follow; −1 = the latest presented.
    void followPattern(int patternIndex);
    /// Dataset tasks: the plots follow the latest sample of class `label`; −1 = of any class.
    /// Combined with followPattern() (both must match); the chooser sets one and clears the other.
    void followClass(int label);
    /// At most `epochsPerSecond` epochs per second while running; 0 = full speed (the default).
    /// Takes effect at the next epoch's end; Stop and Pause still land at once.
    void setPace(double epochsPerSecond);
    double pace() const { return m_pace; }
    /// Threads for batch and mini-batch training (0 = every core); online training is sequential.
    void setThreads(int threads);
    /// Stops an active session and blocks (no event loop) until its weights are in the document or
    /// `timeoutMs` passed; the worker's events that arrive meanwhile are handled in order, here.
    /// True when nothing is active any more.
    bool stopAndWait(int timeoutMs = 2000);
    /// Stops the worker thread for good (called by the destructor; idempotent). The session's
    /// checkpoint file is removed: a normal end leaves nothing to recover.
    void shutdown();

    /// Where a running session writes its checkpoints (TrainingWorker::setCheckpointFile): the
    /// autosave's session file, so that a crash leaves it for the next start to continue.
    void setCheckpointFile(const QString& path);
    QString checkpointFile() const { return m_checkpointFile; }
    /// Continues a checkpointed run once the document holds the checkpoint's project (weights at the
    /// checkpoint, the earlier history) and it is trainable (a dataset task: once its data loaded):
    /// the trainer takes `state`, and training starts with the session's limit `maxEpochs`.
    void continueRun(normad::TrainerState state, int maxEpochs);

signals:
    void snapshotReady();
    void progress(int epoch, int pattern);
    void stateChanged(normad::ui::TrainingSnapshot::State state);
    void paceChanged(double epochsPerSecond);
    void finished(const normad::TrainingResult& result);
    void failed(const QString& message);

private:
    template <typename Command> void post(Command command, bool interrupting);
    void documentChanged(ProjectDocument::Changes changes);
    void reloadWorker();
    /// Posts the pending continueRun() and a start if the document's project is trainable now.
    void postPendingRun();
    void sessionFinished(const TrainingResult& result, const SnapshotPtr& final);
    /// Handles every event the worker posted so far (the worker's eventsPosted() wake-up).
    void deliverEvents();
    void dispatch(TrainingWorker::Event& event);

    ProjectDocument* m_document;
    QThread* m_thread = nullptr;
    TrainingWorker* m_worker = nullptr;
    State m_state = State::Idle;
    bool m_expectRunning = false; // a start/resume was posted and nothing has interrupted it
    bool m_committing = false;
    double m_pace = 0.0;
    std::deque<TrainingWorker::Event> m_pending; // taken from the worker, not yet dispatched
    int m_endings = 0; // Finished and Failed events handled (stopAndWait waits for the next one)
    QString m_checkpointFile;
    std::optional<std::pair<TrainerState, int>> m_pendingRun; // continueRun() waiting for the data
};

} // namespace normad::ui
