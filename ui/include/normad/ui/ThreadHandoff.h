#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace normad::ui {

/// The one way values cross threads in the workbench: a first-in first-out box guarded by a
/// std::mutex. Whatever a sender wrote before post() is visible to the thread that takes the value.
///
/// Why not Qt's event queue or thread pool: they synchronise with futexes inside Debian's Qt, which
/// is not built with ThreadSanitizer, so a value carried by a queued signal or a QtConcurrent task
/// looks to TSan like an unsynchronised access (issue 15 counted 30 such reports). Qt carries only
/// data-less wake-ups here (a queued call without arguments, a capture-less pool task); the values
/// themselves pass through this box, whose lock TSan sees. So there is nothing to annotate.
template <typename T> class ThreadHandoff {
public:
    ThreadHandoff() = default;
    ThreadHandoff(const ThreadHandoff&) = delete;
    ThreadHandoff& operator=(const ThreadHandoff&) = delete;
    ~ThreadHandoff()
    {
        // The other thread's last take or post happened under the lock: taking it here orders the
        // destruction after it (and lets TSan see that order).
        std::lock_guard lock(m_mutex);
        m_items.clear();
    }

    /// Any thread: appends `value`. True when the box was empty, i.e. the receiver needs a wake-up
    /// (it drains everything on one wake-up, so one per batch suffices).
    bool post(T value)
    {
        bool wasEmpty = false;
        {
            std::lock_guard lock(m_mutex);
            wasEmpty = m_items.empty();
            m_items.push_back(std::move(value));
        }
        m_posted.notify_all();
        return wasEmpty;
    }

    /// The oldest value, if any.
    std::optional<T> takeOne()
    {
        std::lock_guard lock(m_mutex);
        if (m_items.empty())
            return std::nullopt;
        std::optional<T> value(std::move(m_items.front()));
        m_items.pop_front();
        return value;
    }

    /// Every value posted so far, oldest first.
    std::deque<T> takeAll()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_items, {});
    }

    /// Blocks (no event loop) until a value is waiting or `deadline` passed. True if one is waiting.
    bool waitUntil(std::chrono::steady_clock::time_point deadline)
    {
        std::unique_lock lock(m_mutex);
        return m_posted.wait_until(lock, deadline, [this] { return !m_items.empty(); });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_posted;
    std::deque<T> m_items;
};

} // namespace normad::ui
