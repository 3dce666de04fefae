// A file's size and SHA-256, as a plugin folder's package.json records its library's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace fd {

struct FileDigest {
    std::uint64_t size = 0;
    std::string sha256;  // lower-case hex
};

// nullopt when the file cannot be read.
std::optional<FileDigest> digest_of_file(const std::filesystem::path& path);

}  // namespace fd
