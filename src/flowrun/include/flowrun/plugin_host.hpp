// flowrun's plugin host: finds plugin folders by their package.json, checks each library
// against it (size, SHA-256, ELF header) before loading it with RTLD_NOW | RTLD_LOCAL, checks
// its entry, ABI and nodes, and reports the ones it refuses without stopping.
#pragma once

#include "flowrun/plugin_manifest.hpp"
#include "wfp_host.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun {

struct LoadedPlugin {
    std::filesystem::path dir;
    PluginManifest manifest;
    std::unique_ptr<wfp::Plugin> library;
};

struct NodeRef {
    const LoadedPlugin* plugin = nullptr;
    const wfp_node_descriptor* descriptor = nullptr;

    // The JSON Schema of the credentials this node takes; empty if the plugin has none.
    std::string_view credentials_schema() const;
};

// What loading found: folders refused (one line each, naming the file) and notes about folders
// that loaded.
struct LoadReport {
    std::vector<std::string> refused;
    std::vector<std::string> notes;
};

class PluginHost {
  public:
    // Loads every plugin found in `search_dirs` (each either a plugin folder or a folder of
    // plugin folders), in order: of two plugins offering the same node id, the first is kept.
    LoadReport load_all(const std::vector<std::filesystem::path>& search_dirs);

    const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
    std::vector<NodeRef> nodes() const;
    NodeRef find(std::string_view node_id) const;

  private:
    void load_folder(const std::filesystem::path& dir, LoadReport& report);
    std::unique_ptr<LoadedPlugin> load_one(const std::filesystem::path& dir, LoadReport& report) const;
    bool refuse_duplicates(const LoadedPlugin& plugin, LoadReport& report) const;

    std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
};

// The folders flowrun searches: --plugins values, else FLOWRUN_PLUGIN_PATH (':'-separated),
// else the plugins/ folder beside the flowrun executable.
struct PluginSearch {
    std::vector<std::filesystem::path> dirs;
    bool from_command_line = false;  // then a folder that does not exist is a usage error
};
PluginSearch plugin_search_dirs(const std::vector<std::string>& cli_dirs);

}  // namespace flowrun
