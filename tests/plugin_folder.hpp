// The plugin folder under test, as a host reads it without loading the library: its
// package.json, the library it names, its nodes with their examples and schema files. Suites
// that cover every node iterate these, so a new node record is covered without touching them.
#pragma once

#include "wfp_host.hpp"

#include <boost/json.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fdtest {

inline boost::json::value read_json_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return boost::json::parse(text.str());
}

// The plugin folder under test: FD_PLUGIN_DIR from the environment (a test plugin with an extra
// node record), else the product's.
inline std::string plugin_dir() {
    const char* dir = std::getenv("FD_PLUGIN_DIR");
    return dir && *dir ? dir : FD_PLUGIN_DIR;
}

inline boost::json::object plugin_manifest() {
    return read_json_file(plugin_dir() + "/package.json").as_object();
}

// The library the folder's package.json names.
inline std::string plugin_library() {
    return plugin_dir() + "/" + std::string(plugin_manifest().at("wfp").at("library").as_string());
}

// A node as the suites that cover every node see it: its descriptor, and an input that succeeds
// against a sandbox with the default seed (the first of its examples).
struct NodeCase {
    std::string id;
    std::string input;          // the example
    std::string missing_input;  // the example with every id input pointing at nothing; "" if none
    std::uint32_t flags = 0;
    // A node that neither reads, nor deletes, nor can be repeated safely sends a POST that may
    // create something.
    bool creates() const { return !(flags & (WFP_NODE_IDEMPOTENT | WFP_NODE_READ_ONLY | WFP_NODE_DESTRUCTIVE)); }
    bool deletes() const { return flags & WFP_NODE_DESTRUCTIVE; }
};

// Every node of the plugin under test, or only FD_ONLY_NODE when that is set (and `filtered`), as
// its folder's package.json and schema files describe it (no need to load the library).
inline std::vector<NodeCase> node_cases(bool filtered = true) {
    std::vector<NodeCase> cases;
    const char* only = filtered ? std::getenv("FD_ONLY_NODE") : nullptr;
    const boost::json::object manifest = plugin_manifest();
    for (const boost::json::value& node : manifest.at("wfp").at("nodes").as_array()) {
        NodeCase c;
        c.id = std::string(node.at("id").as_string());
        if (only && *only && c.id != only) continue;
        for (const boost::json::value& flag : node.at("flags").as_array()) {
            for (std::uint32_t bit = 1; bit <= WFP_NODE_READ_ONLY; bit <<= 1) {
                const auto names = wfp::flag_names(bit);
                if (!names.empty() && names.front() == flag.as_string()) c.flags |= bit;
            }
        }
        const std::string inputs_file = plugin_dir() + "/" + std::string(node.at("schemas").at("inputs").as_string());
        const boost::json::object inputs = read_json_file(inputs_file).as_object();
        boost::json::object example = inputs.at("examples").at(0).as_object();
        c.input = boost::json::serialize(example);
        bool has_id = false;
        for (const auto& [name, schema] : inputs.at("properties").as_object()) {
            if (!name.ends_with("Id") || !example.contains(name)) continue;
            example[name] = 99999999;
            has_id = true;
        }
        if (has_id) c.missing_input = boost::json::serialize(example);
        cases.push_back(std::move(c));
    }
    return cases;
}

// A node's served schemas, by part ("inputs", "options", "outputs"), from its folder's files.
inline std::vector<std::pair<std::string, boost::json::object>> node_schemas(const std::string& id) {
    std::vector<std::pair<std::string, boost::json::object>> parts;
    const boost::json::object manifest = plugin_manifest();
    for (const boost::json::value& node : manifest.at("wfp").at("nodes").as_array()) {
        if (node.at("id") != id.c_str()) continue;
        for (const char* part : {"inputs", "options", "outputs"}) {
            const std::string file = plugin_dir() + "/" + std::string(node.at("schemas").at(part).as_string());
            parts.emplace_back(part, read_json_file(file).as_object());
        }
    }
    return parts;
}

// One corpus entry: the input as a JSON value, or as text when it is not one.
inline boost::json::object corpus_entry(const std::string& label, const std::string& node, const std::string& input,
                                        bool plugin_refused) {
    boost::json::object entry{{"label", label}, {"node", node}, {"plugin_refused", plugin_refused}};
    boost::system::error_code error;
    boost::json::value parsed = boost::json::parse(input, error);
    if (error) {
        entry["input_text"] = input;
    } else {
        entry["input"] = std::move(parsed);
    }
    return entry;
}

// Writes inputs and the plugin's verdicts for the canvas suite, which checks that the served
// schemas say the same (build/corpus/NAME.json). Only for the product's plugin.
inline void write_corpus(const std::string& name, const boost::json::array& entries) {
    if (std::getenv("FD_ONLY_NODE")) return;
    const std::string dir = std::string(FD_BINARY_DIR) + "/corpus";
    std::filesystem::create_directories(dir);
    // Written aside and renamed into place: the reliability suite and canvas.corpus both write
    // it while the canvas checks may be reading it, and a reader must never see half a file.
    const std::string path = dir + "/" + name + ".json";
    const std::string aside = path + "." + std::to_string(::getpid());
    {
        std::ofstream out(aside, std::ios::trunc);
        out << boost::json::serialize(entries) << "\n";
    }
    std::filesystem::rename(aside, path);
}

}  // namespace fdtest
