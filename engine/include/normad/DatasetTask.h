#pragma once

// A dataset task: a labelled dataset referenced by the project file (task.dataset, format 3;
// docs/project-format.md) with its encoding, split, class targets and decision rule, and the dataset
// loaded from it. The data is never embedded: files are referenced by path, size and SHA-256
// (DataFileReference.h) and encoded on demand (EncodedDataset.h).

#include "normad/Cancellation.h"
#include "normad/ClassTargets.h"
#include "normad/DataFileReference.h"
#include "normad/Dataset.h"
#include "normad/DatasetSplit.h"
#include "normad/EncodedDataset.h"
#include "normad/Encoding.h"
#include "normad/FeatureScaler.h"
#include "normad/PatternSet.h"
#include "normad/Schema.h"
#include "normad/SimulationParams.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace normad {

/// Where the samples come from (task.dataset.source).
struct DatasetSourceSpec {
    /// The reader (registerDatasetReader): "idx", "csv" (the engine's), "image-folder" (registered by the apps).
    std::string format = "csv";
    /// idx: images, labels; csv: the table; image-folder: the folder (size and SHA-256 over a manifest).
    std::vector<DataFileReference> files;
    /// A separate test set read the same way (idx t10k); its samples are the test split. Empty: none.
    std::vector<DataFileReference> testFiles;
    std::string labelColumn;             ///< csv: label column by header name; "" = CsvReadOptions' default rule
    std::optional<bool> header;          ///< csv: whether the first line is a header; unset = detected
    std::vector<std::string> classNames; ///< optional class names in label order (idx)
    int imageWidth = 0;                  ///< image-folder: every image is scaled to this, pixels
    int imageHeight = 0;                 ///< image-folder: pixels

    /// Throws std::invalid_argument naming `where`.<field> and the value: unknown format, wrong
    /// number of files for the format, an empty path, a non-hex SHA-256.
    void validate(const std::string& where = "task.dataset.source") const;
};

/// task.dataset.split: the stratified split plus the class-balanced training subset.
struct DatasetSplitSpec {
    double validationFraction = 0.1; ///< of each class, in [0, 1)
    double testFraction = 0.0;       ///< of each class, in [0, 1); 0 with a separate test file
    std::uint64_t seed = 1;          ///< which samples go where
    /// > 0: train on a class-balanced subset (balancedSubset) of this many samples per class of the
    /// training part; validation and test stay as split. 0 = every training sample.
    int perClassLimit = 0;

    SplitParams params() const { return {validationFraction, testFraction, seed}; }
    static const Schema<DatasetSplitSpec>& schema();
};

/// The settings of task.dataset (see docs/project-format.md). Every scalar is described by a schema:
/// DatasetTaskSpec::schema() (scaling, decision, cacheMegabytes), encodingSchema(),
/// DatasetSplitSpec::schema(); targets are two spike trains.
struct DatasetTaskSpec {
    DatasetSourceSpec source;
    ScalingMode scaling = ScalingMode::PerFeature;
    EncodingParams encoding;
    DatasetSplitSpec split;
    ClassTargetParams targets;
    DecisionRule decision = DecisionRule::ClosestTarget;
    int cacheMegabytes = 256; ///< bound of the encoded-pattern cache, MB (10⁶ bytes)

    static const Schema<DatasetTaskSpec>& schema();
    /// Checks everything that needs no file; names `where`.<section>.<field> and the value.
    void validate(const SimulationParams& simulation, const std::string& where = "task.dataset") const;
};

/// The description of every EncodingParams field (task.dataset.encoding).
const Schema<EncodingParams>& encodingSchema();

std::string toString(ScalingMode);
ScalingMode scalingModeFromString(const std::string&); ///< "per-feature", "global"

// --- source formats: the file-format extension point -------------------------------------------

/// Reads a source's files (their paths resolved from the project's folder, in the order of
/// DatasetSourceSpec::files or testFiles) into a Dataset; throws DatasetError naming file and record.
using DatasetReader = std::function<Dataset(const DatasetSourceSpec&, const std::vector<std::string>& resolvedPaths)>;
/// Adds or replaces the reader of `format`. The engine registers "idx" and "csv" itself; the apps
/// register "image-folder" (a Qt reader) from main(). Thread-safe.
void registerDatasetReader(const std::string& format, DatasetReader reader);
/// The registered formats, sorted.
std::vector<std::string> datasetFormats();
/// Reads with the reader of source.format; an unknown format throws DatasetError listing the known ones.
Dataset readDatasetSource(const DatasetSourceSpec& source, const std::vector<std::string>& resolvedPaths);

// --- image folders -------------------------------------------------------------------------------

/// Whether an image-folder dataset counts `fileName` as an image: a suffix .png, .jpg, .jpeg, .bmp,
/// .gif, .pbm, .pgm, .ppm, .webp, .tif or .tiff (any case), and not hidden (a name starting with '.',
/// like macOS's "._x.png"). The one list the folder reader and the folder reference both use.
bool isDatasetImageName(const std::string& fileName);
/// Whether a file or folder name is hidden (starts with '.'): skipped with everything below it.
bool isHiddenName(const std::string& name);

