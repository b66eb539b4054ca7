#include "normad/Sha256.h"

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace normad {

struct Sha256::Context {
    EVP_MD_CTX* md = nullptr;
    ~Context() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : m_context(std::make_unique<Context>())
{
    m_context->md = EVP_MD_CTX_new();
    if (!m_context->md || EVP_DigestInit_ex(m_context->md, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256: OpenSSL could not start a digest");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size)
{
    if (size > 0 && EVP_DigestUpdate(m_context->md, data, size) != 1)
        throw std::runtime_error("SHA-256: OpenSSL could not hash the data");
}

std::string Sha256::hexDigest()
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned length = 0;
    if (EVP_DigestFinal_ex(m_context->md, digest.data(), &length) != 1)
        throw std::runtime_error("SHA-256: OpenSSL could not finish the digest");
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned i = 0; i < length; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 15];
    }
    return text;
}

std::string sha256Hex(std::string_view bytes)
{
    Sha256 hash;
    hash.update(bytes);
    return hash.hexDigest();
}

FileFingerprint fingerprintFile(const std::string& path)
{
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file)
        throw std::runtime_error(path + ": cannot open the file (" + std::strerror(errno) + ")");
    Sha256 hash;
    FileFingerprint fingerprint;
    std::array<char, 1 << 16> block;
    for (;;) {
        const std::size_t got = std::fread(block.data(), 1, block.size(), file.get());
        hash.update(block.data(), got);
        fingerprint.size += got;
        if (got < block.size()) {
            if (std::ferror(file.get()))
                throw std::runtime_error(path + ": read error after " + std::to_string(fingerprint.size) + " bytes");
            break;
        }
    }
    fingerprint.sha256 = hash.hexDigest();
    return fingerprint;
}

} // namespace normad
