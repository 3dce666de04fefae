// Plugin folders as an operator drops them in: every damaged or foreign library is refused by a
// message naming the file and a non-zero exit, never a signal; folder mistakes are said.
#include "common/file_digest.hpp"
#include "flowrun/support.hpp"
#include "wfp_plugin.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace flowrun_test;

const fs::path kRefusingPlugin = FD_REFUSING_PLUGIN;
const fs::path kFutureMinorPlugin = FD_FUTURE_MINOR_PLUGIN;

class PluginFolders : public Scratch {
  protected:
    fs::path copy_real_plugin(const std::string& name) {
        fs::copy(kPluginDir, root_ / name, fs::copy_options::recursive);
        return root_ / name;
    }
    json::object manifest_of(const fs::path& folder) {
        return json::parse(read_file(folder / "package.json")).as_object();
    }
    // The library file the real plugin folder's package.json names.
    std::string library_name() { return std::string(manifest_of(kPluginDir).at("wfp").at("library").as_string()); }
    fs::path library_of(const fs::path& folder) { return folder / library_name(); }
    void write_manifest(const fs::path& folder, const json::object& manifest) {
        write_file(folder / "package.json", json::serialize(manifest));
    }
    // Makes package.json describe whatever the library file now is (size and SHA-256).
    void record_library(const fs::path& folder, const std::string& library) {
        json::object manifest = manifest_of(folder);
        const fd::FileDigest digest = *fd::digest_of_file(folder / library);
        manifest["wfp"].as_object()["library"] = library;
        manifest["wfp"].as_object()["library_size"] = digest.size;
        manifest["wfp"].as_object()["library_sha256"] = digest.sha256;
        write_manifest(folder, manifest);
    }
    // A plugin folder around a fixture library, offering no node.
    fs::path fixture_plugin(const std::string& name, const fs::path& library) {
        const fs::path folder = root_ / name;
        fs::create_directories(folder);
        fs::copy_file(library, folder / library.filename());
        write_file(folder / "package.json",
                   R"({"name":")" + name +
                       R"(","version":"0.0.1","wfp":{"library":"x","abi":{"major":1,"minor":1},"nodes":[]}})");
        record_library(folder, library.filename().string());
        return folder;
    }
    Result nodes() { return run_flowrun({"nodes", "--plugins", root_.string()}); }
};

void truncate_to(const fs::path& file, std::uintmax_t size) {
    fs::resize_file(file, size);
}

void flip_bytes(const fs::path& file, std::streamoff at) {
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(at);
    char bytes[16];
    io.read(bytes, sizeof bytes);
    for (char& byte : bytes)
        byte = static_cast<char>(~byte);
    io.seekp(at);
    io.write(bytes, sizeof bytes);
}

// The 64-byte ELF header of a shared library for AArch64 (e_machine 183), and nothing else.
std::string aarch64_elf_header() {
    std::string header(64, '\0');
    const unsigned char ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    std::copy(std::begin(ident), std::end(ident), header.begin());
    header[16] = 3;                       // e_type ET_DYN
    header[18] = static_cast<char>(183);  // e_machine EM_AARCH64
    header[20] = 1;                       // e_version
    return header;
}

}  // namespace

// Issue 11: a truncated library took `flowrun nodes` down with a Bus error.
TEST_F(PluginFolders, ATruncatedLibraryIsRefusedBeforeLoading) {
    for (const std::uintmax_t size : {1024u, 100u * 1024, 1024u * 1024}) {
        const fs::path folder = copy_real_plugin("cut-" + std::to_string(size));
        truncate_to(library_of(folder), size);
        const Result r = nodes();
        EXPECT_EQ(r.exit_code, 1) << "exit 1, not a signal: " << r.err;
        EXPECT_NE(
            r.err.find(library_of(folder).string() + " is " + std::to_string(size) + " bytes, package.json records "),
            std::string::npos)
            << r.err;
        EXPECT_NE(r.err.find("copy the plugin folder again"), std::string::npos) << r.err;
        fs::remove_all(folder);
    }
}

// Issue 11: flipped bytes made ld.so assert.
TEST_F(PluginFolders, ALibraryWithFlippedBytesIsRefused) {
    const fs::path folder = copy_real_plugin("flipped");
    flip_bytes(library_of(folder), 0x40);
    const Result r = nodes();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(library_of(folder).string() + " has SHA-256 "), std::string::npos) << r.err;
}

TEST_F(PluginFolders, ANonElfFileOrAForeignLibraryIsRefusedEvenWithAMatchingManifest) {
    const fs::path text = copy_real_plugin("text");
    write_file(library_of(text), "this is not a library\n");
    const fs::path foreign = copy_real_plugin("aarch64");
    write_file(library_of(foreign), aarch64_elf_header());
    Result r = nodes();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(library_of(text).string() + " is 22 bytes"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(library_of(foreign).string() + " is 64 bytes"), std::string::npos) << r.err;

    record_library(text, library_name());
    record_library(foreign, library_name());
    r = nodes();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(library_of(text).string() + " is not a shared library (no ELF header)"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(library_of(foreign).string() + " is a library for AArch64 (arm64); this machine is x86-64"),
              std::string::npos)
        << r.err;
}