/// The reference of a folder of images (one sub-folder per class): path as referenceDataFile()
/// stores it, size = total bytes of its image files (isDatasetImageName(), outside hidden folders),
/// sha256 = SHA-256 of the manifest, the sorted lines "relative/path<TAB>sha256-of-file\n", so a
/// changed, added or removed image is noticed.
DataFileReference referenceDataFolder(const std::string& folder, const std::string& projectDirectory);
/// checkDataFile() for a folder reference (Missing, SizeChanged, ContentChanged with a message).
DataFileCheck checkDataFolder(const DataFileReference& reference, const std::string& projectDirectory);

// --- loading -------------------------------------------------------------------------------------

enum class Split { Train, Validation, Test };
std::string toString(Split); ///< "train", "validation", "test"
Split splitFromString(const std::string&);

/// A referenced data file that is missing or differs from its reference. `check` says which and
/// how (the GUI asks for the file and shows check.message); `field` is its JSON path
/// ("task.dataset.source.files[1]").
class DataFileMismatch : public std::runtime_error {
public:
    DataFileMismatch(DataFileCheck check, std::string field, DataFileReference reference);
    const DataFileCheck& check() const { return m_check; }
    const std::string& field() const { return m_field; }
    const DataFileReference& reference() const { return m_reference; }

private:
    DataFileCheck m_check;
    std::string m_field;
    DataFileReference m_reference;
};

/// Bytes a dataset task takes once loaded, estimated from the files before reading them: the data
/// (an IDX file's bytes, a gzip file's stored uncompressed size; a CSV's doubles, at most one per two
/// bytes of text), the pattern cache limit and `threads` simulation buffers. Saturates, never wraps.
std::uint64_t estimateDatasetTaskBytes(const DatasetTaskSpec& spec, const std::vector<std::string>& resolvedPaths,
                                       const SimulationParams& simulation, int threads = 1);

/// Thrown by LoadedDataset::load when its cancel flag was set.
class LoadCancelled : public std::runtime_error {
public:
    LoadCancelled() : std::runtime_error("loading the dataset was cancelled") { }
};

struct DatasetLoadOptions {
    /// Refuse to load when estimateDatasetTaskBytes() exceeds this, bytes.
    std::uint64_t memoryLimitBytes = 6'000'000'000ULL;
    /// Called on the loading thread after each step with the fraction done, 0 … 1 (checking a file
    /// and reading it each count as many units as the file has bytes); may be empty.
    std::function<void(double fraction)> progress;
};

/// A dataset task ready to train: files checked and read, split, scaler fitted on the training
/// split only, targets built, one EncodedDataset per source file and a PatternSet per split.
/// Immutable; shared between the trainer, evaluation and the GUI.
class LoadedDataset {
public:
    /// Throws DataFileMismatch for a missing or changed file, DatasetError for a bad file or a
    /// dataset over the memory limit, std::invalid_argument for invalid settings (naming
    /// task.dataset.<field>), LoadCancelled when `cancel` was set (checked between files and steps).
    static std::shared_ptr<const LoadedDataset> load(const DatasetTaskSpec& spec, const std::string& projectDirectory,
                                                     const SimulationParams& simulation,
                                                     const CancelFlag* cancel = nullptr,
                                                     const DatasetLoadOptions& options = {});

    const DatasetTaskSpec& spec() const { return m_spec; }
    const SimulationParams& simulation() const { return m_simulation; }
    /// The dataset of source.files (train, validation and — without test files — test samples).
    const Dataset& dataset() const { return *m_dataset; }
    /// The dataset of source.testFiles, or nullptr.
    const Dataset* testDataset() const { return m_testDataset.get(); }
    /// Sample indices per split: train/validation into dataset(); test into testDataset() when
    /// there is one, else into dataset(). train is the perClassLimit subset when one is set.
    const DatasetSplit& split() const { return m_split; }
    const std::vector<std::string>& classNames() const { return m_dataset->classNames(); }
    int classCount() const { return m_dataset->classCount(); }
    /// targets()[k]: the desired output raster of a sample of class k.
    const std::vector<SpikeRaster>& targets() const { return m_targets; }
    const FeatureScaler& scaler() const { return m_scaler; }
    std::size_t inputCount() const;
    std::size_t outputCount() const { return static_cast<std::size_t>(classCount()); }
    DecisionRule decision() const { return m_spec.decision; }

    /// The patterns of a split (train in ascending sample order; the Trainer shuffles per epoch).
    const PatternSet& patterns(Split split) const;
    /// The Dataset the samples of `split` index.
    const Dataset& datasetOf(Split split) const;

private:
    LoadedDataset() = default;

    DatasetTaskSpec m_spec;
    SimulationParams m_simulation;
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const Dataset> m_testDataset;
    DatasetSplit m_split;
    FeatureScaler m_scaler;
    std::vector<SpikeRaster> m_targets;
    std::shared_ptr<const EncodedDataset> m_encoded;
    std::shared_ptr<const EncodedDataset> m_encodedTest;
    PatternSet m_train;
    PatternSet m_validation;
    PatternSet m_test;
};

} // namespace normad
