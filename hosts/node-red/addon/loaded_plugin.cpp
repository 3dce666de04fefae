#include "loaded_plugin.hpp"

namespace {

const char* StatusName(int status) {
    switch (status) {
        case WFP_ERR_INVALID_ARGUMENT:
            return "invalid argument";
        case WFP_ERR_NOT_INITIALIZED:
            return "the plugin is not initialised";
        case WFP_ERR_INTERNAL:
            return "internal error in the plugin";
        case WFP_ERR_UNKNOWN_NODE:
            return "no node has that id";
        default:
            return "unexpected status";
    }
}

}  // namespace

// The TSFN exists before init because the plugin may log from init; it owns a share of the
// object (released by its finaliser), so a failed init frees everything once the TSFN is gone.
std::shared_ptr<LoadedPlugin> LoadedPlugin::Open(Napi::Env env, const std::string& library, const std::string& folder,
                                                 Napi::Function on_log) {
    std::string error;
    std::unique_ptr<wfp::Plugin> plugin = wfp::Plugin::load(library, error);
    if (!plugin) throw Napi::Error::New(env, error);

    auto self = std::make_shared<LoadedPlugin>();
    if (!on_log.IsEmpty()) self->on_log_ = Napi::Persistent(on_log);
    self->tsfn_ = Tsfn::New(
        env, "wfp plugin", 0, 1, self.get(),
        [](Napi::Env, std::shared_ptr<LoadedPlugin>* share, LoadedPlugin*) { delete share; },
        new std::shared_ptr<LoadedPlugin>(self));
    self->tsfn_live_ = true;
    self->tsfn_.Unref(env);  // idle, the plugin does not keep the process alive

    wfp_host_api host = wfp::Plugin::default_host();
    host.host_data = self.get();
    host.log = &LoadedPlugin::OnLog;
    if (!plugin->init(host, folder, error)) {
        plugin.reset();  // dlclose; init failed, so there is nothing to deinit
        self->Close();
        throw Napi::Error::New(env, library + ": " + error);
    }
    self->plugin_ = std::move(plugin);
    return self;
}

uint64_t LoadedPlugin::Start(Napi::Env env, const wfp_run_request& request, Napi::Function on_complete,
                             Napi::Function on_progress) {
    if (!plugin_) throw Napi::Error::New(env, "the plugin is closed");
    auto state = std::make_unique<RunState>();
    state->owner = this;
    state->id = next_run_id_++;
    state->on_complete = Napi::Persistent(on_complete);
    wfp_run_request copy = request;
    copy.on_progress = nullptr;
    if (!on_progress.IsEmpty()) {
        state->on_progress = Napi::Persistent(on_progress);
        copy.on_progress = &LoadedPlugin::OnProgress;
    }
    const int status = plugin_->api().run_start(&copy, &LoadedPlugin::OnComplete, state.get(), &state->run);
    if (status != WFP_OK) {
        throw Napi::Error::New(env, "cannot start " + std::string(wfp::view(request.node_id)) + ": " +
                                        StatusName(status) + " (" + std::to_string(status) + ")");
    }
    if (runs_.empty()) tsfn_.Ref(env);  // a run in flight keeps the event loop alive
    const uint64_t id = state->id;
    runs_.emplace(id, std::move(state));
    return id;
}

bool LoadedPlugin::Cancel(uint64_t run_id) {
    auto found = runs_.find(run_id);
    if (!plugin_ || found == runs_.end()) return false;
    plugin_->api().run_cancel(found->second->run);
    return true;
}

void LoadedPlugin::Close() {
    if (plugin_) {
        for (auto& [id, state] : runs_)
            plugin_->api().run_cancel(state->run);
        // deinit: runs still in flight complete (their envelopes are queued) and the plugin's
        // threads are joined before it returns; then the library is unloaded.
        plugin_.reset();
    }
    if (tsfn_live_) {
        tsfn_live_ = false;
        tsfn_.Release();  // what is queued is still delivered, then the TSFN is finalised
    }
}

void LoadedPlugin::Queue(Delivery* delivery) {
    // Fails only while the environment is being torn down; then nobody is left to tell.
    if (tsfn_.NonBlockingCall(delivery) != napi_ok) delete delivery;
}

void LoadedPlugin::OnComplete(void* user_data, wfp_run*, wfp_str envelope) {
    auto* state = static_cast<RunState*>(user_data);
    state->owner->Queue(new Delivery{Delivery::Kind::complete, state->id, std::string(wfp::view(envelope))});
}

void LoadedPlugin::OnProgress(void* user_data, wfp_run*, uint64_t items, int64_t total) {
    auto* state = static_cast<RunState*>(user_data);
    state->owner->Queue(new Delivery{Delivery::Kind::progress, state->id, {}, items, total});
}

void LoadedPlugin::OnLog(void* host_data, wfp_log_level level, wfp_str message) {
    auto* self = static_cast<LoadedPlugin*>(host_data);
    if (!self->on_log_.IsEmpty()) {
        self->Queue(new Delivery{Delivery::Kind::log, 0, std::string(wfp::view(message)), 0, -1, level});
    }
}

// On the JS thread. With no env the TSFN is being torn down: only free the delivery.
void LoadedPlugin::Deliver(Napi::Env env, Napi::Function, LoadedPlugin* self, Delivery* raw) {
    std::unique_ptr<Delivery> delivery(raw);
    if (env == nullptr) return;
    Napi::HandleScope scope(env);
    if (delivery->kind == Delivery::Kind::log) {
        self->on_log_.Call({Napi::Number::New(env, delivery->level), Napi::String::New(env, delivery->text)});
        return;
    }
    auto found = self->runs_.find(delivery->run_id);
    if (found == self->runs_.end()) return;
    if (delivery->kind == Delivery::Kind::progress) {
        RunState& state = *found->second;
        if (!state.on_progress.IsEmpty()) {
            state.on_progress.Call({Napi::Number::New(env, static_cast<double>(delivery->items)),
                                    Napi::Number::New(env, static_cast<double>(delivery->total))});
        }
        return;
    }
    std::unique_ptr<RunState> state = std::move(found->second);
    self->runs_.erase(found);
    self->DeliverComplete(env, std::move(state), delivery->text);
}

void LoadedPlugin::DeliverComplete(Napi::Env env, std::unique_ptr<RunState> state, const std::string& envelope) {
    // Before close, give the handle back now; after it, the handle died with deinit.
    if (plugin_) plugin_->api().run_release(state->run);
    if (runs_.empty() && tsfn_live_) tsfn_.Unref(env);  // that was the last run in flight
    state->on_complete.Call({Napi::String::New(env, envelope)});
}
