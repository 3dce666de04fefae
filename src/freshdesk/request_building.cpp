#include "freshdesk/request_building.hpp"

#include "freshdesk/multipart_body.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/grammar/lut_chars.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace fd::freshdesk {
namespace json = boost::json;

namespace {

json::value mapped_value(const FieldMap& map, const json::value& value) {
    if (map.transform == "strip_at" && value.is_string() && value.get_string().starts_with("@")) {
        return json::string(value.get_string().subview(1));
    }
    return value;
}

std::string query_text(const json::value& value) {
    return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

// The path with each {Input} replaced by the input's value (ids are integers by now).
std::string filled_path(const RequestMap& map, const json::object& params) {
    std::string path = map.path;
    for (const std::string& input : map.path_inputs) {
        const std::string placeholder = "{" + input + "}";
        path.replace(path.find(placeholder), placeholder.size(), query_text(params.at(input)));
    }
    return path;
}

}  // namespace

void append_param(boost::urls::url& target, std::string_view key, std::string_view value) {
    // What a query may carry as it is, '+' (and '&', '=') left out.
    static constexpr boost::urls::grammar::lut_chars kPlain = boost::urls::unreserved_chars + ":@/,";
    const std::string encoded_key = boost::urls::encode(key, kPlain);
    const std::string encoded_value = boost::urls::encode(value, kPlain);
    target.encoded_params().append(
        {boost::urls::pct_string_view(encoded_key), boost::urls::pct_string_view(encoded_value)});
}

json::object build_body(const RequestMap& map, const json::object& params) {
    json::object body;
    if (!map.body_merge.empty()) {
        if (const json::value* extra = params.if_contains(map.body_merge)) body = extra->as_object();
    }
    for (const auto& [key, value] : map.body_fixed)
        body[key] = value;
    for (const FieldMap& field : map.body) {
        if (const json::value* value = params.if_contains(field.input)) body[field.field] = mapped_value(field, *value);
    }
    if (!map.custom_fields.empty()) {
        if (const json::value* custom = params.if_contains(map.custom_fields)) body["custom_fields"] = *custom;
    }
    return body;
}

transport::HttpRequest build_request(const RequestMap& map, const json::object& params) {
    transport::HttpRequest request;
    request.method = map.method;
    boost::urls::url target(filled_path(map, params));
    for (const auto& [key, value] : map.query_fixed)
        append_param(target, key, query_text(value));
    for (const FieldMap& field : map.query) {
        if (const json::value* value = params.if_contains(field.input)) {
            append_param(target, field.field, query_text(mapped_value(field, *value)));
        }
    }
    request.target = std::string(target.buffer());
    const bool sends_body =
        !map.body.empty() || !map.body_fixed.empty() || !map.body_merge.empty() || !map.custom_fields.empty();
    const json::value* files = map.attachments.empty() ? nullptr : params.if_contains(map.attachments);
    if (files && files->is_array() && !files->get_array().empty()) {
        MultipartBody multipart = multipart_body(build_body(map, params), files->get_array());
        request.body = std::move(multipart.body);
        request.content_type = std::move(multipart.content_type);
    } else if (sends_body) {
        request.body = json::serialize(build_body(map, params));
    }
    return request;
}

}  // namespace fd::freshdesk
