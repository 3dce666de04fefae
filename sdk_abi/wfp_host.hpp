// wfp_host.hpp - optional header-only C++ helper for hosts of wfp plugins: load a plugin,
// enumerate its nodes, invoke one (or several together) synchronously. Hosts in other languages need only
// wfp_plugin.h; this file adds nothing to the ABI.
#pragma once

#include "wfp_plugin.h"
#include "wfp_str.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace wfp {

// The names of WFP_NODE_* flags, as manifests and hosts print them.
inline std::vector<std::string_view> flag_names(uint32_t flags) {
    static const std::pair<uint32_t, std::string_view> kNames[] = {{WFP_NODE_IDEMPOTENT, "idempotent"},
                                                                   {WFP_NODE_DESTRUCTIVE, "destructive"},
                                                                   {WFP_NODE_PAGINATED, "paginated"},
                                                                   {WFP_NODE_TRIGGER, "trigger"},
                                                                   {WFP_NODE_READ_ONLY, "read_only"}};
    std::vector<std::string_view> names;
    for (const auto& [bit, name] : kNames) {
        if (flags & bit) names.push_back(name);
    }
    return names;
}

// A descriptor field added in a later ABI minor, or its empty value when the plugin's
// descriptor (struct_size) does not reach it: descriptor_field(d, &wfp_node_descriptor::icon).
template <class Field>
Field descriptor_field(const wfp_node_descriptor& d, Field wfp_node_descriptor::*field) {
    const auto offset =
        static_cast<std::size_t>(reinterpret_cast<const char*>(&(d.*field)) - reinterpret_cast<const char*>(&d));
    if (d.struct_size < offset + sizeof(Field)) return Field{};
    return d.*field;
}

