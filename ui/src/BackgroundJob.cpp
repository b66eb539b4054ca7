#include "normad/ui/BackgroundJob.h"

#include "normad/ui/ThreadHandoff.h"

#include <QThread>
#include <QThreadPool>

#include <algorithm>

namespace normad::ui {

namespace {
// The work of every started job waits in one box and a capture-less task takes the oldest: the
// pool then carries no data across threads (ThreadHandoff.h says why that matters).
struct Jobs {
    ThreadHandoff<std::function<void()>> queue; // declared first: destroyed after the pool
    QThreadPool pool;

    Jobs()
    {
        // A few threads more than cores: a sweep trains for minutes, and an inspector refresh or
        // a run's evaluation must not wait behind it.
        pool.setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
        pool.setObjectName(QStringLiteral("NormAD background jobs"));
    }
    ~Jobs() { pool.waitForDone(); } // cancelled jobs return within a few hundred steps
};

Jobs& jobs()
{
    static Jobs instance;
    return instance;
}
} // namespace

BackgroundJobBase::BackgroundJobBase(QObject* parent) : QObject(parent)
{
}

BackgroundJobBase::~BackgroundJobBase()
{
    cancel();
}

void BackgroundJobBase::cancel()
{
    if (!m_state)
        return;
    m_state->cancel.store(true);
    {
        std::lock_guard lock(m_state->mutex);
        m_state->receiver = nullptr;
    }
    m_state.reset();
}

void BackgroundJobBase::launch(std::shared_ptr<detail::JobState> state, std::function<void()> work)
{
    cancel(); // the latest job wins
    {
        std::lock_guard lock(state->mutex);
        state->receiver = this;
    }
    m_state = std::move(state);
    Jobs& j = jobs();
    j.queue.post(std::move(work));
    j.pool.start([] {
        if (auto next = jobs().queue.takeOne())
            (*next)();
    });
}

void BackgroundJobBase::complete(detail::JobState& state, QString error)
{
    std::lock_guard lock(state.mutex);
    state.error = std::move(error);
    state.done = true;
    // Under the lock: the owner's destructor clears `receiver` under it too, so the object is alive.
    if (state.receiver)
        QMetaObject::invokeMethod(state.receiver, "collect", Qt::QueuedConnection);
}

void BackgroundJobBase::collect()
{
    const std::shared_ptr<detail::JobState> state = m_state;
    if (!state)
        return;
    QString error;
    {
        std::lock_guard lock(state->mutex);
        if (!state->done)
            return; // a wake-up of a superseded job; the latest one is still working
        error = state->error;
    }
    m_state.reset(); // before the handlers: one of them may start the next job
    if (error.isEmpty())
        deliverResult(*state);
    else
        emit failed(error);
    emit finished();
}

} // namespace normad::ui
