#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace normad {

/// Fixes glibc malloc's thresholds for a process whose threads allocate and free buffers of up to
/// a few MiB per pattern (a pattern's ΔW, its spike record): blocks under 32 MiB come from the
/// arenas and freed memory stays with the process up to 64 MiB per arena. glibc's defaults adapt
/// these thresholds to the allocation history, which with one arena per thread let a pool return
/// its freed buffers to the kernel and fault them in again for every pattern: 15 M page faults and
/// 129 s of system time in one Fashion-MNIST run (docs/scaling.md). The values are glibc's own
/// adaptive maxima (M_MMAP_THRESHOLD_MAX on 64-bit, and twice it), fixed from the start. Called
/// once by every pool that starts threads; does nothing where malloc is not glibc's (another C
/// library, or a build with AddressSanitizer or ThreadSanitizer, which bring their own allocators).
/// Returns whether the thresholds are set.
bool tuneAllocatorForThreads();

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

    /// compute(i, worker) for every i in [0, count), without a barrier between indices: each worker
    /// takes the next index as soon as it is free, so patterns of uneven cost keep every core busy.
    /// Each result is handed to consume(i, result) in index order on the calling thread as soon as it
    /// and every earlier one are ready; the calling thread computes too while none is ready. At most
    /// `window` indices (0 = 4 × size()) are started and not yet consumed, which bounds the memory
    /// the results hold. When consume returns false the loop stops: no further index is started,
    /// and every result computed but not consumed goes to discard(i, result), in index order, so the
    /// caller can undo what compute did. The last consume call and every discard call run after all
    /// other workers have returned: they may start another loop on this pool. The first exception
    /// thrown by compute or consume is rethrown once every worker has returned (after the discards).
    template <typename Compute, typename Consume, typename Discard>
    void stream(std::size_t count, std::size_t window, Compute compute, Consume consume, Discard discard)
    {
        using Result = decltype(compute(std::size_t{0}, 0));
        if (count == 0)
            return;
        window = streamWindow(count, window);
        std::vector<std::optional<Result>> held(window); // index i lives in slot i % window until consumed
        auto slot = [&](std::size_t i) -> std::optional<Result>& { return held[i % window]; };
        streamCore(
            count, window, [&](std::size_t i, int worker) { slot(i).emplace(compute(i, worker)); },
            [&](std::size_t i) {
                Result r = std::move(*slot(i));
                slot(i).reset();
                return static_cast<bool>(consume(i, r));
            },
            [&](std::size_t i) {
                discard(i, *slot(i));
                slot(i).reset();
            });
    }

    /// stream() without a worker argument and nothing to undo: compute(i) for every i in [0, count),
    /// consume(i, result) in index order on the calling thread; stops after consume returns false.
    template <typename Compute, typename Consume>
    void ordered(std::size_t count, std::size_t window, Compute compute, Consume consume)
    {
        using Result = decltype(compute(std::size_t{0}));
        stream(
            count, window, [&](std::size_t i, int) { return compute(i); },
            [&](std::size_t i, Result& r) { return consume(i, r); }, [](std::size_t, Result&) {});
    }

private:
    /// The window stream() uses: `window` (0 = 4 × size()), at most `count`, at least 1.
    std::size_t streamWindow(std::size_t count, std::size_t window) const;
    void streamCore(std::size_t count, std::size_t window, const std::function<void(std::size_t, int)>& compute,
                    const std::function<bool(std::size_t)>& consume, const std::function<void(std::size_t)>& discard);
    /// Starts `lanes` calls of body on the pool threads (not on the caller); finishLanes() waits for them.
    void startLanes(std::size_t lanes, const std::function<void(std::size_t, int)>& body);
    void finishLanes();
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
