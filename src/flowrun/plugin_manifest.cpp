#include "flowrun/plugin_manifest.hpp"

#include "common/file_digest.hpp"
#include "flowrun/input_text.hpp"
#include "flowrun/templates.hpp"
#include "wfp_plugin.h"

#include <elf.h>

#include <array>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace flowrun {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// Thrown inside read_manifest only: a field that is missing or of the wrong kind.
struct ManifestError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const json::value& field(const json::object& manifest, const std::string& path, json::kind kind,
                         std::string_view expected) {
    const json::value* value = lookup(path, manifest);
    if (!value || value->kind() != kind) throw ManifestError("\"" + path + "\" must be " + std::string(expected));
    return *value;
}

std::string text_field(const json::object& manifest, const std::string& path) {
    return std::string(field(manifest, path, json::kind::string, "a string").get_string());
}

std::int64_t integer_field(const json::object& manifest, const std::string& path) {
    const json::value* value = lookup(path, manifest);
    if (!value || !(value->is_int64() || value->is_uint64()) || value->to_number<std::int64_t>() < 0) {
        throw ManifestError("\"" + path + "\" must be a whole number");
    }
    return value->to_number<std::int64_t>();
}

PluginManifest manifest_from(const json::object& root) {
    PluginManifest manifest;
    manifest.name = text_field(root, "name");
    manifest.version = text_field(root, "version");
    manifest.library = text_field(root, "wfp.library");
    // Written by every build; an older folder without it means the ABI 1 entry.
    manifest.entry = lookup("wfp.entry", root) ? text_field(root, "wfp.entry") : WFP_ENTRY_SYMBOL;
    manifest.abi_major = integer_field(root, "wfp.abi.major");
    manifest.abi_minor = integer_field(root, "wfp.abi.minor");
    if (!lookup("wfp.library_size", root) || !lookup("wfp.library_sha256", root)) {
        throw ManifestError(
            "it records no \"wfp.library_size\" and \"wfp.library_sha256\", so its library "
            "cannot be checked before loading (the plugin's build writes them)");
    }
    manifest.library_size = static_cast<std::uint64_t>(integer_field(root, "wfp.library_size"));
    manifest.library_sha256 = text_field(root, "wfp.library_sha256");
    for (const json::value& node : field(root, "wfp.nodes", json::kind::array, "a list").get_array()) {
        if (!node.is_object()) throw ManifestError("every entry of \"wfp.nodes\" must be an object");
        manifest.nodes.emplace(text_field(node.get_object(), "id"), integer_field(node.get_object(), "version"));
    }
    return manifest;
}

std::string machine_name(std::uint16_t machine) {
    switch (machine) {
        case EM_X86_64:
            return "x86-64";
        case EM_386:
            return "x86 (32-bit)";
        case EM_AARCH64:
            return "AArch64 (arm64)";
        case EM_ARM:
            return "ARM (32-bit)";
        case EM_RISCV:
            return "RISC-V";
        case EM_PPC64:
            return "POWER (64-bit)";
        case EM_S390:
            return "s390x";
        default:
            return "machine type " + std::to_string(machine);
    }
}

#if defined(__x86_64__)
constexpr std::uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr std::uint16_t kHostMachine = EM_AARCH64;
#elif defined(__riscv)
constexpr std::uint16_t kHostMachine = EM_RISCV;
#else
#error "add this machine's ELF e_machine here"
#endif

// The ELF header says whether dlopen could load it here at all.
bool check_elf_header(const fs::path& library, std::string& problem) {
    std::array<unsigned char, sizeof(Elf64_Ehdr)> bytes{};
    std::ifstream in(library, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), bytes.size());
    const std::string name = library.string();
    if (in.gcount() < EI_NIDENT || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) {
        problem = name + " is not a shared library (no ELF header)";
        return false;
    }
    if (bytes[EI_CLASS] != ELFCLASS64 || bytes[EI_DATA] != ELFDATA2LSB ||
        in.gcount() < static_cast<std::streamsize>(sizeof(Elf64_Ehdr))) {
        problem = name + " is not a 64-bit little-endian library, which this flowrun needs";
        return false;
    }
    Elf64_Ehdr header;
    std::memcpy(&header, bytes.data(), sizeof header);
    if (header.e_machine != kHostMachine) {
        problem = name + " is a library for " + machine_name(header.e_machine) + "; this machine is " +
                  machine_name(kHostMachine) + ": install the plugin built for it";
        return false;
    }
    if (header.e_type != ET_DYN) {
        problem = name + " is an ELF file but not a shared library";
        return false;
    }
    return true;
}

}  // namespace

std::optional<PluginManifest> read_manifest(const fs::path& dir, std::string& problem) {
    std::string text;
    if (!read_text_file(dir / "package.json", text, problem)) return std::nullopt;
    std::string error;
    const std::optional<json::value> root = parse_json(text, error);
    if (!root || !root->is_object()) {
        problem = (dir / "package.json").string() + " is not a JSON object (" +
                  (root ? "another kind of value" : error) + ")";
        return std::nullopt;
    }
    try {
        return manifest_from(root->get_object());
    } catch (const ManifestError& wrong) {
        problem = (dir / "package.json").string() + ": " + wrong.what();
        return std::nullopt;
    }
}

bool check_library(const fs::path& library, const PluginManifest& manifest, std::string& problem) {
    const std::optional<fd::FileDigest> digest = fd::digest_of_file(library);
    if (!digest) {
        std::string reason;
        std::string ignored;
        read_text_file(library, ignored, reason);
        problem = reason.empty() ? "cannot read " + library.string() : reason;
        return false;
    }
    const std::string copy_again =
        ": it is not the library this plugin folder was built with (a half-copied "
        "or damaged file?); copy the plugin folder again";
    if (digest->size != manifest.library_size) {
        problem = library.string() + " is " + std::to_string(digest->size) + " bytes, package.json records " +
                  std::to_string(manifest.library_size) + copy_again;
        return false;
    }
    if (digest->sha256 != manifest.library_sha256) {
        problem = library.string() + " has SHA-256 " + digest->sha256 + ", package.json records " +
                  manifest.library_sha256 + copy_again;
        return false;
    }
    return check_elf_header(library, problem);
}

}  // namespace flowrun
