// The accounts one sandbox serves. Each has its own domain ("{domain}.freshdesk.com"), API
// key, data and rate-limit window, guarded by its own mutex, so that a benchmark can drive
// many accounts at once without one lock between them. The registry only grows.
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/rate_limiter.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

struct HostedAccount {
    HostedAccount(std::string domain, std::string api_key, std::int64_t budget, std::chrono::seconds window);

    const std::string domain;  // lower-cased
    const std::string api_key;
    std::mutex mutex;  // guards account and limiter
    Account account;
    RateLimiter limiter;
};

class AccountRegistry {
  public:
    // Throws std::invalid_argument for an empty or already used domain or key. The first
    // account added is the primary one.
    HostedAccount& add(std::string domain, std::string api_key, std::int64_t budget, std::chrono::seconds window);

    HostedAccount& primary();
    HostedAccount* find_by_domain(std::string_view domain);  // lower-cased
    HostedAccount* find_by_api_key(std::string_view api_key);
    void for_each(const std::function<void(HostedAccount&)>& visit);
    std::size_t size() const;

  private:
    mutable std::shared_mutex mutex_;
    std::vector<std::unique_ptr<HostedAccount>> accounts_;
    std::map<std::string, HostedAccount*, std::less<>> by_domain_;
    std::map<std::string, HostedAccount*, std::less<>> by_api_key_;
};

}  // namespace fdsandbox
