#include "sandbox/rate_limiter.hpp"

#include <algorithm>

namespace fdsandbox {

RateLimiter::RateLimiter(std::int64_t budget, std::chrono::seconds window) : budget_(budget), window_(window) {}

void RateLimiter::configure(std::int64_t budget, std::chrono::seconds window) {
    budget_ = budget;
    window_ = window;
    reset_window();
}

void RateLimiter::reset_window() {
    used_ = 0;
    window_open_ = false;
}

RateLimiter::Admission RateLimiter::admit(Clock::time_point now) {
    if (!window_open_ || now >= window_end_) {
        window_open_ = true;
        window_end_ = now + window_;
        used_ = 0;
    }
    if (used_ >= budget_) {
        const auto left = std::chrono::ceil<std::chrono::seconds>(window_end_ - now).count();
        return {false, static_cast<int>(std::max<std::int64_t>(1, left))};
    }
    ++used_;
    return {true, 0};
}

void RateLimiter::charge(std::int64_t credits) {
    used_ += credits;
}

std::string RateLimiter::exceeded_message() const {
    return window_ >= std::chrono::hours(1) ? "You have exceeded the limit of requests per hour"
                                            : "You have exceeded the limit of requests per minute";
}

}  // namespace fdsandbox
