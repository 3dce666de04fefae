// The account's custom fields (one of each type, for tickets and for contacts) and how a
// request's `custom_fields` object is checked against them, in Freshdesk's three passes:
// unknown keys first (with the other unknown fields), then value types, then dropdown choices
// (with the other references). See docs/freshdesk.md, "Custom fields (ticket and contact fields)".
#pragma once

#include "sandbox/api_reply.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

enum class CustomFieldType { text, paragraph, number, checkbox, date, dropdown };

struct CustomFieldDefinition {
    std::int64_t id;
    std::string_view name;  // the API name: "cf_..." on tickets, bare on contacts
    std::string_view label;
    CustomFieldType type;
    std::vector<std::string_view> choices;  // dropdowns only
};

std::span<const CustomFieldDefinition> ticket_custom_fields();
std::span<const CustomFieldDefinition> contact_custom_fields();
const CustomFieldDefinition* find_custom_field(std::span<const CustomFieldDefinition> fields, std::string_view name);
std::string_view custom_field_type_name(CustomFieldType type);  // "custom_text", ...
std::string choice_list(const CustomFieldDefinition& field);    // "A,B,C"

// Pass 1: keys of `custom_fields` (when it is an object) that name no field: invalid_field.
void check_custom_field_keys(const boost::json::value& custom_fields, std::span<const CustomFieldDefinition> fields,
                             ValidationErrors& errors);
// Pass 2: the object itself, then each non-dropdown value's type and format.
void check_custom_field_values(const boost::json::value& custom_fields, std::span<const CustomFieldDefinition> fields,
                               ValidationErrors& errors);
// Pass 3: each dropdown value is one of its choices.
void check_custom_field_choices(const boost::json::object& custom_fields, std::span<const CustomFieldDefinition> fields,
                                ValidationErrors& errors);

// Stores the given values (null clears one) into `stored`.
void apply_custom_fields(boost::json::object& stored, const boost::json::object& given);
// Every field of the account, its stored value or its empty value (null; false for a checkbox).
boost::json::object custom_fields_json(const boost::json::object& stored,
                                       std::span<const CustomFieldDefinition> fields);

}  // namespace fdsandbox