TEST_F(PluginFolders, BrokenPluginsAreReportedAndTheRestStillLoad) {
    copy_real_plugin("freshdesk");
    const fs::path missing = copy_real_plugin("missing-library");
    fs::remove(library_of(missing));
    const fs::path future = copy_real_plugin("future-abi");
    json::object manifest = manifest_of(future);
    manifest["wfp"].as_object()["abi"] = json::object{{"major", 2}, {"minor", 0}};
    write_manifest(future, manifest);
    fixture_plugin("refusing", kRefusingPlugin);
    const fs::path lying = copy_real_plugin("lying-manifest");
    manifest = manifest_of(lying);
    manifest["wfp"].as_object()["nodes"].as_array().push_back(
        json::parse(R"({"id":"freshdesk.company.get","version":1})"));
    write_manifest(lying, manifest);

    const Result r = nodes();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(json::parse(r.out).as_array().size(), catalogue_size()) << "the good plugin still serves its nodes";
    EXPECT_NE(r.err.find("cannot read " + library_of(missing).string() + ": No such file or directory"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("ABI major 2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("refuses every host"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("do not match"), std::string::npos) << r.err;
}

// Issue 11: two copies gave 20 nodes with duplicate ids and no word.
TEST_F(PluginFolders, ASecondPluginOfferingTheSameNodesIsRefused) {
    copy_real_plugin("a-first");
    copy_real_plugin("b-copy");
    const Result r = nodes();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(json::parse(r.out).as_array().size(), catalogue_size());
    EXPECT_NE(r.err.find("plugin " + (root_ / "b-copy").string() + " not loaded: it offers \"freshdesk."),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("which plugin " + (root_ / "a-first").string() + " already offers"), std::string::npos)
        << r.err;
}

// Issue 11: no package.json was skipped silently, a wrong entry ignored, invalid JSON printed
// Boost's source location.
TEST_F(PluginFolders, FolderMistakesAreSaid) {
    copy_real_plugin("freshdesk");
    write_file(root_ / "no-manifest/libx.so", "x");
    const fs::path entry = copy_real_plugin("wrong-entry");
    json::object manifest = manifest_of(entry);
    manifest["wfp"].as_object()["entry"] = "wfp_get_entry_v2";
    write_manifest(entry, manifest);
    write_file(root_ / "garbage/package.json", "{ not json");
    const fs::path unrecorded = copy_real_plugin("unrecorded");
    manifest = manifest_of(unrecorded);
    manifest["wfp"].as_object().erase("library_sha256");
    write_manifest(unrecorded, manifest);

    const Result r = nodes();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(json::parse(r.out).as_array().size(), catalogue_size());
    EXPECT_NE(r.err.find((root_ / "no-manifest").string() + " has no package.json"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(R"(names the entry "wfp_get_entry_v2"; ABI 1 plugins export "wfp_get_entry_v1")"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find((root_ / "garbage/package.json").string() +
                         " is not a JSON object (line 1, column 3: syntax error)"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("records no \"wfp.library_size\" and \"wfp.library_sha256\""), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("boost"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(".hpp"), std::string::npos) << r.err;
}

TEST_F(PluginFolders, ANewerAbiMinorLoadsWithANote) {
    fixture_plugin("future", kFutureMinorPlugin);
    const Result r = run_flowrun({"--version", "--plugins", root_.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string newer = "1." + std::to_string(WFP_ABI_MINOR + 1), ours = "1." + std::to_string(WFP_ABI_MINOR);
    EXPECT_NE(r.out.find("future 0.0.1 (wfp ABI " + newer), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("speaks ABI " + newer + ", flowrun " + ours + ": loaded"), std::string::npos) << r.err;
}

// Issue 11: `--plugins /nonexistent` printed [] with exit 0.
TEST_F(PluginFolders, APluginsFolderThatDoesNotExistIsAUsageError) {
    Result r = run_flowrun({"nodes", "--plugins", (root_ / "nope").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--plugins " + (root_ / "nope").string() + ": no such folder"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
    r = run_flowrun({"nodes", "--plugins", root_.string()});
    EXPECT_EQ(r.exit_code, 1) << "an empty folder holds no plugin";
    EXPECT_NE(r.err.find("no plugin in " + root_.string()), std::string::npos) << r.err;
}

TEST_F(PluginFolders, PluginPathFromTheEnvironment) {
    copy_real_plugin("freshdesk");
    Result r = run_flowrun({"nodes"}, "FLOWRUN_PLUGIN_PATH=" + quote(root_.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(json::parse(r.out).as_array()[0].at_pointer("/plugin/dir").as_string().find(root_.string()),
              std::string::npos);
    r = run_flowrun({"nodes"}, "FLOWRUN_PLUGIN_PATH=" + quote((root_ / "empty").string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(json::parse(r.out).as_array().size(), 0u);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}
