#include "sandbox/tickets.hpp"

#include "sandbox/field_rules.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <tuple>

namespace fdsandbox {

namespace json = boost::json;

namespace {

// CREATE_FIELDS of the 2020 server.
const std::initializer_list<std::string_view> kCreateFields = {"name",
                                                               "requester_id",
                                                               "email",
                                                               "phone",
                                                               "twitter_id",
                                                               "facebook_id",
                                                               "unique_external_id",
                                                               "subject",
                                                               "type",
                                                               "status",
                                                               "priority",
                                                               "description",
                                                               "responder_id",
                                                               "attachments",
                                                               "cc_emails",
                                                               "custom_fields",
                                                               "due_by",
                                                               "email_config_id",
                                                               "fr_due_by",
                                                               "group_id",
                                                               "parent_id",
                                                               "product_id",
                                                               "source",
                                                               "tags",
                                                               "company_id",
                                                               "internal_agent_id",
                                                               "internal_group_id",
                                                               "related_ticket_ids",
                                                               "inline_attachment_ids",
                                                               "bcc_emails"};

// UPDATE_FIELDS: the create set without cc_emails and parent_id, with three more.
const std::initializer_list<std::string_view> kUpdateFields = {"name",
                                                               "requester_id",
                                                               "email",
                                                               "phone",
                                                               "twitter_id",
                                                               "facebook_id",
                                                               "unique_external_id",
                                                               "subject",
                                                               "type",
                                                               "status",
                                                               "priority",
                                                               "description",
                                                               "responder_id",
                                                               "attachments",
                                                               "custom_fields",
                                                               "due_by",
                                                               "email_config_id",
                                                               "fr_due_by",
                                                               "group_id",
                                                               "product_id",
                                                               "source",
                                                               "tags",
                                                               "company_id",
                                                               "internal_agent_id",
                                                               "internal_group_id",
                                                               "related_ticket_ids",
                                                               "inline_attachment_ids",
                                                               "bcc_emails",
                                                               "skip_close_notification",
                                                               "skill_id",
                                                               "tracker_id"};

const std::initializer_list<std::string_view> kListParams = {
    "filter",   "requester_id", "email",   "company_id", "updated_since",
    "order_by", "order_type",   "include", "page",       "per_page"};

const std::initializer_list<std::string_view> kRequesterFields = {"requester_id", "phone",       "email",
                                                                  "twitter_id",   "facebook_id", "unique_external_id"};

constexpr std::string_view kStatusList = "2,3,4,5";
constexpr std::string_view kPriorityList = "1,2,3,4";
constexpr std::string_view kCreateSourceList = "1,2,3,5,6,7,8,9,11,10";
constexpr std::string_view kUpdateSourceList = "1,2,3,5,6,7,8,9,11,10,12";
constexpr std::string_view kShowIncludes = "conversations, requester, company, stats, sla_policy";
constexpr std::string_view kListIncludes = "requester, stats, company, description";
constexpr std::string_view kOrderByList = "due_by,created_at,updated_at,priority,status";
constexpr int kTicketListPageCap = 300;

constexpr int kFirstResponseHours[] = {24, 8, 4, 1};
constexpr int kResolutionHours[] = {72, 24, 12, 4};

json::value text_or_null(const OptionalText& text) {
    return text ? json::value(*text) : json::value(nullptr);
}

json::value id_or_null(const std::optional<std::int64_t>& id) {
    return id ? json::value(*id) : json::value(nullptr);
}

json::value time_or_null(const std::optional<UnixSeconds>& time) {
    return time ? json::value(format_timestamp(*time)) : json::value(nullptr);
}

json::array string_array(const std::vector<std::string>& items) {
    json::array array;
    for (const std::string& item : items)
        array.emplace_back(item);
    return array;
}

std::vector<std::string> to_strings(const json::value& value) {
    std::vector<std::string> items;
    for (const json::value& item : value.get_array())
        items.emplace_back(item.get_string());
    return items;
}

// Splits "a,b, c" into trimmed items.
std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string_view item = text.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        items.emplace_back(item);
        start = comma + 1;
    }
    return items;
}

