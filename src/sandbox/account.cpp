#include "sandbox/account.hpp"

#include <algorithm>
#include <cstdio>

namespace fdsandbox {
namespace {

template <class Item>
const Item* find_by_id(const std::vector<Item>& items, std::int64_t id) {
    const auto found = std::find_if(items.begin(), items.end(), [id](const Item& item) { return item.id == id; });
    return found == items.end() ? nullptr : &*found;
}

}  // namespace

Contact* Account::find_contact(std::int64_t id) {
    const auto found = contacts.find(id);
    return found == contacts.end() ? nullptr : &found->second;
}

Ticket* Account::find_ticket(std::int64_t id) {
    if (id < 1 || id > static_cast<std::int64_t>(tickets.size())) return nullptr;
    return &tickets[static_cast<std::size_t>(id - 1)];
}

const Agent* Account::find_agent(std::int64_t id) const {
    return find_by_id(agents, id);
}

const Group* Account::find_group(std::int64_t id) const {
    return find_by_id(groups, id);
}

const Company* Account::find_company(std::int64_t id) const {
    return find_by_id(companies, id);
}

const Attachment* Account::find_attachment(std::int64_t id) const {
    const auto found = attachments.find(id);
    return found == attachments.end() ? nullptr : &found->second;
}

Contact* Account::find_contact_by_email(std::string_view email) {
    for (auto& [id, contact] : contacts) {
        if (contact.email == email) return &contact;
        if (std::find(contact.other_emails.begin(), contact.other_emails.end(), email) != contact.other_emails.end())
            return &contact;
    }
    return nullptr;
}

Contact* Account::find_contact_by(OptionalText Contact::*field, std::string_view value) {
    for (auto& [id, contact] : contacts)
        if (contact.*field == value) return &contact;
    return nullptr;
}

Contact& Account::add_contact(Contact contact, UnixSeconds now) {
    contact.id = next_contact_id++;
    contact.org_contact_id = contact.id + 100000000000;
    char visitor[40];
    std::snprintf(visitor, sizeof visitor, "8a2f1c3e-0000-4000-8000-%012lld", static_cast<long long>(contact.id));
    contact.visitor_id = visitor;
    if (contact.created_at == 0) contact.created_at = now;
    if (contact.updated_at == 0) contact.updated_at = contact.created_at;
    const std::int64_t id = contact.id;
    return contacts.emplace(id, std::move(contact)).first->second;
}

bool is_ticket_type(std::string_view type) {
    return std::find(std::begin(kTicketTypes), std::end(kTicketTypes), type) != std::end(kTicketTypes);
}

}  // namespace fdsandbox
