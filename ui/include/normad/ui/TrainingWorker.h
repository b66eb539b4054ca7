#pragma once

#include "normad/ui/ThreadHandoff.h"
#include "normad/ui/TrainingSnapshot.h"

#include "normad/Cancellation.h"
#include "normad/Project.h"
#include "normad/Trainer.h"
#include "normad/TrainerState.h"
#include "normad/TrainingObserver.h"

#include <QObject>
#include <QString>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace normad::ui {

/// Owns a Trainer and runs it on its own thread (move it to a QThread). Commands are slots to be
/// invoked queued; a running Trainer::run() keeps this thread busy, so every command is preceded
/// by interrupt() (thread-safe), which raises the engine's CancelFlag: the run returns within a
/// few hundred time steps and the command is handled next. A cancelled run resumes exactly.
///
/// Everything crosses threads through ThreadHandoff boxes: commands in (enqueue()), events out
/// (takeEvents()), each with a data-less wake-up through Qt's event queue. Progress leaves the thread
/// as immutable snapshots (latestSnapshot(), under a mutex) announced by a Snapshot event, at most
/// ~30×/s plus one whenever a command completes.
class TrainingWorker : public QObject, public TrainingObserver {
    Q_OBJECT

public:
    using State = TrainingSnapshot::State;

    /// What the worker reports, in the order it happened.
    struct Event {
        enum class Kind {
            Snapshot, ///< latestSnapshot() changed
            Progress, ///< `epoch` epochs completed (project numbering), `pattern` presented last
            State,    ///< the session is now in `state`
            Failed,   ///< a command could not run: `message` says why, for the user
            Finished, ///< the session ended: `result` (this session's epochs), `final` (the whole history)
        };
        Kind kind = Kind::Snapshot;
        State state = State::Idle;
        int epoch = 0;
        int pattern = -1;
        QString message;
        TrainingResult result;
        SnapshotPtr final;
    };

    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override;

    /// Thread-safe: asks a running command to return so that the next queued command runs.
    /// Returns a ticket; hand it to the queued command with setTicket() right before calling it,
    /// so the cancel flag stays raised until that very command is reached.
    quint64 interrupt();
    /// Worker thread: the ticket of the command about to run (0 for a non-interrupting one).
    void setTicket(quint64 ticket) { m_ticket = ticket; }
    /// Thread-safe: queues `command` to run on the worker's thread, in posting order, with `ticket`.
    /// The command travels through a ThreadHandoff; the event posted to wake the worker carries no data.
    void enqueue(std::function<void()> command, quint64 ticket);
    /// Thread-safe: makes every current and future command return at once (before quit()).
    void shutdown();
    /// Thread-safe: the pattern whose passes the snapshots show; −1 follows the latest pattern.
    void followPattern(int patternIndex) { m_follow.store(patternIndex); }
    /// Thread-safe: only passes of samples of class `label` are shown; −1 = any class.
    void followClass(int label) { m_followClass.store(label); }
    /// Thread-safe: at most `epochsPerSecond` epochs per second while running (0 = full speed), so a
    /// class can watch learning happen. The wait between epochs ends at once on any interrupt.
    void setPace(double epochsPerSecond) { m_pace.store(epochsPerSecond); }
    double pace() const { return m_pace.load(); }
    /// Thread-safe: threads for batch and mini-batch training and evaluation passes (0 = every core),
    /// taken by the next command. Results do not depend on it (Trainer::setThreads).
    void setThreads(int threads) { m_threads.store(std::max(0, threads)); }
    int threads() const { return m_threads.load(); }
    /// Thread-safe: the most recent snapshot (never null).
    SnapshotPtr latestSnapshot() const;
    /// Thread-safe: the events posted since the last call, oldest first.
    std::deque<Event> takeEvents() { return m_events.takeAll(); }
    /// Thread-safe: blocks (without an event loop) until an event is waiting or `deadline` passed.
    bool waitForEvents(std::chrono::steady_clock::time_point deadline) { return m_events.waitUntil(deadline); }

    /// When a running session writes a checkpoint (docs/checkpoints.md): at the first epoch end after
    /// `epochs` epochs or `seconds` seconds since the last one (0: not by that).
    struct CheckpointInterval {
        int epochs = 0;
        double seconds = 0; ///< s
    };
    /// 10 minutes, or NORMAD_CHECKPOINT_EVERY as `normad train --checkpoint-every` takes it (one of
    /// 10e, 30s, 5m, 2h, or off); an unreadable value means the default.
    static CheckpointInterval defaultCheckpointInterval();
    /// Thread-safe: where a running session writes its checkpoint (atomically replaced), taken at the
    /// next epoch end; empty: none. The file is removed when the session ends or is replaced.
    void setCheckpointFile(const std::string& path);

