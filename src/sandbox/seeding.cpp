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

}  // namespace

void seed_account(Account& account, const SeedSpec& spec, UnixSeconds now) {
    if (spec.contacts < 0 || spec.tickets < 0 || spec.days_back < 0)
        throw std::invalid_argument("seed counts and days_back must not be negative");
    if (spec.statuses.empty() || spec.priorities.empty())
        throw std::invalid_argument("seed statuses and priorities must not be empty");
    for (int status : spec.statuses)
        if (status < 2 || status > 5) throw std::invalid_argument("seed statuses must be 2..5");
    for (int priority : spec.priorities)
        if (priority < 1 || priority > 4) throw std::invalid_argument("seed priorities must be 1..4");

    std::mt19937 random(spec.seed);  // mt19937's sequence is fixed by the standard
    std::vector<std::int64_t> requesters;
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
        contact.created_at = spread(i, spec.contacts, spec.days_back, now);
        contact.updated_at = between(random, contact.created_at, now);
        Contact& added = account.add_contact(std::move(contact), now);
        added.email = email_for(added);
        requesters.push_back(added.id);
    }
    if (requesters.empty() && spec.tickets > 0) {
        for (const auto& [id, contact] : account.contacts)
            if (!contact.deleted) requesters.push_back(id);
        if (requesters.empty()) {
            Contact contact;
            contact.name = "Seed Requester";
            contact.email = "seed.requester@example.com";
            contact.active = true;
            requesters.push_back(account.add_contact(std::move(contact), now).id);
        }
    }

    const std::size_t status_count = spec.statuses.size();
    for (int i = 0; i < spec.tickets; ++i) {
        const std::size_t index = static_cast<std::size_t>(i);
        Ticket ticket;
        ticket.id = static_cast<std::int64_t>(account.tickets.size()) + 1;
        ticket.subject = std::string(kSubjects[index % std::size(kSubjects)]) + " #" + std::to_string(ticket.id);
        ticket.description = "<div>Seeded ticket " + std::to_string(ticket.id) + ": " +
                             std::string(kSubjects[index % std::size(kSubjects)]) + ".</div>";
        ticket.description_text = html_to_text(ticket.description);
        ticket.status = spec.statuses[index % status_count];
        ticket.priority = spec.priorities[(index / status_count) % spec.priorities.size()];
        ticket.source = kSources[index % std::size(kSources)];
        if (index % 5 != 0) ticket.type = std::string(kTicketTypes[index % std::size(kTicketTypes)]);
        ticket.requester_id = requesters[index % requesters.size()];
        if (index % 3 != 0) ticket.group_id = kGroupIds[index % std::size(kGroupIds)];
        if (index % 4 != 0) ticket.responder_id = kAgentIds[index % std::size(kAgentIds)];
        ticket.tags = {std::string(kTags[index % std::size(kTags)])};
        ticket.created_at = spread(i, spec.tickets, spec.days_back, now);
        ticket.updated_at = between(random, ticket.created_at, now);
        ticket.status_updated_at = ticket.updated_at;
        if (ticket.status == 3) ticket.pending_since = ticket.updated_at;
        if (ticket.status == 4) ticket.resolved_at = ticket.updated_at;
        if (ticket.status == 5) ticket.resolved_at = ticket.closed_at = ticket.updated_at;
        set_default_due_dates(ticket);
        account.tickets.push_back(std::move(ticket));
    }
}

}  // namespace fdsandbox
