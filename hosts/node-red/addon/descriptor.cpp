#include "descriptor.hpp"

#include "wfp_host.hpp"

#include <string>

namespace {

Napi::String Text(Napi::Env env, wfp_str text) {
    return Napi::String::New(env, std::string(wfp::view(text)));
}

// A field added in ABI 1.1, read only when the plugin's descriptor reaches it (else "").
Napi::String Text11(Napi::Env env, const wfp_node_descriptor& d, wfp_str wfp_node_descriptor::*field) {
    return Text(env, wfp::descriptor_field(d, field));
}

}  // namespace

Napi::Object DescriptorObject(Napi::Env env, const wfp_node_descriptor& d) {
    Napi::Object node = Napi::Object::New(env);
    node.Set("id", Text(env, d.id));
    node.Set("version", Napi::Number::New(env, d.version));
    node.Set("displayName", Text(env, d.display_name));
    node.Set("description", Text(env, d.description));
    node.Set("resource", Text(env, d.resource));
    node.Set("operation", Text(env, d.operation));
    node.Set("credentialType", Text(env, d.credential_type));
    node.Set("inputsSchema", Text(env, d.inputs_schema));
    node.Set("optionsSchema", Text(env, d.options_schema));
    node.Set("outputsSchema", Text(env, d.outputs_schema));
    node.Set("flags", Napi::Number::New(env, d.flags));
    Napi::Array names = Napi::Array::New(env);
    for (std::string_view name : wfp::flag_names(d.flags))
        names.Set(names.Length(), std::string(name));
    node.Set("flagNames", names);
    node.Set("category", Text11(env, d, &wfp_node_descriptor::category));
    node.Set("subtitle", Text11(env, d, &wfp_node_descriptor::subtitle));
    node.Set("icon", Text11(env, d, &wfp_node_descriptor::icon));
    node.Set("fieldOrderJson", Text11(env, d, &wfp_node_descriptor::field_order_json));
    node.Set("optionSourcesJson", Text11(env, d, &wfp_node_descriptor::option_sources_json));
    node.Set("rulesJson", Text11(env, d, &wfp_node_descriptor::rules_json));
    node.Set("credentialTestNode", Text11(env, d, &wfp_node_descriptor::credential_test_node));
    return node;
}
