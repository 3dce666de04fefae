// The account's API rate limit (docs/freshdesk.md, "Rate limits"): a fixed window of `window` holding
// `budget` credits. A window starts with the first request after the previous one ended.
// Every admitted request costs 1 credit up front; includes cost extra afterwards.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace fdsandbox {

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    RateLimiter(std::int64_t budget, std::chrono::seconds window);

    void configure(std::int64_t budget, std::chrono::seconds window);  // also starts a new window
    void reset_window();

    struct Admission {
        bool allowed = true;
        int retry_after_seconds = 0;  // when refused: seconds until the window ends, at least 1
    };
    Admission admit(Clock::time_point now);  // takes the base credit when allowed
    void charge(std::int64_t credits);       // extra credits of an admitted request

    std::int64_t budget() const { return budget_; }
    std::int64_t remaining() const { return used_ >= budget_ ? 0 : budget_ - used_; }
    std::chrono::seconds window() const { return window_; }
    // The 429 body's message: per hour for windows of an hour or more, else per minute.
    std::string exceeded_message() const;

  private:
    std::int64_t budget_;
    std::chrono::seconds window_;
    std::int64_t used_ = 0;
    bool window_open_ = false;
    Clock::time_point window_end_{};
};

}  // namespace fdsandbox
