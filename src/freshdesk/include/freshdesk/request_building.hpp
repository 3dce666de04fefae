// Where a node's request is built: the record's request map and the validated params become the
// method, the target (path placeholders and query) and the body (JSON, or multipart when files
// are attached).
#pragma once

#include "freshdesk/node_mapping.hpp"
#include "transport/http_types.hpp"

#include <boost/json/object.hpp>

#include <boost/url/url.hpp>

#include <string>
#include <string_view>

namespace fd::freshdesk {

// Adds key=value to a request's query with every character but the unreserved ones
// percent-encoded: Freshdesk (as any Rails app) reads a '+' in a query as a space, so a phone
// "+1-555" or an email "a+b@x.com" must travel as %2B.
void append_param(boost::urls::url& target, std::string_view key, std::string_view value);

transport::HttpRequest build_request(const RequestMap& map, const boost::json::object& params);

// The JSON body the map makes of the params (without attachments).
boost::json::object build_body(const RequestMap& map, const boost::json::object& params);

}  // namespace fd::freshdesk
