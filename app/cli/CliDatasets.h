#pragma once

// Dataset sources on the command line: what a SOURCE argument names (a CSV table, a folder of IDX
// files in the MNIST layout, a folder of class image folders) and reading it with the engine's
// readers (or the image-folder library).

#include "CliOptions.h"

#include "normad/Dataset.h"
#include "normad/DatasetSplit.h"
#include "normad/DatasetTask.h"
#include "normad/Project.h"

#include <memory>

#include <optional>
#include <string>
#include <vector>

namespace normad::cli {

/// A source as the command line found it.
struct SourceFiles {
    std::string format;                 ///< "csv", "idx" or "image-folder"
    std::vector<std::string> files;     ///< csv: the table; idx: images, labels; image-folder: the folder
    std::vector<std::string> testFiles; ///< idx: t10k images and labels when the folder has them
};

/// What SOURCE names: a folder holding train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]
/// (and t10k-… for a test set) is IDX; an IDX images file is IDX with the labels file beside it
/// ("images-idx3" → "labels-idx1" in its name); any other folder is an image folder; any other file
/// a CSV table. Throws std::invalid_argument naming the path when it does not exist or an IDX
/// images file has no labels file beside it.
SourceFiles findSourceFiles(const std::string& source);

/// How to read a source.
struct SourceReadOptions {
    std::string labelColumn;    ///< csv: by name; empty = the default rule (label/class/target, else last)
    std::optional<bool> header; ///< csv: unset = detect
    int imageWidth = 28;        ///< image-folder: pixels
    int imageHeight = 28;       ///< image-folder: pixels
};

/// Reads the training files (or, with `test`, the test files) of `source`. What the readers refuse
/// (DatasetError: file, line, value) is re-thrown as std::invalid_argument: bad input, exit code 2.
Dataset readSourceFiles(const SourceFiles& source, const SourceReadOptions& options, bool test = false);

/// The split `dataset new` chooses: with a separate test file, 10 % of each class for validation
/// and the file as the test set; otherwise 15 % validation and 20 % test, so a table has a held-out
/// test split to report. Seed 1.
SplitParams defaultSplit(const SourceFiles& source);

/// One row per sample of every split: `file,sample,split,label` (file 0 = the source's files,
/// 1 = its test files; sample = 0-based index in that file; split = train|validation|test; label =
/// class index). What scripts/logistic_baseline.py reads to use the engine's own split.
std::string splitCsv(const DatasetSplit& split, const std::vector<int>& labels, const std::vector<int>* testFileLabels);

/// LoadedDataset::load for a command: a missing or changed data file (DataFileMismatch) and a data
/// file the readers refuse (DatasetError) are bad input (std::invalid_argument, exit code 2) whose
/// message names the file and what differs.
std::shared_ptr<const LoadedDataset> loadDatasetForCli(const DatasetTaskSpec& spec, const std::string& projectDirectory,
                                                       const SimulationParams& simulation, const CancelFlag* cancel);

/// The value of --split SPLIT (train, validation or test), or `fallback` without it; a bad name is a
/// UsageError naming the option and the value.
Split splitOption(const ParsedArgs& args, Split fallback = Split::Train);

/// One sample of a dataset project as the command line chose it: --sample K (the K-th of the split,
/// 0-based, as Python's simulate() and `dataset preview` number it; default 0) of --split (default
/// train), loaded and encoded as training encodes it.
struct ChosenSample {
    std::shared_ptr<const LoadedDataset> data;
    Split split = Split::Train;
    std::size_t position = 0;
    std::shared_ptr<const Pattern> pattern;
    std::size_t sample = 0; ///< its index in the data file
    int label = 0;          ///< its class
};

/// Loads `project`'s data (loadDatasetForCli, relative to `projectPath`'s folder) and picks the
/// sample --sample and --split name. A position outside the split is a UsageError naming the
/// option, the value and the split's size.
ChosenSample chooseSample(const Project& project, const std::string& projectPath, const ParsedArgs& args,
                          const CancelFlag* cancel);

/// `project`'s data references re-expressed for saving it in `toDirectory` instead of `fromDirectory`.
void rebaseDataReferences(Project& project, const std::string& fromDirectory, const std::string& toDirectory);

} // namespace normad::cli
