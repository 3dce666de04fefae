#include "sandbox/conversations.hpp"

#include "sandbox/attachments.hpp"
#include "sandbox/field_rules.hpp"
#include "sandbox/json_values.hpp"
#include "sandbox/list_reply.hpp"
#include "sandbox/tickets.hpp"

#include <algorithm>

namespace fdsandbox {

namespace json = boost::json;

namespace {

enum class ConversationView { note_created, reply_created, listed };

constexpr int kReplySource = 0;
constexpr int kNoteSource = 2;

json::object conversation_json(const Account& account, const Conversation& conversation, std::int64_t ticket_id,
                               ConversationView view) {
    const bool listed = view == ConversationView::listed;
    json::object body{{"body", conversation.body}, {"body_text", conversation.body_text}, {"id", conversation.id}};
    if (view != ConversationView::reply_created) {
        body["incoming"] = conversation.incoming;
        body["private"] = conversation.is_private;
    }
    body["user_id"] = conversation.user_id;
    if (view != ConversationView::reply_created) body["support_email"] = text_or_null(conversation.support_email);
    if (listed) body["source"] = conversation.source;
    if (view != ConversationView::note_created) {
        body["from_email"] = text_or_null(conversation.from_email);
        body["cc_emails"] = string_array(conversation.cc_emails);
        body["bcc_emails"] = string_array(conversation.bcc_emails);
    }
    body["ticket_id"] = ticket_id;
    body["to_emails"] = string_array(conversation.to_emails);
    body["attachments"] = attachments_json(account, conversation.attachment_ids);
    if (view != ConversationView::note_created) body["source_additional_info"] = nullptr;
    body["created_at"] = format_timestamp(conversation.created_at);
    body["updated_at"] = format_timestamp(conversation.updated_at);
    return body;
}

// A ticket notes and replies can be added to: not deleted, not spam.
Ticket* writable_ticket(Account& account, std::string_view id) {
    const std::optional<std::int64_t> number = parse_id(id);
    Ticket* ticket = number ? account.find_ticket(*number) : nullptr;
    return ticket && !ticket->deleted && !ticket->spam ? ticket : nullptr;
}

void check_common_fields(const json::object& fields, const ResourceRequest& request, ValidationErrors& errors) {
    if (const json::value* body = fields.if_contains("body"))
        check_required_string(*body, "body", errors, 0);
    else
        errors.add("body", "It should be a/an String", code::missing_field);
    if (const json::value* user = fields.if_contains("user_id")) check_positive_integer(*user, "user_id", errors);
    check_attachments(fields, request.files, 0, errors);
}

// An array of at most 49 addresses.
void check_email_list(const json::value& value, std::string_view field, ValidationErrors& errors) {
    constexpr std::size_t kMaxEmails = 49;
    if (check_string_array(value, field, errors, 255, true) && value.get_array().size() > kMaxEmails)
        errors.add(field, too_long_message(value.get_array().size(), kMaxEmails, "values"), code::invalid_value);
}

void check_user_exists(Account& account, const json::object& fields, ValidationErrors& errors) {
    const json::value* user = fields.if_contains("user_id");
    if (!user) return;
    const std::int64_t id = user->get_int64();
    if (!account.find_agent(id) && !account.find_contact(id))
        errors.add("user_id", absent_in_db_message("contact", "user_id"), code::invalid_value);
}

// The checks of the three passes; an empty `errors` means the fields may be applied.
void validate_note(Account& account, const json::object& fields, const ResourceRequest& request,
                   ValidationErrors& errors) {
    check_allowed_fields(fields, {"body", "private", "incoming", "user_id", "notify_emails", "attachments"}, errors);
    if (!errors.empty()) return;
    check_common_fields(fields, request, errors);
    for (std::string_view flag : {"private", "incoming"})
        if (const json::value* value = fields.if_contains(flag)) check_boolean(*value, flag, errors);
    if (const json::value* notify = fields.if_contains("notify_emails"))
        check_email_list(*notify, "notify_emails", errors);
    if (!errors.empty()) return;
    check_user_exists(account, fields, errors);
    for (const std::string& email : strings_of(fields, "notify_emails")) {
        const bool agent = std::any_of(account.agents.begin(), account.agents.end(),
                                       [&](const Agent& a) { return to_lower(a.email) == to_lower(email); });
        if (!agent) {
            errors.add("notify_emails", "Accepts only emails of agents", code::invalid_value);
            break;
        }
    }
}

void validate_reply(Account& account, const json::object& fields, const ResourceRequest& request,
                    ValidationErrors& errors) {
    check_allowed_fields(fields, {"body", "from_email", "user_id", "cc_emails", "bcc_emails", "attachments"}, errors);
    if (!errors.empty()) return;
    check_common_fields(fields, request, errors);
    if (const json::value* from = fields.if_contains("from_email")) check_email(*from, "from_email", errors);
    for (std::string_view list : {"cc_emails", "bcc_emails"})
        if (const json::value* value = fields.if_contains(list)) check_email_list(*value, list, errors);
    if (!errors.empty()) return;
    check_user_exists(account, fields, errors);
    if (const json::value* from = fields.if_contains("from_email");
        from && to_lower(from->get_string()) != account.support_email())
        errors.add("from_email", absent_in_db_message("active email_config", "from_email"), code::invalid_value);
}

Conversation new_conversation(Account& account, const json::object& fields, const ResourceRequest& request) {
    Conversation conversation;
    conversation.id = account.next_conversation_id++;
    conversation.body = string_or_empty(fields.if_contains("body"));
    conversation.body_text = html_to_text(conversation.body);
    const json::value* user = fields.if_contains("user_id");
    conversation.user_id = user ? user->get_int64() : account.api_agent_id();
    conversation.attachment_ids = store_attachments(account, request.files, request.host, request.now);
    conversation.created_at = conversation.updated_at = request.now;
    return conversation;
}

void fill_note(Account&, Ticket&, const json::object& fields, Conversation& note, UnixSeconds) {
    note.source = kNoteSource;
    const json::value* is_private = fields.if_contains("private");
    note.is_private = !is_private || is_private->get_bool();  // a note is private unless told
    const json::value* incoming = fields.if_contains("incoming");
    note.incoming = incoming && incoming->get_bool();
    note.to_emails = strings_of(fields, "notify_emails");
}

void fill_reply(Account& account, Ticket& ticket, const json::object& fields, Conversation& reply, UnixSeconds now) {
    reply.source = kReplySource;
    reply.from_email = reply.support_email = account.support_email();
    if (const Contact* requester = account.find_contact(ticket.requester_id); requester && requester->email)
        reply.to_emails = {*requester->email};
    reply.cc_emails = strings_of(fields, "cc_emails");
    reply.bcc_emails = strings_of(fields, "bcc_emails");
    ticket.agent_responded_at = now;
    if (!ticket.first_responded_at) ticket.first_responded_at = now;
}

using ConversationChecks = void (*)(Account&, const json::object&, const ResourceRequest&, ValidationErrors&);
using ConversationFill = void (*)(Account&, Ticket&, const json::object&, Conversation&, UnixSeconds);

// A note or a reply: the ticket must take one, the fields pass `checks`, `fill` sets what is
// particular to the kind; the new conversation touches its ticket.
Reply create_conversation(Account& account, std::string_view ticket_id, const ResourceRequest& request,
                          ConversationChecks checks, ConversationFill fill, ConversationView view) {
    Ticket* ticket = writable_ticket(account, ticket_id);
    if (!ticket) return bare_reply(404);
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (fields) checks(account, *fields, request, errors);
    if (!errors.empty()) return errors.reply();
    Conversation conversation = new_conversation(account, *fields, request);
    fill(account, *ticket, *fields, conversation, request.now);
    ticket->updated_at = request.now;
    ticket->conversations.push_back(std::move(conversation));
    const Conversation& added = ticket->conversations.back();
    Reply reply = json_reply(201, conversation_json(account, added, ticket->id, view));
    reply.headers.emplace_back("Location", location_of(request.host, "conversations", added.id));
    return reply;
}

}  // namespace

json::array conversations_json(const Account& account, const Ticket& ticket, std::size_t limit) {
    json::array list;
    for (std::size_t i = 0; i < ticket.conversations.size() && i < limit; ++i)
        list.push_back(conversation_json(account, ticket.conversations[i], ticket.id, ConversationView::listed));
    return list;
}

Reply create_note(Account& account, std::string_view ticket_id, const ResourceRequest& request) {
    return create_conversation(account, ticket_id, request, validate_note, fill_note, ConversationView::note_created);
}

Reply create_reply(Account& account, std::string_view ticket_id, const ResourceRequest& request) {
    return create_conversation(account, ticket_id, request, validate_reply, fill_reply,
                               ConversationView::reply_created);
}

Reply list_conversations(Account& account, std::string_view ticket_id, const ResourceRequest& request) {
    const std::optional<std::int64_t> number = parse_id(ticket_id);
    const Ticket* ticket = number ? account.find_ticket(*number) : nullptr;
    ValidationErrors errors;
    if (!check_query_keys(request.query, {"page", "per_page"}, errors)) return errors.reply();
    const Page page = read_page(request.query, PageLimits{}, errors);
    if (!errors.empty()) return errors.reply();
    if (!ticket) return bare_reply(404);
    std::vector<const Conversation*> ordered;
    for (const Conversation& conversation : ticket->conversations)
        ordered.push_back(&conversation);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Conversation* a, const Conversation* b) {
        return a->created_at != b->created_at ? a->created_at < b->created_at : a->id < b->id;
    });
    return list_reply(ordered, page, request, [&](const Conversation* conversation) {
        return conversation_json(account, *conversation, ticket->id, ConversationView::listed);
    });
}

}  // namespace fdsandbox
