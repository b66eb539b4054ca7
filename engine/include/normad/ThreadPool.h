#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace normad {

/// A small persistent pool for the data-parallel loops of training and evaluation
/// (docs/parallel-training.md). The calling thread works too: a pool of size N starts N − 1
/// threads, and a pool of size 1 runs everything inline on the caller. One loop at a time.
class ThreadPool {
public:
    /// `threads` workers including the caller; 0 = every core (std::thread::hardware_concurrency()).
    explicit ThreadPool(int threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /// Workers, including the calling thread (≥ 1).
    int size() const { return static_cast<int>(m_threads.size()) + 1; }
    /// `threads` resolved: 0 → the core count, at least 1.
    static int resolve(int threads);

    /// Calls body(index, worker) for every index in [0, count), spread over the workers; `worker` in
    /// [0, size()) names the thread running the call (so per-worker buffers need no lock). Blocks until
    /// every call returned; the first exception a call threw is rethrown here (the rest still run).
    void parallelFor(std::size_t count, const std::function<void(std::size_t index, int worker)>& body);

    /// compute(i) for every i in [0, count) on the workers, `chunk` indices at a time (0 = 2 × size()),
    /// each result handed to consume(i, result) in index order on the calling thread; stops after
    /// consume returns false. At most one chunk of results is alive: memory stays bounded.
    template <typename Compute, typename Consume>
    void ordered(std::size_t count, std::size_t chunk, Compute compute, Consume consume)
    {
        using Result = decltype(compute(std::size_t{0}));
        if (chunk == 0)
            chunk = 2 * static_cast<std::size_t>(size());
        std::vector<Result> results;
        for (std::size_t first = 0; first < count; first += chunk) {
            const std::size_t n = std::min(chunk, count - first);
            results.assign(n, Result{});
            parallelFor(n, [&](std::size_t i, int) { results[i] = compute(first + i); });
            for (std::size_t i = 0; i < n; ++i)
                if (!consume(first + i, results[i]))
                    return;
        }
    }

private:
    void work(int worker, const std::stop_token& stop);
    void runShare(int worker);

    std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::condition_variable m_done;
    const std::function<void(std::size_t, int)>* m_body = nullptr;
    std::size_t m_count = 0;
    std::size_t m_next = 0;    // next index to hand out (under m_mutex)
    std::size_t m_pending = 0; // calls not yet returned
    std::size_t m_generation = 0;
    std::exception_ptr m_error;
    std::vector<std::jthread> m_threads; // last member: started after the state above exists
};

} // namespace normad