// A `include` parameter: every item must be in `allowed` (written as in the message).
std::optional<std::vector<std::string>> read_includes(const std::string& text, std::string_view allowed_list) {
    const std::vector<std::string> allowed = split_list(allowed_list);
    std::vector<std::string> items = split_list(text);
    for (const std::string& item : items)
        if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) return std::nullopt;
    return items;
}

bool includes(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

void check_nullable_reference(const json::object& fields, std::string_view field, std::string_view resource,
                              bool (*exists)(std::int64_t), ValidationErrors& errors) {
    const json::value* value = fields.if_contains(field);
    if (!value || value->is_null()) return;
    if (!check_positive_integer(*value, field, errors)) return;
    if (!exists || !exists(value->to_number<std::int64_t>()))
        errors.add(field, absent_in_db_message(resource, field), code::invalid_value);
}

void require_feature(const json::object& fields, std::string_view field, std::string_view feature,
                     ValidationErrors& errors) {
    if (fields.contains(field))
        errors.add(field,
                   "The " + std::string(feature) + " feature is required to support " + std::string(field) +
                       " attribute in the request",
                   code::inaccessible_field);
}

// Validates create (existing == nullptr) or update fields; does not touch the account.
void validate_ticket_fields(Account& account, const json::object& fields, const Ticket* existing, bool relaxed,
                            UnixSeconds now, ValidationErrors& errors) {
    const bool creating = existing == nullptr;

    if (creating) {
        const bool any_requester = std::any_of(kRequesterFields.begin(), kRequesterFields.end(),
                                               [&](std::string_view field) { return fields.contains(field); });
        if (!any_requester)
            errors.add("requester_id", fill_one_of_message("requester_id, phone, email, twitter_id, facebook_id"),
                       code::missing_field);
        const bool phone_only = fields.contains("phone") && !fields.contains("requester_id") &&
                                !fields.contains("email") && !fields.contains("twitter_id") &&
                                !fields.contains("facebook_id") && !fields.contains("unique_external_id");
        if (phone_only && !fields.contains("name"))
            errors.add("name", "It should not be blank if phone is only given", code::missing_field);
    }
    if (const json::value* requester = fields.if_contains("requester_id")) {
        if (check_positive_integer(*requester, "requester_id", errors) &&
            !account.find_contact(requester->to_number<std::int64_t>()))
            errors.add("requester_id", absent_in_db_message("contact", "requester_id"), code::invalid_value);
    }
    if (const json::value* email = fields.if_contains("email")) check_email(*email, "email", errors);
    for (std::string_view field : {"phone", "twitter_id", "unique_external_id", "name"}) {
        if (const json::value* value = fields.if_contains(field)) check_string(*value, field, errors);
    }
    if (const json::value* facebook = fields.if_contains("facebook_id")) {
        if (check_string(*facebook, "facebook_id", errors) &&
            !account.find_contact_by(&Contact::facebook_id, facebook->get_string()))
            errors.add("facebook_id", "There is no record matching the facebook_id provided", code::invalid_value);
    }

    // subject, description, status, priority: required on create unless relaxed.
    const bool required = creating && !relaxed;
    if (const json::value* subject = fields.if_contains("subject")) {
        check_required_string(*subject, "subject", errors);
    } else if (required) {
        errors.add("subject", "It should be a/an String", code::missing_field);
    }
    if (const json::value* description = fields.if_contains("description")) {
        check_string(*description, "description", errors, 0);
    } else if (required) {
        errors.add("description", "It should be a/an String", code::missing_field);
    }
    if (const json::value* status = fields.if_contains("status")) {
        check_integer_choice(*status, "status", {2, 3, 4, 5}, kStatusList, errors);
    } else if (required) {
        errors.add("status", not_included_message(kStatusList), code::missing_field);
    }
    if (const json::value* priority = fields.if_contains("priority")) {
        check_integer_choice(*priority, "priority", {1, 2, 3, 4}, kPriorityList, errors);
    } else if (required) {
        errors.add("priority", not_included_message(kPriorityList), code::missing_field);
    }
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
    check_nullable_reference(fields, "responder_id", "agent", is_agent, errors);
    check_nullable_reference(fields, "group_id", "group", is_group, errors);
    check_nullable_reference(fields, "product_id", "product", nullptr, errors);
    check_nullable_reference(fields, "email_config_id", "email_config", nullptr, errors);
    check_nullable_reference(fields, "company_id", "company", nullptr, errors);
    for (std::string_view field : {"cc_emails", "bcc_emails"}) {
        if (const json::value* value = fields.if_contains(field)) check_string_array(*value, field, errors, 255, true);
    }
    if (const json::value* tags = fields.if_contains("tags")) check_tags(*tags, "tags", errors);
    if (const json::value* custom = fields.if_contains("custom_fields")) check_object(*custom, "custom_fields", errors);
    if (const json::value* attachments = fields.if_contains("attachments")) {
        // Files come only in multipart bodies; in JSON only an empty list passes.
        if (!attachments->is_array())
            errors.add("attachments", datatype_mismatch_message(json_type_name(*attachments), "Array"),
                       code::datatype_mismatch);
        else if (!attachments->get_array().empty())
            errors.add("attachments", "It should contain elements of type valid file format only",
                       code::datatype_mismatch);
    }
    if (const json::value* inline_ids = fields.if_contains("inline_attachment_ids")) {
        if (!inline_ids->is_array()) {
            errors.add("inline_attachment_ids", datatype_mismatch_message(json_type_name(*inline_ids), "Array"),
                       code::datatype_mismatch);
        } else if (!inline_ids->get_array().empty()) {  // the account has no attachments
            std::string list;
            for (const json::value& id : inline_ids->get_array())
                list += (list.empty() ? "" : ",") + json::serialize(id);
            errors.add("inline_attachment_ids", "There are no records matching the ids: '" + list + "'",
                       code::invalid_value);
        }
    }
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

    // due_by and fr_due_by: together, ISO-8601, after creation, fr_due_by <= due_by, and only
    // while the status keeps the SLA timer running (Open).
    const json::value* due_by = fields.if_contains("due_by");
    const json::value* fr_due_by = fields.if_contains("fr_due_by");
    if (fr_due_by && !due_by) errors.add("due_by", "It should not be blank if fr_due_by is given", code::missing_field);
    if (due_by && !fr_due_by) errors.add("fr_due_by", "It should not be blank if due_by is given", code::missing_field);
    if (due_by && fr_due_by) {
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
}

// The requester named by the fields: an existing contact, or a new one made for an unknown
// e-mail/phone/twitter_id/unique_external_id. nullptr when the fields name none.
Contact* resolve_requester(Account& account, const json::object& fields, UnixSeconds now) {
    if (const json::value* id = fields.if_contains("requester_id"))
        return account.find_contact(id->to_number<std::int64_t>());
    const std::string name = string_or_empty(fields.if_contains("name"));
    Contact* found = nullptr;
    Contact made;
    if (const json::value* email = fields.if_contains("email")) {
        const std::string lower = to_lower(email->get_string());
        found = account.find_contact_by_email(lower);
        made.email = lower;
        made.name = name.empty() ? lower.substr(0, lower.find('@')) : name;
    } else if (const json::value* facebook = fields.if_contains("facebook_id")) {
        return account.find_contact_by(&Contact::facebook_id, facebook->get_string());
    } else if (const json::value* twitter = fields.if_contains("twitter_id")) {
        found = account.find_contact_by(&Contact::twitter_id, twitter->get_string());
        made.twitter_id = std::string(twitter->get_string());
        made.name = name.empty() ? *made.twitter_id : name;
    } else if (const json::value* external = fields.if_contains("unique_external_id")) {
        found = account.find_contact_by(&Contact::unique_external_id, external->get_string());
        made.unique_external_id = std::string(external->get_string());
        made.name = name.empty() ? *made.unique_external_id : name;
    } else if (const json::value* phone = fields.if_contains("phone")) {
        found = account.find_contact_by(&Contact::phone, phone->get_string());
        made.phone = std::string(phone->get_string());
        made.name = name.empty() ? *made.phone : name;
    } else {
        return nullptr;
    }
    if (found) return found;
    made.created_at = made.updated_at = now;
    return &account.add_contact(std::move(made), now);
}

void record_status_change(Ticket& ticket, int status, UnixSeconds now) {
    if (status == ticket.status) return;
    ticket.status = status;
    ticket.status_updated_at = now;
    if (status == 3) ticket.pending_since = now;
    if (status == 4) ticket.resolved_at = now;
    if (status == 5) ticket.closed_at = now;
}

void apply_ticket_fields(Ticket& ticket, const json::object& fields, UnixSeconds now) {
    bool priority_changed = false;
    for (const auto& entry : fields) {
        const std::string_view key = entry.key();
        const json::value& value = entry.value();
        if (key == "subject")
            ticket.subject = std::string(value.get_string());
        else if (key == "description") {
            ticket.description = std::string(value.get_string());
            ticket.description_text = html_to_text(ticket.description);
        } else if (key == "status")
            record_status_change(ticket, static_cast<int>(value.get_int64()), now);
        else if (key == "priority") {
            priority_changed = priority_changed || value.get_int64() != ticket.priority;
            ticket.priority = static_cast<int>(value.get_int64());
        } else if (key == "source")
            ticket.source = static_cast<int>(value.get_int64());
        else if (key == "type")
            ticket.type = value.is_null() ? OptionalText() : OptionalText(value.get_string());
        else if (key == "responder_id")
            ticket.responder_id = value.is_null() ? std::nullopt : std::optional(value.to_number<std::int64_t>());
        else if (key == "group_id")
            ticket.group_id = value.is_null() ? std::nullopt : std::optional(value.to_number<std::int64_t>());
        else if (key == "cc_emails")
            ticket.cc_emails = ticket.ticket_cc_emails = to_strings(value);
        else if (key == "bcc_emails")
            ticket.ticket_bcc_emails = to_strings(value);
        else if (key == "tags")
            ticket.tags = to_strings(value);
        else if (key == "custom_fields") {
            for (const auto& custom : value.get_object())
                ticket.custom_fields[custom.key()] = custom.value();
        } else if (key == "due_by") {
            ticket.due_by = *parse_iso8601(value.get_string());
            ticket.due_dates_set_explicitly = true;
        } else if (key == "fr_due_by") {
            ticket.fr_due_by = *parse_iso8601(value.get_string());
        }
    }
    if (priority_changed && !ticket.due_dates_set_explicitly) set_default_due_dates(ticket);
}

Ticket* load_ticket(Account& account, std::string_view id) {
    const std::optional<std::int64_t> number = parse_id(id);
    return number ? account.find_ticket(*number) : nullptr;
}

json::object sla_policy_json() {
    json::object policy;
    policy["id"] = kSlaPolicyId;
    policy["name"] = "Default SLA Policy";
    policy["description"] = "default policy";
    policy["active"] = true;
    policy["is_default"] = true;
    policy["position"] = 1;
    return policy;
}

}  // namespace

void set_default_due_dates(Ticket& ticket) {
    const int index = std::clamp(ticket.priority, 1, 4) - 1;
    ticket.fr_due_by = ticket.created_at + kFirstResponseHours[index] * 3600;
    ticket.due_by = ticket.created_at + kResolutionHours[index] * 3600;
}

std::string html_to_text(std::string_view html) {
    std::string text;
    bool in_tag = false;
    for (std::size_t i = 0; i < html.size(); ++i) {
        const char c = html[i];
        if (in_tag) {
            in_tag = c != '>';
            continue;
        }
        if (c == '<') {
            in_tag = true;
            continue;
        }
        if (c == '&') {
            static constexpr std::pair<std::string_view, char> kEntities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&nbsp;", ' '}};
            bool replaced = false;
            for (const auto& [entity, character] : kEntities) {
                if (html.substr(i, entity.size()) == entity) {
                    text += character;
                    i += entity.size() - 1;
                    replaced = true;
                    break;
                }
            }
            if (replaced) continue;
        }
        text += c;
    }
    return text;
}

json::object ticket_json(const Ticket& ticket, Account& account, TicketView view,
                         const std::vector<std::string>& include) {
    const bool listed = view == TicketView::list || view == TicketView::search;
    const bool with_description = view == TicketView::show || view == TicketView::write || view == TicketView::search ||
                                  includes(include, "description");
    json::object body;
    body["cc_emails"] = string_array(ticket.cc_emails);
    body["fwd_emails"] = string_array(ticket.fwd_emails);
    body["reply_cc_emails"] = string_array(ticket.reply_cc_emails);
    body["ticket_cc_emails"] = string_array(ticket.ticket_cc_emails);
    body["ticket_bcc_emails"] = string_array(ticket.ticket_bcc_emails);
    body["fr_escalated"] = ticket.fr_escalated;
    body["spam"] = ticket.spam;
    body["email_config_id"] = id_or_null(ticket.email_config_id);
    body["group_id"] = id_or_null(ticket.group_id);
    body["priority"] = ticket.priority;
    body["requester_id"] = ticket.requester_id;
    body["responder_id"] = id_or_null(ticket.responder_id);
    body["source"] = ticket.source;
    body["company_id"] = id_or_null(ticket.company_id);
    body["status"] = ticket.status;
    body["subject"] = ticket.subject;
    body["association_type"] = nullptr;
    body["support_email"] = nullptr;
    body["to_emails"] = nullptr;
    body["product_id"] = id_or_null(ticket.product_id);
    body["id"] = ticket.id;
    body["type"] = text_or_null(ticket.type);
    body["due_by"] = format_timestamp(ticket.due_by);
    body["fr_due_by"] = format_timestamp(ticket.fr_due_by);
    body["is_escalated"] = ticket.is_escalated;
    if (with_description) {
        body["description"] = ticket.description;
        body["description_text"] = ticket.description_text;
    }
    body["custom_fields"] = ticket.custom_fields;
    body["created_at"] = format_timestamp(ticket.created_at);
    body["updated_at"] = format_timestamp(ticket.updated_at);
    body["tags"] = string_array(ticket.tags);
    if (!listed) {
        body["attachments"] = json::array();
        body["source_additional_info"] = nullptr;
    }
    body["form_id"] = kFormId;
    body["nr_due_by"] = nullptr;
    body["nr_escalated"] = false;
    body["structured_description"] = nullptr;
    if (listed) body["associated_tickets_count"] = nullptr;
    if (ticket.deleted) body["deleted"] = true;

    if (includes(include, "conversations")) body["conversations"] = json::array();
    if (includes(include, "requester")) {
        if (const Contact* requester = account.find_contact(ticket.requester_id)) {
            body["requester"] = json::object{{"id", requester->id},
                                             {"name", requester->name},
                                             {"email", text_or_null(requester->email)},
                                             {"mobile", text_or_null(requester->mobile)},
                                             {"phone", text_or_null(requester->phone)}};
        } else {
            body["requester"] = json::object();
        }
    }
    if (includes(include, "company")) body["company"] = json::object();
    if (includes(include, "stats")) {
        body["stats"] = json::object{{"agent_responded_at", nullptr},
                                     {"requester_responded_at", nullptr},
                                     {"first_responded_at", nullptr},
                                     {"status_updated_at", time_or_null(ticket.status_updated_at)},
                                     {"reopened_at", nullptr},
                                     {"resolved_at", time_or_null(ticket.resolved_at)},
                                     {"closed_at", time_or_null(ticket.closed_at)},
                                     {"pending_since", time_or_null(ticket.pending_since)}};
    }
    if (includes(include, "sla_policy")) body["sla_policy"] = sla_policy_json();
    return body;
}

Reply create_ticket(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (!fields) return errors.reply();
    check_allowed_fields(*fields, kCreateFields, errors);
    if (!errors.empty()) return errors.reply();
    validate_ticket_fields(account, *fields, nullptr, request.relaxed_ticket_fields, request.now, errors);
    if (!errors.empty()) return errors.reply();

    const Contact* requester = resolve_requester(account, *fields, request.now);
    Ticket ticket;
    ticket.id = static_cast<std::int64_t>(account.tickets.size()) + 1;
    ticket.requester_id = requester->id;
    ticket.company_id = requester->company_id;
    ticket.created_at = ticket.updated_at = request.now;
    apply_ticket_fields(ticket, *fields, request.now);
    if (!fields->contains("due_by")) set_default_due_dates(ticket);
    account.tickets.push_back(std::move(ticket));
    const Ticket& created = account.tickets.back();
    Reply reply = json_reply(201, ticket_json(created, account, TicketView::write));
    reply.headers.emplace_back("Location", location_of(request.host, "tickets", created.id));
    return reply;
}

Reply show_ticket(Account& account, std::string_view id, const ResourceRequest& request) {
    const Ticket* ticket = load_ticket(account, id);
    ValidationErrors errors;
    for (const std::string& key : request.query.unknown_keys({"include"}))
        errors.add(key, std::string(message::invalid_field), code::invalid_field);
    std::vector<std::string> include;
    if (const std::string* include_text = request.query.find("include"); include_text && errors.empty()) {
        if (auto items = read_includes(*include_text, kShowIncludes))
            include = std::move(*items);
        else
            errors.add("include", not_included_message(kShowIncludes), code::invalid_value);
    }
    if (!errors.empty()) return errors.reply();
    if (!ticket) return bare_reply(404);
    Reply reply = json_reply(200, ticket_json(*ticket, account, TicketView::show, include));
    reply.extra_credits = static_cast<int>(include.size());
    return reply;
}

Reply list_tickets(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    const QueryParams& query = request.query;
    for (const std::string& key : query.unknown_keys(kListParams))
        errors.add(key, std::string(message::invalid_field), code::invalid_field);
    if (!errors.empty()) return errors.reply();

    const std::string* filter = query.find("filter");
    if (filter && *filter != "new_and_my_open" && *filter != "watching" && *filter != "spam" && *filter != "deleted")
        errors.add("filter", not_included_message("new_and_my_open,watching,spam,deleted"), code::invalid_value);
    std::optional<std::int64_t> requester_id;
    if (const std::string* requester = query.find("requester_id")) {
        requester_id = parse_id(*requester);
        if (!requester_id || *requester_id == 0)
            errors.add("requester_id", std::string(message::positive_integer), code::datatype_mismatch);
        else if (!account.find_contact(*requester_id))
            errors.add("requester_id", absent_in_db_message("contact", "requester_id"), code::invalid_value);
    }
    if (const std::string* email = query.find("email")) {
        if (const Contact* contact = account.find_contact_by_email(to_lower(*email)))
            requester_id = contact->id;  // combined with requester_id, both must match
        else
            errors.add("email", absent_in_db_message("contact", "email"), code::invalid_value);
    }
    if (const std::string* company = query.find("company_id")) {
        const std::optional<std::int64_t> id = parse_id(*company);
        if (!id || *id == 0)
            errors.add("company_id", std::string(message::positive_integer), code::datatype_mismatch);
        else  // the account has no companies
            errors.add("company_id", absent_in_db_message("company", "company_id"), code::invalid_value);
    }
    std::optional<UnixSeconds> updated_since;
    if (const std::string* since = query.find("updated_since")) {
        updated_since = parse_iso8601(*since);
        if (!updated_since) errors.add("updated_since", std::string(message::invalid_date), code::invalid_value);
    }
    const std::string order_by = query.has("order_by") ? *query.find("order_by") : "created_at";
    if (order_by != "due_by" && order_by != "created_at" && order_by != "updated_at" && order_by != "priority" &&
        order_by != "status")
        errors.add("order_by", not_included_message(kOrderByList), code::invalid_value);
    const std::string order_type = query.has("order_type") ? *query.find("order_type") : "desc";
    if (order_type != "asc" && order_type != "desc")
        errors.add("order_type", not_included_message("asc,desc"), code::invalid_value);
    std::vector<std::string> include;
    if (const std::string* include_text = query.find("include")) {
        if (auto items = read_includes(*include_text, kListIncludes))
            include = std::move(*items);
        else
            errors.add("include", not_included_message(kListIncludes), code::invalid_value);
    }
    PageLimits limits;
    limits.max_page = kTicketListPageCap;
    limits.page_cap_message = "You cannot access tickets beyond the 300th page. Please provide a smaller page number.";
    const Page page = read_page(query, limits, errors);
    if (!errors.empty()) return errors.reply();

    // Without any of these filters only tickets created in the last calendar month are listed.
    const bool windowed =
        !filter && !query.has("requester_id") && !query.has("email") && !query.has("company_id") && !updated_since;
    const UnixSeconds window_start = one_month_earlier(start_of_utc_day(request.now));

    std::vector<const Ticket*> matches;
    for (const Ticket& ticket : account.tickets) {
        if (filter && *filter == "deleted") {
            if (!ticket.deleted) continue;
        } else {
            if (ticket.deleted) continue;
            if (filter && *filter == "spam" ? !ticket.spam : ticket.spam) continue;
        }
        if (filter && *filter == "watching") continue;  // the API agent watches no ticket
        if (filter && *filter == "new_and_my_open" &&
            (ticket.status != 2 || (ticket.responder_id && *ticket.responder_id != kApiAgentId)))
            continue;
        if (requester_id && ticket.requester_id != *requester_id) continue;
        if (updated_since && ticket.updated_at < *updated_since) continue;
        if (windowed && ticket.created_at <= window_start) continue;
        matches.push_back(&ticket);
    }
    auto key_of = [&](const Ticket* ticket) -> std::int64_t {
        if (order_by == "updated_at") return ticket->updated_at;
        if (order_by == "due_by") return ticket->due_by;
        if (order_by == "priority") return ticket->priority;
        if (order_by == "status") return ticket->status;
        return ticket->created_at;
    };
    const bool ascending = order_type == "asc";
    std::stable_sort(matches.begin(), matches.end(), [&](const Ticket* a, const Ticket* b) {
        const std::int64_t left = key_of(a), right = key_of(b);
        if (left != right) return ascending ? left < right : left > right;
        return ascending ? a->id < b->id : a->id > b->id;
    });

    json::array items;
    const std::size_t first = static_cast<std::size_t>((page.page - 1) * page.per_page);
    const std::size_t end = first + static_cast<std::size_t>(page.per_page);
    for (std::size_t i = first; i < matches.size() && i < end; ++i)
        items.push_back(ticket_json(*matches[i], account, TicketView::list, include));
    Reply reply = json_reply(200, items);
    if (end < matches.size() && page.page < kTicketListPageCap)
        reply.headers.emplace_back("Link", next_page_link(request.host, request.path, query, page.page + 1));
    reply.extra_credits = 2 * static_cast<int>(include.size());
    return reply;
}

Reply update_ticket(Account& account, std::string_view id, const ResourceRequest& request) {
    Ticket* ticket = load_ticket(account, id);
    if (!ticket) return bare_reply(404);
    if (ticket->deleted || ticket->spam) return method_not_allowed_reply("PUT", {"GET"});
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (!fields) return errors.reply();
    if (fields->empty()) return request_error_reply(400, "missing_params", message::missing_params);
    check_allowed_fields(*fields, kUpdateFields, errors);
    if (!errors.empty()) return errors.reply();
    validate_ticket_fields(account, *fields, ticket, false, request.now, errors);
    if (!errors.empty()) return errors.reply();

    if (const Contact* requester = resolve_requester(account, *fields, request.now)) {
        ticket = account.find_ticket(ticket->id);  // resolve_requester may add a contact, not a ticket
        ticket->requester_id = requester->id;
    }
    apply_ticket_fields(*ticket, *fields, request.now);
    ticket->updated_at = request.now;
    return json_reply(200, ticket_json(*ticket, account, TicketView::write));
}

Reply delete_ticket(Account& account, std::string_view id, const ResourceRequest& request) {
    Ticket* ticket = load_ticket(account, id);
    if (!ticket) return bare_reply(404);
    if (ticket->deleted || ticket->spam) return method_not_allowed_reply("DELETE", {"GET"});
    ticket->deleted = true;
    ticket->updated_at = request.now;
    return no_content_reply();
}

Reply restore_ticket(Account& account, std::string_view id, const ResourceRequest& request) {
    Ticket* ticket = load_ticket(account, id);
    if (!ticket) return bare_reply(404);
    if (request.body_sent) return request_error_reply(400, "no_content_required", message::no_content_required);
    if (!ticket->deleted) return bare_reply(404);
    ticket->deleted = false;
    ticket->updated_at = request.now;
    return no_content_reply();
}

}  // namespace fdsandbox
