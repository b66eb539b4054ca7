#pragma once

// The IDX format of LeCun's MNIST files (and Fashion-MNIST): a big-endian header — two zero bytes,
// a data-type byte (0x08: unsigned byte), a dimension count — then one 32-bit size per dimension and
// the data. Images have 3 dimensions (count, rows, columns), labels 1 (count).

#include "normad/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace normad {

struct IdxReadOptions {
    /// Number of classes; 0 takes the largest label + 1. A label ≥ classCount is refused.
    int classCount = 0;
    /// Class names, one per class; empty gives "0", "1", … . Its size, if given, is the class count.
    std::vector<std::string> classNames;
    /// Accept classes without samples (a file holding a few of the classes); otherwise refused.
    bool allowEmptyClasses = false;
    /// Refuse a dataset whose features and labels would take more than this, bytes.
    std::uint64_t maxBytes = 4'000'000'000ULL;
};

/// Reads an images file and its labels file, each plain or gzip-compressed (zlib reads both; the
/// ".gz" suffix is not needed). Throws DatasetError naming the file, the record and the value for:
/// a file that cannot be opened or is not valid gzip, a wrong magic number or data type, a wrong
/// dimension count, a truncated file or extra bytes after the last record, a label count ≠ the
/// image count, a label outside the classes, a class with no samples (unless allowed), and a dataset
/// over options.maxBytes (checked from the header, before anything is allocated).
Dataset readIdx(const std::string& imagesPath, const std::string& labelsPath, const IdxReadOptions& options = {});

/// Where Debian's dataset-fashion-mnist package installs its files.
inline constexpr const char* fashionMnistDirectory = "/usr/share/datasets/fashion-mnist";
/// The ten Fashion-MNIST class names, in label order (Xiao, Rasul & Vollgraf 2017).
std::vector<std::string> fashionMnistClassNames();

} // namespace normad
