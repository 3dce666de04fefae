// A ticket's conversations: POST /api/v2/tickets/{id}/notes, POST /api/v2/tickets/{id}/reply
// and GET /api/v2/tickets/{id}/conversations (oldest first, paged), with the conversation
// object of each answer (docs/freshdesk.md, "Conversations: notes and replies").
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

#include <boost/json/array.hpp>

namespace fdsandbox {

// The first `limit` conversations of a ticket as listed (for a ticket's include=conversations).
boost::json::array conversations_json(const Account& account, const Ticket& ticket, std::size_t limit);

Reply create_note(Account& account, std::string_view ticket_id, const ResourceRequest& request);
Reply create_reply(Account& account, std::string_view ticket_id, const ResourceRequest& request);
Reply list_conversations(Account& account, std::string_view ticket_id, const ResourceRequest& request);

}  // namespace fdsandbox
