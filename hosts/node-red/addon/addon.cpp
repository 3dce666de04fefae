// The Node-API addon the Node-RED palette loads: it exports one class, Plugin (plugin_wrap.hpp).
#include "plugin_wrap.hpp"

#include <napi.h>

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
    exports.Set("Plugin", PluginWrap::Define(env));
    exports.Set("abiMajor", Napi::Number::New(env, WFP_ABI_MAJOR));
    exports.Set("abiMinor", Napi::Number::New(env, WFP_ABI_MINOR));
    return exports;
}

}  // namespace

NODE_API_MODULE(wfp_addon, Init)
