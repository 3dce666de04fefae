#include "transport/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace fd::transport {

namespace {

std::chrono::milliseconds backoff(const RetryLimits& limits, int attempt, double jitter) {
    const int doublings = std::clamp(attempt - 1, 0, 20);
    const std::chrono::milliseconds full =
        std::min<std::chrono::milliseconds>(limits.backoff_cap, limits.backoff_base * (1LL << doublings));
    // Equal jitter: at least half the step, so retries of many runs spread but still back off.
    return std::chrono::milliseconds(full.count() / 2 +
                                     static_cast<std::int64_t>(jitter * static_cast<double>(full.count()) / 2));
}

RetryDecision after(std::chrono::milliseconds wait, std::chrono::milliseconds time_left) {
    if (wait >= time_left) return {};
    return {true, wait};
}

}  // namespace

bool is_idempotent(std::string_view method) {
    return method == "GET" || method == "PUT" || method == "DELETE";
}

RetryDecision decide_retry(const AttemptResult& result, const RetryLimits& limits, std::chrono::milliseconds time_left,
                           double jitter) {
    if (result.attempt >= limits.max_attempts) return {};
    if (result.status) {
        const int status = *result.status;
        if (status == 429) {
            // Freshdesk did not process the request: any method may go again, once allowed.
            const auto wait = result.retry_after
                                  ? std::chrono::duration_cast<std::chrono::milliseconds>(*result.retry_after)
                                  : backoff(limits, result.attempt, jitter);
            return after(wait, time_left);
        }
        if ((status == 502 || status == 503 || status == 504) && is_idempotent(result.method)) {
            return after(backoff(limits, result.attempt, jitter), time_left);
        }
        return {};
    }
    if (!result.failure || result.permanent) return {};
    // A kept-alive connection the server had closed: the request never got a hearing.
    if (result.stale_connection && !result.stale_retried && is_idempotent(result.method)) {
        return after(std::chrono::milliseconds(0), time_left);
    }
    switch (*result.failure) {
        case FailureKind::resolve:
        case FailureKind::connect:
        case FailureKind::tls:
            // Nothing reached Freshdesk yet.
            return after(backoff(limits, result.attempt, jitter), time_left);
        case FailureKind::send:
            if (result.bytes_written && !is_idempotent(result.method)) return {};
            return after(backoff(limits, result.attempt, jitter), time_left);
        default:
            return {};
    }
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view value) {
    std::tm parts{};
    const std::string text(value);
    const char* parsed = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    if (!parsed || *parsed != '\0') return std::nullopt;
    return std::chrono::system_clock::from_time_t(::timegm(&parts));
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
    while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ')
        value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    std::int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc() && end == value.data() + value.size()) {
        if (seconds < 0) return std::nullopt;
        return std::chrono::seconds(std::min<std::int64_t>(seconds, 24 * 3600));
    }
    const auto at = parse_http_date(value);
    if (!at) return std::nullopt;
    const auto delta = std::chrono::duration_cast<std::chrono::seconds>(*at - now);
    return std::max(delta, std::chrono::seconds(0));
}

}  // namespace fd::transport
