#include "sandbox/seeding.hpp"

#include "sandbox/field_rules.hpp"
#include "sandbox/tickets.hpp"

#include <random>
#include <stdexcept>

namespace fdsandbox {
namespace {

constexpr std::string_view kFirstNames[] = {"Ada",  "Bruno", "Chen",  "Dana",  "Emeka", "Fatima", "Goran",
                                            "Hana", "Ivan",  "Julia", "Kenji", "Lena",  "Mateo",  "Nadia",
                                            "Omar", "Priya", "Quinn", "Rosa",  "Sven",  "Tara"};
constexpr std::string_view kLastNames[] = {"Ahmed",  "Baker",  "Costa",  "Dubois",   "Eriksen", "Fischer", "Garcia",
                                           "Haddad", "Ito",    "Jensen", "Kowalski", "Lopez",   "Moreau",  "Novak",
                                           "Okafor", "Petrov", "Rossi",  "Silva",    "Tanaka",  "Weber"};
constexpr std::string_view kSubjects[] = {"Cannot log in",           "Refund request",       "Invoice is wrong",
                                          "Feature idea: dark mode", "App crashes on start", "Password reset",
                                          "Shipping delay",          "Question about plans"};
constexpr std::string_view kTags[] = {"billing", "login", "mobile", "refund", "shipping", "vip"};
constexpr int kSources[] = {1, 2, 3, 7, 9};

// A time spread evenly from `days_back` days ago (i = 0) to now (i = count - 1).
UnixSeconds spread(int i, int count, int days_back, UnixSeconds now) {
    const UnixSeconds span = static_cast<UnixSeconds>(days_back) * kSecondsPerDay;
    if (count <= 1) return now - span;
    return now - span + span * i / (count - 1);
}

// A point between `from` and `to`, drawn from `random`.
UnixSeconds between(std::mt19937& random, UnixSeconds from, UnixSeconds to) {
    if (to <= from) return from;
    return from +
           static_cast<UnixSeconds>(static_cast<std::uint64_t>(random()) % static_cast<std::uint64_t>(to - from + 1));
}

// "ada.ahmed.7@example.com": unique through the contact's number in the account.
std::string email_for(const Contact& contact) {
    std::string local = to_lower(contact.name);
    for (char& c : local)
        if (c == ' ') c = '.';
    return local + "." + std::to_string(contact.id - kFirstContactId + 1) + "@example.com";
}

// The directory grows by `count` of a kind; names continue the kind's numbering.
void add_agents(Account& account, int count, UnixSeconds now) {
    for (int i = 0; i < count; ++i) {
        const std::size_t index = account.agents.size();
        Agent agent;
        agent.id = account.agents.empty() ? kApiAgentId : account.next_agent_id++;
        agent.name = std::string(kFirstNames[index % std::size(kFirstNames)]) + " Agent " + std::to_string(index + 1);
        agent.email = "agent" + std::to_string(index + 1) + "@" + account.domain + ".example.com";
        agent.job_title = index == 0 ? "Support lead" : "Support agent";
        agent.occasional = index % 4 == 3;
        agent.created_at = agent.updated_at = now;
        account.agents.push_back(std::move(agent));
    }
}

// The index'th of `names`, then "Kind N" once they run out.
template <std::size_t N>
std::string default_or_numbered(const std::string_view (&names)[N], std::size_t index, std::string_view kind) {
    return index < N ? std::string(names[index]) : std::string(kind) + " " + std::to_string(index + 1);
}

void add_groups(Account& account, int count, UnixSeconds now) {
    static constexpr std::string_view kNames[] = {"Billing", "Escalations", "Sales"};
    for (int i = 0; i < count; ++i) {
        const std::size_t index = account.groups.size();
        Group group;
        group.id = account.next_group_id++;
        group.name = default_or_numbered(kNames, index, "Group");
        group.description = "Members of the " + group.name + " team belong to this group";
        for (std::size_t a = index % 2; a < account.agents.size(); a += 2) {  // every other agent
            group.agent_ids.push_back(account.agents[a].id);
            account.agents[a].group_ids.push_back(group.id);
        }
        group.created_at = group.updated_at = now;
        account.groups.push_back(std::move(group));
    }
}

void add_companies(Account& account, int count, UnixSeconds now) {
    static constexpr std::string_view kNames[] = {"Acme Corp", "Globex", "Initech"};
    for (int i = 0; i < count; ++i) {
        const std::size_t index = account.companies.size();
        Company company;
        company.id = account.next_company_id++;
        company.name = default_or_numbered(kNames, index, "Company");
        std::string domain = to_lower(company.name);
        std::erase(domain, ' ');
        company.domains = {domain + ".example.com"};
        company.created_at = company.updated_at = now;
        account.companies.push_back(std::move(company));
    }
}

void check_spec(const SeedSpec& spec) {
    if (spec.conversations_per_ticket < 0 || spec.conversations_per_ticket > 100) {
        throw std::invalid_argument("conversations_per_ticket must be from 0 to 100");
    }
    if (spec.contacts < 0 || spec.tickets < 0 || spec.days_back < 0 || spec.agents < 0 || spec.groups < 0 ||
        spec.companies < 0)
        throw std::invalid_argument("seed counts and days_back must not be negative");
    if (spec.statuses.empty() || spec.priorities.empty())
        throw std::invalid_argument("seed statuses and priorities must not be empty");
    for (int status : spec.statuses)
        if (status < 2 || status > 5) throw std::invalid_argument("seed statuses must be 2..5");
    for (int priority : spec.priorities)
        if (priority < 1 || priority > 4) throw std::invalid_argument("seed priorities must be 1..4");
}

std::vector<std::int64_t> seed_contacts(Account& account, const SeedSpec& spec, std::mt19937& random, UnixSeconds now) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < spec.contacts; ++i) {
        Contact contact;
        const std::size_t first = static_cast<std::size_t>(i) % std::size(kFirstNames);
        const std::size_t last =
            (static_cast<std::size_t>(i) / std::size(kFirstNames) + random()) % std::size(kLastNames);
        contact.name = std::string(kFirstNames[first]) + " " + std::string(kLastNames[last]);
        contact.active = i % 4 != 3;  // a quarter unverified
        contact.phone = "+1-555-" + std::to_string(1000 + (account.next_contact_id % 9000));
        if (i % 3 == 0) contact.job_title = "Customer";
        if (i % 5 == 0) contact.tags = {std::string(kTags[static_cast<std::size_t>(i) % std::size(kTags)])};
        if (i % 4 == 1 && !account.companies.empty())  // a quarter in a company
            contact.company_id = account.companies[static_cast<std::size_t>(i) % account.companies.size()].id;
        contact.created_at = spread(i, spec.contacts, spec.days_back, now);
        contact.updated_at = between(random, contact.created_at, now);
        Contact& added = account.add_contact(std::move(contact), now);
        added.email = email_for(added);
        ids.push_back(added.id);
    }
    return ids;
}

