#pragma once

// The processes of a data-parallel run (MPI ranks) as the engine sees them, and the one way work is
// shared among them: contiguous blocks in rank order, results gathered back in index order
// (docs/parallel-training.md). Implemented outside the engine (mpi/ → MpiGroup), which stays free of MPI.

#include "normad/ThreadPool.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace normad {

class ExactSum;

/// Every rank holds a Trainer with the same settings; each batch is split into contiguous shards, one
/// per rank, and the ranks exchange only exact sums and per-pattern outcomes, so every rank ends each
/// batch with the same weights and metrics. Collectives must be called by every rank in the same order.
class DataParallelGroup {
public:
    virtual ~DataParallelGroup() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    /// Replaces `sum` on every rank by the sum over the ranks (exact: any reduction order gives the same bits).
    virtual void allreduce(ExactSum& sum) = 0;
    /// Every rank's `local` bytes concatenated in rank order, on every rank.
    virtual std::vector<std::uint8_t> allgather(const std::vector<std::uint8_t>& local) = 0;
};

/// The block [first, second) of `count` items that `rank` of `ranks` takes: contiguous, in rank order,
/// sizes differing by at most one.
inline std::pair<std::size_t, std::size_t> shareOf(std::size_t count, int rank, int ranks)
{
    const auto r = static_cast<std::size_t>(rank);
    const auto p = static_cast<std::size_t>(ranks);
    return {count * r / p, count * (r + 1) / p};
}

/// What ranks exchange is plain bytes: fields by memcpy (every rank runs the same binary).
template <typename T> void putBytes(std::vector<std::uint8_t>& out, const T& value)
{
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&value);
    out.insert(out.end(), bytes, bytes + sizeof(T));
}

/// Reads one T at `at` and moves past it; throws when the bytes end first.
template <typename T> T takeBytes(const std::vector<std::uint8_t>& in, std::size_t& at)
{
    static_assert(std::is_trivially_copyable_v<T>);
    if (at + sizeof(T) > in.size())
        throw std::runtime_error("data-parallel run: a rank sent a truncated result");
    T value;
    std::memcpy(&value, in.data() + at, sizeof(T));
    at += sizeof(T);
    return value;
}

/// compute(i) for every i in [0, count), shared over the ranks of `group` (each rank simulates its
/// block of shareOf on `pool`'s threads), and every result handed to consume(i, result) in index order
/// on every rank, until consume returns false. Results travel as bytes: encode(result, bytes) appends
/// one, decode(bytes, at) reads one. Without a group (or with one rank) this is pool->ordered. Every
/// rank computes its whole block, so consume sees the same sequence everywhere and stops at the same
/// item; collectives inside compute or consume are not allowed.
template <typename Compute, typename Consume, typename Encode, typename Decode>
void orderedOverRanks(DataParallelGroup* group, ThreadPool* pool, std::size_t count, Compute compute, Consume consume,
                      Encode encode, Decode decode)
{
    using Result = decltype(compute(std::size_t{0}));
    if (!group || group->size() == 1) {
        if (pool) {
            pool->ordered(count, 0, compute, consume);
        } else {
            for (std::size_t i = 0; i < count; ++i)
                if (!consume(i, compute(i)))
                    break;
        }
        return;
    }
    // Not a structured binding: clang before 16 cannot capture one in the lambda below (NORMAD_FUZZ).
    const std::pair<std::size_t, std::size_t> share = shareOf(count, group->rank(), group->size());
    const std::size_t begin = share.first, end = share.second;
    std::vector<std::uint8_t> local;
    auto keep = [&](std::size_t, const Result& result) {
        encode(result, local);
        return true;
    };
    auto mine = [&](std::size_t k) { return compute(begin + k); };
    if (pool) {
        pool->ordered(end - begin, 0, mine, keep);
    } else {
        for (std::size_t k = 0; k < end - begin; ++k)
            keep(k, mine(k));
    }
    const std::vector<std::uint8_t> all = group->allgather(local);
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i)
        if (!consume(i, decode(all, at)))
            return;
    if (at != all.size())
        throw std::runtime_error("data-parallel run: the ranks sent more results than there are items");
}

} // namespace normad
