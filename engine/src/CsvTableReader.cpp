#include "normad/CsvTableReader.h"

#include "normad/MemoryBudget.h"
#include "normad/TextFormat.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

namespace normad {

namespace {

struct Record {
    std::size_t line = 0; ///< 1-based line where the record starts
    std::vector<std::string> cells;
};

[[noreturn]] void fail(const std::string& path, const std::string& where, const std::string& reason)
{
    throw DatasetError(path + (where.empty() ? "" : ", " + where) + ": " + reason);
}

// RFC 4180 records, one at a time (the table is built row by row, so the cells of the whole file
// are never held as strings at once). A quoted field may hold commas, quotes ("") and line breaks;
// blank lines are skipped.
class RecordReader {
public:
    RecordReader(const std::string& path, std::string_view text) : m_path(path), m_text(text)
    {
        if (m_text.starts_with("\xEF\xBB\xBF"))
            m_i = 3; // UTF-8 byte-order mark, as spreadsheets write it
    }

    /// The next non-blank record, or false at the end of the text.
    bool next(Record& record)
    {
        const std::size_t n = m_text.size();
        while (m_i < n) {
            record.line = m_line;
            record.cells.clear();
            std::string cell;
            bool endOfRecord = false;
            while (!endOfRecord) {
                cell.clear();
                if (m_i < n && m_text[m_i] == '"') {
                    const std::size_t quoteLine = m_line;
                    ++m_i;
                    for (;;) {
                        if (m_i >= n)
                            fail(m_path,
                                 "line " + std::to_string(quoteLine) + ", column " +
                                     std::to_string(record.cells.size() + 1),
                                 "a quoted field is never closed");
                        if (m_text[m_i] == '"') {
                            if (m_i + 1 < n && m_text[m_i + 1] == '"') {
                                cell += '"';
                                m_i += 2;
                                continue;
                            }
                            ++m_i;
                            break;
                        }
                        if (m_text[m_i] == '\n')
                            ++m_line;
                        cell += m_text[m_i++];
                    }
                    // Text between the closing quote and the next separator is kept, as most readers do.
                    while (m_i < n && m_text[m_i] != ',' && m_text[m_i] != '\n' && m_text[m_i] != '\r')
                        cell += m_text[m_i++];
                } else {
                    while (m_i < n && m_text[m_i] != ',' && m_text[m_i] != '\n' && m_text[m_i] != '\r')
                        cell += m_text[m_i++];
                }
                record.cells.push_back(cell);
                if (m_i < n && m_text[m_i] == ',') {
                    ++m_i;
                } else {
                    if (m_i < n && m_text[m_i] == '\r')
                        ++m_i;
                    if (m_i < n && m_text[m_i] == '\n')
                        ++m_i;
                    ++m_line;
                    endOfRecord = true;
                }
            }
            const bool blank =
                record.cells.size() == 1 && record.cells[0].find_first_not_of(" \t") == std::string::npos;
            if (!blank)
                return true;
        }
        return false;
    }

private:
    const std::string& m_path;
    std::string_view m_text;
    std::size_t m_i = 0;
    std::size_t m_line = 1;
};

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

// A number as C's strtod would read it in the "C" locale (from_chars is locale-free); a leading '+'
// is allowed. Returns nullopt for anything else, including an empty cell.
std::optional<double> parseNumber(const std::string& cell)
{
    std::string s = trimmed(cell);
    if (!s.empty() && s[0] == '+')
        s.erase(0, 1);
    if (s.empty())
        return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

Dataset readCsvTable(const std::string& path, const CsvReadOptions& options)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        fail(path, "", "cannot read the file (" + ec.message() + ")");
    requireWithinMemoryLimit(size, options.maxBytes, path + ": the file");
    requireMemory(size, path, "", "the file's text");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(path, "", "cannot open the file");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return readCsvText(text, path, options);
}

Dataset readCsvText(std::string_view text, const std::string& path, const CsvReadOptions& options)
{
    requireWithinMemoryLimit(text.size(), options.maxBytes, path + ": the file");
    const std::uint64_t memoryBudget = loadMemoryBudgetBytes();
    RecordReader reader(path, text);
    Record first, second;
    if (!reader.next(first))
        fail(path, "", "the file is empty");
    const bool hasSecond = reader.next(second);

    // Header: given, or detected from a cell that is not a number above one that is.
    bool header = false;
    if (options.hasHeader) {
        header = *options.hasHeader;
    } else if (!hasSecond) {
        header =
            std::any_of(first.cells.begin(), first.cells.end(), [](const std::string& c) { return !parseNumber(c); });
    } else {
        for (std::size_t c = 0; c < std::min(first.cells.size(), second.cells.size()); ++c)
            header = header || (!parseNumber(first.cells[c]) && parseNumber(second.cells[c]));
    }
    const std::size_t columns = first.cells.size();
    std::vector<std::string> columnNames;
    for (std::size_t c = 0; c < columns; ++c)
        columnNames.push_back(header ? trimmed(first.cells[c]) : "column " + std::to_string(c + 1));
    if (header && !hasSecond)
        fail(path, "", "no samples: the file has a header line only");
    if (columns < 2)
        fail(path, "line " + std::to_string(first.line),
             "a table needs at least one feature column and a label column (found " +
                 plural(static_cast<long long>(columns), "column") + ")");

    // The label column.
    std::size_t labelColumn = columns - 1;
    auto columnList = [&] {
        std::string list;
        for (const auto& name : columnNames)
            list += (list.empty() ? "" : ", ") + displayKey(name);
        if (list.size() > 400) // a header of thousands of columns is summarised
            list = list.substr(0, list.rfind(", ", 400)) + ", …";
        return list;
    };
    if (!options.labelColumn.empty()) {
        auto it = std::find(columnNames.begin(), columnNames.end(), options.labelColumn);
        if (it == columnNames.end())
            it = std::find_if(columnNames.begin(), columnNames.end(),
                              [&](const std::string& n) { return lower(n) == lower(options.labelColumn); });
        if (it == columnNames.end())
            fail(path, "",
                 "no column named " + quotedText(options.labelColumn) + " for the labels (columns: " + columnList() +
                     ")");
        labelColumn = static_cast<std::size_t>(it - columnNames.begin());
    } else if (options.labelPosition >= 0) {
        if (static_cast<std::size_t>(options.labelPosition) >= columns)
            fail(path, "",
                 "label column position " + std::to_string(options.labelPosition) + " (0-based) is outside the " +
                     plural(static_cast<long long>(columns), "column"));
        labelColumn = static_cast<std::size_t>(options.labelPosition);
    } else if (header) {
        for (std::size_t c = 0; c < columns; ++c) {
            const std::string name = lower(columnNames[c]);
            if (name == "label" || name == "class" || name == "target") {
                labelColumn = c;
                break;
            }
        }
    }

    const std::size_t featureCount = columns - 1;

    auto cellPlace = [&](const Record& r, std::size_t c) {
        return "line " + std::to_string(r.line) + ", column " + std::to_string(c + 1) +
               (header ? " (" + displayKey(columnNames[c]) + ")" : std::string());
    };
    std::vector<double> values;
    std::vector<std::string> labelTexts;
    auto addRow = [&](const Record& record) {
        if (record.cells.size() != columns)
            fail(path, "line " + std::to_string(record.line),
                 "ragged row: " + plural(static_cast<long long>(record.cells.size()), "cell") + " where line " +
                     std::to_string(first.line) + " has " + std::to_string(columns));
        // The table grows row by row: refuse it as soon as it passes the limit.
        const std::uint64_t rows = labelTexts.size() + 1;
        requireWithinMemoryLimit(estimateDatasetBytes(rows, featureCount, FeatureStorage::Doubles), options.maxBytes,
                                 path + ": " + std::to_string(rows) + " rows of " +
                                     plural(static_cast<long long>(featureCount), "feature"));
        // And against what this machine could give when reading began, every 65 536 rows: the label
        // texts at 32 bytes each, the vectors at twice their size (their growth).
        if (rows % 65536 == 0)
            requireMemory(2 * estimateDatasetBytes(rows, featureCount, FeatureStorage::Doubles) + 64 * rows,
                          memoryBudget, path, "line " + std::to_string(record.line),
                          "a table of " + std::to_string(rows) + " rows (so far) of " +
                              plural(static_cast<long long>(featureCount), "feature"));
        for (std::size_t c = 0; c < columns; ++c) {
            if (c == labelColumn)
                continue;
            const auto v = parseNumber(record.cells[c]);
            if (!v)
                fail(path, cellPlace(record, c), "feature value " + quotedText(record.cells[c]) + " is not a number");
            if (std::isnan(*v))
                fail(path, cellPlace(record, c), "feature value " + quotedText(trimmed(record.cells[c])) + " is NaN");
            if (!std::isfinite(*v))
                fail(path, cellPlace(record, c),
                     "feature value " + quotedText(trimmed(record.cells[c])) + " is not finite");
            values.push_back(*v);
        }
        const std::string label = trimmed(record.cells[labelColumn]);
        if (label.empty())
            fail(path, cellPlace(record, labelColumn), "empty label");
        labelTexts.push_back(label);
    };
    if (!header)
        addRow(first);
    if (hasSecond) {
        addRow(second);
        for (Record record; reader.next(record);)
            addRow(record);
    }
    const std::size_t samples = labelTexts.size();
    auto labelPlace = [&] {
        return "column " + std::to_string(labelColumn + 1) + " (" + displayKey(columnNames[labelColumn]) + ")";
    };

    // Classes: integers from the smallest to the largest, each with samples; else the sorted texts.
    bool integral = true;
    long long smallest = 0, largest = 0;
    std::vector<long long> integers;
    for (const auto& text : labelTexts) {
        const auto v = parseNumber(text);
        if (!v || *v != std::floor(*v) || std::fabs(*v) > 1e9) {
            integral = false;
            break;
        }
        integers.push_back(static_cast<long long>(*v));
    }
    std::vector<int> labels(samples);
    std::vector<std::string> classNames;
    if (integral) {
        smallest = *std::min_element(integers.begin(), integers.end());
        largest = *std::max_element(integers.begin(), integers.end());
        if (largest - smallest >= 100000)
            fail(path, labelPlace(),
                 "integer labels from " + std::to_string(smallest) + " to " + std::to_string(largest) +
                     " span too many classes; labels are class numbers");
        std::vector<std::string> written(static_cast<std::size_t>(largest - smallest + 1));
        for (std::size_t i = 0; i < samples; ++i) {
            labels[i] = static_cast<int>(integers[i] - smallest);
            if (written[static_cast<std::size_t>(labels[i])].empty())
                written[static_cast<std::size_t>(labels[i])] = labelTexts[i];
        }
        for (long long k = smallest; k <= largest; ++k) {
            const auto& name = written[static_cast<std::size_t>(k - smallest)];
            if (name.empty())
                fail(path, labelPlace(),
                     "class " + std::to_string(k) + " has no samples (labels are integers from " +
                         std::to_string(smallest) + " to " + std::to_string(largest) + ")");
            classNames.push_back(name);
        }
    } else {
        std::map<std::string, int> index;
        for (const auto& text : labelTexts)
            index.emplace(text, 0);
        for (auto& [name, k] : index) {
            k = static_cast<int>(classNames.size());
            classNames.push_back(name);
        }
        for (std::size_t i = 0; i < samples; ++i)
            labels[i] = index.at(labelTexts[i]);
    }

    std::vector<std::string> featureNames;
    for (std::size_t c = 0; c < columns; ++c)
        if (c != labelColumn)
            featureNames.push_back(columnNames[c]);
    return Dataset::fromValues(std::move(values), std::move(labels), std::move(classNames), std::move(featureNames),
                               DatasetOrigin{"csv", {path}, columnNames[labelColumn]});
}

} // namespace normad