// The seeded contacts, else every live contact, else one made for the purpose.
std::vector<std::int64_t> requesters_for(Account& account, std::vector<std::int64_t> seeded, UnixSeconds now) {
    if (!seeded.empty()) return seeded;
    for (const auto& [id, contact] : account.contacts)
        if (!contact.deleted) seeded.push_back(id);
    if (!seeded.empty()) return seeded;
    Contact contact;
    contact.name = "Seed Requester";
    contact.email = "seed.requester@example.com";
    contact.active = true;
    return {account.add_contact(std::move(contact), now).id};
}

Ticket seeded_ticket(Account& account, const SeedSpec& spec, int i, std::int64_t requester) {
    const std::size_t index = static_cast<std::size_t>(i);
    Ticket ticket;
    ticket.id = static_cast<std::int64_t>(account.tickets.size()) + 1;
    const std::string subject(kSubjects[index % std::size(kSubjects)]);
    ticket.subject = subject + " #" + std::to_string(ticket.id);
    ticket.description = "<div>Seeded ticket " + std::to_string(ticket.id) + ": " + subject + ".</div>";
    ticket.description_text = html_to_text(ticket.description);
    ticket.status = spec.statuses[index % spec.statuses.size()];
    ticket.priority = spec.priorities[(index / spec.statuses.size()) % spec.priorities.size()];
    ticket.source = kSources[index % std::size(kSources)];
    if (index % 5 != 0) ticket.type = std::string(kTicketTypes[index % std::size(kTicketTypes)]);
    ticket.requester_id = requester;
    ticket.company_id = account.find_contact(requester)->company_id;
    if (index % 3 != 0 && !account.groups.empty()) ticket.group_id = account.groups[index % account.groups.size()].id;
    if (index % 4 != 0 && !account.agents.empty())
        ticket.responder_id = account.agents[index % account.agents.size()].id;
    ticket.tags = {std::string(kTags[index % std::size(kTags)])};
    return ticket;
}

