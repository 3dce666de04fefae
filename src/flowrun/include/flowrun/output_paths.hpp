// Whether a dot path ("Ticket.subject", "Tickets.0.id") can name something in a node's outputs,
// judged from its outputs schema, so a workflow's typo is found before anything runs.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace flowrun {

// "" when `path` may exist in a value of `schema`, else what is wrong ("Ticket has no field
// \"subjekt\" (it has: id, subject, ...)"). Paths descend objects by their declared
// `properties` and arrays by index into `items`. Below an object that declares no properties
// (custom_fields, a free-form object) any path is accepted: its keys are the account's, not the
// schema's, so only the run can tell.
std::string output_path_problem(const boost::json::value& schema, std::string_view path);

}  // namespace flowrun
