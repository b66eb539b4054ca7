#include "normad/IdxReader.h"

#include "normad/MemoryBudget.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <memory>

namespace normad {

namespace {

// One IDX file read through zlib's gz* interface, which inflates gzip and passes plain files through.
class IdxFile {
public:
    explicit IdxFile(std::string path) : m_path(std::move(path))
    {
        m_file = gzopen(m_path.c_str(), "rb");
        if (!m_file)
            fail("cannot open the file");
    }
    ~IdxFile()
    {
        if (m_file)
            gzclose(m_file);
    }
    IdxFile(const IdxFile&) = delete;
    IdxFile& operator=(const IdxFile&) = delete;

    [[noreturn]] void fail(const std::string& reason) const { throw DatasetError(m_path + ": " + reason); }

    // Reads up to `size` bytes; returns how many arrived (fewer only at the end of the data).
    std::size_t read(void* into, std::size_t size)
    {
        auto* out = static_cast<unsigned char*>(into);
        std::size_t done = 0;
        while (done < size) {
            // gzread takes an unsigned int count: read in chunks well below its range.
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 30));
            const int got = gzread(m_file, out + done, chunk);
            if (got < 0) {
                int code = 0;
                const char* message = gzerror(m_file, &code);
                fail(std::string("not a readable IDX or gzip file (") + (message ? message : "zlib error") + ")");
            }
            if (got == 0)
                break;
            done += static_cast<std::size_t>(got);
        }
        return done;
    }

    // Reads the header and checks magic, type and dimension count. Returns the dimension sizes.
    std::vector<std::uint32_t> readHeader(int wantedDimensions, const char* what)
    {
        std::array<unsigned char, 4> magic{};
        if (read(magic.data(), 4) != 4)
            fail("the file ends inside the IDX header (4-byte magic number expected)");
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%02X%02X%02X%02X", magic[0], magic[1], magic[2], magic[3]);
        if (magic[0] != 0 || magic[1] != 0)
            fail(std::string("wrong magic number ") + hex + ": an IDX file starts with two zero bytes");
        if (magic[2] != 0x08)
            fail(std::string("wrong magic number ") + hex + ": data type 0x" + std::string(hex + 6, 2) +
                 " is not supported; only unsigned bytes (0x08) are");
        if (magic[3] != wantedDimensions)
            fail(std::string("wrong magic number ") + hex + ": " + std::to_string(magic[3]) +
                 " dimensions, but an IDX " + what + " file has " + std::to_string(wantedDimensions));
        std::vector<std::uint32_t> sizes;
        for (int k = 0; k < wantedDimensions; ++k) {
            std::array<unsigned char, 4> b{};
            if (read(b.data(), 4) != 4)
                fail("the file ends inside the IDX header (size of dimension " + std::to_string(k + 1) + ")");
            sizes.push_back(std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 | std::uint32_t(b[2]) << 8 | b[3]);
        }
        return sizes;
    }

    // Reads `count` records of `recordSize` bytes into `out`; names the first missing record. The
    // capacity for everything the header announces is reserved (address space, checked against the
    // budget before), but pages are filled only as data arrives, a chunk at a time: a header that
    // announces far more than the file holds (a 150-byte file announcing 480 MB took 480 MB and
    // seconds to zero under the fuzzer) costs the data present, not the announcement, until the
    // truncation is found.
    void readRecords(std::vector<std::uint8_t>& out, std::uint64_t count, std::uint64_t recordSize,
                     const char* recordName)
    {
        constexpr std::uint64_t chunkBytes = 4u << 20;
        const std::uint64_t wanted = count * recordSize;
        out.reserve(wanted);
        std::uint64_t got = 0;
        while (got < wanted) {
            const std::uint64_t end = std::min(wanted, got + chunkBytes);
            out.resize(end);
            got += read(out.data() + got, end - got);
            if (got < end)
                break;
        }
        if (got < wanted)
            fail("truncated: the header announces " + std::to_string(count) + " " + recordName +
                 "s, but the data ends in " + recordName + " " + std::to_string(got / recordSize) +
                 " (counting from 0) after " + std::to_string(got) + " of " + std::to_string(wanted) + " data bytes");
        unsigned char extra = 0;
        if (read(&extra, 1) != 0)
            fail("extra bytes after the last of the " + std::to_string(count) + " " + recordName +
                 "s the header announces");
    }

private:
    std::string m_path;
    gzFile m_file = nullptr;
};

} // namespace