// Alternately a reply to the requester and a private note, spread over the ticket's life.
void add_conversations(Account& account, Ticket& ticket, int count) {
    for (int i = 0; i < count; ++i) {
        Conversation conversation;
        conversation.id = account.next_conversation_id++;
        const bool reply = i % 2 == 0;
        conversation.source = reply ? 0 : 2;
        conversation.is_private = !reply;
        conversation.body = std::string(reply ? "<div>Reply " : "<div>Note ") + std::to_string(i + 1) + " on ticket " +
                            std::to_string(ticket.id) + ".</div>";
        conversation.body_text = html_to_text(conversation.body);
        conversation.user_id = account.agents.empty() ? 0 : account.agents.front().id;
        conversation.created_at = conversation.updated_at =
            ticket.created_at + (ticket.updated_at - ticket.created_at) * (i + 1) / (count + 1);
        ticket.conversations.push_back(std::move(conversation));
    }
}

}  // namespace

SeedSpec example_seed() {
    SeedSpec spec;
    spec.contacts = 5;
    spec.tickets = 10;
    spec.conversations_per_ticket = 3;
    return spec;
}

void seed_default_directory(Account& account, UnixSeconds now) {
    add_agents(account, 4, now);
    add_groups(account, 3, now);
    add_companies(account, 3, now);
}

void seed_account(Account& account, const SeedSpec& spec, UnixSeconds now) {
    check_spec(spec);
    add_agents(account, spec.agents, now);
    add_groups(account, spec.groups, now);
    add_companies(account, spec.companies, now);
    std::mt19937 random(spec.seed);  // mt19937's sequence is fixed by the standard
    std::vector<std::int64_t> requesters = seed_contacts(account, spec, random, now);
    if (spec.tickets > 0) requesters = requesters_for(account, std::move(requesters), now);
    for (int i = 0; i < spec.tickets; ++i) {
        Ticket ticket = seeded_ticket(account, spec, i, requesters[static_cast<std::size_t>(i) % requesters.size()]);
        ticket.created_at = spread(i, spec.tickets, spec.days_back, now);
        ticket.updated_at = between(random, ticket.created_at, now);
        ticket.status_updated_at = ticket.updated_at;
        if (ticket.status == 3) ticket.pending_since = ticket.updated_at;
        if (ticket.status == 4) ticket.resolved_at = ticket.updated_at;
        if (ticket.status == 5) ticket.resolved_at = ticket.closed_at = ticket.updated_at;
        set_default_due_dates(ticket);
        add_conversations(account, ticket, spec.conversations_per_ticket);
        account.tickets.push_back(std::move(ticket));
    }
}

}  // namespace fdsandbox
