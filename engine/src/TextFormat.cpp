#include "normad/TextFormat.h"

#include <charconv>
#include <cmath>

namespace normad {

std::string formatShortest(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    std::string s(buffer, ec == std::errc() ? end : buffer);
    const auto e = s.find('e');
    if (e != std::string::npos) {
        std::string mantissa = s.substr(0, e);
        std::string exponent = s.substr(e + 1);
        bool negative = false;
        if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) {
            negative = exponent[0] == '-';
            exponent.erase(0, 1);
        }
        const auto firstDigit = exponent.find_first_not_of('0');
        exponent = firstDigit == std::string::npos ? "0" : exponent.substr(firstDigit);
        return mantissa + "e" + (negative ? "-" : "") + exponent;
    }
    if (s.find('.') == std::string::npos)
        s += ".0";
    return s;
}

namespace {

/// Length of the valid UTF-8 sequence at the start of `s` (1 to 4), or 0 if it is not one
/// (overlong forms, surrogates and code points beyond U+10FFFF are not valid).
std::size_t utf8SequenceLength(std::string_view s)
{
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    std::size_t n = 0;
    char32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (s.size() < n)
        return 0;
    for (std::size_t i = 1; i < n; ++i) {
        if ((b(i) & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (b(i) & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n;
}

void appendByteEscape(std::string& out, unsigned char c)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += "\\x";
    out += hex[c >> 4];
    out += hex[c & 0xf];
}

} // namespace

std::string quotedText(std::string_view text, std::size_t maxChars)
{
    std::string out = "\"";
    std::size_t i = 0, chars = 0;
    while (i < text.size() && chars < maxChars) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                appendByteEscape(out, c);
            else if (c == '"' || c == '\\')
                (out += '\\') += static_cast<char>(c);
            else
                out += static_cast<char>(c);
            ++i;
        } else if (const std::size_t n = utf8SequenceLength(text.substr(i)); n > 0) {
            out.append(text.substr(i, n));
            i += n;
        } else {
            appendByteEscape(out, c);
            ++i;
        }
        ++chars;
    }
    out += '"';
    if (i < text.size())
        out += "… (" + std::to_string(text.size()) + " bytes)";
    return out;
}

std::string displayKey(std::string_view key)
{
    // Unchanged when quoting would only add the quotes: printable, valid UTF-8, short.
    std::string q = quotedText(key, 40);
    return q.size() == key.size() + 2 ? std::string(key) : q;
}

std::string plural(long long count, std::string_view singular, std::string_view pluralForm)
{
    std::string s = std::to_string(count) + " ";
    if (count == 1)
        s += singular;
    else if (!pluralForm.empty())
        s += pluralForm;
    else
        (s += singular) += "s";
    return s;
}

CsvWriter::CsvWriter(std::initializer_list<std::string_view> header)
{
    for (std::string_view h : header)
        field(h);
    if (header.size())
        endRow();
}

void CsvWriter::separate()
{
    if (m_rowStarted)
        m_text += ',';
    m_rowStarted = true;
}

CsvWriter& CsvWriter::field(std::string_view text)
{
    separate();
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        m_text += text;
        return *this;
    }
    m_text += '"';
    for (char c : text) {
        if (c == '"')
            m_text += '"';
        m_text += c;
    }
    m_text += '"';
    return *this;
}

CsvWriter& CsvWriter::field(double value)
{
    separate();
    m_text += formatShortest(value);
    return *this;
}

CsvWriter& CsvWriter::field(long long value)
{
    separate();
    m_text += std::to_string(value);
    return *this;
}

CsvWriter& CsvWriter::endRow()
{
    m_text += '\n';
    m_rowStarted = false;
    return *this;
}

} // namespace normad
