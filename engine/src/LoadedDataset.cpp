#include "normad/DataFileReference.h"
#include "normad/DatasetTask.h"

#include "normad/Sha256.h"
#include "normad/TextFormat.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>

namespace normad {

namespace fs = std::filesystem;

namespace {

std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b)
{
    return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

std::uint64_t saturatingMul(std::uint64_t a, std::uint64_t b)
{
    return (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b) ? std::numeric_limits<std::uint64_t>::max()
                                                                         : a * b;
}

/// Bytes a file's data takes once decoded: a gzip file's stored uncompressed size (ISIZE, the last
/// four bytes, modulo 2³²; at least the file's size), a plain file's size.
std::uint64_t decodedBytes(const std::string& path)
{
    std::error_code ec;
    const std::uint64_t size = fs::file_size(path, ec);
    if (ec)
        return 0;
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 2> magic{};
    if (size < 18 || !in.read(reinterpret_cast<char*>(magic.data()), 2) || magic[0] != 0x1f || magic[1] != 0x8b)
        return size;
    std::array<unsigned char, 4> isize{};
    in.seekg(static_cast<std::streamoff>(size - 4));
    if (!in.read(reinterpret_cast<char*>(isize.data()), 4))
        return size;
    const std::uint64_t stored = std::uint64_t{isize[0]} | std::uint64_t{isize[1]} << 8 |
                                 std::uint64_t{isize[2]} << 16 | std::uint64_t{isize[3]} << 24;
    return std::max(stored, size);
}

} // namespace

std::uint64_t estimateDatasetTaskBytes(const DatasetTaskSpec& spec, const std::vector<std::string>& resolvedPaths,
                                       const SimulationParams& simulation, int threads)
{
    std::uint64_t bytes = 0;
    for (const std::string& path : resolvedPaths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            // An image folder: each image becomes width × height bytes.
            std::uint64_t images = 0;
            for (const auto& entry : fs::recursive_directory_iterator(path, ec))
                images += entry.is_regular_file(ec) ? 1 : 0;
            bytes = saturatingAdd(
                bytes, saturatingMul(images, static_cast<std::uint64_t>(std::max(1, spec.source.imageWidth)) *
                                                     static_cast<std::uint64_t>(std::max(1, spec.source.imageHeight)) +
                                                 sizeof(int)));
        } else if (spec.source.format == "csv") {
            // A number in CSV takes at least two bytes of text (a digit and a separator): at most one
            // 8-byte double per two bytes, 4× the file.
            bytes = saturatingAdd(bytes, saturatingMul(decodedBytes(path), 4));
        } else {
            bytes = saturatingAdd(bytes, decodedBytes(path));
        }
    }
    bytes =
        saturatingAdd(bytes, saturatingMul(static_cast<std::uint64_t>(std::max(0, spec.cacheMegabytes)), 1'000'000));
    // Per simulation thread: the trial's per-step buffers, taken as 8 KB per time step (≈ 1000
    // neurons' state of 8 bytes), a generous bound for the networks the workbench trains.
    const std::uint64_t steps = static_cast<std::uint64_t>(std::max<long long>(0, simulation.steps()));
    bytes = saturatingAdd(bytes,
                          saturatingMul(static_cast<std::uint64_t>(std::max(1, threads)), saturatingMul(steps, 8192)));
    return bytes;
}

std::size_t LoadedDataset::inputCount() const
{
    return encodedInputCount(m_spec.encoding, m_dataset->featureCount());
}

const PatternSet& LoadedDataset::patterns(Split split) const
{
    switch (split) {
    case Split::Train:
        return m_train;
    case Split::Validation:
        return m_validation;
    case Split::Test:
        break;
    }
    return m_test;
}

const Dataset& LoadedDataset::datasetOf(Split split) const
{
    return split == Split::Test && m_testDataset ? *m_testDataset : *m_dataset;
}

namespace {

void throwIfCancelled(const CancelFlag* cancel)
{
    if (cancelled(cancel))
        throw LoadCancelled();
}

/// Checks every reference of `files` (JSON path `field`) and returns the resolved paths.
std::vector<std::string> checkedPaths(const std::vector<DataFileReference>& files, const std::string& field,
                                      const DatasetTaskSpec& spec, const std::string& projectDirectory,
                                      const CancelFlag* cancel, const std::function<void(std::uint64_t)>& checked)
{
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < files.size(); ++i) {
        throwIfCancelled(cancel);
        const std::string path = field + "[" + std::to_string(i) + "]";
        const DataFileCheck check = spec.source.format == "image-folder" ? checkDataFolder(files[i], projectDirectory)
                                                                         : checkDataFile(files[i], projectDirectory);
        if (check.status != DataFileCheck::Status::Unchanged)
            throw DataFileMismatch(check, path, files[i]);
        paths.push_back(check.resolvedPath);
        checked(files[i].size);
    }
    return paths;
}

} // namespace

