#pragma once

#include "normad/Trainer.h"

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace normad::mpi {

/// MPI_COMM_WORLD as a DataParallelGroup. Constructing it initialises MPI (MPI_Init), destroying it
/// finalises MPI; one per process. Collectives must be called by every rank in the same order.
class MpiGroup final : public DataParallelGroup {
public:
    MpiGroup();
    ~MpiGroup() override;
    MpiGroup(const MpiGroup&) = delete;
    MpiGroup& operator=(const MpiGroup&) = delete;

    int rank() const override { return m_rank; }
    int size() const override { return m_size; }
    /// MPI_Allreduce with a commutative user operation that adds the 256-bit integers of ExactSum::raw():
    /// exact, so any reduction tree gives the same bits. Reduces in a buffer kept between calls.
    void allreduce(ExactSum& sum) override;
    /// MPI_Allgather of the sizes, then MPI_Allgatherv of the bytes.
    std::vector<std::uint8_t> allgather(const std::vector<std::uint8_t>& local) override;

    /// Collective: "" when every rank passed "" as `error`, otherwise the error of the lowest
    /// failing rank prefixed with its rank, on every rank. Lets the ranks agree before training starts.
    std::string firstError(const std::string& error);
    /// Ends every rank at once (MPI_Abort) with `code`.
    [[noreturn]] void abort(int code);

private:
    int m_rank = 0;
    int m_size = 1;
    // Created once: the 256-bit entry type, its addition, and the buffer the batch sums travel in.
    // A buffer allocated afresh for every batch cost 30× the reduction itself (fresh pages for the
    // shared-memory transport each time; measured with tests/bench/bench_mpi, docs/scaling.md).
    MPI_Datatype m_entry = MPI_DATATYPE_NULL;
    MPI_Op m_add = MPI_OP_NULL;
    std::vector<std::uint64_t> m_words;
};

} // namespace normad::mpi
