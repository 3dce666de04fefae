// /api/v2/tickets/{id} and POST /api/v2/tickets: create, show, update, soft delete, restore
// (docs/freshdesk.md, "Tickets"), the default SLA due dates, and the ticket's JSON views.
// The list is ticket_listing's, the checks ticket_validation's.
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

#include <boost/json/object.hpp>

#include <optional>
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

// An `include` parameter: every comma-separated item must be in `allowed_list` (written as in
// the error message); nullopt otherwise.
std::optional<std::vector<std::string>> read_includes(const std::string& text, std::string_view allowed_list);

// Due dates from the default SLA policy: first response / resolution after 24h/72h (Low),
// 8h/24h (Medium), 4h/12h (High), 1h/4h (Urgent), in calendar hours.
void set_default_due_dates(Ticket& ticket);

std::string html_to_text(std::string_view html);

Reply create_ticket(Account& account, const ResourceRequest& request);
Reply show_ticket(Account& account, std::string_view id, const ResourceRequest& request);
Reply update_ticket(Account& account, std::string_view id, const ResourceRequest& request);
Reply delete_ticket(Account& account, std::string_view id, const ResourceRequest& request);
Reply restore_ticket(Account& account, std::string_view id, const ResourceRequest& request);

}  // namespace fdsandbox
