// The API's front door: the checks of freshdesk-api.md §2.3 in their order (account host,
// rate limit, content type/accept/encoding/JSON, route and verb, controller content type,
// authentication), then the resource handler, then the common response headers of §2.1.
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/http_types.hpp"
#include "sandbox/query_params.hpp"
#include "sandbox/rate_limiter.hpp"

#include <string>
#include <vector>

namespace fdsandbox {

struct RouterSettings {
    std::string api_key;
    std::string domain;                    // the account is "{domain}.freshdesk.com"
    std::vector<std::string> local_hosts;  // other accepted Host names (127.0.0.1, localhost, ...)
    bool relaxed_ticket_fields = false;
};

// `account` and `limiter` are the caller's to guard.
HttpResponse route_api_request(const HttpRequest& request, const RequestTarget& target, Account& account,
                               RateLimiter& limiter, const RouterSettings& settings, UnixSeconds now,
                               RateLimiter::Clock::time_point steady_now);

// 32 lower-case hex digits, as X-Request-Id.
std::string make_request_id();

}  // namespace fdsandbox
