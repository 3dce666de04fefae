// The plugin's ABI face: the exported entry, its function table and the exception barrier
// around every export. The machinery lives in src/ (engine, catalog, validation, transport).
#include "wfp_plugin.h"

#include "run_registry.hpp"

#include "core/plugin_info.hpp"
#include "engine/engine.hpp"

#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace {

wfp_str str(const std::string& text) {
    return {text.data(), text.size()};
}
std::string_view view(wfp_str text) {
    return text.ptr ? std::string_view(text.ptr, text.len) : std::string_view();
}

struct Plugin {
    std::shared_mutex mutex;  // exclusive for init/deinit, shared for everything else
    std::unique_ptr<fd::Engine> engine;
    std::vector<wfp_node_descriptor> descriptors;
    wfp_host_api host{};
    std::string init_error;
    fd::RunRegistry runs;
};

Plugin& plugin() {
    static Plugin instance;
    return instance;
}

void host_log(int level, const std::string& message) {
    const wfp_host_api& host = plugin().host;
    if (host.log) host.log(host.host_data, static_cast<wfp_log_level>(level), str(message));
}

int refuse_init(std::string reason, wfp_str* error_message) {
    Plugin& p = plugin();
    p.init_error = std::move(reason);
    if (error_message) *error_message = str(p.init_error);
    return WFP_ERR_UNSUPPORTED_HOST;
}

int init(const wfp_host_api* host, const char* plugin_dir, wfp_str* error_message) noexcept {
    try {
        (void)plugin_dir;  // everything the plugin needs is embedded in it
        Plugin& p = plugin();
        std::unique_lock lock(p.mutex);
        if (p.engine) return refuse_init("The plugin is already initialised; call deinit first", error_message);
        if (!host || host->struct_size < offsetof(wfp_host_api, log)) {
            return refuse_init("The host did not pass a readable wfp_host_api", error_message);
        }
        if (host->abi_major != WFP_ABI_MAJOR) {
            return refuse_init("The host speaks ABI major " + std::to_string(host->abi_major) +
                                   "; this plugin needs major " + std::to_string(WFP_ABI_MAJOR),
                               error_message);
        }
        p.host = wfp_host_api{};
        std::memcpy(&p.host, host, std::min<std::size_t>(host->struct_size, sizeof(wfp_host_api)));

        fd::EngineOptions options;
        options.extra_ca_file = std::string(view(p.host.ca_bundle_file));
        options.log = host_log;
        p.engine = std::make_unique<fd::Engine>(std::move(options));
        p.descriptors.clear();
        for (const fd::NodeSpec& node : p.engine->catalog().nodes()) {
            p.descriptors.push_back(wfp_node_descriptor{
                sizeof(wfp_node_descriptor), str(node.id), node.version, str(node.display_name), str(node.description),
                str(node.resource), str(node.operation), str(node.credential_type), str(node.inputs_text),
                str(node.options_text), str(node.outputs_text), node.flags});
        }
        return WFP_OK;
    } catch (const std::exception& error) {
        return refuse_init(std::string("The plugin could not start: ") + error.what(), error_message), WFP_ERR_INTERNAL;
    } catch (...) {
        return WFP_ERR_INTERNAL;
    }
}

void deinit() noexcept {
    try {
        Plugin& p = plugin();
        std::unique_ptr<fd::Engine> engine;
        {
            std::unique_lock lock(p.mutex);
            engine = std::move(p.engine);
        }
        if (!engine) return;
        // Outside the lock: completions still run and may call run_release or run_start.
        engine->shutdown();
        std::unique_lock lock(p.mutex);
        p.runs.clear();
        p.descriptors.clear();
        engine.reset();
        p.host = wfp_host_api{};
    } catch (...) {
    }
}

size_t node_count() noexcept {
    try {
        Plugin& p = plugin();
        std::shared_lock lock(p.mutex);
        return p.engine ? p.descriptors.size() : 0;
    } catch (...) {
        return 0;
    }
}

const wfp_node_descriptor* node_at(size_t index) noexcept {
    try {
        Plugin& p = plugin();
        std::shared_lock lock(p.mutex);
        return p.engine && index < p.descriptors.size() ? &p.descriptors[index] : nullptr;
    } catch (...) {
        return nullptr;
    }
}

wfp_str credentials_schema(wfp_str credential_type) noexcept {
    try {
        Plugin& p = plugin();
        std::shared_lock lock(p.mutex);
        if (!p.engine || view(credential_type) != p.engine->catalog().credential_type()) return {nullptr, 0};
        return str(p.engine->catalog().credentials_schema_text());
    } catch (...) {
        return {nullptr, 0};
    }
}

int run_start(const wfp_run_request* request, wfp_on_complete on_complete, void* user_data, wfp_run** run) noexcept {
    try {
        if (!request || !on_complete || !run || request->struct_size < sizeof(wfp_run_request)) {
            return WFP_ERR_INVALID_ARGUMENT;
        }
        Plugin& p = plugin();
        std::shared_lock lock(p.mutex);
        if (!p.engine) return WFP_ERR_NOT_INITIALIZED;
        const fd::NodeSpec* node = p.engine->catalog().find(view(request->node_id));
        if (!node) return WFP_ERR_INVALID_ARGUMENT;

        wfp_run* handle = p.runs.create(on_complete, user_data);
        auto completion = [handle](const std::string& envelope) {
            try {
                handle->on_complete(handle->user_data, handle, str(envelope));
            } catch (...) {
                // A host callback that throws must not take the engine thread down.
            }
            plugin().runs.release_after_completion(handle);
        };
        std::shared_ptr<fd::Run> started =
            p.engine->start(*node, view(request->input_json), view(request->credentials_json), std::move(completion));
        if (!started) {
            p.runs.release_after_completion(handle);
            p.runs.release_by_host(handle);
            return WFP_ERR_NOT_INITIALIZED;
        }
        p.runs.with_run(handle, [&](wfp_run& registered) { registered.run = started; });
        *run = handle;
        return WFP_OK;
    } catch (...) {
        return WFP_ERR_INTERNAL;
    }
}

void run_cancel(wfp_run* run) noexcept {
    try {
        plugin().runs.with_run(run, [](wfp_run& registered) {
            if (registered.run) registered.run->cancel();
        });
    } catch (...) {
    }
}

void run_release(wfp_run* run) noexcept {
    try {
        plugin().runs.release_by_host(run);
    } catch (...) {
    }
}

const wfp_plugin_api kApi = {
    sizeof(wfp_plugin_api),
    WFP_ABI_MAJOR,
    WFP_ABI_MINOR,
    {fd::kPluginName, std::char_traits<char>::length(fd::kPluginName)},
    {fd::kPluginVersion, std::char_traits<char>::length(fd::kPluginVersion)},
    init,
    deinit,
    node_count,
    node_at,
    credentials_schema,
    run_start,
    run_cancel,
    run_release,
};

}  // namespace

extern "C" WFP_EXPORT const wfp_plugin_api* wfp_get_entry_v1(void) {
    return &kApi;
}
