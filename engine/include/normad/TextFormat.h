#pragma once

// The one number formatter and the one CSV writer of the program: the project file, the exports
// and the command line all write numbers through formatShortest, so a value reads back the same
// wherever it was written.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace normad {

/// Shortest text that reads back as exactly `v` (std::to_chars), with the exponent unpadded
/// ("1e-4", not "1e-04") and a ".0" on integral values so they stay recognisably floating point.
/// NaN and infinities are written "nan", "inf", "-inf".
std::string formatShortest(double v);

/// A value read from a file, made safe to quote in a message: in double quotes, at most `maxChars`
/// characters of it (then "…" and the value's full length in bytes), with `"` and `\` escaped and
/// control characters and bytes that are not valid UTF-8 written as \xNN. Every message that
/// quotes text from an input goes through it, so a 100 MB field or a NUL byte never reaches stderr.
std::string quotedText(std::string_view text, std::size_t maxChars = 80);

/// A key or path component from a file as it may appear in a JSON path: itself when it is short,
/// printable text; otherwise quotedText() (at most 40 characters).
std::string displayKey(std::string_view key);

/// "1 epoch", "3 epochs".
std::string plural(long long count, std::string_view singular, std::string_view pluralForm = {});

/// Builds CSV text (RFC 4180: comma-separated, "\n" line ends, fields with a comma, quote or line
/// break quoted). Numbers are written with formatShortest.
class CsvWriter {
public:
    /// Starts a row with the header names.
    explicit CsvWriter(std::initializer_list<std::string_view> header = {});

    CsvWriter& field(std::string_view text);
    CsvWriter& field(double value);
    CsvWriter& field(long long value);
    CsvWriter& field(int value) { return field(static_cast<long long>(value)); }
    CsvWriter& field(std::size_t value) { return field(static_cast<long long>(value)); }
    /// Ends the current row.
    CsvWriter& endRow();

    const std::string& text() const { return m_text; }

private:
    void separate();

    std::string m_text;
    bool m_rowStarted = false;
};

} // namespace normad
