// What flowrun reads from a node's envelope: whether the node failed, and which record it
// created or touched, for the one line per step a person reads.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace flowrun {

// A node failed when its StatusCode is not 200 or its ErrorMessage is not empty (an envelope
// that is not an object failed too).
bool envelope_failed(const boost::json::value& envelope);

// The ids a step created or touched, e.g. "TicketId 11" or "Contact.id 5", else the ids it was
// given ("TicketId 6"), else the size of what it listed ("Tickets: 10"); "" when none.
std::string touched_records(const boost::json::value& envelope, const boost::json::value& input);

}  // namespace flowrun