std::shared_ptr<const LoadedDataset> LoadedDataset::load(const DatasetTaskSpec& spec,
                                                         const std::string& projectDirectory,
                                                         const SimulationParams& simulation, const CancelFlag* cancel,
                                                         const DatasetLoadOptions& options)
{
    spec.validate(simulation, "task.dataset");
    // Progress in bytes: every file is read twice, once to check its SHA-256, once to load it.
    std::uint64_t fileBytes = 0, testBytes = 0, done = 0;
    for (const DataFileReference& f : spec.source.files)
        fileBytes += f.size;
    for (const DataFileReference& f : spec.source.testFiles)
        testBytes += f.size;
    const double total = 2.0 * static_cast<double>(std::max<std::uint64_t>(1, fileBytes + testBytes));
    const auto advance = [&](std::uint64_t bytes) {
        done += bytes;
        if (options.progress)
            options.progress(std::min(1.0, static_cast<double>(done) / total));
    };
    const std::vector<std::string> paths =
        checkedPaths(spec.source.files, "task.dataset.source.files", spec, projectDirectory, cancel, advance);
    const std::vector<std::string> testPaths =
        checkedPaths(spec.source.testFiles, "task.dataset.source.testFiles", spec, projectDirectory, cancel, advance);

    std::vector<std::string> every = paths;
    every.insert(every.end(), testPaths.begin(), testPaths.end());
    requireWithinMemoryLimit(estimateDatasetTaskBytes(spec, every, simulation), options.memoryLimitBytes,
                             "the dataset task (data, pattern cache and simulation buffers)");
    throwIfCancelled(cancel);

    std::shared_ptr<LoadedDataset> loaded(new LoadedDataset());
    loaded->m_spec = spec;
    loaded->m_simulation = simulation;
    loaded->m_dataset = std::make_shared<const Dataset>(readDatasetSource(spec.source, paths));
    const Dataset& data = *loaded->m_dataset;
    if (data.classCount() < 2)
        throw DatasetError(paths.front() + ": needs at least 2 classes (got " + std::to_string(data.classCount()) +
                           ")");
    if (!spec.source.classNames.empty() && spec.source.classNames.size() != static_cast<std::size_t>(data.classCount()))
        throw DatasetError("task.dataset.source.classNames: names " + std::to_string(spec.source.classNames.size()) +
                           " classes, but " + paths.front() + " has " + std::to_string(data.classCount()));
    advance(fileBytes);
    throwIfCancelled(cancel);
    if (!testPaths.empty()) {
        DatasetSourceSpec testSource = spec.source;
        testSource.classNames = data.classNames(); // the test file's labels index the same classes
        loaded->m_testDataset = std::make_shared<const Dataset>(readDatasetSource(testSource, testPaths));
        const Dataset& test = *loaded->m_testDataset;
        if (test.featureCount() != data.featureCount())
            throw DatasetError(testPaths.front() + ": has " + std::to_string(test.featureCount()) +
                               " features per sample where " + paths.front() + " has " +
                               std::to_string(data.featureCount()));
        if (test.classNames() != data.classNames())
            throw DatasetError(testPaths.front() + ": its classes differ from those of " + paths.front());
        advance(testBytes);
        throwIfCancelled(cancel);
    }

    DatasetSplit split = stratifiedSplit(data.labels(), data.classCount(), spec.split.params());
    if (loaded->m_testDataset)
        split.test = allSamples(loaded->m_testDataset->sampleCount());
    // The scaler sees the whole training part, not only a perClassLimit subset of it: nothing of
    // validation or test leaks in, and the scaling does not depend on the subset's size.
    loaded->m_scaler = FeatureScaler::fit(data, split.train, spec.scaling);
    if (spec.split.perClassLimit > 0) {
        std::vector<int> trainLabels;
        trainLabels.reserve(split.train.size());
        for (std::size_t s : split.train)
            trainLabels.push_back(data.label(s));
        const std::vector<std::size_t> chosen = balancedSubset(
            trainLabels, data.classCount(), static_cast<std::size_t>(spec.split.perClassLimit), spec.split.seed);
        std::vector<std::size_t> train;
        train.reserve(chosen.size());
        for (std::size_t k : chosen)
            train.push_back(split.train[k]);
        split.train = std::move(train);
    }
    loaded->m_split = split;
    loaded->m_targets = classTargets(data.classCount(), spec.targets, simulation);

    const std::uint64_t cache = static_cast<std::uint64_t>(std::max(0, spec.cacheMegabytes)) * 1'000'000ULL;
    // A separate test set is evaluated once at the end; the training samples, presented every epoch,
    // get most of the cache.
    const std::uint64_t testCache = loaded->m_testDataset ? cache / 4 : 0;
    loaded->m_encoded = std::make_shared<const EncodedDataset>(loaded->m_dataset, loaded->m_scaler, spec.encoding,
                                                               loaded->m_targets, simulation, cache - testCache);
    loaded->m_train = PatternSet(loaded->m_encoded, split.train);
    loaded->m_validation = PatternSet(loaded->m_encoded, split.validation);
    if (loaded->m_testDataset) {
        // The test file's Poisson streams follow the training file's samples, so no two samples share one.
        loaded->m_encodedTest =
            std::make_shared<const EncodedDataset>(loaded->m_testDataset, loaded->m_scaler, spec.encoding,
                                                   loaded->m_targets, simulation, testCache, data.sampleCount());
        loaded->m_test = PatternSet(loaded->m_encodedTest, split.test);
    } else {
        loaded->m_test = PatternSet(loaded->m_encoded, split.test);
    }
    if (options.progress)
        options.progress(1.0);
    return loaded;
}

