// The cost of one batch allreduce (docs/scaling.md, "One allreduce"). Not a CTest test: run it with
//   mpirun --oversubscribe -np 2 build/tests/bench/bench_mpi [weights …]
// For each size it times, after a barrier, MpiGroup::allreduce of an ExactSum (what the trainer does
// once per batch) beside a plain MPI_SUM of as many doubles (the inexact sum it replaces), and
// prints the minimum and median over the repetitions, on rank 0.

#include "normad/ExactSum.h"
#include "normad/mpi/MpiGroup.h"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

constexpr int repetitions = 15;

struct Timing {
    double minMs;
    double medianMs;
};

template <typename F> Timing timeIt(F&& f)
{
    std::vector<double> ms;
    for (int i = 0; i < repetitions; ++i) {
        MPI_Barrier(MPI_COMM_WORLD);
        const auto start = std::chrono::steady_clock::now();
        f();
        const auto stop = std::chrono::steady_clock::now();
        double mine = std::chrono::duration<double, std::milli>(stop - start).count();
        double slowest = 0; // a collective ends when its slowest rank does
        MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        ms.push_back(slowest);
    }
    std::sort(ms.begin(), ms.end());
    return {ms.front(), ms[ms.size() / 2]};
}

} // namespace

int main(int argc, char** argv)
{
    normad::mpi::MpiGroup group;
    std::vector<std::size_t> sizes{7'850, 79'400, 505'000}; // 784-10, 784-100-10, 1000-500-10
    if (argc > 1) {
        sizes.clear();
        for (int i = 1; i < argc; ++i)
            sizes.push_back(std::strtoull(argv[i], nullptr, 10));
    }
    if (group.rank() == 0)
        std::printf("ranks %d, %d repetitions\n%10s %12s %16s %16s %16s\n", group.size(), repetitions, "weights",
                    "bytes", "exact min/med ms", "MPI_SUM min/med", "exact/MPI_SUM");
    for (const std::size_t n : sizes) {
        std::mt19937_64 rng(42 + static_cast<unsigned>(group.rank()));
        std::normal_distribution<double> update(0.0, 1e-10);
        std::vector<double> values(n);
        for (double& v : values)
            v = update(rng);
        normad::ExactSum sum(n);
        sum.add(values);
        normad::ExactSum copy = sum; // the trainer keeps its batch sums, so their storage is reused
        const Timing exact = timeIt([&] {
            copy = sum;
            group.allreduce(copy);
        });
        std::vector<double> plain(values);
        const Timing reference = timeIt([&] {
            plain = values;
            MPI_Allreduce(MPI_IN_PLACE, plain.data(), static_cast<int>(n), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        });
        if (group.rank() == 0)
            std::printf("%10zu %12zu %7.2f / %6.2f %7.2f / %6.2f %16.1f\n", n,
                        (n + normad::ExactSum::headerEntries) * normad::ExactSum::limbsPerEntry * 8, exact.minMs,
                        exact.medianMs, reference.minMs, reference.medianMs, exact.medianMs / reference.medianMs);
    }
    return 0;
}
