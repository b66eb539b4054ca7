#include "normad/ThreadPool.h"

#include <algorithm>
#include <mutex>
#include <utility>

// ASan and TSan replace malloc: glibc's thresholds do not apply to their allocators.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define NORMAD_GLIBC_MALLOC 1
#include <malloc.h>
#endif

namespace normad {

bool tuneAllocatorForThreads()
{
#if defined(NORMAD_GLIBC_MALLOC)
    static const bool tuned = [] {
        constexpr int mmapThreshold = 32 << 20; // glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit
        // mallopt returns 1 on success; setting either threshold also stops glibc adapting both.
        return mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, 2 * mmapThreshold) == 1;
    }();
    return tuned;
#else
    return false;
#endif
}

int ThreadPool::resolve(int threads)
{
    if (threads > 0)
        return threads;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

ThreadPool::ThreadPool(int threads)
{
    const int n = resolve(threads);
    if (n > 1)
        tuneAllocatorForThreads();
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

void ThreadPool::startLanes(std::size_t lanes, const std::function<void(std::size_t, int)>& body)
{
    {
        const std::lock_guard lock(m_mutex);
        m_body = &body;
        m_count = lanes;
        m_next = 0;
        m_pending = lanes;
        m_error = nullptr;
        ++m_generation;
    }
    m_wake.notify_all();
}

void ThreadPool::finishLanes()
{
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return m_pending == 0; });
    m_body = nullptr;
    m_count = 0;
    if (m_error)
        std::rethrow_exception(std::exchange(m_error, nullptr));
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
    startLanes(count, body);
    runShare(0);
    finishLanes();
}

std::size_t ThreadPool::streamWindow(std::size_t count, std::size_t window) const
{
    if (window == 0)
        window = 4 * static_cast<std::size_t>(size());
    return std::clamp<std::size_t>(window, 1, count);
}

void ThreadPool::streamCore(std::size_t count, std::size_t window, const std::function<void(std::size_t, int)>& compute,
                            const std::function<bool(std::size_t)>& consume,
                            const std::function<void(std::size_t)>& discard)
{
    // Shared state of one stream, under `mutex`: indices [consumed, next) are started and not yet
    // consumed (at most `window` of them); ready[i % window] says index i's result is stored.
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next = 0;
    std::size_t consumed = 0;
    std::vector<char> ready(window, 0);
    bool stop = false;
    std::exception_ptr error;
    const auto startable = [&] { return !stop && next < count && next < consumed + window; };
    const auto fail = [&] {
        if (!error)
            error = std::current_exception();
        stop = true;
        changed.notify_all();
    };

    // Pool threads only compute; the calling thread consumes (in order) and computes between.
    const std::function<void(std::size_t, int)> lane = [&](std::size_t, int worker) {
        std::unique_lock lock(mutex);
        while (true) {
            changed.wait(lock, [&] { return startable() || stop || next >= count; });
            if (!startable())
                return;
            const std::size_t i = next++;
            lock.unlock();
            try {
                compute(i, worker);
            } catch (...) {
                lock.lock();
                fail();
                return;
            }
            lock.lock();
            ready[i % window] = 1;
            changed.notify_all();
        }
    };
    const bool lanes = !m_threads.empty() && count > 1;
    bool lanesRunning = false;
    if (lanes) {
        startLanes(m_threads.size(), lane);
        lanesRunning = true;
    }
    const auto joinLanes = [&] {
        if (lanesRunning) {
            lanesRunning = false;
            finishLanes();
        }
    };

    std::unique_lock lock(mutex);
    while (!stop && consumed < count) {
        if (ready[consumed % window]) {
            const std::size_t i = consumed;
            if (i + 1 == count) { // every index is computed: let the lanes leave before the last consume
                lock.unlock();
                joinLanes();
                lock.lock();
            }
            ready[i % window] = 0;
            lock.unlock();
            bool more = false;
            try {
                more = consume(i);
            } catch (...) {
                lock.lock();
                ++consumed;
                fail();
                break;
            }
            lock.lock();
            ++consumed;
            if (!more)
                stop = true;
            changed.notify_all();
        } else if (startable()) {
            const std::size_t i = next++;
            lock.unlock();
            try {
                compute(i, 0);
            } catch (...) {
                lock.lock();
                fail();
                break;
            }
            lock.lock();
            ready[i % window] = 1;
        } else {
            changed.wait(lock);
        }
    }
    stop = true;
    changed.notify_all();
    lock.unlock();
    joinLanes();
    for (std::size_t i = consumed; i < next; ++i)
        if (ready[i % window])
            discard(i);
    if (error)
        std::rethrow_exception(error);
}

} // namespace normad
