#include "sandbox/form_body.hpp"

#include "sandbox/query_params.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace fdsandbox {

namespace json = boost::json;

namespace {

// Fields whose values are integers or booleans in a JSON body.
constexpr std::string_view kIntegerFields[] = {
    "status",     "priority",        "source",  "requester_id", "responder_id",      "group_id",         "company_id",
    "product_id", "email_config_id", "user_id", "parent_id",    "internal_agent_id", "internal_group_id"};
constexpr std::string_view kBooleanFields[] = {"private", "incoming", "view_all_tickets", "active",
                                               "skip_close_notification"};

bool listed(std::span<const std::string_view> names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// "2" as 2 for an integer field, "true"/"false" as booleans for a boolean one; else the text.
json::value typed_value(std::string text, bool integer, bool boolean) {
    if (integer) {
        if (const std::optional<std::int64_t> number = parse_integer(text)) return *number;
    }
    if (boolean && (text == "true" || text == "false")) return text == "true";
    return json::value(json::string(text));
}

json::value custom_value(std::string text, std::span<const CustomFieldDefinition> custom_fields,
                         std::string_view name) {
    const CustomFieldDefinition* field = find_custom_field(custom_fields, name);
    const bool integer = field && field->type == CustomFieldType::number;
    const bool boolean = field && field->type == CustomFieldType::checkbox;
    return typed_value(std::move(text), integer, boolean);
}

void add_part(FormBody& body, FormPart& part, std::span<const CustomFieldDefinition> custom_fields) {
    std::string_view name = part.name;
    if (name == "attachments[]" && part.filename) {
        const std::string type = part.content_type.empty() ? "application/octet-stream" : part.content_type;
        body.files.push_back({*part.filename, type, std::move(part.data)});
        return;
    }
    if (part.filename) {  // another file (a contact's avatar): accepted, not stored
        body.fields[name] = nullptr;
        return;
    }
    if (name.starts_with("custom_fields[") && name.ends_with("]") && name.size() > 15) {
        const std::string_view key = name.substr(14, name.size() - 15);
        json::value& object = body.fields["custom_fields"];
        if (!object.is_object()) object = json::object();
        object.get_object()[key] = custom_value(std::move(part.data), custom_fields, key);
        return;
    }
    if (name.ends_with("[]") && name.size() > 2) {
        json::value& array = body.fields[name.substr(0, name.size() - 2)];
        if (!array.is_array()) array = json::array();
        array.get_array().emplace_back(json::string(part.data));
        return;
    }
    body.fields[name] = typed_value(std::move(part.data), listed(kIntegerFields, name), listed(kBooleanFields, name));
}

}  // namespace

FormBody form_body_from_parts(std::vector<FormPart> parts, std::span<const CustomFieldDefinition> custom_fields) {
    FormBody body;
    for (FormPart& part : parts)
        add_part(body, part, custom_fields);
    return body;
}

}  // namespace fdsandbox
