// The checks of POST and PUT /api/v2/tickets, in Freshdesk's three passes, each reporting every
// problem it finds in one errors array: unknown fields (top level and inside custom_fields),
// then values (types, formats, required fields, due dates, custom field types, attachment
// size), then references (requester, agent, group, company, product, dropdown choices). A
// later pass runs only when the earlier ones found nothing (docs/sandbox.md, "Validation passes").
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

#include <boost/json/object.hpp>

namespace fdsandbox {

// `existing` is the ticket being updated, nullptr on create. Touches nothing.
void validate_ticket_request(Account& account, const boost::json::object& fields, const Ticket* existing,
                             const ResourceRequest& request, ValidationErrors& errors);

}  // namespace fdsandbox
