#include "core/envelope.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace fd {
namespace json = boost::json;

namespace {

// The empty value of a schema's (first) declared type.
json::value empty_value(const json::object& schema, const json::storage_ptr& storage) {
    const json::value* type = schema.if_contains("type");
    if (type && type->is_array() && !type->get_array().empty()) type = &type->get_array().front();
    const std::string_view name = type && type->is_string() ? std::string_view(type->get_string()) : "";
    if (name == "object") return json::object(storage);
    if (name == "array") return json::array(storage);
    if (name == "integer" || name == "number") return 0;
    if (name == "boolean") return false;
    if (name == "string") return "";
    return nullptr;
}

}  // namespace

json::object empty_outputs_of(const json::object& outputs_schema) {
    json::object envelope;
    for (const auto& [key, schema] : outputs_schema.at("properties").as_object()) {
        envelope[key] = empty_value(schema.as_object(), envelope.storage());
    }
    return envelope;
}

json::object empty_envelope(const NodeSpec& node, json::storage_ptr storage) {
    return json::object(node.empty_outputs, std::move(storage));
}

json::object status_envelope(const NodeSpec& node, int status_code, int original_status_code, std::string error_message,
                             json::storage_ptr storage) {
    json::object envelope = empty_envelope(node, std::move(storage));
    envelope["OriginalStatusCode"] = original_status_code;
    envelope["StatusCode"] = status_code;
    envelope["ErrorMessage"] = std::move(error_message);
    return envelope;
}

std::string envelope_text(const json::object& envelope, std::string_view verbatim_key, std::string_view verbatim) {
    if (verbatim_key.empty()) return json::serialize(envelope);
    std::string text = "{";
    text.reserve(verbatim.size() + 256);
    for (const json::key_value_pair& member : envelope) {
        if (text.size() > 1) text += ',';
        text += json::serialize(member.key());
        text += ':';
        if (member.key() == verbatim_key) {
            text += verbatim;
        } else {
            text += json::serialize(member.value());
        }
    }
    return text += '}';
}

}  // namespace fd
