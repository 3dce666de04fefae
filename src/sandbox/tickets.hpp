// /api/v2/tickets: create, show, list, update, soft delete, restore (freshdesk-api.md §4),
// the default SLA due dates, and the ticket's JSON views.
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace fdsandbox {

enum class TicketView {
    show,    // GET one: everything, plus the includes asked for
    write,   // POST/PUT answers: as show without includes
    list,    // list items: no description unless included, no attachments
    search,  // search results: list items with description
};

boost::json::object ticket_json(const Ticket& ticket, Account& account, TicketView view,
                                const std::vector<std::string>& includes = {});

// Due dates from the default SLA policy: first response / resolution after 24h/72h (Low),
// 8h/24h (Medium), 4h/12h (High), 1h/4h (Urgent), in calendar hours.
void set_default_due_dates(Ticket& ticket);

std::string html_to_text(std::string_view html);

Reply create_ticket(Account& account, const ResourceRequest& request);
Reply show_ticket(Account& account, std::string_view id, const ResourceRequest& request);
Reply list_tickets(Account& account, const ResourceRequest& request);
Reply update_ticket(Account& account, std::string_view id, const ResourceRequest& request);
Reply delete_ticket(Account& account, std::string_view id, const ResourceRequest& request);
Reply restore_ticket(Account& account, std::string_view id, const ResourceRequest& request);

}  // namespace fdsandbox
