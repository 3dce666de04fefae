#include "transport/rate_pacer.hpp"

#include "transport/retry_policy.hpp"

#include <charconv>

namespace fd::transport {

namespace {

std::optional<long long> number(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end == text.data()) return std::nullopt;
    return value;
}

// Windows are estimated from second-granular Retry-After; a little slack avoids arriving just
// before the server's window ends.
constexpr auto kSlack = std::chrono::milliseconds(50);

}  // namespace

std::chrono::milliseconds RatePacer::delay(const std::string& account, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto found = accounts_.find(account);
    if (found == accounts_.end() || found->second.hold_until <= now) return std::chrono::milliseconds(0);
    return std::chrono::ceil<std::chrono::milliseconds>(found->second.hold_until - now);
}

void RatePacer::observe(const std::string& account, int status, std::string_view remaining,
                        std::string_view retry_after, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Account& state = accounts_[account];
    if (status == 429) {
        const auto wait = parse_retry_after(retry_after, std::chrono::system_clock::now());
        if (!wait) return;
        const Clock::time_point window_ends = now + *wait;
        if (state.window_began && !state.window_length) state.window_length = window_ends - *state.window_began;
        state.hold_until = std::max(state.hold_until, window_ends);
        state.last_remaining.reset();
        return;
    }
    const std::optional<long long> left = number(remaining);
    if (!left) return;
    // More left than last time: a new window has begun.
    if (!state.last_remaining || *left > *state.last_remaining) state.window_began = now;
    state.last_remaining = left;
    if (*left <= 0 && state.window_began && state.window_length) {
        state.hold_until = std::max(state.hold_until, *state.window_began + *state.window_length + kSlack);
    }
}

}  // namespace fd::transport
