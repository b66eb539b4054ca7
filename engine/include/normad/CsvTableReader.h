#pragma once

// Feature tables in CSV (RFC 4180: comma-separated, fields optionally in double quotes with "" for a
// quote, CRLF or LF line ends): one row per sample, numeric feature columns and one label column.

#include "normad/Dataset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace normad {

struct CsvReadOptions {
    /// The label column by header name (exact, then case-insensitive). Empty: see labelPosition.
    std::string labelColumn;
    /// The label column by 0-based position; −1: not given. If neither is given, the column named
    /// label, class or target (case-insensitive), else the last column.
    int labelPosition = -1;
    /// Whether the first line is a header; unset: detected — it is a header when one of its cells
    /// is not a number while the cell below it is.
    std::optional<bool> hasHeader;
    /// Refuse a file, or a table, larger than this, bytes.
    std::uint64_t maxBytes = 2'000'000'000ULL;
};

/// Reads a feature table. Labels: when every label is an integer, the classes are the integers from
/// the smallest to the largest (class name = the number as written, e.g. "1"), and each of them must
/// have samples; otherwise each distinct text is a class, classes sorted by their text (so the class
/// indices do not depend on row order). Throws DatasetError naming the file, the line (1-based), the
/// column (1-based, with its header name) and the value for: an empty file or one without samples, a
/// row with a different number of cells, a feature cell that is not a number, a NaN or infinite
/// feature, an empty label, an unterminated quote, a label column that does not exist, a class with
/// no samples, and a file or table over options.maxBytes (the table is checked as it grows).
Dataset readCsvTable(const std::string& path, const CsvReadOptions& options = {});

/// The same for a table already in memory (a built-in example's data); `name` stands for the file
/// in messages and in the dataset's origin.
Dataset readCsvText(std::string_view text, const std::string& name, const CsvReadOptions& options = {});

} // namespace normad
