#include "sandbox/list_reply.hpp"

namespace fdsandbox {

bool check_query_keys(const QueryParams& query, std::initializer_list<std::string_view> allowed,
                      ValidationErrors& errors) {
    const std::vector<std::string> unknown = query.unknown_keys(allowed);
    for (const std::string& key : unknown)
        errors.add(key, std::string(message::invalid_field), code::invalid_field);
    return unknown.empty();
}

}  // namespace fdsandbox
