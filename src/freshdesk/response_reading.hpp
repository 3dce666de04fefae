// Reading Freshdesk's 2xx answers: the JSON bodies the operations expect and the Link header.
// An answer that is not what Freshdesk sends throws MalformedAnswer.
#pragma once

#include "transport/http_types.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <stdexcept>
#include <string_view>

namespace fd::freshdesk {

struct MalformedAnswer : std::runtime_error {
    using std::runtime_error::runtime_error;
};

boost::json::object read_object(const transport::HttpResponse& response);
boost::json::array read_array(const transport::HttpResponse& response);
std::int64_t read_id(const transport::HttpResponse& response);  // the "id" of the object

// Whether the Link header carries rel="next" (Freshdesk sends it only when a next page exists).
bool has_next_link(const transport::HttpResponse& response);

}  // namespace fd::freshdesk
