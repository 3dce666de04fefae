// A node as a Model Context Protocol tool: its name (the node id), description, one input schema
// of its inputs and options, its outputs as the output schema, and hints from its flags.
#pragma once

#include "flowrun/plugin_host.hpp"

#include <boost/json/object.hpp>

namespace flowrun {

// The tool object tools/list answers for `node`.
boost::json::object mcp_tool(const NodeRef& node);

// The node's inputs and options as one object schema, the way an agent fills them in one
// call: properties of both, required of the inputs, no other property. Root keywords of the
// parts besides those (the options' "at least one of" rule) are kept under allOf.
boost::json::object merged_input_schema(const boost::json::value& inputs, const boost::json::value& options);

}  // namespace flowrun
