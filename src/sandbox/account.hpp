// The data of the one emulated Freshdesk account: its contacts and tickets, the ids they get,
// and the fixed agents, groups and ticket types it is configured with. Plain data guarded by
// the sandbox's model mutex.
#pragma once

#include "sandbox/timestamps.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
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
    boost::json::object custom_fields;
    bool active = false;
    bool deleted = false;
    bool blocked = false;
    std::int64_t org_contact_id = 0;
    std::string visitor_id;
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
    boost::json::object custom_fields;
    bool fr_escalated = false;
    bool is_escalated = false;
    bool spam = false;
    bool deleted = false;
    UnixSeconds due_by = 0;
    UnixSeconds fr_due_by = 0;
    bool due_dates_set_explicitly = false;  // then a priority change keeps them
    // stats
    std::optional<UnixSeconds> status_updated_at, resolved_at, closed_at, pending_since;
    UnixSeconds created_at = 0;
    UnixSeconds updated_at = 0;
};

// Fixed configuration of the emulated account.
inline constexpr std::int64_t kFirstContactId = 47000000001;
inline constexpr std::int64_t kApiAgentId = 47000000000;  // the agent whose API key is used
inline constexpr std::int64_t kAgentIds[] = {kApiAgentId, 47000000101, 47000000102, 47000000103};
inline constexpr std::int64_t kGroupIds[] = {47000000201, 47000000202, 47000000203};
inline constexpr std::int64_t kFormId = 47000000301;
inline constexpr std::int64_t kSlaPolicyId = 47000000401;
inline constexpr std::string_view kTicketTypes[] = {"Question", "Incident", "Problem", "Feature Request"};
inline constexpr std::string_view kTicketTypeList = "Question,Incident,Problem,Feature Request";

struct Account {
    std::map<std::int64_t, Contact> contacts;  // by id
    std::vector<Ticket> tickets;               // tickets[i].id == i + 1 (tickets are never purged)
    std::int64_t next_contact_id = kFirstContactId;

    Contact* find_contact(std::int64_t id);
    Ticket* find_ticket(std::int64_t id);
    // Any contact (deleted ones too) having `email` (lower-cased) as primary or other e-mail.
    Contact* find_contact_by_email(std::string_view email);
    Contact* find_contact_by(OptionalText Contact::*field, std::string_view value);
    Contact& add_contact(Contact contact,
                         UnixSeconds now);  // assigns the id and newer-account fields
};

bool is_agent(std::int64_t id);
bool is_group(std::int64_t id);
bool is_ticket_type(std::string_view type);

}  // namespace fdsandbox
