// libFuzzer harness of the IDX reader (readIdx, IdxReader.h), plain and gzip. One input holds both
// files: a flags byte, the images file, the separator "@LABELS@" and the labels file (no separator:
// an empty labels file). Flags: bit 0 gzips the images file and bit 1 the labels file here, so the
// mutations reach the IDX parser through zlib too (gzip seeds in the corpus exercise damaged gzip);
// bit 2 allows empty classes; bit 3 asks for 10 classes; bit 4 caps the dataset at 4 KiB
// (IdxReadOptions::maxBytes). The files are in-memory (memfd), named /proc/self/fd/N.
// Refusals (DatasetError, MemoryBudgetError) are the expected outcome of bad input; anything else
// escaping is a finding, and so is an accepted dataset that disagrees with its header.

#include "FuzzSupport.h"

#include "normad/IdxReader.h"
#include "normad/MemoryBudget.h"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>

namespace {

constexpr std::string_view separator = "@LABELS@";

/// `bytes` as a gzip file (zlib's deflate with the gzip wrapper, windowBits 16 + 15).
std::string gzipped(std::string_view bytes)
{
    z_stream z{};
    if (deflateInit2(&z, 1, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        std::abort();
    std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        std::abort();
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

void check(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "an accepted IDX dataset breaks a promise of readIdx: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t flags = data[0];
    const std::string_view rest = normad::fuzz::bytesOf(data + 1, size - 1);
    const std::size_t cut = rest.find(separator);
    std::string_view images = rest.substr(0, cut);
    std::string_view labels = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + separator.size());
    const std::string imagesBytes = flags & 1 ? gzipped(images) : std::string(images);
    const std::string labelsBytes = flags & 2 ? gzipped(labels) : std::string(labels);
    const normad::fuzz::MemoryFile imagesFile(imagesBytes), labelsFile(labelsBytes);

    normad::IdxReadOptions options;
    options.allowEmptyClasses = flags & 4;
    options.classCount = flags & 8 ? 10 : 0;
    if (flags & 16)
        options.maxBytes = 4096;
    normad::Dataset dataset;
    try {
        dataset = normad::readIdx(imagesFile.path(), labelsFile.path(), options);
    } catch (const normad::DatasetError& e) {
        normad::fuzz::refused(e);
        return 0;
    } catch (const normad::MemoryBudgetError& e) {
        normad::fuzz::refused(e);
        return 0;
    }
    // Accepted: images of the header's size, each with a label inside the classes, within the cap.
    check(dataset.isImage() && dataset.featureCount() == static_cast<std::size_t>(dataset.imageWidth()) *
                                                             static_cast<std::size_t>(dataset.imageHeight()),
          "one feature per pixel");
    check(dataset.memoryBytes() <= options.maxBytes, "the dataset fits in options.maxBytes");
    for (std::size_t i = 0; i < dataset.sampleCount(); ++i)
        check(dataset.label(i) >= 0 && dataset.label(i) < dataset.classCount(), "labels inside the classes");
    return 0;
}
