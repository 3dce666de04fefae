#include "flowrun/plugin_host.hpp"

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace flowrun {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

void log_to_stderr(void*, wfp_log_level level, wfp_str message) {
    if (level < WFP_LOG_WARN && !std::getenv("FLOWRUN_DEBUG")) return;
    std::cerr << "flowrun: plugin: " << wfp::view(message) << "\n";
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The (id, version) pairs a manifest promises.
std::set<std::pair<std::string, std::int64_t>> manifest_nodes(const json::object& manifest) {
    std::set<std::pair<std::string, std::int64_t>> out;
    for (const json::value& node : manifest.at("wfp").at("nodes").as_array()) {
        out.emplace(std::string(node.at("id").as_string()), node.at("version").to_number<std::int64_t>());
    }
    return out;
}

}  // namespace

std::vector<fs::path> plugin_search_dirs(const std::vector<std::string>& cli_dirs) {
    std::vector<fs::path> dirs;
    for (const std::string& dir : cli_dirs)
        dirs.emplace_back(dir);
    if (!dirs.empty()) return dirs;
    if (const char* env = std::getenv("FLOWRUN_PLUGIN_PATH"); env && *env) {
        std::stringstream list(env);
        for (std::string dir; std::getline(list, dir, ':');) {
            if (!dir.empty()) dirs.emplace_back(dir);
        }
        return dirs;
    }
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    if (!error) dirs.push_back(self.parent_path() / "plugins");
    return dirs;
}

void PluginHost::load_all(const std::vector<fs::path>& search_dirs, std::vector<std::string>& problems) {
    for (const fs::path& dir : search_dirs) {
        std::error_code error;
        if (fs::exists(dir / "package.json", error)) {
            load_one(dir, problems);
            continue;
        }
        if (!fs::is_directory(dir, error)) {
            problems.push_back("plugin folder " + dir.string() + " does not exist");
            continue;
        }
        std::vector<fs::path> children;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
            if (fs::exists(entry.path() / "package.json")) children.push_back(entry.path());
        }
        std::sort(children.begin(), children.end());
        for (const fs::path& child : children)
            load_one(child, problems);
    }
}

void PluginHost::load_one(const fs::path& dir, std::vector<std::string>& problems) {
    const std::string where = "plugin " + dir.string() + ": ";
    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->dir = dir;
    try {
        plugin->manifest = json::parse(read_file(dir / "package.json")).as_object();
        const json::object& section = plugin->manifest.at("wfp").as_object();
        const std::int64_t major = section.at("abi").at("major").to_number<std::int64_t>();
        if (major != WFP_ABI_MAJOR) {
            problems.push_back(where + "its manifest declares ABI major " + std::to_string(major) +
                               ", flowrun speaks " + std::to_string(WFP_ABI_MAJOR));
            return;
        }
        const fs::path library = dir / std::string(section.at("library").as_string());
        std::string error;
        plugin->library = wfp::Plugin::load(library.string(), error);
        if (!plugin->library) {
            problems.push_back(where + error);
            return;
        }
        wfp_host_api host = wfp::Plugin::default_host();
        host.log = log_to_stderr;
        if (!plugin->library->init(host, dir.string(), error)) {
            problems.push_back(where + error);
            return;
        }
        std::set<std::pair<std::string, std::int64_t>> loaded;
        for (const wfp_node_descriptor* node : plugin->library->nodes()) {
            loaded.emplace(std::string(wfp::view(node->id)), node->version);
        }
        if (loaded != manifest_nodes(plugin->manifest)) {
            problems.push_back(where + "the library's nodes do not match its package.json");
            return;
        }
    } catch (const std::exception& error) {
        problems.push_back(where + "unreadable package.json (" + error.what() + ")");
        return;
    }
    plugins_.push_back(std::move(plugin));
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
