#include "common/file_digest.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <memory>

namespace fd {

std::optional<FileDigest> digest_of_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) return std::nullopt;
    FileDigest digest;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        EVP_DigestUpdate(context.get(), buffer, static_cast<std::size_t>(in.gcount()));
        digest.size += static_cast<std::uint64_t>(in.gcount());
    }
    if (in.bad()) return std::nullopt;
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), hash, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < length; ++i) {
        digest.sha256 += kHex[hash[i] >> 4];
        digest.sha256 += kHex[hash[i] & 0xf];
    }
    return digest;
}

}  // namespace fd
