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
