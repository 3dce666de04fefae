// The API's front door: the checks of docs/sandbox.md's "Check order" in their order
// (account host, rate limit, content type/accept/encoding/JSON/multipart, route and verb,
// controller content type, authentication), then the resource handler, then the common
// response headers. Also serves the attachment downloads, which need no credentials.
#pragma once

#include "sandbox/account_registry.hpp"
#include "sandbox/http_types.hpp"
#include "sandbox/query_params.hpp"
#include "sandbox/rate_limiter.hpp"

#include <string>
#include <vector>

namespace fdsandbox {

struct RouterSettings {
    // Host names that reach the sandbox without naming an account (127.0.0.1, localhost,
    // ...): the API key in the credentials chooses the account.
    std::vector<std::string> local_hosts;
    bool relaxed_ticket_fields = false;
};

// Locks the account the request is for while it is handled.
HttpResponse route_api_request(const HttpRequest& request, const RequestTarget& target, AccountRegistry& accounts,
                               const RouterSettings& settings, UnixSeconds now,
                               RateLimiter::Clock::time_point steady_now);

// 32 lower-case hex digits, as X-Request-Id.
std::string make_request_id();

}  // namespace fdsandbox
