// A wfp plugin loaded and initialised in this process, with its runs in flight.
//
// Plugin threads only ever build a Delivery and queue it on a thread-safe function (TSFN);
// everything that touches JavaScript or the run table happens on the JS thread. The TSFN holds
// a share of this object until it is finalised, so a queued delivery never outlives its target,
// whatever happens to the JavaScript object that made it.
#pragma once

#include "wfp_host.hpp"

#include <napi.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

class LoadedPlugin;

// One run that run_start accepted. Lives until its envelope has been delivered to JavaScript
// (the ABI needs user_data alive until on_complete returns, which is earlier).
struct RunState {
    LoadedPlugin* owner = nullptr;
    uint64_t id = 0;
    wfp_run* run = nullptr;
    Napi::FunctionReference on_complete;
    Napi::FunctionReference on_progress;  // empty when the caller wanted no progress
};

// What a plugin thread hands to the JS thread.
struct Delivery {
    enum class Kind { complete, progress, log } kind;
    uint64_t run_id = 0;  // complete and progress; looked up again on the JS thread
    std::string text;     // the envelope, or the log message
    uint64_t items = 0;   // progress
    int64_t total = -1;   // progress
    int level = 0;        // log
};

class LoadedPlugin {
  public:
    // dlopen, read the table, init. Throws Napi::Error (nothing stays loaded) on failure.
    static std::shared_ptr<LoadedPlugin> Open(Napi::Env env, const std::string& library, const std::string& folder,
                                              Napi::Function on_log);

    const wfp_plugin_api* api() const { return plugin_ ? &plugin_->api() : nullptr; }
    std::vector<const wfp_node_descriptor*> nodes() const { return plugin_->nodes(); }
    size_t in_flight() const { return runs_.size(); }

    // run_start; returns the run id, or throws Napi::Error when the plugin refused to start it.
    uint64_t Start(Napi::Env env, const wfp_run_request& request, Napi::Function on_complete,
                   Napi::Function on_progress);
    bool Cancel(uint64_t run_id);
    // Cancels what runs, deinit (runs complete as cancelled, threads are joined), dlclose.
    // Envelopes already queued are still delivered. Idempotent.
    void Close();

  private:
    static void Deliver(Napi::Env env, Napi::Function, LoadedPlugin* self, Delivery* delivery);
    using Tsfn = Napi::TypedThreadSafeFunction<LoadedPlugin, Delivery, &LoadedPlugin::Deliver>;
    // The plugin's callbacks: they run on plugin threads and only queue a Delivery.
    static void OnComplete(void* user_data, wfp_run* run, wfp_str envelope);
    static void OnProgress(void* user_data, wfp_run* run, uint64_t items, int64_t total);
    static void OnLog(void* host_data, wfp_log_level level, wfp_str message);

    void Queue(Delivery* delivery);
    void DeliverComplete(Napi::Env env, std::unique_ptr<RunState> state, const std::string& envelope);

    std::unique_ptr<wfp::Plugin> plugin_;  // null once closed
    Tsfn tsfn_;
    bool tsfn_live_ = false;
    Napi::FunctionReference on_log_;
    std::map<uint64_t, std::unique_ptr<RunState>> runs_;  // JS thread only
    uint64_t next_run_id_ = 1;
};
