// A wfp plugin as a JavaScript class:
//
//   const p = new addon.Plugin(libraryPath, pluginDir, { onLog(level, message) {} });
//   p.name, p.version, p.abiMinor   the plugin's table (null once closed)
//   p.nodes()                       every descriptor, as plain objects (JSON fields as text)
//   p.credentialsSchema(type)       text, or null for a type the plugin does not know
//   p.start(nodeId, inputJson, credentialsJson, onComplete(envelopeJson), onProgress?(items, total))
//                                   -> a run id; onComplete is called exactly once, later
//   p.cancel(runId)                 asks the run to stop (its envelope still arrives)
//   p.inFlight                      runs whose envelope has not been delivered yet
//   p.close()                       cancels what runs, deinit, unload; idempotent
//
// Every failure to load, init or start is a thrown JavaScript Error, never a crash.
#pragma once

#include "loaded_plugin.hpp"

#include <napi.h>

#include <memory>

class PluginWrap : public Napi::ObjectWrap<PluginWrap> {
  public:
    static Napi::Function Define(Napi::Env env);
    explicit PluginWrap(const Napi::CallbackInfo& info);
    ~PluginWrap() override;

  private:
    const wfp_plugin_api& Api(Napi::Env env) const;

    Napi::Value Name(const Napi::CallbackInfo& info);
    Napi::Value Version(const Napi::CallbackInfo& info);
    Napi::Value AbiMinor(const Napi::CallbackInfo& info);
    Napi::Value InFlight(const Napi::CallbackInfo& info);
    Napi::Value Nodes(const Napi::CallbackInfo& info);
    Napi::Value CredentialsSchema(const Napi::CallbackInfo& info);
    Napi::Value Start(const Napi::CallbackInfo& info);
    Napi::Value Cancel(const Napi::CallbackInfo& info);
    Napi::Value Close(const Napi::CallbackInfo& info);

    static void CloseAtTeardown(void* weak_plugin);

    std::shared_ptr<LoadedPlugin> loaded_;
    // The argument of the environment cleanup hook; it is ours to free, whether the hook ran or not.
    std::unique_ptr<std::weak_ptr<LoadedPlugin>> cleanup_arg_;
};
