// Paces requests to a Freshdesk account from its rate-limit answers, so calls are not lost to
// 429s. Freshdesk counts per account in fixed windows and says X-RateLimit-Remaining on each
// answer and Retry-After on a 429, but not when a window ends. So the pacer:
// - after a 429, holds every request to that account until Retry-After has passed;
// - learns the window's length from the first 429 (from the answer that opened the window to
//   the end Retry-After gives);
// - once it knows the length, holds requests when Remaining reaches 0 until the window ends,
//   so later windows see no 429 at all.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace fd::transport {

class RatePacer {
  public:
    using Clock = std::chrono::steady_clock;

    // How long a request to `account` should wait before it goes out (zero: go now).
    std::chrono::milliseconds delay(const std::string& account, Clock::time_point now);

    // What an answer from `account` said: its status, X-RateLimit-Remaining and Retry-After.
    void observe(const std::string& account, int status, std::string_view remaining, std::string_view retry_after,
                 Clock::time_point now);

  private:
    struct Account {
        std::optional<long long> last_remaining;
        std::optional<Clock::time_point> window_began;
        std::optional<Clock::duration> window_length;
        Clock::time_point hold_until{};
    };

    std::mutex mutex_;
    std::map<std::string, Account> accounts_;
};

}  // namespace fd::transport
