#pragma once

#include "normad/Cancellation.h"

#include <QObject>
#include <QString>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace normad::ui {

namespace detail {
/// What one started job shares with its owner. `cancel` is atomic; the rest is guarded by `mutex`.
struct JobState {
    virtual ~JobState() = default;
    std::mutex mutex;
    QObject* receiver = nullptr; ///< the owner while it still wants the outcome, else null
    CancelFlag cancel{false};
    bool done = false;
    QString error; ///< user-facing message when the work threw
};

template <typename Result> struct TypedJobState : JobState {
    std::optional<Result> result;
};
} // namespace detail

/// The untyped half of BackgroundJob: the signals, the thread pool and the delivery. Use
/// BackgroundJob<Result>.
class BackgroundJobBase : public QObject {
    Q_OBJECT

public:
    ~BackgroundJobBase() override;

    /// A job was started and its outcome has not been delivered yet (nor was it cancelled).
    bool isRunning() const { return m_state != nullptr; }
    /// Raises the running job's cancel flag and drops its outcome: nothing is delivered for it.
    /// Returns at once; the work ends in the background as soon as it polls the flag.
    void cancel();

signals:
    /// The latest job threw: a user-facing message (the exception's what()).
    void failed(const QString& message);
    /// The latest job's outcome was delivered (after its result handler or failed()).
    void finished();

protected:
    explicit BackgroundJobBase(QObject* parent);
    /// Supersedes the running job (cancelled, its outcome dropped) and runs `work` on the pool.
    void launch(std::shared_ptr<detail::JobState> state, std::function<void()> work);
    /// Pool thread, at the end of `work`: records that `state` is done and wakes its receiver.
    static void complete(detail::JobState& state, QString error);
    /// GUI thread: hands the latest job's result to its handler (not called after a failure).
    virtual void deliverResult(detail::JobState& state) = 0;

private slots:
    void collect(); // queued from the pool thread, without arguments (see ThreadHandoff.h)

private:
    std::shared_ptr<detail::JobState> m_state;
};

/// Runs one kind of computation off the GUI thread; the latest job wins. start() runs
/// `work(cancel)` on a thread pool and later calls `onResult(result)` on the owner's thread, unless
/// another start() or cancel() came first: then the older job's cancel flag is raised (hand it to
/// the engine, e.g. Simulator::run, so the work stops early) and its result is never delivered. An
/// exception thrown by `work` arrives as failed(message), for the owner to show the user.
///
///     m_job.start([project](const CancelFlag& cancel) { return evaluate(project, &cancel); },
///                 [this](Evaluation e) { show(e); });
///
/// `work` runs on another thread: capture copies of its inputs, never `this` or GUI objects.
/// Values cross through detail::JobState under a std::mutex, the wake-up through Qt's event queue
/// without data (ThreadHandoff.h says why). Modelled on KDAB hotspot's job tracker.
template <typename Result> class BackgroundJob : public BackgroundJobBase {
public:
    using Handler = std::function<void(Result)>;

    explicit BackgroundJob(QObject* parent = nullptr) : BackgroundJobBase(parent) { }

    template <typename Work> void start(Work work, Handler onResult)
    {
        static_assert(std::is_invocable_r_v<Result, Work&, const CancelFlag&>,
                      "work must be callable as Result(const CancelFlag&)");
        auto state = std::make_shared<detail::TypedJobState<Result>>();
        m_onResult = std::move(onResult);
        launch(state, [state, work = std::move(work)]() mutable {
            std::optional<Result> result;
            QString error;
            try {
                result.emplace(work(state->cancel));
            } catch (const std::exception& e) {
                error = QString::fromUtf8(e.what());
            } catch (...) {
                error = QStringLiteral("unknown error");
            }
            {
                std::lock_guard lock(state->mutex);
                state->result = std::move(result);
            }
            complete(*state, std::move(error));
        });
    }

private:
    void deliverResult(detail::JobState& state) override
    {
        auto& typed = static_cast<detail::TypedJobState<Result>&>(state);
        std::optional<Result> result;
        {
            std::lock_guard lock(typed.mutex);
            result = std::move(typed.result);
        }
        if (result && m_onResult)
            m_onResult(std::move(*result));
    }

    Handler m_onResult;
};

} // namespace normad::ui
