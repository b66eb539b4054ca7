#include "normad/CsvTableReader.h"

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

// RFC 4180 records. A quoted field may hold commas, quotes ("") and line breaks; blank lines are skipped.
std::vector<Record> parseRecords(const std::string& path, const std::string& text)
{
    std::vector<Record> records;
    std::size_t i = 0, line = 1;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        i = 3; // UTF-8 byte-order mark, as spreadsheets write it
    const std::size_t n = text.size();
    while (i < n) {
        Record record;
        record.line = line;
        std::string cell;
        bool endOfRecord = false;
        while (!endOfRecord) {
            cell.clear();
            if (i < n && text[i] == '"') {
                const std::size_t quoteLine = line;
                ++i;
                for (;;) {
                    if (i >= n)
                        fail(path, "line " + std::to_string(quoteLine) + ", column " +
                                       std::to_string(record.cells.size() + 1),
                             "a quoted field is never closed");
                    if (text[i] == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            cell += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (text[i] == '\n')
                        ++line;
                    cell += text[i++];
                }
                // Text between the closing quote and the next separator is kept, as most readers do.
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    cell += text[i++];
            } else {
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    cell += text[i++];
            }
            record.cells.push_back(cell);
            if (i < n && text[i] == ',') {
                ++i;
            } else {
                if (i < n && text[i] == '\r')
                    ++i;
                if (i < n && text[i] == '\n')
                    ++i;
                ++line;
                endOfRecord = true;
            }
        }
        const bool blank = record.cells.size() == 1 &&
                           record.cells[0].find_first_not_of(" \t") == std::string::npos;
        if (!blank)
            records.push_back(std::move(record));
    }
    return records;
}

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
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(path, "", "cannot open the file");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<Record> records = parseRecords(path, text);
    if (records.empty())
        fail(path, "", "the file is empty");

    // Header: given, or detected from a cell that is not a number above one that is.
    bool header = false;
    if (options.hasHeader) {
        header = *options.hasHeader;
    } else {
        const auto& first = records[0].cells;
        if (records.size() == 1) {
            header = std::any_of(first.begin(), first.end(), [](const std::string& c) { return !parseNumber(c); });
        } else {
            const auto& second = records[1].cells;
            for (std::size_t c = 0; c < std::min(first.size(), second.size()); ++c)
                header = header || (!parseNumber(first[c]) && parseNumber(second[c]));
        }
    }
    const std::size_t columns = records[0].cells.size();
    std::vector<std::string> columnNames;
    for (std::size_t c = 0; c < columns; ++c)
        columnNames.push_back(header ? trimmed(records[0].cells[c]) : "column " + std::to_string(c + 1));
    const std::size_t firstData = header ? 1 : 0;
    if (records.size() == firstData)
        fail(path, "", "no samples: the file has a header line only");
    if (columns < 2)
        fail(path, "line " + std::to_string(records[0].line),
             "a table needs at least one feature column and a label column (found " +
                 plural(static_cast<long long>(columns), "column") + ")");

    // The label column.
    std::size_t labelColumn = columns - 1;
    auto columnList = [&] {
        std::string list;
        for (const auto& name : columnNames)
            list += (list.empty() ? "" : ", ") + name;
        return list;
    };
    if (!options.labelColumn.empty()) {
        auto it = std::find(columnNames.begin(), columnNames.end(), options.labelColumn);
        if (it == columnNames.end())
            it = std::find_if(columnNames.begin(), columnNames.end(),
                              [&](const std::string& n) { return lower(n) == lower(options.labelColumn); });
        if (it == columnNames.end())
            fail(path, "", "no column named \"" + options.labelColumn + "\" for the labels (columns: " + columnList() + ")");
        labelColumn = static_cast<std::size_t>(it - columnNames.begin());
    } else if (options.labelPosition >= 0) {
        if (static_cast<std::size_t>(options.labelPosition) >= columns)
            fail(path, "", "label column position " + std::to_string(options.labelPosition) +
                               " (0-based) is outside the " + plural(static_cast<long long>(columns), "column"));
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

    const std::size_t samples = records.size() - firstData;
    const std::size_t featureCount = columns - 1;
    requireWithinMemoryLimit(estimateDatasetBytes(samples, featureCount, FeatureStorage::Doubles), options.maxBytes,
                             path + ": " + std::to_string(samples) + " rows of " +
                                 plural(static_cast<long long>(featureCount), "feature"));

    auto cellPlace = [&](const Record& r, std::size_t c) {
        return "line " + std::to_string(r.line) + ", column " + std::to_string(c + 1) +
               (header ? " (" + columnNames[c] + ")" : std::string());
    };
    std::vector<double> values;
    values.reserve(samples * featureCount);
    std::vector<std::string> labelTexts;
    labelTexts.reserve(samples);
    for (std::size_t r = firstData; r < records.size(); ++r) {
        const Record& record = records[r];
        if (record.cells.size() != columns)
            fail(path, "line " + std::to_string(record.line),
                 "ragged row: " + plural(static_cast<long long>(record.cells.size()), "cell") + " where line " +
                     std::to_string(records[0].line) + " has " + std::to_string(columns));
        for (std::size_t c = 0; c < columns; ++c) {
            if (c == labelColumn)
                continue;
            const auto v = parseNumber(record.cells[c]);
            if (!v)
                fail(path, cellPlace(record, c), "feature value \"" + record.cells[c] + "\" is not a number");
            if (std::isnan(*v))
                fail(path, cellPlace(record, c), "feature value \"" + trimmed(record.cells[c]) + "\" is NaN");
            if (!std::isfinite(*v))
                fail(path, cellPlace(record, c), "feature value \"" + trimmed(record.cells[c]) + "\" is not finite");
            values.push_back(*v);
        }
        const std::string label = trimmed(record.cells[labelColumn]);
        if (label.empty())
            fail(path, cellPlace(record, labelColumn), "empty label");
        labelTexts.push_back(label);
    }

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
            fail(path, "column " + std::to_string(labelColumn + 1) + " (" + columnNames[labelColumn] + ")",
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
                fail(path, "column " + std::to_string(labelColumn + 1) + " (" + columnNames[labelColumn] + ")",
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
