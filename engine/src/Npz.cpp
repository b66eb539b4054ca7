#include "normad/Npz.h"

#include "normad/AtomicFile.h"
#include "normad/MemoryBudget.h"
#include "normad/TextFormat.h"

#include <zip.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

// The .npy format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
// An .npz is a zip archive of NAME.npy entries (numpy.savez). docs/exports.md documents what the
// workbench writes into them.

namespace normad {

static_assert(std::endian::native == std::endian::little, "the .npy writer assumes a little-endian host");

namespace {

std::string npzMessage(const std::string& file, const std::string& entry, const std::string& reason)
{
    std::string s = file;
    if (!entry.empty())
        s += ": array " + quotedText(entry);
    return s + ": " + reason;
}

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

std::int64_t product(const std::vector<std::int64_t>& shape)
{
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        n *= d;
    return n;
}

// --- UTF-8 <-> UTF-32 (numpy's 'U' dtype holds UTF-32 code points) ---------------------------

std::u32string utf32FromUtf8(const std::string& s)
{
    std::u32string out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
        char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1f) : extra == 2 ? (c & 0x0f) : (c & 0x07);
        bool ok = extra >= 0 && i + static_cast<std::size_t>(extra) < s.size() + (extra == 0 ? 1 : 0);
        for (int k = 1; ok && k <= extra; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            ok = (cc & 0xc0) == 0x80;
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (!ok || cp > 0x10ffff) {
            out += U'\uFFFD'; // invalid UTF-8 is replaced, never written through
            ++i;
            continue;
        }
        out += cp;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return out;
}

void appendUtf8(std::string& s, char32_t cp)
{
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = U'\uFFFD';
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xc0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        s += static_cast<char>(0xe0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        s += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        s += static_cast<char>(0xf0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        s += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

// --- the header dict: {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } -------------

struct Header {
    std::string descr;
    bool fortranOrder = false;
    std::vector<std::int64_t> shape;
};

class HeaderParser {
public:
    HeaderParser(std::string_view text, const std::string& file, const std::string& entry)
        : m_text(text), m_file(file), m_entry(entry)
    {
    }

    Header parse()
    {
        Header h;
        bool haveDescr = false, haveOrder = false, haveShape = false;
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}')
                break;
            const std::string key = quoted();
            expect(':');
            skipSpace();
            if (key == "descr") {
                h.descr = quoted();
                haveDescr = true;
            } else if (key == "fortran_order") {
                h.fortranOrder = boolean();
                haveOrder = true;
            } else if (key == "shape") {
                h.shape = tuple();
                haveShape = true;
            } else {
                fail("unexpected key " + quotedText(key) + " in the .npy header");
            }
            skipSpace();
            if (peek() == ',')
                ++m_pos;
        }
        if (!haveDescr || !haveOrder || !haveShape)
            fail("the .npy header lacks " + std::string(!haveDescr   ? "'descr'"
                                                        : !haveOrder ? "'fortran_order'"
                                                                     : "'shape'"));
        return h;
    }

private:
    [[noreturn]] void fail(const std::string& reason) const { throw NpzError(m_file, m_entry, reason); }
    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    void skipSpace()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t'))
            ++m_pos;
    }
    void expect(char c)
    {
        skipSpace();
        if (peek() != c)
            fail(std::string("malformed .npy header: expected '") + c + "' at byte " + std::to_string(m_pos) + " of " +
                 quotedText(m_text));
        ++m_pos;
    }
    std::string quoted()
    {
        skipSpace();
        const char q = peek();
        if (q != '\'' && q != '"')
            fail("malformed .npy header: expected a quoted string at byte " + std::to_string(m_pos));
        const std::size_t end = m_text.find(q, m_pos + 1);
        if (end == std::string_view::npos)
            fail("malformed .npy header: unterminated string");
        std::string s(m_text.substr(m_pos + 1, end - m_pos - 1));
        m_pos = end + 1;
        return s;
    }
    bool boolean()
    {
        if (m_text.substr(m_pos, 4) == "True") {
            m_pos += 4;
            return true;
        }
        if (m_text.substr(m_pos, 5) == "False") {
            m_pos += 5;
            return false;
        }
        fail("malformed .npy header: fortran_order is neither True nor False");
    }
    std::vector<std::int64_t> tuple()
    {
        expect('(');
        std::vector<std::int64_t> shape;
        while (true) {
            skipSpace();
            if (peek() == ')') {
                ++m_pos;
                return shape;
            }
            if (peek() < '0' || peek() > '9')
                fail("malformed .npy header: the shape is not a tuple of non-negative integers");
            std::int64_t v = 0;
            while (peek() >= '0' && peek() <= '9') {
                if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
                    fail("the shape has a dimension beyond 2^63");
                v = v * 10 + (peek() - '0');
                ++m_pos;
                if (peek() == 'L') // Python 2 longs
                    ++m_pos;
            }
            shape.push_back(v);
            if (shape.size() > 32)
                fail("the shape has more than 32 dimensions");
            skipSpace();
            if (peek() == ',')
                ++m_pos;
            else if (peek() != ')')
                fail("malformed .npy header: expected ',' or ')' in the shape");
        }
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    const std::string& m_file;
    const std::string& m_entry;
};

template <typename T> T loadValue(const char* p, bool swap)
{
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, p, sizeof(T));
    if (swap)
        std::reverse(bytes, bytes + sizeof(T));
    T v;
    std::memcpy(&v, bytes, sizeof(T));
    return v;
}

/// libzip error text.
std::string zipErrorText(zip_error_t* error)
{
    const char* s = zip_error_strerror(error);
    return s ? s : "unknown libzip error";
}

struct ZipErrorGuard {
    zip_error_t error;
    ZipErrorGuard() { zip_error_init(&error); }
    ~ZipErrorGuard() { zip_error_fini(&error); }
};

} // namespace

NpzError::NpzError(std::string file, std::string entry, std::string reason)
    : std::runtime_error(npzMessage(file, entry, reason)),
      m_file(std::move(file)),
      m_entry(std::move(entry)),
      m_reason(std::move(reason))
{
}

NpyArray NpyArray::float64(std::vector<std::int64_t> shape, std::vector<double> data)
{
    if (product(shape) != static_cast<std::int64_t>(data.size()))
        throw std::invalid_argument("NpyArray: shape " + shapeText(shape) + " does not hold " +
                                    std::to_string(data.size()) + " values");
    NpyArray a;
    a.m_kind = Kind::Float;
    a.m_dtype = "<f8";
    a.m_shape = std::move(shape);
    a.m_doubles = std::move(data);
    return a;
}

NpyArray NpyArray::int64(std::vector<std::int64_t> shape, std::vector<std::int64_t> data)
{
    if (product(shape) != static_cast<std::int64_t>(data.size()))
        throw std::invalid_argument("NpyArray: shape " + shapeText(shape) + " does not hold " +
                                    std::to_string(data.size()) + " values");
    NpyArray a;
    a.m_kind = Kind::Integer;
    a.m_dtype = "<i8";
    a.m_shape = std::move(shape);
    a.m_integers = std::move(data);
    return a;
}

NpyArray NpyArray::string(std::string utf8)
{
    NpyArray a;
    a.m_kind = Kind::String;
    // numpy has no zero-length 'U' type on disk ('<U0' reads back as '<U1'); one NUL is ''.
    a.m_dtype = "<U" + std::to_string(std::max<std::size_t>(1, utf32FromUtf8(utf8).size()));
    a.m_text = std::move(utf8);
    return a;
}

std::int64_t NpyArray::elementCount() const
{
    return product(m_shape);
}

std::string npyBytes(const NpyArray& array)
{
    std::string dict =
        "{'descr': '" + array.dtype() + "', 'fortran_order': False, 'shape': " + shapeText(array.shape()) + ", }";
    // magic (6) + version (2) + header length (2) + dict + padding + '\n' is a multiple of 64.
    const std::size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    if (dict.size() > 65535)
        throw std::invalid_argument("npyBytes: the header is too long for format 1.0");

    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>(dict.size() >> 8);
    out += dict;
    switch (array.kind()) {
    case NpyArray::Kind::Float:
        out.append(reinterpret_cast<const char*>(array.doubles().data()), array.doubles().size() * sizeof(double));
        break;
    case NpyArray::Kind::Integer:
        out.append(reinterpret_cast<const char*>(array.integers().data()),
                   array.integers().size() * sizeof(std::int64_t));
        break;
    case NpyArray::Kind::String: {
        std::u32string text = utf32FromUtf8(array.text());
        text.resize(std::max<std::size_t>(1, text.size()), U'\0');
        out.append(reinterpret_cast<const char*>(text.data()), text.size() * sizeof(char32_t));
        break;
    }
    }
    return out;
}

NpyArray parseNpy(std::string_view bytes, const std::string& file, const std::string& entry)
{
    auto fail = [&](const std::string& reason) -> void { throw NpzError(file, entry, reason); };
    if (bytes.size() < 10 || bytes.substr(0, 6) != std::string_view("\x93NUMPY", 6))
        fail("not a .npy array (the file does not start with \\x93NUMPY)");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t headerLength = 0;
    std::size_t offset = 0;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8]) |
                       (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            fail("truncated .npy header");
        for (int i = 3; i >= 0; --i)
            headerLength = (headerLength << 8) | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(i)]);
        offset = 12;
    } else {
        fail(".npy format version " + std::to_string(major) + " is not supported (1, 2 and 3 are)");
    }
    if (headerLength > bytes.size() - offset)
        fail("truncated .npy header (it declares " + std::to_string(headerLength) + " bytes, the file has " +
             std::to_string(bytes.size() - offset) + ")");
    const Header h = HeaderParser(bytes.substr(offset, headerLength), file, entry).parse();
    const std::string_view data = bytes.substr(offset + headerLength);

    // descr: byte order ('<', '>', '|', '='), kind letter, item size.
    const std::string& d = h.descr;
    if (d.size() < 2 || std::string_view("<>|=").find(d[0]) == std::string_view::npos)
        fail("unsupported dtype " + quotedText(d) +
             " (expected a plain numeric or unicode type such as '<f8', '<i8', '<U10')");
    const bool swap = d[0] == '>';
    const char kind = d[1];
    int itemSize = 0;
    const std::string sizeText = d.substr(2);
    if (sizeText.empty() || sizeText.size() > 9 || !std::all_of(sizeText.begin(), sizeText.end(), ::isdigit))
        fail("unsupported dtype " + quotedText(d));
    itemSize = std::stoi(sizeText);
    const bool numeric =
        (kind == 'f' && (itemSize == 4 || itemSize == 8)) ||
        ((kind == 'i' || kind == 'u') && (itemSize == 1 || itemSize == 2 || itemSize == 4 || itemSize == 8)) ||
        (kind == 'b' && itemSize == 1);
    if (kind == 'O')
        fail("object arrays (Python pickles) are not read, for safety; save plain numeric arrays");
    if (!numeric && kind != 'U')
        fail("unsupported dtype " + quotedText(d) + " (expected float32/64, an integer, bool or a unicode string)");
    const std::size_t bytesPerItem =
        kind == 'U' ? 4u * static_cast<std::size_t>(itemSize) : static_cast<std::size_t>(itemSize);

    // Element count and byte size in checked arithmetic: a shape such as (2^61,) with 8-byte items
    // would wrap to 0 bytes and pass the size comparison below.
    if (bytesPerItem == 0 && std::find(h.shape.begin(), h.shape.end(), 0) == h.shape.end())
        fail("unsupported dtype " + quotedText(d) + " (zero-size items)");
    std::uint64_t elements = 1;
    for (std::int64_t dim : h.shape)
        elements = saturatingMultiply(elements, static_cast<std::uint64_t>(dim));
    const std::uint64_t expected = saturatingMultiply(elements, bytesPerItem);
    if (expected > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        fail("the shape " + shapeText(h.shape) + " of " + std::to_string(bytesPerItem) +
             "-byte items declares more than 2^63 bytes; the data has " + std::to_string(data.size()));
    const auto count = static_cast<std::int64_t>(elements);
    if (data.size() != expected)
        fail("the data has " + std::to_string(data.size()) + " bytes, the header (dtype " + d + ", shape " +
             shapeText(h.shape) + ") declares " + std::to_string(expected));

    NpyArray a;
    a.m_dtype = d;
    a.m_shape = h.shape;
    // Fortran order: element with C index c sits at the column-major offset of the same multi-index.
    auto sourceIndex = [&](std::int64_t c) -> std::int64_t {
        if (!h.fortranOrder || h.shape.size() < 2)
            return c;
        std::int64_t f = 0, stride = 1;
        std::vector<std::int64_t> index(h.shape.size());
        for (std::size_t k = h.shape.size(); k-- > 0;) {
            index[k] = c % h.shape[k];
            c /= h.shape[k];
        }
        for (std::size_t k = 0; k < h.shape.size(); ++k) {
            f += index[k] * stride;
            stride *= h.shape[k];
        }
        return f;
    };

    if (kind == 'U') {
        if (count > 1)
            fail("a string array must hold one string (0-d), got shape " + shapeText(h.shape));
        a.m_kind = NpyArray::Kind::String;
        for (int i = 0; count == 1 && i < itemSize; ++i) {
            const auto cp = loadValue<char32_t>(data.data() + 4 * i, swap);
            if (cp == 0)
                break;
            appendUtf8(a.m_text, cp);
        }
        return a;
    }
    const auto n = static_cast<std::size_t>(count);
    // Every element becomes 8 bytes (double or int64), so a byte array grows eightfold.
    requireMemory(saturatingMultiply(n, 8), file, entry.empty() ? std::string() : "array " + quotedText(entry),
                  "the " + std::to_string(n) + " elements of shape " + shapeText(h.shape));
    if (kind == 'f') {
        a.m_kind = NpyArray::Kind::Float;
        a.m_doubles.resize(n);
        for (std::size_t c = 0; c < n; ++c) {
            const char* p =
                data.data() + static_cast<std::size_t>(sourceIndex(static_cast<std::int64_t>(c))) * bytesPerItem;
            a.m_doubles[c] =
                itemSize == 8 ? loadValue<double>(p, swap) : static_cast<double>(loadValue<float>(p, swap));
        }
        return a;
    }
    a.m_kind = NpyArray::Kind::Integer;
    a.m_integers.resize(n);
    for (std::size_t c = 0; c < n; ++c) {
        const char* p =
            data.data() + static_cast<std::size_t>(sourceIndex(static_cast<std::int64_t>(c))) * bytesPerItem;
        std::int64_t v = 0;
        if (kind == 'u' || kind == 'b') {
            std::uint64_t u = itemSize == 1   ? loadValue<std::uint8_t>(p, swap)
                              : itemSize == 2 ? loadValue<std::uint16_t>(p, swap)
                              : itemSize == 4 ? loadValue<std::uint32_t>(p, swap)
                                              : loadValue<std::uint64_t>(p, swap);
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail("element " + std::to_string(c) + " (" + std::to_string(u) + ") is beyond the range of int64");
            v = static_cast<std::int64_t>(u);
        } else {
            v = itemSize == 1   ? loadValue<std::int8_t>(p, swap)
                : itemSize == 2 ? loadValue<std::int16_t>(p, swap)
                : itemSize == 4 ? loadValue<std::int32_t>(p, swap)
                                : loadValue<std::int64_t>(p, swap);
        }
        a.m_integers[c] = v;
    }
    return a;
}

