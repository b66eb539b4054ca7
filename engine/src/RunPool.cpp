#include "normad/RunPool.h"
#include "normad/ThreadPool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace normad {

void runJobs(std::size_t jobs, int threads, const std::function<void(std::size_t)>& job, const CancelFlag* cancel)
{
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr firstError;
    std::mutex errorMutex;
    auto worker = [&] {
        for (std::size_t i; !failed.load() && !cancelled(cancel) && (i = next.fetch_add(1)) < jobs;) {
            try {
                job(i);
            } catch (...) {
                std::lock_guard lock(errorMutex);
                if (!firstError)
                    firstError = std::current_exception();
                failed.store(true);
            }
        }
    };
    const std::size_t count =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), 1, std::max<std::size_t>(jobs, 1));
    if (count > 1)
        tuneAllocatorForThreads(); // each thread's runs allocate and free per pattern, as in a pool
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < count; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
    if (firstError)
        std::rethrow_exception(firstError);
}

} // namespace normad
