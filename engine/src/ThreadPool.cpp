#include "normad/ThreadPool.h"

#include <algorithm>
#include <utility>

namespace normad {

int ThreadPool::resolve(int threads)
{
    if (threads > 0)
        return threads;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

ThreadPool::ThreadPool(int threads)
{
    const int n = resolve(threads);
    m_threads.reserve(static_cast<std::size_t>(n - 1));
    for (int w = 1; w < n; ++w)
        m_threads.emplace_back([this, w](const std::stop_token& stop) { work(w, stop); });
}

ThreadPool::~ThreadPool()
{
    for (std::jthread& t : m_threads)
        t.request_stop();
    m_wake.notify_all();
    m_threads.clear(); // joins
}

void ThreadPool::runShare(int worker)
{
    // Indices are handed out one at a time under the lock: a pattern costs milliseconds, so the
    // lock is negligible and the load balances itself.
    std::unique_lock lock(m_mutex);
    while (m_next < m_count) {
        const std::size_t index = m_next++;
        const auto* body = m_body;
        lock.unlock();
        try {
            (*body)(index, worker);
        } catch (...) {
            const std::lock_guard guard(m_mutex);
            if (!m_error)
                m_error = std::current_exception();
        }
        lock.lock();
        if (--m_pending == 0)
            m_done.notify_all();
    }
}

void ThreadPool::work(int worker, const std::stop_token& stop)
{
    std::size_t seen = 0;
    while (true) {
        {
            std::unique_lock lock(m_mutex);
            if (!m_wake.wait(lock, stop, [&] { return m_generation != seen; }))
                return; // stop requested
            seen = m_generation;
        }
        runShare(worker);
    }
}

void ThreadPool::parallelFor(std::size_t count, const std::function<void(std::size_t index, int worker)>& body)
{
    if (count == 0)
        return;
    if (m_threads.empty() || count == 1) {
        for (std::size_t i = 0; i < count; ++i)
            body(i, 0);
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        m_body = &body;
        m_count = count;
        m_next = 0;
        m_pending = count;
        m_error = nullptr;
        ++m_generation;
    }
    m_wake.notify_all();
    runShare(0);
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return m_pending == 0; });
    m_body = nullptr;
    m_count = 0;
    if (m_error)
        std::rethrow_exception(std::exchange(m_error, nullptr));
}

} // namespace normad
