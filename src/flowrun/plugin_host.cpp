#include "flowrun/plugin_host.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace flowrun {
namespace fs = std::filesystem;

namespace {

void log_to_stderr(void*, wfp_log_level level, wfp_str message) {
    if (level < WFP_LOG_WARN && !std::getenv("FLOWRUN_DEBUG")) return;
    std::cerr << "flowrun: plugin: " << wfp::view(message) << "\n";
}

bool has_manifest(const fs::path& dir) {
    std::error_code error;
    return fs::exists(dir / "package.json", error);
}

std::string abi_text(std::int64_t major, std::int64_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

// Whether the folder's promises let flowrun load its library at all.
bool check_promises(const PluginManifest& manifest, std::string& problem) {
    if (manifest.abi_major != WFP_ABI_MAJOR) {
        problem = "its package.json declares ABI major " + std::to_string(manifest.abi_major) + ", flowrun speaks " +
                  std::to_string(WFP_ABI_MAJOR);
        return false;
    }
    if (manifest.entry != WFP_ENTRY_SYMBOL) {
        problem = "its package.json names the entry \"" + manifest.entry + "\"; ABI " + std::to_string(WFP_ABI_MAJOR) +
                  " plugins export \"" WFP_ENTRY_SYMBOL "\"";
        return false;
    }
    return true;
}

}  // namespace

PluginSearch plugin_search_dirs(const std::vector<std::string>& cli_dirs) {
    PluginSearch search;
    for (const std::string& dir : cli_dirs)
        search.dirs.emplace_back(dir);
    search.from_command_line = !search.dirs.empty();
    if (search.from_command_line) return search;
    if (const char* env = std::getenv("FLOWRUN_PLUGIN_PATH"); env && *env) {
        std::stringstream list(env);
        for (std::string dir; std::getline(list, dir, ':');) {
            if (!dir.empty()) search.dirs.emplace_back(dir);
        }
        return search;
    }
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    if (error) return search;
    // plugins/ beside flowrun in a build tree; lib/wfp/plugins where `cmake --install` and the
    // packages put them (bin/flowrun beside lib/).
    const fs::path beside = self.parent_path() / "plugins";
    const fs::path installed = self.parent_path().parent_path() / "lib" / "wfp" / "plugins";
    search.dirs.push_back(!fs::is_directory(beside, error) && fs::is_directory(installed, error) ? installed : beside);
    return search;
}

LoadReport PluginHost::load_all(const std::vector<fs::path>& search_dirs) {
    LoadReport report;
    for (const fs::path& dir : search_dirs) {
        std::error_code error;
        if (has_manifest(dir)) {
            load_folder(dir, report);
            continue;
        }
        if (!fs::is_directory(dir, error)) {
            report.refused.push_back("plugin folder " + dir.string() + " does not exist");
            continue;
        }
        std::vector<fs::path> children;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
            if (entry.is_directory(error)) children.push_back(entry.path());
        }
        std::sort(children.begin(), children.end());
        bool found = false;
        for (const fs::path& child : children) {
            if (has_manifest(child)) {
                found = true;
                load_folder(child, report);
            } else {
                report.notes.push_back(child.string() + " has no package.json: not a plugin folder, skipped");
            }
        }
        if (!found)
            report.refused.push_back("no plugin in " + dir.string() + ": no package.json in it or its subfolders");
    }
    return report;
}

void PluginHost::load_folder(const fs::path& dir, LoadReport& report) {
    std::unique_ptr<LoadedPlugin> plugin = load_one(dir, report);
    if (plugin && !refuse_duplicates(*plugin, report)) plugins_.push_back(std::move(plugin));
}

std::unique_ptr<LoadedPlugin> PluginHost::load_one(const fs::path& dir, LoadReport& report) const {
    const std::string where = "plugin " + dir.string() + " not loaded: ";
    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->dir = dir;
    std::string problem;
    std::optional<PluginManifest> manifest = read_manifest(dir, problem);
    const fs::path library = manifest ? dir / manifest->library : fs::path();
    if (!manifest || !check_promises(*manifest, problem) || !check_library(library, *manifest, problem)) {
        report.refused.push_back(where + problem);
        return nullptr;
    }
    plugin->manifest = std::move(*manifest);
    plugin->library = wfp::Plugin::load(library.string(), problem);
    if (!plugin->library) {
        report.refused.push_back(where + problem);
        return nullptr;
    }
    wfp_host_api host = wfp::Plugin::default_host();
    host.log = log_to_stderr;
    if (!plugin->library->init(host, dir.string(), problem)) {
        report.refused.push_back(where + problem);
        return nullptr;
    }
    std::set<std::pair<std::string, std::int64_t>> loaded;
    for (const wfp_node_descriptor* node : plugin->library->nodes())
        loaded.emplace(std::string(wfp::view(node->id)), node->version);
    if (loaded != plugin->manifest.nodes) {
        report.refused.push_back(where + "the library's nodes do not match its package.json");
        return nullptr;
    }
    const wfp_plugin_api& api = plugin->library->api();
    if (api.abi_minor > WFP_ABI_MINOR) {
        report.notes.push_back("plugin " + dir.string() + " speaks ABI " + abi_text(api.abi_major, api.abi_minor) +
                               ", flowrun " + abi_text(WFP_ABI_MAJOR, WFP_ABI_MINOR) +
                               ": loaded; what it added after " + abi_text(WFP_ABI_MAJOR, WFP_ABI_MINOR) +
                               " is not used");
    }
    return plugin;
}

// A node id names one node: a second plugin offering one already loaded is refused whole (its
// nodes belong together), and the message names both folders.
bool PluginHost::refuse_duplicates(const LoadedPlugin& plugin, LoadReport& report) const {
    for (const wfp_node_descriptor* node : plugin.library->nodes()) {
        const NodeRef first = find(wfp::view(node->id));
        if (!first.descriptor) continue;
        report.refused.push_back("plugin " + plugin.dir.string() + " not loaded: it offers \"" +
                                 std::string(wfp::view(node->id)) + "\", which plugin " + first.plugin->dir.string() +
                                 " already offers (the first one found is kept)");
        return true;
    }
    return false;
}

std::vector<NodeRef> PluginHost::nodes() const {
    std::vector<NodeRef> out;
    for (const auto& plugin : plugins_) {
        for (const wfp_node_descriptor* node : plugin->library->nodes())
            out.push_back({plugin.get(), node});
    }
    return out;
}

std::string_view NodeRef::credentials_schema() const {
    const wfp_plugin_api& api = plugin->library->api();
    return api.credentials_schema ? wfp::view(api.credentials_schema(descriptor->credential_type)) : std::string_view();
}

NodeRef PluginHost::find(std::string_view node_id) const {
    for (const NodeRef& node : nodes()) {
        if (wfp::view(node.descriptor->id) == node_id) return node;
    }
    return {};
}

}  // namespace flowrun
