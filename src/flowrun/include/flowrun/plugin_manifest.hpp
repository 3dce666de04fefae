// A plugin folder's package.json as flowrun reads it: what the folder promises (library, entry,
// ABI, nodes) and the library's size and SHA-256, checked before the library is ever loaded.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace flowrun {

struct PluginManifest {
    std::string name;
    std::string version;
    std::string library;  // file name, relative to the folder
    std::string entry;    // the exported entry's name
    std::int64_t abi_major = 0;
    std::int64_t abi_minor = 0;
    std::uint64_t library_size = 0;
    std::string library_sha256;                            // lower-case hex
    std::set<std::pair<std::string, std::int64_t>> nodes;  // (id, version)
};

// Reads DIR/package.json; nullopt with `problem` saying what is missing or wrong in it.
std::optional<PluginManifest> read_manifest(const std::filesystem::path& dir, std::string& problem);

// Whether `library` is the file the manifest describes (size and SHA-256) and an ELF shared
// object for this machine; false with `problem` naming the file. A half-copied or foreign
// library is refused here, because dlopen of one can take the whole process down (SIGBUS on a
// truncated file, an ld.so assertion on corrupted headers).
bool check_library(const std::filesystem::path& library, const PluginManifest& manifest, std::string& problem);

}  // namespace flowrun
