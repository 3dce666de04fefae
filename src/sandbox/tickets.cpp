#include "sandbox/tickets.hpp"

#include "sandbox/attachments.hpp"
#include "sandbox/conversations.hpp"
#include "sandbox/custom_fields.hpp"
#include "sandbox/field_rules.hpp"
#include "sandbox/json_values.hpp"
#include "sandbox/list_reply.hpp"
#include "sandbox/ticket_validation.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace fdsandbox {

namespace json = boost::json;

namespace {

constexpr std::string_view kShowIncludes = "conversations, requester, company, stats, sla_policy";
constexpr std::size_t kMaxIncludedConversations = 10;

constexpr int kFirstResponseHours[] = {24, 8, 4, 1};
constexpr int kResolutionHours[] = {72, 24, 12, 4};

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

bool includes(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
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
            ticket.responder_id = optional_id(value);
        else if (key == "group_id")
            ticket.group_id = optional_id(value);
        else if (key == "company_id")
            ticket.company_id = optional_id(value);
        else if (key == "cc_emails")
            ticket.cc_emails = ticket.ticket_cc_emails = to_strings(value);
        else if (key == "bcc_emails")
            ticket.ticket_bcc_emails = to_strings(value);
        else if (key == "tags")
            ticket.tags = to_strings(value);
        else if (key == "custom_fields")
            apply_custom_fields(ticket.custom_fields, value.get_object());
        else if (key == "due_by") {
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

// What `include` adds to a shown or listed ticket.
void add_includes(json::object& body, const Ticket& ticket, Account& account, const std::vector<std::string>& include) {
    if (includes(include, "conversations"))
        body["conversations"] = conversations_json(account, ticket, kMaxIncludedConversations);
    if (includes(include, "requester")) {
        const Contact* requester = account.find_contact(ticket.requester_id);
        body["requester"] = requester ? json::object{{"id", requester->id},
                                                     {"name", requester->name},
                                                     {"email", text_or_null(requester->email)},
                                                     {"mobile", text_or_null(requester->mobile)},
                                                     {"phone", text_or_null(requester->phone)}}
                                      : json::object();
    }
    if (includes(include, "company")) {
        const Company* company = ticket.company_id ? account.find_company(*ticket.company_id) : nullptr;
        body["company"] = company ? json::object{{"id", company->id}, {"name", company->name}} : json::object();
    }
    if (includes(include, "stats")) {
        body["stats"] = json::object{{"agent_responded_at", time_or_null(ticket.agent_responded_at)},
                                     {"requester_responded_at", nullptr},
                                     {"first_responded_at", time_or_null(ticket.first_responded_at)},
                                     {"status_updated_at", time_or_null(ticket.status_updated_at)},
                                     {"reopened_at", nullptr},
                                     {"resolved_at", time_or_null(ticket.resolved_at)},
                                     {"closed_at", time_or_null(ticket.closed_at)},
                                     {"pending_since", time_or_null(ticket.pending_since)}};
    }
    if (includes(include, "sla_policy")) body["sla_policy"] = sla_policy_json();
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
    json::object body{{"cc_emails", string_array(ticket.cc_emails)},
                      {"fwd_emails", string_array(ticket.fwd_emails)},
                      {"reply_cc_emails", string_array(ticket.reply_cc_emails)},
                      {"ticket_cc_emails", string_array(ticket.ticket_cc_emails)},
                      {"ticket_bcc_emails", string_array(ticket.ticket_bcc_emails)},
                      {"fr_escalated", ticket.fr_escalated},
                      {"spam", ticket.spam},
                      {"email_config_id", id_or_null(ticket.email_config_id)},
                      {"group_id", id_or_null(ticket.group_id)},
                      {"priority", ticket.priority},
                      {"requester_id", ticket.requester_id},
                      {"responder_id", id_or_null(ticket.responder_id)},
                      {"source", ticket.source},
                      {"company_id", id_or_null(ticket.company_id)},
                      {"status", ticket.status},
                      {"subject", ticket.subject},
                      {"association_type", nullptr},
                      {"support_email", nullptr},
                      {"to_emails", nullptr},
                      {"product_id", id_or_null(ticket.product_id)},
                      {"id", ticket.id},
                      {"type", text_or_null(ticket.type)},
                      {"due_by", format_timestamp(ticket.due_by)},
                      {"fr_due_by", format_timestamp(ticket.fr_due_by)},
                      {"is_escalated", ticket.is_escalated}};
    if (with_description) {
        body["description"] = ticket.description;
        body["description_text"] = ticket.description_text;
    }
    body["custom_fields"] = custom_fields_json(ticket.custom_fields, ticket_custom_fields());
    body["created_at"] = format_timestamp(ticket.created_at);
    body["updated_at"] = format_timestamp(ticket.updated_at);
    body["tags"] = string_array(ticket.tags);
    if (!listed) {
        body["attachments"] = attachments_json(account, ticket.attachment_ids);
        body["source_additional_info"] = nullptr;
    }
    body["form_id"] = kFormId;
    body["nr_due_by"] = nullptr;
    body["nr_escalated"] = false;
    body["structured_description"] = nullptr;
    if (listed) body["associated_tickets_count"] = nullptr;
    if (ticket.deleted) body["deleted"] = true;
    add_includes(body, ticket, account, include);
    return body;
}

std::optional<std::vector<std::string>> read_includes(const std::string& text, std::string_view allowed_list) {
    const std::vector<std::string> allowed = split_list(allowed_list);
    std::vector<std::string> items = split_list(text);
    for (const std::string& item : items)
        if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) return std::nullopt;
    return items;
}

Reply create_ticket(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (fields) validate_ticket_request(account, *fields, nullptr, request, errors);
    if (!errors.empty()) return errors.reply();

    const Contact* requester = resolve_requester(account, *fields, request.now);
    Ticket ticket;
    ticket.id = static_cast<std::int64_t>(account.tickets.size()) + 1;
    ticket.requester_id = requester->id;
    ticket.company_id = requester->company_id;
    ticket.created_at = ticket.updated_at = request.now;
    apply_ticket_fields(ticket, *fields, request.now);
    ticket.attachment_ids = store_attachments(account, request.files, request.host, request.now);
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
    check_query_keys(request.query, {"include"}, errors);
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

Reply update_ticket(Account& account, std::string_view id, const ResourceRequest& request) {
    Ticket* ticket = load_ticket(account, id);
    if (!ticket) return bare_reply(404);
    if (ticket->deleted || ticket->spam) return method_not_allowed_reply("PUT", {"GET"});
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (!fields) return errors.reply();
    if (fields->empty() && (!request.files || request.files->empty()))
        return request_error_reply(400, "missing_params", message::missing_params);
    validate_ticket_request(account, *fields, ticket, request, errors);
    if (!errors.empty()) return errors.reply();

    if (const Contact* requester = resolve_requester(account, *fields, request.now)) {
        ticket = account.find_ticket(ticket->id);  // resolve_requester may add a contact, not a ticket
        ticket->requester_id = requester->id;
    }
    apply_ticket_fields(*ticket, *fields, request.now);
    for (std::int64_t attachment : store_attachments(account, request.files, request.host, request.now))
        ticket->attachment_ids.push_back(attachment);
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
    return restore_from_trash(load_ticket(account, id), request);
}

}  // namespace fdsandbox
