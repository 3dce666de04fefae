// The user name of a request's "Authorization: Basic ..." header (Freshdesk's API key goes
// there, with any password).
#pragma once

#include "sandbox/http_types.hpp"

#include <optional>
#include <string>

namespace fdsandbox {

// nullopt when there is no well-formed Basic header.
std::optional<std::string> basic_user_name(const HttpRequest& request);

}  // namespace fdsandbox
