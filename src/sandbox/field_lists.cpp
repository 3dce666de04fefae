#include "sandbox/field_lists.hpp"

#include "sandbox/custom_fields.hpp"
#include "sandbox/list_reply.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace fdsandbox {

namespace json = boost::json;

namespace {

// The fields' own timestamps: fixed, as an account's fields rarely change.
constexpr UnixSeconds kFieldsCreatedAt = 1704067200;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kFirstTicketFieldId = 47000001001;
constexpr std::int64_t kFirstContactFieldId = 47000002001;

struct DefaultTicketField {
    std::string_view name, label, description;
    bool required, customers_can_edit, displayed_to_customers;
};

// As a new account seeds them, without "product": the field is left out of the list while the
// account has no products. "company" is not required by this sandbox's tickets.
constexpr DefaultTicketField kDefaultTicketFields[] = {
    {"requester", "Requester", "Ticket requester", true, true, true},
    {"subject", "Subject", "Ticket subject", true, true, true},
    {"ticket_type", "Type", "Ticket type", false, false, false},
    {"source", "Source", "Ticket source", false, false, false},
    {"status", "Status", "Ticket status", true, false, true},
    {"priority", "Priority", "Ticket priority", true, false, false},
    {"group", "Group", "Ticket group", false, false, false},
    {"agent", "Assigned to", "Agent", false, false, true},
    {"description", "Description", "Ticket description", true, true, true},
    {"company", "Company", "Ticket Company", false, true, true},
};

struct DefaultContactField {
    std::string_view name, label;
    int position;
    bool required, editable_in_signup, customers_can_edit, displayed_for_customers;
};

constexpr DefaultContactField kDefaultContactFields[] = {
    {"name", "Full Name", 1, true, true, true, true},
    {"job_title", "Title", 2, false, false, true, true},
    {"email", "Email", 3, false, true, false, true},
    {"phone", "Work Phone", 4, false, false, true, true},
    {"mobile", "Mobile Phone", 5, false, false, true, true},
    {"twitter_id", "Twitter", 6, false, false, true, true},
    {"company_name", "Company", 7, false, false, false, true},
    {"address", "Address", 8, false, false, false, false},
    {"time_zone", "Time Zone", 9, false, false, true, true},
    {"language", "Language", 10, false, false, true, true},
    {"tag_names", "Tags", 11, false, false, false, false},
    {"description", "About", 12, false, false, false, false},
    {"client_manager", "Can see all tickets from his company", 13, false, false, false, false},
    {"unique_external_id", "Unique External Id", 14, false, false, false, false},
};

constexpr std::pair<std::string_view, std::string_view> kLanguages[] = {{"Arabic", "ar"},
                                                                        {"Catalan", "ca"},
                                                                        {"Czech", "cs"},
                                                                        {"Danish", "da"},
                                                                        {"German", "de"},
                                                                        {"English", "en"},
                                                                        {"Spanish", "es"},
                                                                        {"Finnish", "fi"},
                                                                        {"French", "fr"},
                                                                        {"Hebrew", "he"},
                                                                        {"Hungarian", "hu"},
                                                                        {"Indonesian", "id"},
                                                                        {"Italian", "it"},
                                                                        {"Japanese", "ja-JP"},
                                                                        {"Korean", "ko"},
                                                                        {"Norwegian", "nb-NO"},
                                                                        {"Dutch", "nl"},
                                                                        {"Polish", "pl"},
                                                                        {"Portuguese (BR)", "pt-BR"},
                                                                        {"Portuguese/Portugal", "pt-PT"},
                                                                        {"Russian", "ru-RU"},
                                                                        {"Swedish", "sv-SE"},
                                                                        {"Turkish", "tr"},
                                                                        {"Vietnamese", "vi"},
                                                                        {"Chinese", "zh-CN"},
                                                                        {"Chinese (Traditional)", "zh-TW"}};

constexpr std::string_view kTimeZones[] = {"American Samoa",
                                           "Hawaii",
                                           "Pacific Time (US & Canada)",
                                           "Mountain Time (US & Canada)",
                                           "Central Time (US & Canada)",
                                           "Eastern Time (US & Canada)",
                                           "Brasilia",
                                           "UTC",
                                           "London",
                                           "Berlin",
                                           "Paris",
                                           "Athens",
                                           "Moscow",
                                           "Chennai",
                                           "Singapore",
                                           "Tokyo",
                                           "Sydney",
                                           "Auckland"};

json::object common_field(std::int64_t id, std::string_view name, std::string_view label, int position,
                          std::string_view type, bool is_default) {
    return json::object{{"id", id},
                        {"name", name},
                        {"label", label},
                        {"position", position},
                        {"type", type},
                        {"default", is_default},
                        {"label_for_customers", label},
                        {"created_at", format_timestamp(kFieldsCreatedAt)},
                        {"updated_at", format_timestamp(kFieldsCreatedAt)}};
}

template <class Item>
json::object name_to_id(const std::vector<Item>& items) {
    json::object choices;
    for (const Item& item : items)
        choices[item.name] = item.id;
    return choices;
}

json::value ticket_choices(std::string_view name, const Account& account) {
    if (name == "ticket_type") return json::array(std::begin(kTicketTypes), std::end(kTicketTypes));
    if (name == "priority") return json::object{{"Low", 1}, {"Medium", 2}, {"High", 3}, {"Urgent", 4}};
    if (name == "status")
        return json::object{{"2", json::array{"Open", "Being Processed"}},
                            {"3", json::array{"Pending", "Awaiting your Reply"}},
                            {"4", json::array{"Resolved", "This ticket has been Resolved"}},
                            {"5", json::array{"Closed", "This ticket has been Closed"}}};
    if (name == "source")
        return json::object{{"Email", 1},           {"Portal", 2},          {"Phone", 3},      {"Forum", 4},
                            {"Twitter", 5},         {"Facebook", 6},        {"Chat", 7},       {"MobiHelp", 8},
                            {"Feedback Widget", 9}, {"Outbound Email", 10}, {"Ecommerce", 11}, {"Bot", 12}};
    if (name == "group") return name_to_id(account.groups);
    if (name == "agent") return name_to_id(account.agents);
    return nullptr;
}

json::value contact_choices(std::string_view name) {
    json::object choices;
    if (name == "language")
        for (const auto& [label, code] : kLanguages)
            choices[label] = code;
    if (name == "time_zone")
        for (std::string_view zone : kTimeZones)
            choices[zone] = zone;
    return choices.empty() ? json::value(nullptr) : json::value(std::move(choices));
}

json::value custom_choices(const CustomFieldDefinition& field) {
    if (field.choices.empty()) return nullptr;
    return json::array(field.choices.begin(), field.choices.end());
}

void add_ticket_flags(json::object& field, bool required, bool customers_can_edit, bool displayed) {
    json::value label = field.at("label");  // a copy: inserting may move the object's storage
    field["description"] = std::move(label);
    field["required_for_closure"] = false;
    field["required_for_agents"] = required;
    field["customers_can_edit"] = customers_can_edit;
    field["required_for_customers"] = required && customers_can_edit;
    field["displayed_to_customers"] = displayed;
}

std::string field_types(const json::array& fields) {
    std::string list;
    for (const json::value& field : fields)
        list += (list.empty() ? "" : ",") + std::string(field.at("type").as_string());
    return list;
}

bool known_field_type(const json::array& fields, const std::string& type) {
    return std::any_of(fields.begin(), fields.end(),
                       [&](const json::value& field) { return field.at("type") == type.c_str(); });
}

}  // namespace

