// Get Many Tickets. Freshdesk's list endpoint refuses status and priority filters, so with
// Status and/or Priority the node asks /search/tickets instead, whose pages hold a fixed 30
// results and stop after 10. The user's Page and PerPage are mapped onto those pages so the
// page returned is exactly the one asked for; past search's 300-result window the node says
// so instead of returning a short page. UpdatedSince is honoured to the second on both paths.
#pragma once

#include "freshdesk/operation.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fd::freshdesk {

std::unique_ptr<Operation> make_ticket_listing(boost::json::object params);

// RFC 3339 to seconds since the epoch, rounded up to the next whole second when it has a
// fraction (Freshdesk's timestamps have whole seconds). nullopt when unreadable.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);
std::string format_utc(std::int64_t epoch_seconds);  // "YYYY-MM-DDTHH:MM:SSZ"

}  // namespace fd::freshdesk
