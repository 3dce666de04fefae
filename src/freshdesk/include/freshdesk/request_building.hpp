// Where a node's request is built: the record's request map and the validated params become the
// method, the target (path placeholders and query) and the body (JSON, or multipart when files
// are attached).
#pragma once

#include "freshdesk/node_mapping.hpp"
#include "transport/http_types.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace fd::freshdesk {

transport::HttpRequest build_request(const RequestMap& map, const boost::json::object& params);

// The JSON body the map makes of the params (without attachments).
boost::json::object build_body(const RequestMap& map, const boost::json::object& params);

}  // namespace fd::freshdesk
