#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace normad {

/// A data file that cannot be used: the message names the file, the record or line (and column)
/// and the value at fault. Readers throw it before anything is handed out, so nothing is half-loaded.
class DatasetError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Where a dataset came from: enough to say so in a message and to find the files again.
struct DatasetOrigin {
    std::string format;             ///< "idx" or "csv"
    std::vector<std::string> files; ///< the files read, in order (IDX: images, then labels)
    std::string labelColumn;        ///< CSV: the header name (or "column N", 1-based) of the labels
};

/// How a dataset keeps its features. Images keep their bytes (one byte per pixel, 784 bytes per
/// Fashion-MNIST image: 47 MB for the training file); tables keep doubles.
enum class FeatureStorage { Bytes, Doubles };

/// Bytes a dataset of `samples` × `features` takes in `storage`, labels included. Saturates at
/// UINT64_MAX instead of overflowing, so a corrupt header cannot wrap around a limit check.
std::uint64_t estimateDatasetBytes(std::uint64_t samples, std::uint64_t features, FeatureStorage storage);

/// Throws DatasetError "<what> would take X MB, over the limit of Y MB" when `bytes` > `limitBytes`.
void requireWithinMemoryLimit(std::uint64_t bytes, std::uint64_t limitBytes, const std::string& what);

/// "47.0 MB", "512 bytes": a byte count for a message.
std::string formatBytes(std::uint64_t bytes);

/// A labelled classification dataset kept compactly: n samples × d features in one contiguous
/// row-major block, a class index per sample, the class names, and for images their width and height.
/// Immutable once built; the factories check the shapes and label range (std::invalid_argument).
class Dataset {
public:
    Dataset() = default;

    /// Images (or any byte features): `pixels` holds samples × (width·height) bytes, row-major.
    static Dataset fromBytes(std::vector<std::uint8_t> pixels, std::vector<int> labels,
                             std::vector<std::string> classNames, int width, int height, DatasetOrigin origin);
    /// A feature table: `values` holds samples × featureNames.size() doubles, row-major.
    static Dataset fromValues(std::vector<double> values, std::vector<int> labels, std::vector<std::string> classNames,
                              std::vector<std::string> featureNames, DatasetOrigin origin);

    std::size_t sampleCount() const { return m_labels.size(); }
    std::size_t featureCount() const { return m_featureCount; }
    int classCount() const { return static_cast<int>(m_classNames.size()); }
    FeatureStorage storage() const { return m_storage; }

    bool isImage() const { return m_width > 0; }
    int imageWidth() const { return m_width; }   ///< pixels; 0 for a table
    int imageHeight() const { return m_height; } ///< pixels; 0 for a table

    /// Class index of `sample`, 0 … classCount()−1.
    int label(std::size_t sample) const { return m_labels[sample]; }
    const std::vector<int>& labels() const { return m_labels; }
    const std::vector<std::string>& classNames() const { return m_classNames; }
    /// Column names of a table; "pixel 0" … for images are not stored (empty).
    const std::vector<std::string>& featureNames() const { return m_featureNames; }
    const DatasetOrigin& origin() const { return m_origin; }

    /// Feature j of `sample` as stored (pixels 0 … 255, table values unscaled).
    double feature(std::size_t sample, std::size_t j) const;
    /// All features of `sample` into `out` (size featureCount()).
    void copyFeatures(std::size_t sample, std::span<double> out) const;
    std::vector<double> features(std::size_t sample) const;
    /// The bytes of one image, row-major (only for FeatureStorage::Bytes).
    std::span<const std::uint8_t> bytesOf(std::size_t sample) const;

    /// The samples `samples` (in that order) as a dataset of their own, with every class, origin and
    /// image size kept. Throws std::out_of_range for an index past the end.
    Dataset subset(std::span<const std::size_t> samples) const;

    /// Number of samples of each class.
    std::vector<std::size_t> classCounts() const;
    /// Bytes held by the features and labels.
    std::uint64_t memoryBytes() const;

private:
    void checkLabels() const;

    FeatureStorage m_storage = FeatureStorage::Doubles;
    std::size_t m_featureCount = 0;
    std::vector<std::uint8_t> m_bytes;
    std::vector<double> m_values;
    std::vector<int> m_labels;
    std::vector<std::string> m_classNames;
    std::vector<std::string> m_featureNames;
    int m_width = 0;
    int m_height = 0;
    DatasetOrigin m_origin;
};

} // namespace normad
