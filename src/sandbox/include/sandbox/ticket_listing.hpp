// GET /api/v2/tickets: the list's parameters (filter, requester_id, email, company_id,
// updated_since, order_by, order_type, include, page, per_page), its one-month default window,
// its order and its 300-page cap (docs/freshdesk.md, "GET /api/v2/tickets (list)").
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

namespace fdsandbox {

Reply list_tickets(Account& account, const ResourceRequest& request);

}  // namespace fdsandbox
