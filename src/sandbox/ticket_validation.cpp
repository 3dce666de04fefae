#include "sandbox/ticket_validation.hpp"

#include "sandbox/attachments.hpp"
#include "sandbox/custom_fields.hpp"
#include "sandbox/field_rules.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <tuple>

namespace fdsandbox {

namespace json = boost::json;

namespace {

// CREATE_FIELDS of the 2020 server; UPDATE_FIELDS are these without kCreateOnlyFields, with
// kUpdateOnlyFields.
// clang-format off
const std::initializer_list<std::string_view> kCreateFields = {
    "name", "requester_id", "email", "phone", "twitter_id", "facebook_id", "unique_external_id", "subject", "type",
    "status", "priority", "description", "responder_id", "attachments", "cc_emails", "custom_fields", "due_by",
    "email_config_id", "fr_due_by", "group_id", "parent_id", "product_id", "source", "tags", "company_id",
    "internal_agent_id", "internal_group_id", "related_ticket_ids", "inline_attachment_ids", "bcc_emails"};
// clang-format on
const std::initializer_list<std::string_view> kCreateOnlyFields = {"cc_emails", "parent_id"};
const std::initializer_list<std::string_view> kUpdateOnlyFields = {"skip_close_notification", "skill_id", "tracker_id"};

const std::initializer_list<std::string_view> kRequesterFields = {"requester_id", "phone",       "email",
                                                                  "twitter_id",   "facebook_id", "unique_external_id"};

constexpr std::string_view kStatusList = "2,3,4,5";
constexpr std::string_view kPriorityList = "1,2,3,4";
constexpr std::string_view kCreateSourceList = "1,2,3,5,6,7,8,9,11,10";
constexpr std::string_view kUpdateSourceList = "1,2,3,5,6,7,8,9,11,10,12";

// An id field's type (pass 2); whether it names something is pass 3's business.
void check_id_type(const json::object& fields, std::string_view field, ValidationErrors& errors) {
    const json::value* value = fields.if_contains(field);
    if (value && !value->is_null()) check_positive_integer(*value, field, errors);
}

void require_feature(const json::object& fields, std::string_view field, std::string_view feature,
                     ValidationErrors& errors) {
    if (fields.contains(field))
        errors.add(field,
                   "The " + std::string(feature) + " feature is required to support " + std::string(field) +
                       " attribute in the request",
                   code::inaccessible_field);
}

void check_requester(const json::object& fields, bool creating, ValidationErrors& errors) {
    if (creating) {
        const bool any = std::any_of(kRequesterFields.begin(), kRequesterFields.end(),
                                     [&](std::string_view field) { return fields.contains(field); });
        if (!any)
            errors.add("requester_id", fill_one_of_message("requester_id, phone, email, twitter_id, facebook_id"),
                       code::missing_field);
        const bool phone_only = fields.contains("phone") && !fields.contains("requester_id") &&
                                !fields.contains("email") && !fields.contains("twitter_id") &&
                                !fields.contains("facebook_id") && !fields.contains("unique_external_id");
        if (phone_only && !fields.contains("name"))
            errors.add("name", "It should not be blank if phone is only given", code::missing_field);
    }
    check_id_type(fields, "requester_id", errors);
    if (const json::value* email = fields.if_contains("email")) check_email(*email, "email", errors);
    for (std::string_view field : {"phone", "twitter_id", "unique_external_id", "name", "facebook_id"})
        if (const json::value* value = fields.if_contains(field)) check_string(*value, field, errors);
}

// subject, description, status and priority are required on create unless relaxed.
void check_main_fields(const json::object& fields, bool creating, bool relaxed, ValidationErrors& errors) {
    const bool required = creating && !relaxed;
    if (const json::value* subject = fields.if_contains("subject"))
        check_required_string(*subject, "subject", errors);
    else if (required)
        errors.add("subject", "It should be a/an String", code::missing_field);
    if (const json::value* description = fields.if_contains("description"))
        check_string(*description, "description", errors, 0);
    else if (required)
        errors.add("description", "It should be a/an String", code::missing_field);
    if (const json::value* status = fields.if_contains("status"))
        check_integer_choice(*status, "status", {2, 3, 4, 5}, kStatusList, errors);
    else if (required)
        errors.add("status", not_included_message(kStatusList), code::missing_field);
    if (const json::value* priority = fields.if_contains("priority"))
        check_integer_choice(*priority, "priority", {1, 2, 3, 4}, kPriorityList, errors);
    else if (required)
        errors.add("priority", not_included_message(kPriorityList), code::missing_field);
    if (const json::value* source = fields.if_contains("source")) {
        if (creating)
            check_integer_choice(*source, "source", {1, 2, 3, 5, 6, 7, 8, 9, 11, 10}, kCreateSourceList, errors);
        else
            check_integer_choice(*source, "source", {1, 2, 3, 5, 6, 7, 8, 9, 11, 10, 12}, kUpdateSourceList, errors);
    }
    if (const json::value* type = fields.if_contains("type"); type && !type->is_null()) {
        if (check_string(*type, "type", errors) && !is_ticket_type(type->get_string()))
            errors.add("type", not_included_message(kTicketTypeList), code::invalid_value);
    }
}

void check_lists(const Account& account, const json::object& fields, const Ticket* existing,
                 const ResourceRequest& request, ValidationErrors& errors) {
    for (std::string_view field : {"cc_emails", "bcc_emails"})
        if (const json::value* value = fields.if_contains(field)) check_string_array(*value, field, errors, 255, true);
    if (const json::value* tags = fields.if_contains("tags")) check_tags(*tags, "tags", errors);
    if (const json::value* custom = fields.if_contains("custom_fields"))
        check_custom_field_values(*custom, ticket_custom_fields(), errors);
    // The files already on the ticket count towards the limit; a create may not send an empty list.
    check_attachments(fields, request.files, existing ? attachments_size(account, existing->attachment_ids) : 0,
                      errors);
    const json::value* attachments = fields.if_contains("attachments");
    if (!existing && attachments && attachments->is_array() && attachments->get_array().empty())
        errors.add("attachments", std::string(message::blank), code::invalid_value);
    const json::value* inline_ids = fields.if_contains("inline_attachment_ids");
    if (!inline_ids) return;
    if (!inline_ids->is_array()) {
        errors.add("inline_attachment_ids", datatype_mismatch_message(json_type_name(*inline_ids), "Array"),
                   code::datatype_mismatch);
    } else if (!inline_ids->get_array().empty()) {  // no inline image was uploaded beforehand
        std::string list;
        for (const json::value& id : inline_ids->get_array())
            list += (list.empty() ? "" : ",") + json::serialize(id);
        errors.add("inline_attachment_ids", "There are no records matching the ids: '" + list + "'",
                   code::invalid_value);
    }
}

void check_features(const json::object& fields, ValidationErrors& errors) {
    require_feature(fields, "parent_id", "parent_child_tickets", errors);
    require_feature(fields, "internal_agent_id", "shared_ownership", errors);
    require_feature(fields, "internal_group_id", "shared_ownership", errors);
    require_feature(fields, "related_ticket_ids", "link_tickets", errors);
    require_feature(fields, "tracker_id", "link_tickets", errors);
    require_feature(fields, "skill_id", "skill_based_round_robin", errors);
    if (const json::value* skip = fields.if_contains("skip_close_notification")) {
        const json::value* status = fields.if_contains("status");
        if (check_boolean(*skip, "skip_close_notification", errors) &&
            !(status && status->is_int64() && status->get_int64() == 5))
            errors.add("skip_close_notification", "Cannot be set unless status is changed to closed",
                       code::incompatible_field);
    }
}

// due_by and fr_due_by: together, ISO-8601, after creation, fr_due_by <= due_by, and only
// while the status keeps the SLA timer running (Open).
void check_due_dates(const json::object& fields, const Ticket* existing, UnixSeconds now, ValidationErrors& errors) {
    const json::value* due_by = fields.if_contains("due_by");
    const json::value* fr_due_by = fields.if_contains("fr_due_by");
    if (fr_due_by && !due_by) errors.add("due_by", "It should not be blank if fr_due_by is given", code::missing_field);
    if (due_by && !fr_due_by) errors.add("fr_due_by", "It should not be blank if due_by is given", code::missing_field);
    if (!due_by || !fr_due_by) return;
    const UnixSeconds created = existing ? existing->created_at : now;
    std::optional<UnixSeconds> due, first_response;
    for (auto [field, value, parsed] :
         {std::tuple{"due_by", due_by, &due}, std::tuple{"fr_due_by", fr_due_by, &first_response}}) {
        if (!check_string(*value, field, errors)) continue;
        *parsed = parse_iso8601(value->get_string());
        if (!*parsed)
            errors.add(field, std::string(message::invalid_date), code::invalid_value);
        else if (**parsed <= created)
            errors.add(field, "Has to be greater than ticket creation time", code::invalid_value);
    }
    if (due && first_response && *first_response > *due && !errors.has_field("fr_due_by"))
        errors.add("fr_due_by", "fr_due_by should be lesser than the ticket's due_by", code::invalid_value);
    const json::value* status = fields.if_contains("status");
    const std::int64_t new_status = status && status->is_int64() ? status->get_int64()
                                    : existing                   ? existing->status
                                                                 : 2;
    if (new_status != 2 && !errors.has_field("due_by"))
        errors.add("due_by", "It cannot be set, when the status of the ticket doesn't have sla timer on",
                   code::incompatible_field);
}

// Pass 3: every id names something of the account; dropdown values are among their choices.
void check_references(Account& account, const json::object& fields, ValidationErrors& errors) {
    auto check = [&](std::string_view field, std::string_view resource, auto exists) {
        const json::value* value = fields.if_contains(field);
        if (value && !value->is_null() && !exists(value->get_int64()))
            errors.add(field, absent_in_db_message(resource, field), code::invalid_value);
    };
    check("requester_id", "contact", [&](std::int64_t id) { return account.find_contact(id) != nullptr; });
    check("responder_id", "agent", [&](std::int64_t id) { return account.find_agent(id) != nullptr; });
    check("group_id", "group", [&](std::int64_t id) { return account.find_group(id) != nullptr; });
    check("company_id", "company", [&](std::int64_t id) { return account.find_company(id) != nullptr; });
    check("product_id", "product", [](std::int64_t) { return false; });  // the account sells no products
    check("email_config_id", "email_config", [](std::int64_t) { return false; });
    if (const json::value* facebook = fields.if_contains("facebook_id");
        facebook && !account.find_contact_by(&Contact::facebook_id, facebook->get_string()))
        errors.add("facebook_id", "There is no record matching the facebook_id provided", code::invalid_value);
    if (const json::value* custom = fields.if_contains("custom_fields"))
        check_custom_field_choices(custom->get_object(), ticket_custom_fields(), errors);
}

}  // namespace

void validate_ticket_request(Account& account, const json::object& fields, const Ticket* existing,
                             const ResourceRequest& request, ValidationErrors& errors) {
    const bool creating = existing == nullptr;
    for (const auto& entry : fields) {
        auto listed = [&](std::initializer_list<std::string_view> names) {
            return std::find(names.begin(), names.end(), entry.key()) != names.end();
        };
        const bool accepted = creating
                                  ? listed(kCreateFields)
                                  : (listed(kCreateFields) && !listed(kCreateOnlyFields)) || listed(kUpdateOnlyFields);
        if (!accepted) errors.add(entry.key(), std::string(message::invalid_field), code::invalid_field);
    }
    if (const json::value* custom = fields.if_contains("custom_fields"))
        check_custom_field_keys(*custom, ticket_custom_fields(), errors);
    if (!errors.empty()) return;

    check_requester(fields, creating, errors);
    check_main_fields(fields, creating, creating && request.relaxed_ticket_fields, errors);
    for (std::string_view field : {"responder_id", "group_id", "product_id", "email_config_id", "company_id"})
        check_id_type(fields, field, errors);
    check_lists(account, fields, existing, request, errors);
    check_features(fields, errors);
    check_due_dates(fields, existing, request.now, errors);
    if (!errors.empty()) return;

    check_references(account, fields, errors);
}

}  // namespace fdsandbox
