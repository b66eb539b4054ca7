#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace normad {

/// A NumPy file (.npy or .npz) that cannot be read. what() names the file, the entry (array name
/// inside an .npz, empty for the archive itself) and the reason.
class NpzError : public std::runtime_error {
public:
    NpzError(std::string file, std::string entry, std::string reason);
    const std::string& file() const { return m_file; }
    const std::string& entry() const { return m_entry; }
    const std::string& reason() const { return m_reason; }

private:
    std::string m_file, m_entry, m_reason;
};

/// One n-dimensional array of a .npy file, C (row-major) order.
/// Written as '<f8' (float64), '<i8' (int64) or '<U{n}' (a 0-d unicode string). Read from any
/// little- or big-endian float (f4, f8), integer (i1…i8, u1…u8), bool (b1) or unicode (U) array;
/// floats are kept as doubles, integers and bools as int64, strings as UTF-8.
class NpyArray {
public:
    enum class Kind { Float, Integer, String };

    NpyArray() = default;
    /// A float64 array; throws std::invalid_argument if the shape does not match the data size.
    static NpyArray float64(std::vector<std::int64_t> shape, std::vector<double> data);
    /// An int64 array; throws std::invalid_argument if the shape does not match the data size.
    static NpyArray int64(std::vector<std::int64_t> shape, std::vector<std::int64_t> data);
    /// A 0-d unicode array holding `utf8` (numpy: `str(archive["name"])`).
    static NpyArray string(std::string utf8);

    Kind kind() const { return m_kind; }
    /// The numpy type description as written or read, e.g. "<f8", "<i4", "<U42".
    const std::string& dtype() const { return m_dtype; }
    const std::vector<std::int64_t>& shape() const { return m_shape; }
    /// Number of elements: the product of the shape (1 for a 0-d array).
    std::int64_t elementCount() const;
    const std::vector<double>& doubles() const { return m_doubles; }         ///< Kind::Float
    const std::vector<std::int64_t>& integers() const { return m_integers; } ///< Kind::Integer
    const std::string& text() const { return m_text; }                       ///< Kind::String (UTF-8)

private:
    friend NpyArray parseNpy(std::string_view bytes, const std::string& file, const std::string& entry);
    Kind m_kind = Kind::Float;
    std::string m_dtype = "<f8";
    std::vector<std::int64_t> m_shape;
    std::vector<double> m_doubles;
    std::vector<std::int64_t> m_integers;
    std::string m_text;
};

/// The bytes of a .npy file (format 1.0: magic, header dict padded with spaces to a multiple of
/// 64 bytes and ending in '\n', then the data, little-endian, C order).
std::string npyBytes(const NpyArray& array);
/// Parses a .npy file (format 1.0, 2.0 or 3.0). Throws NpzError naming `file` and `entry`.
NpyArray parseNpy(std::string_view bytes, const std::string& file, const std::string& entry = {});

/// Files larger than this are refused before being read.
inline constexpr long long maxNpzFileBytes = 2LL * 1024 * 1024 * 1024;

/// A NumPy .npz archive: a zip file of `NAME.npy` entries (numpy.savez's layout), read and written
/// with libzip. Entries keep their order; names are given without the ".npy" suffix.
class NpzArchive {
public:
    /// Adds (or replaces) the array `name`.
    void add(const std::string& name, NpyArray array);
    /// The array `name`, or nullptr.
    const NpyArray* find(const std::string& name) const;
    const std::vector<std::pair<std::string, NpyArray>>& entries() const { return m_entries; }

    /// The archive's bytes (stored, uncompressed entries, as numpy.savez).
    std::string toBytes() const;
    /// Writes the archive atomically (writeFileAtomically). Throws std::runtime_error.
    void save(const std::string& path) const;

    /// Reads an archive (stored or deflated entries; numpy.savez and savez_compressed). Entries that
    /// are not .npy files are ignored. Throws NpzError naming the file, the entry and the reason.
    static NpzArchive load(const std::string& path);
    static NpzArchive fromBytes(const std::string& bytes, const std::string& source = "<memory>");

private:
    std::vector<std::pair<std::string, NpyArray>> m_entries;
};

} // namespace normad
