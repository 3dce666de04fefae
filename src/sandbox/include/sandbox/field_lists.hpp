// GET /api/v2/ticket_fields and /api/v2/contact_fields: the account's default fields (as a new
// Freshdesk account seeds them) followed by its custom fields, in position order, each with
// its choices where it has any (docs/freshdesk.md, "Custom fields (ticket and contact fields)").
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

namespace fdsandbox {

Reply list_ticket_fields(Account& account, const ResourceRequest& request);
Reply list_contact_fields(Account& account, const ResourceRequest& request);

}  // namespace fdsandbox