void NpzArchive::add(const std::string& name, NpyArray array)
{
    for (auto& [n, a] : m_entries)
        if (n == name) {
            a = std::move(array);
            return;
        }
    m_entries.emplace_back(name, std::move(array));
}

const NpyArray* NpzArchive::find(const std::string& name) const
{
    for (const auto& [n, a] : m_entries)
        if (n == name)
            return &a;
    return nullptr;
}

std::string NpzArchive::toBytes() const
{
    ZipErrorGuard e;
    zip_source_t* memory = zip_source_buffer_create(nullptr, 0, 0, &e.error);
    if (!memory)
        throw std::runtime_error("cannot create an in-memory zip: " + zipErrorText(&e.error));
    zip_t* zip = zip_open_from_source(memory, ZIP_TRUNCATE, &e.error);
    if (!zip) {
        zip_source_free(memory);
        throw std::runtime_error("cannot create an in-memory zip: " + zipErrorText(&e.error));
    }
    zip_source_keep(memory); // survives zip_close, which writes the archive into it
    auto abandon = [&](const std::string& what) {
        const std::string message = what + ": " + (zip_strerror(zip) ? zip_strerror(zip) : "");
        zip_discard(zip);
        zip_source_free(memory);
        throw std::runtime_error("cannot build the .npz archive: " + message);
    };
    // Entry data must live until zip_close.
    std::deque<std::string> buffers;
    for (const auto& [name, array] : m_entries) {
        buffers.push_back(npyBytes(array));
        zip_source_t* s = zip_source_buffer(zip, buffers.back().data(), buffers.back().size(), 0);
        if (!s)
            abandon(name);
        const zip_int64_t index = zip_file_add(zip, (name + ".npy").c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
        if (index < 0) {
            zip_source_free(s);
            abandon(name);
        }
        // Stored like numpy.savez; a fixed time stamp makes two exports of the same data byte-identical.
        if (zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0 ||
            zip_file_set_mtime(zip, static_cast<zip_uint64_t>(index), 315532800 /* 1980-01-01 */, 0) != 0)
            abandon(name);
    }
    if (zip_close(zip) != 0)
        abandon("closing");

    std::string bytes;
    if (zip_source_open(memory) != 0) {
        zip_source_free(memory);
        throw std::runtime_error("cannot read back the in-memory .npz archive");
    }
    zip_source_seek(memory, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(memory);
    zip_source_seek(memory, 0, SEEK_SET);
    bytes.resize(static_cast<std::size_t>(std::max<zip_int64_t>(size, 0)));
    const zip_int64_t read = bytes.empty() ? 0 : zip_source_read(memory, bytes.data(), bytes.size());
    zip_source_close(memory);
    zip_source_free(memory);
    if (read != static_cast<zip_int64_t>(bytes.size()))
        throw std::runtime_error("cannot read back the in-memory .npz archive");
    return bytes;
}

void NpzArchive::save(const std::string& path) const
{
    writeFileAtomically(path, toBytes());
}

NpzArchive NpzArchive::load(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw NpzError(path, "", "no such file");
    if (fs::is_directory(path, ec))
        throw NpzError(path, "", "is a folder, not a file");
    const auto size = fs::file_size(path, ec);
    if (ec)
        throw NpzError(path, "", "cannot read: " + ec.message());
    if (size > static_cast<std::uintmax_t>(maxNpzFileBytes))
        throw NpzError(path, "",
                       "the file has " + std::to_string(size) + " bytes, more than the " +
                           std::to_string(maxNpzFileBytes) + " accepted");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw NpzError(path, "", std::string("cannot open: ") + std::strerror(errno));
    std::string bytes(static_cast<std::size_t>(size), '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
        throw NpzError(path, "", "cannot read the whole file");
    return fromBytes(bytes, path);
}

NpzArchive NpzArchive::fromBytes(const std::string& bytes, const std::string& source)
{
    if (bytes.size() < 4 || bytes.compare(0, 2, "PK") != 0)
        throw NpzError(source, "", "not an .npz archive (not a zip file)");
    ZipErrorGuard e;
    zip_source_t* memory = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &e.error);
    if (!memory)
        throw NpzError(source, "", "cannot read: " + zipErrorText(&e.error));
    zip_t* zip = zip_open_from_source(memory, ZIP_RDONLY | ZIP_CHECKCONS, &e.error);
    if (!zip) {
        zip_source_free(memory);
        throw NpzError(source, "", "not a valid .npz archive (zip: " + zipErrorText(&e.error) + ")");
    }
    std::unique_ptr<zip_t, void (*)(zip_t*)> guard(zip, [](zip_t* z) { zip_discard(z); });

    NpzArchive archive;
    const zip_int64_t count = zip_get_num_entries(zip, 0);
    std::uint64_t total = 0;
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
            !(st.valid & ZIP_STAT_SIZE))
            throw NpzError(source, "", "cannot read entry " + std::to_string(i) + ": " + zip_strerror(zip));
        std::string name = st.name;
        if (!name.ends_with(".npy"))
            continue;
        name.resize(name.size() - 4);
        if (archive.find(name))
            throw NpzError(source, name, "the archive holds two arrays of this name");
        total += st.size;
        // A small archive may inflate to gigabytes: bound what is decompressed, not only the file,
        // from the sizes the archive declares, before inflating anything.
        if (total > static_cast<std::uint64_t>(maxNpzFileBytes))
            throw NpzError(source, name,
                           "the arrays are larger than the " + std::to_string(maxNpzFileBytes) + " bytes accepted");
        requireMemory(st.size, source, "array " + quotedText(name),
                      "the entry, which inflates to " + std::to_string(st.size) + " bytes,");
        zip_file_t* f = zip_fopen_index(zip, static_cast<zip_uint64_t>(i), 0);
        if (!f)
            throw NpzError(source, name, std::string("cannot open the entry: ") + zip_strerror(zip));
        std::string data(static_cast<std::size_t>(st.size), '\0');
        const zip_int64_t read = data.empty() ? 0 : zip_fread(f, data.data(), data.size());
        const std::string fileError = read < 0 ? zip_file_strerror(f) : "";
        zip_fclose(f);
        if (read != static_cast<zip_int64_t>(data.size()))
            throw NpzError(source, name,
                           "cannot read the entry (damaged archive" +
                               (fileError.empty() ? std::string() : ": " + fileError) + ")");
        archive.m_entries.emplace_back(name, parseNpy(data, source, name));
    }
    return archive;
}

} // namespace normad
