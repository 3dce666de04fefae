// GET /api/v2/search/tickets and /api/v2/search/contacts: the quoted query of
// search_query.hpp over the searchable fields, 30 results a page, pages 1 to 10,
// {"results":[...],"total":N} (docs/freshdesk.md, "Search").
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

namespace fdsandbox {

Reply search_tickets(Account& account, const ResourceRequest& request);
Reply search_contacts(Account& account, const ResourceRequest& request);

}  // namespace fdsandbox
