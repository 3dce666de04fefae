// The data of one emulated Freshdesk account: its contacts, tickets and their conversations,
// the uploaded attachments, and its directory (agents, groups, companies). Plain data guarded
// by the account's own mutex (see account_registry.hpp).
#pragma once

#include "sandbox/timestamps.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

using OptionalText = std::optional<std::string>;

struct Contact {
    std::int64_t id = 0;
    std::string name;
    OptionalText email;  // lower-cased
    std::vector<std::string> other_emails;
    OptionalText phone, mobile, twitter_id, facebook_id, unique_external_id;
    OptionalText address, description, job_title;
    std::string language = "en";
    std::string time_zone = "Eastern Time (US & Canada)";
    std::optional<std::int64_t> company_id;
    bool view_all_tickets = false;
    std::vector<std::string> tags;
    boost::json::object custom_fields;  // only the fields that were set, by API name
    bool active = false;
    bool deleted = false;
    bool blocked = false;
    std::int64_t org_contact_id = 0;
    std::string visitor_id;
    UnixSeconds created_at = 0;
    UnixSeconds updated_at = 0;
};

// A note or a reply on a ticket.
struct Conversation {
    std::int64_t id = 0;
    std::string body;       // HTML
    std::string body_text;  // plain text
    bool incoming = false;
    bool is_private = false;
    int source = 2;  // 0 a reply (e-mail), 2 a note
    std::int64_t user_id = 0;
    OptionalText support_email, from_email;
    std::vector<std::string> to_emails, cc_emails, bcc_emails;
    std::vector<std::int64_t> attachment_ids;
    UnixSeconds created_at = 0;
    UnixSeconds updated_at = 0;
};

struct Ticket {
    std::int64_t id = 0;  // the per-account display id
    std::string subject;
    std::string description;       // HTML
    std::string description_text;  // plain text
    int status = 2;
    int priority = 1;
    int source = 2;
    OptionalText type;
    std::int64_t requester_id = 0;
    std::optional<std::int64_t> responder_id, group_id, company_id, product_id, email_config_id;
    std::vector<std::string> cc_emails, fwd_emails, reply_cc_emails, ticket_cc_emails, ticket_bcc_emails;
    std::vector<std::string> tags;
    boost::json::object custom_fields;  // only the fields that were set, by API name
    bool fr_escalated = false;
    bool is_escalated = false;
    bool spam = false;
    bool deleted = false;
    UnixSeconds due_by = 0;
    UnixSeconds fr_due_by = 0;
    bool due_dates_set_explicitly = false;  // then a priority change keeps them
    // stats
    std::optional<UnixSeconds> status_updated_at, resolved_at, closed_at, pending_since;
    std::optional<UnixSeconds> agent_responded_at, first_responded_at;
    std::vector<std::int64_t> attachment_ids;
    std::vector<Conversation> conversations;  // in creation order
    UnixSeconds created_at = 0;
    UnixSeconds updated_at = 0;
};

// A file uploaded with a ticket, note or reply; its bytes are served at `download_path`.
struct Attachment {
    std::int64_t id = 0;
    std::string name;
    std::string content_type;
    std::shared_ptr<const std::string> bytes;
    std::string url;  // where the sandbox serves the bytes: unguessable, as a signed storage URL is
    UnixSeconds created_at = 0;
};

struct Agent {
    std::int64_t id = 0;  // the agent's user id
    std::string name;
    std::string email;
    OptionalText phone, mobile, job_title;
    bool occasional = false;
    bool available = true;
    int ticket_scope = 1;  // 1 global, 2 group, 3 restricted
    std::vector<std::int64_t> group_ids;
    UnixSeconds created_at = 0;
    UnixSeconds updated_at = 0;
};

struct Group {
    std::int64_t id = 0;
    std::string name;
    OptionalText description;
    std::vector<std::int64_t> agent_ids;
    UnixSeconds created_at = 0;
    UnixSeconds updated_at = 0;
};

struct Company {
    std::int64_t id = 0;
    std::string name;
    OptionalText description, note;
    std::vector<std::string> domains;
    UnixSeconds created_at = 0;
    UnixSeconds updated_at = 0;
};

// Fixed id spaces. Agents are users too, so their ids stay clear of the contacts' range.
inline constexpr std::int64_t kFirstContactId = 47000000001;
inline constexpr std::int64_t kApiAgentId = 47000000000;  // the agent whose API key is used
inline constexpr std::int64_t kFirstAgentId = 46000000001;
inline constexpr std::int64_t kFirstGroupId = 47000000201;
inline constexpr std::int64_t kFirstCompanyId = 48000000001;
inline constexpr std::int64_t kFirstConversationId = 49000000001;
inline constexpr std::int64_t kFirstAttachmentId = 50000000001;
inline constexpr std::int64_t kFormId = 47000000301;
inline constexpr std::int64_t kSlaPolicyId = 47000000401;
inline constexpr std::string_view kTicketTypes[] = {"Question", "Incident", "Problem", "Feature Request"};
inline constexpr std::string_view kTicketTypeList = "Question,Incident,Problem,Feature Request";

struct Account {
    std::string domain;                        // "{domain}.freshdesk.com"
    std::map<std::int64_t, Contact> contacts;  // by id
    std::vector<Ticket> tickets;               // tickets[i].id == i + 1 (tickets are never purged)
    std::vector<Agent> agents;                 // agents.front() owns the API key
    std::vector<Group> groups;
    std::vector<Company> companies;
    std::map<std::int64_t, Attachment> attachments;  // by id
    std::int64_t next_contact_id = kFirstContactId;
    std::int64_t next_agent_id = kFirstAgentId;
    std::int64_t next_group_id = kFirstGroupId;
    std::int64_t next_company_id = kFirstCompanyId;
    std::int64_t next_conversation_id = kFirstConversationId;
    std::int64_t next_attachment_id = kFirstAttachmentId;

    Contact* find_contact(std::int64_t id);
    Ticket* find_ticket(std::int64_t id);
    const Agent* find_agent(std::int64_t id) const;
    const Group* find_group(std::int64_t id) const;
    const Company* find_company(std::int64_t id) const;
    const Attachment* find_attachment(std::int64_t id) const;
    // Any contact (deleted ones too) having `email` (lower-cased) as primary or other e-mail.
    Contact* find_contact_by_email(std::string_view email);
    Contact* find_contact_by(OptionalText Contact::*field, std::string_view value);
    Contact& add_contact(Contact contact,
                         UnixSeconds now);  // assigns the id and newer-account fields
    std::int64_t api_agent_id() const { return agents.empty() ? kApiAgentId : agents.front().id; }
    std::string support_email() const { return "support@" + domain + ".freshdesk.com"; }
};

bool is_ticket_type(std::string_view type);

}  // namespace fdsandbox
