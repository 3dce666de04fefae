// {{node.key}} references in workflow files. A string that is exactly one reference takes the
// referenced value with its type (so {{create.TicketId}} stays a number); references inside a
// longer text are replaced by their text.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace flowrun {

// What earlier nodes produced, by node id ("start" holds the workflow's inputs).
using Outputs = boost::json::object;

// What a text template holds: its references ("node.path", trimmed), and whether a "{{" is
// left open (then the text from it on is not a reference, and a workflow check refuses it).
struct TemplateScan {
    std::vector<std::string> references;
    bool unclosed = false;
};
TemplateScan scan_template(std::string_view text);

// The references in `value` (strings at any depth), as "node.path" texts.
std::vector<std::string> references_in(const boost::json::value& value);

// `value` with every reference replaced. A reference to nothing becomes null (whole string) or
// "" (inside text).
boost::json::value render(const boost::json::value& value, const Outputs& outputs);

// A reference's value; nullptr when it points to nothing. Paths go through objects by key and
// arrays by index: "list.Tickets.0.id".
const boost::json::value* lookup(const std::string& reference, const Outputs& outputs);

}  // namespace flowrun