// A loaded plugin library. Not copyable; unloading deinitialises it first.
class Plugin {
  public:
    // dlopen(RTLD_NOW | RTLD_LOCAL) and read the entry table. On failure returns nullptr and
    // sets `error`.
    static std::unique_ptr<Plugin> load(const std::string& library_path, std::string& error) {
        void* library = ::dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!library) {
            const char* reason = ::dlerror();
            error = "cannot load " + library_path + ": " + (reason ? reason : "unknown error");
            return nullptr;
        }
        auto entry = reinterpret_cast<wfp_get_entry_v1_fn>(::dlsym(library, WFP_ENTRY_SYMBOL));
        if (!entry) {
            error = library_path + " does not export " WFP_ENTRY_SYMBOL " (not a wfp plugin of ABI major 1)";
            ::dlclose(library);
            return nullptr;
        }
        const wfp_plugin_api* table = entry();
        if (!table || table->struct_size < sizeof(uint32_t) + 2 * sizeof(uint16_t)) {
            error = library_path + ": the entry returned no readable table";
            ::dlclose(library);
            return nullptr;
        }
        if (table->abi_major != WFP_ABI_MAJOR) {
            error = library_path + ": ABI major " + std::to_string(table->abi_major) + ", this host speaks " +
                    std::to_string(WFP_ABI_MAJOR);
            ::dlclose(library);
            return nullptr;
        }
        auto plugin = std::unique_ptr<Plugin>(new Plugin(library));
        // Read only the prefix both sides know; fields the plugin lacks stay NULL.
        std::memcpy(&plugin->api_, table, std::min<std::size_t>(table->struct_size, sizeof(wfp_plugin_api)));
        return plugin;
    }

    ~Plugin() {
        if (initialized_ && api_.deinit) api_.deinit();
        ::dlclose(library_);
    }
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    const wfp_plugin_api& api() const { return api_; }

    // Off by default: a real Freshdesk answers in tens of milliseconds, and a spinning waiter
    // only burns the host's CPU. A host that talks to a loopback server may opt in.
    unsigned spin_microseconds() const { return spin_us_; }
    void set_spin_microseconds(unsigned microseconds) { spin_us_ = microseconds; }

    // Calls init; `host` may be a default-made table (set_defaults fills its header).
    bool init(const wfp_host_api& host, const std::string& plugin_dir, std::string& error) {
        if (!api_.init) {
            error = "the plugin has no init function";
            return false;
        }
        wfp_str message{nullptr, 0};
        const int status = api_.init(&host, plugin_dir.c_str(), &message);
        if (status != WFP_OK) {
            error = "init refused (" + std::to_string(status) + ")";
            if (message.ptr) error += ": " + std::string(view(message));
            return false;
        }
        initialized_ = true;
        return true;
    }

    static wfp_host_api default_host() {
        wfp_host_api host{};
        host.struct_size = sizeof(wfp_host_api);
        host.abi_major = WFP_ABI_MAJOR;
        host.abi_minor = WFP_ABI_MINOR;
        return host;
    }

    std::vector<const wfp_node_descriptor*> nodes() const {
        std::vector<const wfp_node_descriptor*> out;
        const std::size_t count = api_.node_count ? api_.node_count() : 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (const wfp_node_descriptor* node = api_.node_at(i)) out.push_back(node);
        }
        return out;
    }

    // How far a long run has got (wfp_on_progress): items read so far, and the total or -1.
    // Called on a plugin thread while invoke() waits; it must return promptly.
    using Progress = std::function<void(std::uint64_t items_so_far, std::int64_t total)>;

    // Runs a node and waits for its envelope. Returns false (and sets `error`) only when the
    // run could not be started; otherwise `envelope` holds the node's JSON envelope. With
    // spin_microseconds() set, a waiting thread that is the only one waiting spins that long
    // before it sleeps. `on_progress`, when set, receives the plugin's progress reports (ABI
    // 1.1; a 1.0 plugin never calls it).
    bool invoke(std::string_view node_id, std::string_view input_json, std::string_view credentials_json,
                std::string& envelope, std::string& error, const Progress& on_progress = {}) {
        struct Waiter : Caller {
            std::mutex mutex;
            std::condition_variable done;
            bool finished = false;
            std::atomic<bool> arrived{false};
            std::string envelope;
        };
        auto waiter = std::make_shared<Waiter>();
        waiter->progress = on_progress ? &on_progress : nullptr;  // outlives the run: invoke() waits
        const wfp_run_request request = request_for(node_id, input_json, credentials_json, *waiter);
        wfp_run* run = nullptr;
        const int status = api_.run_start(
            &request,
            [](void* user_data, wfp_run*, wfp_str envelope_json) {
                auto* w = static_cast<Waiter*>(static_cast<Caller*>(user_data));
                std::lock_guard lock(w->mutex);
                w->envelope.assign(envelope_json.ptr ? envelope_json.ptr : "", envelope_json.len);
                w->finished = true;
                w->arrived.store(true, std::memory_order_release);
                w->done.notify_all();
            },
            static_cast<Caller*>(waiter.get()), &run);
        if (status != WFP_OK) {
            error = "run_start failed (" + std::to_string(status) + ")";
            return false;
        }
        // Answers from loopback come back within tens of microseconds, while waking a sleeping
        // thread costs about as much on a small VM: a host that opted in spins briefly when it
        // is the only caller waiting. With others waiting, spinning would take the CPU their
        // answers need, so they all sleep at once.
        const bool alone = waiting_.fetch_add(1) == 0;
        const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(alone ? spin_us_ : 0);
        for (unsigned spin = 0; alone && !waiter->arrived.load(std::memory_order_acquire); ++spin) {
            if (spin % 64 == 0 && std::chrono::steady_clock::now() >= spin_until) break;
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
        {
            std::unique_lock lock(waiter->mutex);
            waiter->done.wait(lock, [&] { return waiter->finished; });
            waiting_.fetch_sub(1);
            envelope = std::move(waiter->envelope);
        }
        api_.run_release(run);
        return true;
    }

    // Runs a node on this thread and returns its envelope (ABI 1.2 run_here): nothing is handed
    // to a plugin thread, so it is the cheapest way to make one call at a time, and progress
    // reports arrive on this thread. A plugin without run_here is run through invoke().
    bool invoke_here(std::string_view node_id, std::string_view input_json, std::string_view credentials_json,
                     std::string& envelope, std::string& error, const Progress& on_progress = {}) {
        if (!api_.run_here) return invoke(node_id, input_json, credentials_json, envelope, error, on_progress);
        struct Here : Caller {
            std::string* envelope = nullptr;
        } here;
        here.envelope = &envelope;
        here.progress = on_progress ? &on_progress : nullptr;
        const wfp_run_request request = request_for(node_id, input_json, credentials_json, here);
        const int status = api_.run_here(
            &request,
            [](void* user_data, wfp_run*, wfp_str envelope_json) {
                static_cast<Here*>(static_cast<Caller*>(user_data))
                    ->envelope->assign(envelope_json.ptr ? envelope_json.ptr : "", envelope_json.len);
            },
            static_cast<Caller*>(&here));
        if (status != WFP_OK) {
            error = "run_here failed (" + std::to_string(status) + ")";
            return false;
        }
        return true;
    }

    // One run of invoke_many: what to run (the strings must outlive the call), and its envelope.
    struct Call {
        std::string_view node_id;
        std::string_view input_json;
        std::string_view credentials_json;
        std::string envelope;  // set by invoke_many
    };

    // Runs every call on this thread, up to `in_flight` at once, and returns when all are over
    // (ABI 1.3 run_here_many: no plugin thread, no wake per answer), for a host that keeps
    // several runs in flight from one thread. A plugin without run_here_many runs them one at a
    // time (invoke_here). Returns false (and sets `error`) when the calls could not be run (an
    // unknown node: then none ran); otherwise every call's envelope is set.
    bool invoke_many(std::vector<Call>& calls, std::size_t in_flight, std::string& error) {
        if (!api_.run_here_many) {
            for (Call& call : calls) {
                if (!invoke_here(call.node_id, call.input_json, call.credentials_json, call.envelope, error))
                    return false;
            }
            return true;
        }
        const Caller no_progress;
        std::vector<wfp_run_request> requests;
        std::vector<const wfp_run_request*> pointers;
        std::vector<void*> user_data;
        for (Call& call : calls) {
            requests.push_back(request_for(call.node_id, call.input_json, call.credentials_json, no_progress));
            user_data.push_back(&call);
        }
        for (const wfp_run_request& request : requests)
            pointers.push_back(&request);
        const int status = api_.run_here_many(
            pointers.data(), calls.size(), std::max<std::size_t>(in_flight, 1),
            [](void* user_data, wfp_run*, wfp_str envelope_json) {
                static_cast<Call*>(user_data)->envelope.assign(envelope_json.ptr ? envelope_json.ptr : "",
                                                               envelope_json.len);
            },
            user_data.data());
        if (status != WFP_OK) {
            error = "run_here_many failed (" + std::to_string(status) + ")";
            return false;
        }
        return true;
    }

  private:
    // What both invoke paths pass as user_data (as a Caller*): where progress reports go.
    struct Caller {
        const Progress* progress = nullptr;
    };

    static void forward_progress(void* user_data, wfp_run*, std::uint64_t so_far, std::int64_t total) {
        try {
            (*static_cast<Caller*>(user_data)->progress)(so_far, total);
        } catch (...) {
            // No exception may cross into the plugin; a lost progress line is harmless.
        }
    }

    static wfp_run_request request_for(std::string_view node_id, std::string_view input_json,
                                       std::string_view credentials_json, const Caller& caller) {
        wfp_run_request request{};
        request.struct_size = sizeof(wfp_run_request);
        request.node_id = str(node_id);
        request.input_json = str(input_json);
        request.credentials_json = str(credentials_json);
        if (caller.progress) request.on_progress = &forward_progress;
        return request;
    }

    explicit Plugin(void* library) : library_(library) {}

    void* library_;
    wfp_plugin_api api_{};
    bool initialized_ = false;
    unsigned spin_us_ = 0;
    std::atomic<int> waiting_{0};  // callers inside invoke() right now
};

}  // namespace wfp
