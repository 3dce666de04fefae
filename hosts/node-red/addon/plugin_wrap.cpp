#include "plugin_wrap.hpp"

#include "descriptor.hpp"

#include <string>

namespace {

std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* usage) {
    if (info.Length() <= index || !info[index].IsString()) throw Napi::TypeError::New(info.Env(), usage);
    return info[index].As<Napi::String>().Utf8Value();
}

Napi::Function FunctionArg(const Napi::CallbackInfo& info, size_t index) {
    return info.Length() > index && info[index].IsFunction() ? info[index].As<Napi::Function>() : Napi::Function();
}

}  // namespace

Napi::Function PluginWrap::Define(Napi::Env env) {
    return DefineClass(
        env, "Plugin",
        {InstanceAccessor<&PluginWrap::Name>("name"), InstanceAccessor<&PluginWrap::Version>("version"),
         InstanceAccessor<&PluginWrap::AbiMinor>("abiMinor"), InstanceAccessor<&PluginWrap::InFlight>("inFlight"),
         InstanceMethod<&PluginWrap::Nodes>("nodes"),
         InstanceMethod<&PluginWrap::CredentialsSchema>("credentialsSchema"),
         InstanceMethod<&PluginWrap::Start>("start"), InstanceMethod<&PluginWrap::Cancel>("cancel"),
         InstanceMethod<&PluginWrap::Close>("close")});
}

PluginWrap::PluginWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PluginWrap>(info) {
    Napi::Env env = info.Env();
    const char* usage = "new Plugin(libraryPath, pluginDir[, {onLog(level, message)}])";
    const std::string library = StringArg(info, 0, usage);
    const std::string folder = StringArg(info, 1, usage);
    Napi::Function on_log;
    if (info.Length() > 2 && info[2].IsObject()) {
        Napi::Value log = info[2].As<Napi::Object>().Get("onLog");
        if (log.IsFunction()) on_log = log.As<Napi::Function>();
    }
    loaded_ = LoadedPlugin::Open(env, library, folder, on_log);
    // Node tears the environment down without collecting this object: stop the plugin's threads
    // first, so that none runs while the process exits.
    cleanup_arg_ = std::make_unique<std::weak_ptr<LoadedPlugin>>(loaded_);
    NAPI_THROW_IF_FAILED_VOID(env, napi_add_env_cleanup_hook(env, &PluginWrap::CloseAtTeardown, cleanup_arg_.get()));
}

PluginWrap::~PluginWrap() {
    // Removing a hook that already ran is a no-op.
    if (cleanup_arg_) napi_remove_env_cleanup_hook(Env(), &PluginWrap::CloseAtTeardown, cleanup_arg_.get());
    if (loaded_) loaded_->Close();
}

void PluginWrap::CloseAtTeardown(void* weak_plugin) {
    if (auto loaded = static_cast<std::weak_ptr<LoadedPlugin>*>(weak_plugin)->lock()) loaded->Close();
}

const wfp_plugin_api& PluginWrap::Api(Napi::Env env) const {
    if (!loaded_->api()) throw Napi::Error::New(env, "the plugin is closed");
    return *loaded_->api();
}

Napi::Value PluginWrap::Nodes(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Api(env);
    Napi::Array nodes = Napi::Array::New(env);
    for (const wfp_node_descriptor* descriptor : loaded_->nodes()) {
        nodes.Set(nodes.Length(), DescriptorObject(env, *descriptor));
    }
    return nodes;
}

Napi::Value PluginWrap::CredentialsSchema(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const std::string type = StringArg(info, 0, "credentialsSchema(credentialType)");
    const wfp_plugin_api& api = Api(env);
    const wfp_str schema = api.credentials_schema ? api.credentials_schema(wfp::str(type)) : wfp_str{nullptr, 0};
    if (!schema.ptr) return env.Null();
    return Napi::String::New(env, std::string(wfp::view(schema)));
}

Napi::Value PluginWrap::Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const char* usage = "start(nodeId, inputJson, credentialsJson, onComplete[, onProgress])";
    const std::string node_id = StringArg(info, 0, usage);
    const std::string input = StringArg(info, 1, usage);
    const std::string credentials = StringArg(info, 2, usage);
    Napi::Function on_complete = FunctionArg(info, 3);
    if (on_complete.IsEmpty()) throw Napi::TypeError::New(env, usage);

    wfp_run_request request{};
    request.struct_size = sizeof(wfp_run_request);
    request.node_id = wfp::str(node_id);
    request.input_json = wfp::str(input);
    request.credentials_json = wfp::str(credentials);
    const uint64_t id = loaded_->Start(env, request, on_complete, FunctionArg(info, 4));
    return Napi::Number::New(env, static_cast<double>(id));
}

Napi::Value PluginWrap::Cancel(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "cancel(runId)");
    const auto id = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
    return Napi::Boolean::New(info.Env(), loaded_->Cancel(id));
}

Napi::Value PluginWrap::Name(const Napi::CallbackInfo& info) {
    const wfp_plugin_api* api = loaded_->api();
    return api ? Napi::String::New(info.Env(), std::string(wfp::view(api->plugin_name))) : info.Env().Null();
}

Napi::Value PluginWrap::Version(const Napi::CallbackInfo& info) {
    const wfp_plugin_api* api = loaded_->api();
    return api ? Napi::String::New(info.Env(), std::string(wfp::view(api->plugin_version))) : info.Env().Null();
}

Napi::Value PluginWrap::AbiMinor(const Napi::CallbackInfo& info) {
    const wfp_plugin_api* api = loaded_->api();
    return api ? Napi::Number::New(info.Env(), api->abi_minor) : info.Env().Null();
}

Napi::Value PluginWrap::InFlight(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(loaded_->in_flight()));
}

Napi::Value PluginWrap::Close(const Napi::CallbackInfo& info) {
    loaded_->Close();
    return info.Env().Undefined();
}
