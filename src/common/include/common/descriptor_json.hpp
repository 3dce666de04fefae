// A node descriptor as JSON, as the plugin folder's package.json and `flowrun describe` show it.
#pragma once

#include "wfp_plugin.h"

#include <boost/json/object.hpp>

namespace fd {

// Every descriptor field but the three schemas (each caller shows those its own way). The JSON
// fields are parsed (null when unreadable); fields a later ABI minor added read as "" or null
// when the descriptor, an older plugin's, does not reach them.
boost::json::object descriptor_json(const wfp_node_descriptor& d);

}  // namespace fd