Reply list_ticket_fields(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    if (!check_query_keys(request.query, {"type"}, errors)) return errors.reply();
    json::array fields;
    int position = 1;
    for (const DefaultTicketField& spec : kDefaultTicketFields) {
        json::object field = common_field(kFirstTicketFieldId + position - 1, spec.name, spec.label, position,
                                          "default_" + std::string(spec.name), true);
        add_ticket_flags(field, spec.required, spec.customers_can_edit, spec.displayed_to_customers);
        field["description"] = spec.description;
        if (json::value choices = ticket_choices(spec.name, account); !choices.is_null()) field["choices"] = choices;
        if (spec.name == "requester") {
            field["portal_cc"] = false;
            field["portal_cc_to"] = "company";
        }
        fields.push_back(std::move(field));
        ++position;
    }
    for (const CustomFieldDefinition& custom : ticket_custom_fields()) {
        json::object field =
            common_field(custom.id, custom.name, custom.label, position++, custom_field_type_name(custom.type), false);
        add_ticket_flags(field, false, false, false);
        if (json::value choices = custom_choices(custom); !choices.is_null()) field["choices"] = choices;
        fields.push_back(std::move(field));
    }
    const std::string* type = request.query.find("type");
    if (!type) return json_reply(200, fields);
    if (!known_field_type(fields, *type)) {
        errors.add("type", not_included_message(field_types(fields)), code::invalid_value);
        return errors.reply();
    }
    json::array of_type;
    for (json::value& field : fields)
        if (field.at("type") == type->c_str()) of_type.push_back(std::move(field));
    return json_reply(200, of_type);
}

Reply list_contact_fields(Account&, const ResourceRequest& request) {
    ValidationErrors errors;
    if (!check_query_keys(request.query, {}, errors)) return errors.reply();
    json::array fields;
    auto add = [&](json::object field, bool required, bool signup, bool edit, bool displayed, json::value choices) {
        field["editable_in_signup"] = signup;
        field["required_for_agents"] = required;
        field["customers_can_edit"] = edit;
        field["required_for_customers"] = required;
        field["displayed_for_customers"] = displayed;
        if (!choices.is_null()) field["choices"] = std::move(choices);
        fields.push_back(std::move(field));
    };
    for (const DefaultContactField& spec : kDefaultContactFields)
        add(common_field(kFirstContactFieldId + spec.position - 1, spec.name, spec.label, spec.position,
                         "default_" + std::string(spec.name), true),
            spec.required, spec.editable_in_signup, spec.customers_can_edit, spec.displayed_for_customers,
            contact_choices(spec.name));
    int position = 15;
    for (const CustomFieldDefinition& custom : contact_custom_fields())
        add(common_field(custom.id, custom.name, custom.label, position++, custom_field_type_name(custom.type), false),
            false, false, true, true, custom_choices(custom));
    return json_reply(200, fields);
}

}  // namespace fdsandbox
