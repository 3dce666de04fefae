// Reading Freshdesk's 2xx answers: the JSON bodies the operations expect and the Link header.
// An answer that is not what Freshdesk sends throws MalformedAnswer.
#pragma once

#include "transport/http_types.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fd::freshdesk {

struct MalformedAnswer : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Parsed into `storage` (a run's arena, see engine.cpp), or the default heap.
boost::json::object read_object(const transport::HttpResponse& response, boost::json::storage_ptr storage = {});
boost::json::array read_array(const transport::HttpResponse& response, boost::json::storage_ptr storage = {});
std::int64_t read_id(const transport::HttpResponse& response);  // the "id" of the object

// Throws as read_object does when the body is not a JSON object, without building it: for a body
// that goes into the envelope as it is.
void check_object(const transport::HttpResponse& response);

// What a 409 says about the record that already holds a unique value: Freshdesk names the field
// and, in additional_info.user_id, the contact. nullopt when the body says neither.
struct Duplicate {
    std::string field;
    std::int64_t contact_id = 0;
};
std::optional<Duplicate> read_duplicate(const std::string& body);

// Whether the Link header carries rel="next" (Freshdesk sends it only when a next page exists).
bool has_next_link(const transport::HttpResponse& response);

}  // namespace fd::freshdesk
