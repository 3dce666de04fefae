// flowrun's plugin host: finds plugin folders by their package.json, loads each library with
// RTLD_NOW | RTLD_LOCAL, checks its ABI and that its nodes match the manifest, and reports the
// ones that fail without stopping.
#pragma once

#include "wfp_host.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun {

struct LoadedPlugin {
    std::filesystem::path dir;
    boost::json::object manifest;  // package.json
    std::unique_ptr<wfp::Plugin> library;
};

struct NodeRef {
    const LoadedPlugin* plugin = nullptr;
    const wfp_node_descriptor* descriptor = nullptr;

    // The JSON Schema of the credentials this node takes; empty if the plugin has none.
    std::string_view credentials_schema() const;
};

class PluginHost {
  public:
    // Loads every plugin found in `search_dirs` (each either a plugin folder or a folder of
    // plugin folders). Problems go to `problems`, one line each.
    void load_all(const std::vector<std::filesystem::path>& search_dirs, std::vector<std::string>& problems);

    const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
    std::vector<NodeRef> nodes() const;
    NodeRef find(std::string_view node_id) const;

  private:
    void load_one(const std::filesystem::path& dir, std::vector<std::string>& problems);

    std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
};

// The folders flowrun searches: --plugins values, else FLOWRUN_PLUGIN_PATH (':'-separated),
// else the plugins/ folder beside the flowrun executable.
std::vector<std::filesystem::path> plugin_search_dirs(const std::vector<std::string>& cli_dirs);

}  // namespace flowrun
