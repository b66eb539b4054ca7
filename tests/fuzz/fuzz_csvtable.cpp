// libFuzzer harness of the CSV table reader (readCsvText, CsvTableReader.h; readCsvTable reads the
// file and calls it): any bytes as a feature table, read with the default options (header detected,
// label column found by name or the last one) and with a header, the label in the first column and
// a 4 KiB cap. Refusals (DatasetError, MemoryBudgetError) are the expected outcome of bad input;
// anything else escaping is a finding, and so is an accepted table with a non-finite feature or a
// label outside its classes.

#include "FuzzSupport.h"

#include "normad/CsvTableReader.h"
#include "normad/MemoryBudget.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace {

void check(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "an accepted CSV table breaks a promise of readCsvText: %s\n", what);
        std::abort();
    }
}

void read(std::string_view text, const normad::CsvReadOptions& options)
{
    normad::Dataset dataset;
    try {
        dataset = normad::readCsvText(text, "fuzz.csv", options);
    } catch (const normad::DatasetError& e) {
        normad::fuzz::refused(e);
        return;
    } catch (const normad::MemoryBudgetError& e) {
        normad::fuzz::refused(e);
        return;
    }
    check(dataset.sampleCount() > 0, "at least one sample");
    check(dataset.featureNames().size() == dataset.featureCount(), "one name per feature column");
    check(dataset.memoryBytes() <= options.maxBytes, "the table fits in options.maxBytes");
    for (std::size_t i = 0; i < dataset.sampleCount(); ++i) {
        check(dataset.label(i) >= 0 && dataset.label(i) < dataset.classCount(), "labels inside the classes");
        for (std::size_t j = 0; j < dataset.featureCount(); ++j)
            check(std::isfinite(dataset.feature(i, j)), "finite features");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text = normad::fuzz::bytesOf(data, size);
    read(text, {});
    normad::CsvReadOptions given;
    given.hasHeader = true;
    given.labelPosition = 0;
    given.maxBytes = 4096;
    read(text, given);
    return 0;
}
