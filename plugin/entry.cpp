// The plugin's ABI face: the exported entry, its function table and the exception barrier
// around every export. The machinery lives in src/ (engine, catalog, validation, transport).
#include "wfp_plugin.h"
#include "wfp_str.hpp"

#include "run_registry.hpp"

#include "core/node_catalog.hpp"
#include "core/plugin_info.hpp"
#include "engine/engine.hpp"

#include <boost/container/small_vector.hpp>

#include <malloc.h>

#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace {

using wfp::str;
using wfp::view;

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

int refuse_init(int status, std::string reason, wfp_str* error_message) {
    Plugin& p = plugin();
    p.init_error = std::move(reason);
    if (error_message) *error_message = str(p.init_error);
    return status;
}

wfp_node_descriptor descriptor_of(const fd::NodeSpec& node) {
    wfp_node_descriptor d{};
    d.struct_size = sizeof(wfp_node_descriptor);
    d.id = str(node.id);
    d.version = node.version;
    d.display_name = str(node.display_name);
    d.description = str(node.description);
    d.resource = str(node.resource);
    d.operation = str(node.operation);
    d.credential_type = str(node.credential_type);
    d.inputs_schema = str(node.inputs_text);
    d.options_schema = str(node.options_text);
    d.outputs_schema = str(node.outputs_text);
    d.flags = node.flags;
    d.category = str(node.category);
    d.subtitle = str(node.subtitle);
    d.icon = str(node.icon);
    d.field_order_json = str(node.field_order_text);
    d.option_sources_json = str(node.option_sources_text);
    d.rules_json = str(node.rules_text);
    d.credential_test_node = str(node.credential_test_node);
    return d;
}

