#include "sandbox/resource_request.hpp"

#include <algorithm>

namespace fdsandbox {

const boost::json::object* body_fields(const ResourceRequest& request, ValidationErrors& errors) {
    static const boost::json::object empty;
    if (!request.body) return &empty;
    if (!request.body->is_object()) {
        errors.add("_json", std::string(message::invalid_field), code::invalid_field);
        return nullptr;
    }
    return &request.body->get_object();
}

std::string location_of(std::string_view host, std::string_view resource, std::int64_t id) {
    return "https://" + std::string(host) + "/api/v2/" + std::string(resource) + "/" + std::to_string(id);
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return parse_integer(text);
}

}  // namespace fdsandbox