    /// Minimum interval between two rate-limited snapshots.
    static constexpr std::chrono::milliseconds snapshotInterval{33};

public slots:
    /// Builds a fresh trainer from `project` (weights drawn from its seed if it has none). A dataset
    /// task trains on `data` (its loaded dataset); without it, nothing is trainable yet (loading).
    /// `projectDirectory`: where the project's relative data paths start (recorded in checkpoints).
    void loadProject(normad::Project project, std::shared_ptr<const normad::LoadedDataset> data = nullptr,
                     std::string projectDirectory = {});
    /// Runs until a stop criterion of the project's training settings (continues a paused run).
    void start();
    void pause();
    void resume();
    /// Presents one pattern (pausing a running session).
    void stepPattern();
    /// Presents the rest of the current epoch (pausing a running session).
    void stepEpoch();
    /// Ends the session: emits finished() with reason Cancelled unless a criterion ended it first.
    void stop();
    /// Redraws every layer's weights with `seed` and forgets the history.
    void resetWeights(quint64 seed);
    /// New stop criteria / rule settings; the run continues with the current weights.
    void applySettings(normad::TrainingParams params, quint64 seed);
    /// Membrane potentials shown by the plots (recorded only when a snapshot is due).
    void setProbes(normad::RecordRequest probes);
    /// Continues a checkpointed run (after loadProject() of the checkpoint's project, weights at the
    /// checkpoint): the trainer takes `state` and the session's epoch limit is `maxEpochs`, so the
    /// next start() gives the same bits as the run that wrote the checkpoint would have.
    void restoreRun(normad::TrainerState state, int maxEpochs);

private slots:
    /// Runs the oldest queued command (one per posted wake-up, so commands interleave with other
    /// events exactly as queued calls would).
    void runQueued();

signals:
    /// Events are waiting in takeEvents() (emitted once per batch, from the worker's thread).
    void eventsPosted();

private:
    // TrainingObserver, called on this thread from inside the Trainer.
    void patternFinished(const PatternSnapshot& s) override;
    void epochFinished(const EpochMetrics& metrics, const Network& network) override;
    bool wantsMembranes() const override;

    bool acknowledge(); // start of every command; false when shutting down or nothing is loaded
    bool ensureTrainable();
    void runLoop();
    void afterStep();
    void finishSession();
    void setState(State state);
    void publish(bool force);
    void post(Event event);
    void fail(const QString& message);
    /// Raises m_cancel and wakes a paced wait.
    void raiseCancel();
    /// Worker thread: waits out the rest of the epoch's share of the pace (or until cancelled).
    void keepPace();
    void rebuildTrainer(Network network, const TrainingParams& params, std::uint64_t seed, bool keepHistory);
    /// Between two epochs of runLoop(): writes the checkpoint when it is due.
    void checkpointIfDue(int maxEpochs);
    void writeCheckpoint(int maxEpochs);
    /// The session is over (finished, replaced, reset): its checkpoint has nothing left to continue.
    void removeCheckpoint();

    CancelFlag m_cancel{false};
    std::atomic<quint64> m_interrupts{0}; // tickets handed out
    quint64 m_handled = 0;                // highest ticket reached (worker thread)
    quint64 m_ticket = 0;
    ThreadHandoff<std::pair<quint64, std::function<void()>>> m_commands;
    ThreadHandoff<Event> m_events;
    std::atomic<bool> m_shutdown{false};
    std::atomic<int> m_follow{-1};
    std::atomic<int> m_followClass{-1};
    std::atomic<double> m_pace{0.0};
    std::atomic<int> m_threads{0};
    std::mutex m_paceMutex;             // guards nothing but the wait below
    std::condition_variable m_paceWake; // notified when m_cancel is raised

    std::unique_ptr<Trainer> m_trainer;
    std::uint64_t m_trainerSeed = 0;             // the seed m_trainer was built with
    Project m_project;                           // the settings the trainer was built from
    std::shared_ptr<const LoadedDataset> m_data; // a dataset task's data, else null
    std::vector<EpochMetrics> m_baseHistory;     // epochs before this trainer (project numbering)
    int m_sessionEpochsBefore = 0;               // epochs of this session in earlier trainers
    RecordRequest m_probes;
    State m_state = State::Idle;

    using Clock = std::chrono::steady_clock;
    Clock::time_point m_lastPublish{}, m_lastView{};
    Clock::time_point m_paceEpochStart{};
    std::shared_ptr<const PatternView> m_view;
    int m_lastPattern = -1, m_currentEpoch = 0, m_position = 0;
    std::vector<Eigen::MatrixXd> m_lastDeltas;
    std::shared_ptr<const std::vector<EpochMetrics>> m_history;
    bool m_historyDirty = true;
    std::deque<std::pair<Clock::time_point, double>> m_rateWindow; // (time, epochs done incl. a partial one)

    mutable std::mutex m_checkpointMutex; // guards m_checkpointFile (set from the GUI thread)
    std::string m_checkpointFile;
    CheckpointInterval m_checkpointEvery = defaultCheckpointInterval();
    std::string m_writtenCheckpoint; // the file this worker wrote its last checkpoint to (worker thread)
    std::string m_projectDirectory;  // where m_project's relative data paths start
    int m_lastCheckpointEpoch = 0;   // trainer epochs at the last checkpoint (or the run's start)
    Clock::time_point m_lastCheckpoint{};

    mutable std::mutex m_snapshotMutex; // std::mutex: visible to ThreadSanitizer, unlike QMutex
    SnapshotPtr m_snapshot;
};

} // namespace normad::ui