// --- image folders -------------------------------------------------------------------------------

namespace {

struct FolderFingerprint {
    std::uint64_t size = 0;
    std::string sha256;
    std::size_t images = 0;
};

FolderFingerprint fingerprintFolder(const fs::path& folder)
{
    std::vector<std::string> relative;
    for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator(); ++it) {
        const std::string name = it->path().filename().string();
        if (isHiddenName(name)) { // skipped with its contents, as the folder reader skips them
            if (it->is_directory())
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file() && isDatasetImageName(name))
            relative.push_back(it->path().lexically_relative(folder).generic_string());
    }
    std::sort(relative.begin(), relative.end());
    FolderFingerprint f;
    Sha256 manifest;
    for (const std::string& r : relative) {
        const FileFingerprint file = fingerprintFile((folder / r).string());
        f.size += file.size;
        manifest.update(r + '\t' + file.sha256 + '\n');
    }
    f.sha256 = manifest.hexDigest();
    f.images = relative.size();
    return f;
}

} // namespace

bool isHiddenName(const std::string& name)
{
    return !name.empty() && name.front() == '.';
}

bool isDatasetImageName(const std::string& fileName)
{
    if (isHiddenName(fileName))
        return false;
    std::string ext = fs::path(fileName).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    static const std::array<const char*, 11> known = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pbm",
                                                      ".pgm", ".ppm", ".webp", ".tif", ".tiff"};
    return std::find(known.begin(), known.end(), ext) != known.end();
}

DataFileReference referenceDataFolder(const std::string& folder, const std::string& projectDirectory)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw std::runtime_error(folder + ": is not a folder of images");
    const FolderFingerprint f = fingerprintFolder(folder);
    return {storedDataPath(folder, projectDirectory), f.size, f.sha256}; // stored as for a file
}

DataFileCheck checkDataFolder(const DataFileReference& reference, const std::string& projectDirectory)
{
    DataFileCheck check;
    const fs::path stored(reference.path);
    const fs::path resolved = stored.is_absolute() ? stored : fs::path(projectDirectory) / stored;
    check.resolvedPath = resolved.lexically_normal().string();
    std::error_code ec;
    if (!fs::is_directory(check.resolvedPath, ec)) {
        check.status = DataFileCheck::Status::Missing;
        check.message = check.resolvedPath + ": the image folder is missing (the project refers to " +
                        quotedText(reference.path) + ", " + formatBytes(reference.size) + " of images)";
        return check;
    }
    const FolderFingerprint f = fingerprintFolder(check.resolvedPath);
    if (f.size != reference.size) {
        check.status = DataFileCheck::Status::SizeChanged;
        check.message = check.resolvedPath + ": the image folder has changed: its " + std::to_string(f.images) +
                        " images take " + std::to_string(f.size) + " bytes where the project recorded " +
                        std::to_string(reference.size);
    } else if (f.sha256 != reference.sha256) {
        check.status = DataFileCheck::Status::ContentChanged;
        check.message = check.resolvedPath +
                        ": the image folder has changed: an image was changed, added or "
                        "removed (manifest SHA-256 " +
                        f.sha256 + " where the project recorded " + reference.sha256 + ")";
    }
    return check;
}

} // namespace normad
