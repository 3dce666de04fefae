#include "sandbox/custom_fields.hpp"

#include "sandbox/field_rules.hpp"
#include "sandbox/timestamps.hpp"

#include <algorithm>

namespace fdsandbox {

namespace json = boost::json;

namespace {

using Type = CustomFieldType;

// Seeded as an account administrator would: one field of each type. Ticket fields keep the
// "cf_" prefix in the API; contact fields lose it.
const std::vector<CustomFieldDefinition> kTicketFields = {
    {47000001101, "cf_order_number", "Order number", Type::text, {}},
    {47000001102, "cf_steps_to_reproduce", "Steps to reproduce", Type::paragraph, {}},
    {47000001103, "cf_units_affected", "Units affected", Type::number, {}},
    {47000001104, "cf_refund_requested", "Refund requested", Type::checkbox, {}},
    {47000001105, "cf_purchase_date", "Purchase date", Type::date, {}},
    {47000001106, "cf_product_line", "Product line", Type::dropdown, {"Hardware", "Software", "Services"}},
};

const std::vector<CustomFieldDefinition> kContactFields = {
    {47000002101, "loyalty_id", "Loyalty ID", Type::text, {}},
    {47000002102, "notes", "Notes", Type::paragraph, {}},
    {47000002103, "lifetime_orders", "Lifetime orders", Type::number, {}},
    {47000002104, "newsletter", "Newsletter", Type::checkbox, {}},
    {47000002105, "customer_since", "Customer since", Type::date, {}},
    {47000002106, "tier", "Tier", Type::dropdown, {"Bronze", "Silver", "Gold"}},
};

std::string error_field(const CustomFieldDefinition& field) {
    return "custom_fields." + std::string(field.name);
}

void check_value(const CustomFieldDefinition& field, const json::value& value, ValidationErrors& errors) {
    const std::string name = error_field(field);
    switch (field.type) {
        case Type::text:
            check_string(value, name, errors);
            return;
        case Type::paragraph:
            check_string(value, name, errors, 0);
            return;
        case Type::number:
            if (!value.is_int64())
                errors.add(name, datatype_mismatch_message(json_type_name(value), "Integer"), code::datatype_mismatch);
            return;
        case Type::checkbox:
            check_boolean(value, name, errors);
            return;
        case Type::date:
            if (!value.is_string() || !parse_date(value.get_string()))
                errors.add(name, "It should be a valid date in the 'yyyy-mm-dd' format", code::invalid_value);
            return;
        case Type::dropdown:
            return;  // pass 3
    }
}

}  // namespace

std::span<const CustomFieldDefinition> ticket_custom_fields() {
    return kTicketFields;
}

std::span<const CustomFieldDefinition> contact_custom_fields() {
    return kContactFields;
}

const CustomFieldDefinition* find_custom_field(std::span<const CustomFieldDefinition> fields, std::string_view name) {
    for (const CustomFieldDefinition& field : fields)
        if (field.name == name) return &field;
    return nullptr;
}

std::string_view custom_field_type_name(CustomFieldType type) {
    switch (type) {
        case Type::text:
            return "custom_text";
        case Type::paragraph:
            return "custom_paragraph";
        case Type::number:
            return "custom_number";
        case Type::checkbox:
            return "custom_checkbox";
        case Type::date:
            return "custom_date";
        case Type::dropdown:
            return "custom_dropdown";
    }
    return "custom_text";
}

std::string choice_list(const CustomFieldDefinition& field) {
    std::string list;
    for (std::string_view choice : field.choices) {
        if (!list.empty()) list += ',';
        list += choice;
    }
    return list;
}

void check_custom_field_keys(const json::value& custom_fields, std::span<const CustomFieldDefinition> fields,
                             ValidationErrors& errors) {
    if (!custom_fields.is_object()) return;
    for (const auto& entry : custom_fields.get_object())
        if (!find_custom_field(fields, entry.key()))
            errors.add(entry.key(), std::string(message::invalid_field), code::invalid_field);
}

void check_custom_field_values(const json::value& custom_fields, std::span<const CustomFieldDefinition> fields,
                               ValidationErrors& errors) {
    if (!check_object(custom_fields, "custom_fields", errors)) return;
    for (const auto& entry : custom_fields.get_object()) {
        const CustomFieldDefinition* field = find_custom_field(fields, entry.key());
        if (field && !entry.value().is_null()) check_value(*field, entry.value(), errors);
    }
}

void check_custom_field_choices(const json::object& custom_fields, std::span<const CustomFieldDefinition> fields,
                                ValidationErrors& errors) {
    for (const auto& entry : custom_fields) {
        const CustomFieldDefinition* field = find_custom_field(fields, entry.key());
        const json::value& value = entry.value();
        if (!field || field->type != Type::dropdown || value.is_null()) continue;
        const bool listed =
            value.is_string() && std::find(field->choices.begin(), field->choices.end(),
                                           std::string_view(value.get_string())) != field->choices.end();
        if (!listed) errors.add(error_field(*field), not_included_message(choice_list(*field)), code::invalid_value);
    }
}

void apply_custom_fields(json::object& stored, const json::object& given) {
    for (const auto& entry : given) {
        if (entry.value().is_null())
            stored.erase(entry.key());
        else
            stored[entry.key()] = entry.value();
    }
}

json::object custom_fields_json(const json::object& stored, std::span<const CustomFieldDefinition> fields) {
    json::object body;
    for (const CustomFieldDefinition& field : fields) {
        if (const json::value* value = stored.if_contains(field.name))
            body[field.name] = *value;
        else
            body[field.name] = field.type == Type::checkbox ? json::value(false) : json::value(nullptr);
    }
    return body;
}

}  // namespace fdsandbox