int init(const wfp_host_api* host, const char* plugin_dir, wfp_str* error_message) noexcept {
    try {
        (void)plugin_dir;  // everything the plugin needs is embedded in it
        Plugin& p = plugin();
        std::unique_lock lock(p.mutex);
        if (!host || host->struct_size < offsetof(wfp_host_api, ca_bundle_file) + sizeof(wfp_str)) {
            return refuse_init(WFP_ERR_INVALID_ARGUMENT, "The host did not pass a readable wfp_host_api",
                               error_message);
        }
        if (p.engine) {
            return refuse_init(WFP_ERR_ALREADY_INITIALIZED, "The plugin is already initialised; call deinit first",
                               error_message);
        }
        if (host->abi_major != WFP_ABI_MAJOR) {
            return refuse_init(WFP_ERR_UNSUPPORTED_HOST,
                               "The host speaks ABI major " + std::to_string(host->abi_major) +
                                   "; this plugin needs major " + std::to_string(WFP_ABI_MAJOR),
                               error_message);
        }
        p.host = wfp_host_api{};
        std::memcpy(&p.host, host, std::min<std::size_t>(host->struct_size, sizeof(wfp_host_api)));

        fd::EngineOptions options;
        options.node_files = fd::embedded_node_files();
        options.extra_ca_file = std::string(view(p.host.ca_bundle_file));
        options.log = host_log;
        p.engine = std::make_unique<fd::Engine>(std::move(options));
        p.descriptors.clear();
        for (const fd::NodeSpec& node : p.engine->catalog().nodes())
            p.descriptors.push_back(descriptor_of(node));
        return WFP_OK;
    } catch (const std::exception& error) {
        plugin().host = wfp_host_api{};
        return refuse_init(WFP_ERR_INTERNAL, std::string("The plugin could not start: ") + error.what(), error_message);
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
#if defined(__GLIBC__)
        // What the runs and the engine used was spread over the heap, and glibc keeps freed pages
        // unless asked: give them back, so the host's memory returns to where it was.
        malloc_trim(0);
#endif
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

// A 1.0 host's request ends after credentials_json.
bool request_readable(const wfp_run_request* request) {
    constexpr std::size_t kSizeV10 = offsetof(wfp_run_request, credentials_json) + sizeof(wfp_str);
    return request && request->struct_size >= kSizeV10;
}

// on_progress is read only when the host's request reaches it.
wfp_on_progress progress_of(const wfp_run_request* request) {
    return request->struct_size >= offsetof(wfp_run_request, on_progress) + sizeof(wfp_on_progress)
               ? request->on_progress
               : nullptr;
}

int run_start(const wfp_run_request* request, wfp_on_complete on_complete, void* user_data, wfp_run** run) noexcept {
    try {
        if (!request_readable(request) || !on_complete || !run) return WFP_ERR_INVALID_ARGUMENT;
        const wfp_on_progress on_progress = progress_of(request);
        Plugin& p = plugin();
        std::shared_lock lock(p.mutex);
        if (!p.engine) return WFP_ERR_NOT_INITIALIZED;
        const fd::NodeSpec* node = p.engine->catalog().find(view(request->node_id));
        if (!node) return WFP_ERR_UNKNOWN_NODE;

        wfp_run* handle = p.runs.create(on_complete, user_data);
        auto completion = [handle](const std::string& envelope) {
            try {
                handle->on_complete(handle->user_data, handle, str(envelope));
            } catch (...) {
                // A host callback that throws must not take the engine thread down.
            }
            plugin().runs.release_after_completion(handle);
        };
        fd::RunProgress progress;
        if (on_progress) {
            progress = [handle, on_progress](std::uint64_t so_far, std::int64_t total) {
                on_progress(handle->user_data, handle, so_far, total);
            };
        }
        std::shared_ptr<fd::Run> started =
            p.engine->start(*node, view(request->input_json), view(request->credentials_json), std::move(completion),
                            std::move(progress));
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

// A run on the host's thread, for the engine: no handle, so the callbacks get run == NULL.
fd::HereItem here_item(const fd::NodeSpec& node, const wfp_run_request& request, wfp_on_complete on_complete,
                       void* user_data) {
    fd::HereItem item{&node, view(request.input_json), view(request.credentials_json), {}, {}};
    item.done = [on_complete, user_data](const std::string& envelope) {
        try {
            on_complete(user_data, nullptr, str(envelope));
        } catch (...) {
            // A host callback that throws must not unwind through the plugin.
        }
    };
    if (const wfp_on_progress on_progress = progress_of(&request)) {
        item.progress = [on_progress, user_data](std::uint64_t so_far, std::int64_t total) {
            on_progress(user_data, nullptr, so_far, total);
        };
    }
    return item;
}

// What run_here and run_here_many share: every request is checked before any runs, so an error
// return means nothing ran.
int run_on_this_thread(const wfp_run_request* const* requests, std::size_t count, std::size_t in_flight,
                       wfp_on_complete on_complete, void* const* user_data) {
    if (!requests || !on_complete || in_flight == 0) return WFP_ERR_INVALID_ARGUMENT;
    for (std::size_t i = 0; i < count; ++i) {
        if (!request_readable(requests[i])) return WFP_ERR_INVALID_ARGUMENT;
    }
    struct Batch {
        // Found once, before anything runs: a node_id a callback changed meanwhile (against
        // the contract) is never looked up again.
        boost::container::small_vector<const fd::NodeSpec*, 1> nodes;
        const wfp_run_request* const* requests;
        wfp_on_complete on_complete;
        void* const* user_data;
    } batch{{}, requests, on_complete, user_data};
    std::unique_ptr<fd::HereRun> here;
    {
        // Lent under the lock, run outside it: deinit (which waits for it) can still begin.
        Plugin& p = plugin();
        std::shared_lock lock(p.mutex);
        if (!p.engine) return WFP_ERR_NOT_INITIALIZED;
        batch.nodes.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            const fd::NodeSpec* node = p.engine->catalog().find(view(requests[i]->node_id));
            if (!node) return WFP_ERR_UNKNOWN_NODE;
            batch.nodes.push_back(node);
        }
        here = p.engine->prepare_here(count, in_flight, [b = &batch](std::size_t i) {
            return here_item(*b->nodes[i], *b->requests[i], b->on_complete, b->user_data ? b->user_data[i] : nullptr);
        });
        if (!here) return WFP_ERR_NOT_INITIALIZED;
    }
    here->run();
    return WFP_OK;
}

int run_here(const wfp_run_request* request, wfp_on_complete on_complete, void* user_data) noexcept {
    try {
        if (!request) return WFP_ERR_INVALID_ARGUMENT;
        return run_on_this_thread(&request, 1, 1, on_complete, &user_data);
    } catch (...) {
        return WFP_ERR_INTERNAL;
    }
}

int run_here_many(const wfp_run_request* const* requests, size_t count, size_t in_flight, wfp_on_complete on_complete,
                  void* const* user_data) noexcept {
    try {
        return run_on_this_thread(requests, count, in_flight, on_complete, user_data);
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
    run_here,
    run_here_many,
};

}  // namespace

extern "C" const wfp_plugin_api* wfp_get_entry_v1(void) {
    return &kApi;
}
