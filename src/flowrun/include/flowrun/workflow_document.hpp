// Reading a workflow document's nodes, shared by its checks and by building the Workflow: one
// place knows the keys and the old spelling of "input".
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace flowrun {

// A string field of a node, or "" when it is absent or not a string.
std::string text_of(const boost::json::value& node, std::string_view key);

// A node's input object under "input", or its old spelling "inputs" (workflow_notices says
// so); nullptr when it has none.
const boost::json::object* input_of(const boost::json::value& node);

}  // namespace flowrun
