#include "normad/mpi/MpiGroup.h"

#include "normad/ExactSum.h"

#include <mpi.h>

#include <climits>
#include <cstdlib>
#include <stdexcept>

namespace normad::mpi {

namespace {

// MPI_User_function: inout[i] += in[i] for `count` 256-bit integers. Works on any segment MPI hands it.
void addExact(void* in, void* inout, int* count, MPI_Datatype*)
{
    ExactSum::addRaw(static_cast<const std::uint64_t*>(in), static_cast<std::uint64_t*>(inout),
                     static_cast<std::size_t>(*count));
}

void check(int code, const char* what)
{
    if (code != MPI_SUCCESS)
        throw std::runtime_error(std::string("MPI: ") + what + " failed (code " + std::to_string(code) + ")");
}

int checkedCount(std::size_t n, const char* what)
{
    if (n > static_cast<std::size_t>(INT_MAX))
        throw std::runtime_error(std::string("MPI: ") + what + " of " + std::to_string(n) +
                                 " elements exceeds MPI's int count");
    return static_cast<int>(n);
}

} // namespace

MpiGroup::MpiGroup()
{
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised)
        check(MPI_Init(nullptr, nullptr), "MPI_Init");
    // Errors return codes (turned into exceptions here) instead of aborting without a word.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m_size);
    check(MPI_Type_contiguous(ExactSum::limbsPerEntry, MPI_UINT64_T, &m_entry), "MPI_Type_contiguous");
    check(MPI_Type_commit(&m_entry), "MPI_Type_commit");
    check(MPI_Op_create(&addExact, /*commute=*/1, &m_add), "MPI_Op_create");
}

MpiGroup::~MpiGroup()
{
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (!finalised) {
        MPI_Op_free(&m_add);
        MPI_Type_free(&m_entry);
        MPI_Finalize();
    }
}

void MpiGroup::allreduce(ExactSum& sum)
{
    sum.raw(m_words);
    const std::size_t entries = m_words.size() / ExactSum::limbsPerEntry;
    check(MPI_Allreduce(MPI_IN_PLACE, m_words.data(), checkedCount(entries, "an allreduce"), m_entry, m_add,
                        MPI_COMM_WORLD),
          "MPI_Allreduce of the batch update");
    sum.setRaw(m_words);
}

std::vector<std::uint8_t> MpiGroup::allgather(const std::vector<std::uint8_t>& local)
{
    const int mine = checkedCount(local.size(), "a gather");
    std::vector<int> counts(static_cast<std::size_t>(m_size));
    check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    std::vector<int> offsets(static_cast<std::size_t>(m_size));
    std::size_t total = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
        offsets[r] = checkedCount(total, "a gather");
        total += static_cast<std::size_t>(counts[r]);
    }
    checkedCount(total, "a gather");
    std::vector<std::uint8_t> all(total);
    check(MPI_Allgatherv(local.data(), mine, MPI_BYTE, all.data(), counts.data(), offsets.data(), MPI_BYTE,
                         MPI_COMM_WORLD),
          "MPI_Allgatherv of the pattern outcomes");
    return all;
}

std::string MpiGroup::firstError(const std::string& error)
{
    const int candidate = error.empty() ? m_size : m_rank;
    int failing = m_size;
    check(MPI_Allreduce(&candidate, &failing, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), "MPI_Allreduce");
    if (failing == m_size)
        return {};
    std::string message = "rank " + std::to_string(failing) + ": " + error;
    int length = failing == m_rank ? checkedCount(message.size(), "a message") : 0;
    check(MPI_Bcast(&length, 1, MPI_INT, failing, MPI_COMM_WORLD), "MPI_Bcast");
    message.resize(static_cast<std::size_t>(length));
    check(MPI_Bcast(message.data(), length, MPI_CHAR, failing, MPI_COMM_WORLD), "MPI_Bcast");
    return message;
}

void MpiGroup::abort(int code)
{
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code); // MPI_Abort does not return; in case it does
}

} // namespace normad::mpi