std::vector<std::string> fashionMnistClassNames()
{
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
}

Dataset readIdx(const std::string& imagesPath, const std::string& labelsPath, const IdxReadOptions& options)
{
    IdxFile images(imagesPath);
    const auto dims = images.readHeader(3, "images");
    IdxFile labelsFile(labelsPath);
    const auto labelDims = labelsFile.readHeader(1, "labels");

    const std::uint64_t count = dims[0];
    const std::uint64_t rows = dims[1], columns = dims[2];
    if (rows == 0 || columns == 0)
        images.fail("images of " + std::to_string(rows) + " × " + std::to_string(columns) + " pixels");
    constexpr auto largest = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
    if (rows > largest || columns > largest)
        images.fail("image size " + std::to_string(rows) + " × " + std::to_string(columns) + " is too large");
    if (labelDims[0] != count)
        labelsFile.fail("label count " + std::to_string(labelDims[0]) + " ≠ image count " + std::to_string(count) +
                        " of " + imagesPath);
    requireWithinMemoryLimit(estimateDatasetBytes(count, rows * columns, FeatureStorage::Bytes), options.maxBytes,
                             imagesPath + ": " + std::to_string(count) + " images of " + std::to_string(rows) + " × " +
                                 std::to_string(columns));
    // The fixed limit may exceed what this machine (or `ulimit -v`) allows: the header's count is
    // checked against the memory available too, before the pixels are allocated.
    requireMemory(estimateDatasetBytes(count, rows * columns, FeatureStorage::Bytes) + count, imagesPath, "",
                  std::to_string(count) + " images of " + std::to_string(rows) + " × " + std::to_string(columns));

    std::vector<std::uint8_t> pixels;
    images.readRecords(pixels, count, rows * columns, "image");
    std::vector<std::uint8_t> rawLabels;
    labelsFile.readRecords(rawLabels, count, 1, "label");

    int classCount = !options.classNames.empty() ? static_cast<int>(options.classNames.size()) : options.classCount;
    if (!options.classNames.empty() && options.classCount != 0 && options.classCount != classCount)
        throw std::invalid_argument("IDX options: " + std::to_string(options.classNames.size()) +
                                    " class names for classCount " + std::to_string(options.classCount));
    if (classCount == 0)
        classCount = count == 0 ? 0 : *std::max_element(rawLabels.begin(), rawLabels.end()) + 1;
    std::vector<int> labels(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        if (rawLabels[i] >= classCount)
            labelsFile.fail("record " + std::to_string(i) + " has label " + std::to_string(rawLabels[i]) +
                            ", outside the classes 0 … " + std::to_string(classCount - 1));
        labels[i] = rawLabels[i];
    }
    std::vector<std::string> names = options.classNames;
    if (names.empty())
        for (int c = 0; c < classCount; ++c)
            names.push_back(std::to_string(c));
    if (!options.allowEmptyClasses) {
        std::vector<bool> seen(static_cast<std::size_t>(classCount), false);
        for (int label : labels)
            seen[static_cast<std::size_t>(label)] = true;
        for (int c = 0; c < classCount; ++c)
            if (!seen[static_cast<std::size_t>(c)])
                labelsFile.fail("class " + std::to_string(c) +
                                (options.classNames.empty() ? std::string() : " (" + names[std::size_t(c)] + ")") +
                                " has no samples among the " + std::to_string(count) + " labels");
    }
    return Dataset::fromBytes(std::move(pixels), std::move(labels), std::move(names), static_cast<int>(columns),
                              static_cast<int>(rows), DatasetOrigin{"idx", {imagesPath, labelsPath}, {}});
}

} // namespace normad
