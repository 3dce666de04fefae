// Lays out a plugin folder's description for hosts that read it without loading code: loads the
// library through the wfp ABI, and writes package.json (the repository's template, plus the
// library's size and SHA-256 and every node's descriptor) and one schema file per node part.
//
//   write_plugin_manifest --library LIB --template package.json --folder DIR
#include "common/descriptor_json.hpp"
#include "common/file_digest.hpp"
#include "common/json_print.hpp"
#include "wfp_host.hpp"

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text << "\n";
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// Writes one schema text as a file of the folder; returns its path relative to the folder.
std::string write_schema(const fs::path& folder, const std::string& name, std::string_view text) {
    const std::string relative = "schemas/" + name + ".schema.json";
    write_text(folder / relative, fd::pretty_json(json::parse(text)));
    return relative;
}

json::object node_entry(const fs::path& folder, const wfp_node_descriptor& d) {
    json::object entry = fd::descriptor_json(d);
    const std::string id(wfp::view(d.id));
    entry["schemas"] = json::object{{"inputs", write_schema(folder, id + ".inputs", wfp::view(d.inputs_schema))},
                                    {"options", write_schema(folder, id + ".options", wfp::view(d.options_schema))},
                                    {"outputs", write_schema(folder, id + ".outputs", wfp::view(d.outputs_schema))}};
    return entry;
}

int write_manifest(const fs::path& library, const fs::path& template_file, const fs::path& folder) {
    std::string error;
    std::unique_ptr<wfp::Plugin> plugin = wfp::Plugin::load(library.string(), error);
    if (!plugin || !plugin->init(wfp::Plugin::default_host(), folder.string(), error)) {
        std::cerr << "write_plugin_manifest: " << error << "\n";
        return 1;
    }
    fs::remove_all(folder / "schemas");
    fs::create_directories(folder / "schemas");
    json::object manifest = json::parse(read_text(template_file)).as_object();
    json::object& section = manifest.at("wfp").as_object();
    const std::optional<fd::FileDigest> digest = fd::digest_of_file(library);
    if (!digest) throw std::runtime_error("cannot read " + library.string());
    section["library_size"] = digest->size;
    section["library_sha256"] = digest->sha256;
    section["abi"] = json::object{{"major", plugin->api().abi_major}, {"minor", plugin->api().abi_minor}};
    json::array nodes;
    std::string credential_type;
    for (const wfp_node_descriptor* node : plugin->nodes()) {
        nodes.push_back(node_entry(folder, *node));
        credential_type = std::string(wfp::view(node->credential_type));
    }
    section["credential_type"] = credential_type;
    section["credentials_schema"] =
        write_schema(folder, "credentials", wfp::view(plugin->api().credentials_schema(wfp::str(credential_type))));
    section["nodes"] = std::move(nodes);
    write_text(folder / "package.json", fd::pretty_json(manifest));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    fs::path library, template_file, folder;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (flag == "--library") library = argv[i + 1];
        if (flag == "--template") template_file = argv[i + 1];
        if (flag == "--folder") folder = argv[i + 1];
    }
    if (library.empty() || template_file.empty() || folder.empty()) {
        std::cerr << "usage: write_plugin_manifest --library LIB --template package.json --folder DIR\n";
        return 2;
    }
    try {
        return write_manifest(library, template_file, folder);
    } catch (const std::exception& problem) {
        std::cerr << "write_plugin_manifest: " << problem.what() << "\n";
        return 1;
    }
}
