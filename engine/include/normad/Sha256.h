#pragma once

// SHA-256 (FIPS 180-4) of data files, through OpenSSL's libcrypto: a project references its dataset
// files by path, size and digest, so a moved or changed file is noticed when the project is opened.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace normad {

/// Incremental SHA-256: update() any number of times, then hexDigest() once.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    /// The digest as 64 lower-case hex digits. Finishes the hash: call it once.
    std::string hexDigest();

private:
    struct Context;
    std::unique_ptr<Context> m_context;
};

/// SHA-256 of `bytes`, lower-case hex.
std::string sha256Hex(std::string_view bytes);

/// What a project records of a data file.
struct FileFingerprint {
    std::uint64_t size = 0; ///< bytes
    std::string sha256;     ///< lower-case hex
};

/// Reads `path` in blocks (memory stays small for any file size). Throws std::runtime_error naming
/// the file when it cannot be opened or read.
FileFingerprint fingerprintFile(const std::string& path);

} // namespace normad
