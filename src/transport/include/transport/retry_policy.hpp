// When an exchange is tried again, and after how long (docs/architecture.md, "Retries"):
// - 429: wait Retry-After (within the deadline) and retry any method;
// - 502/503/504 and failures before the request was fully sent: jittered exponential backoff
//   for GET, PUT and DELETE; a POST only when it certainly never left (no byte written);
// - a pooled connection the server had closed (it failed before any byte of an answer): once,
//   at once, on a new connection, for GET, PUT and DELETE;
// - nothing else (a POST that may have reached Freshdesk is never repeated);
// - bounded by an attempt count and by the deadline.
#pragma once

#include "transport/http_types.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace fd::transport {

struct RetryLimits {
    int max_attempts = 5;
    std::chrono::milliseconds backoff_base{100};
    std::chrono::milliseconds backoff_cap{2000};
};

// What happened on the last attempt.
struct AttemptResult {
    std::string_view method;
    int attempt = 1;                                  // 1 for the first try
    std::optional<int> status;                        // the response status, when one arrived in full
    std::optional<std::chrono::seconds> retry_after;  // parsed Retry-After of a 429
    std::optional<FailureKind> failure;               // when no response arrived
    bool bytes_written = false;                       // any byte of the request reached the socket
    bool permanent = false;  // a failure that repeating cannot fix (unknown host, bad certificate)
    bool stale_connection = false;  // on a pooled connection, before any byte of an answer
    bool stale_retried = false;     // an earlier attempt was already the stale-connection retry
};

struct RetryDecision {
    bool retry = false;
    std::chrono::milliseconds wait{0};
};

// `jitter` in [0, 1) spreads the backoff; `time_left` is until the deadline.
RetryDecision decide_retry(const AttemptResult& result, const RetryLimits& limits, std::chrono::milliseconds time_left,
                           double jitter);

// An HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT"); nullopt when unreadable.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view value);

// Retry-After as delta-seconds or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

bool is_idempotent(std::string_view method);

}  // namespace fd::transport
