#include "sandbox/account_registry.hpp"

#include "sandbox/field_rules.hpp"

#include <stdexcept>

namespace fdsandbox {

HostedAccount::HostedAccount(std::string domain_in, std::string api_key_in, std::int64_t budget,
                             std::chrono::seconds window)
    : domain(std::move(domain_in)), api_key(std::move(api_key_in)), limiter(budget, window) {
    account.domain = domain;
}

HostedAccount& AccountRegistry::add(std::string domain, std::string api_key, std::int64_t budget,
                                    std::chrono::seconds window) {
    domain = to_lower(domain);
    if (domain.empty() || api_key.empty()) throw std::invalid_argument("an account needs a domain and an API key");
    std::unique_lock lock(mutex_);
    if (by_domain_.contains(domain)) throw std::invalid_argument("the domain " + domain + " is already served");
    if (by_api_key_.contains(api_key)) throw std::invalid_argument("that API key already belongs to an account");
    accounts_.push_back(std::make_unique<HostedAccount>(domain, api_key, budget, window));
    HostedAccount& added = *accounts_.back();
    by_domain_.emplace(added.domain, &added);
    by_api_key_.emplace(added.api_key, &added);
    return added;
}

HostedAccount& AccountRegistry::primary() {
    std::shared_lock lock(mutex_);
    return *accounts_.front();
}

HostedAccount* AccountRegistry::find_by_domain(std::string_view domain) {
    std::shared_lock lock(mutex_);
    const auto found = by_domain_.find(domain);
    return found == by_domain_.end() ? nullptr : found->second;
}

HostedAccount* AccountRegistry::find_by_api_key(std::string_view api_key) {
    std::shared_lock lock(mutex_);
    const auto found = by_api_key_.find(api_key);
    return found == by_api_key_.end() ? nullptr : found->second;
}

void AccountRegistry::for_each(const std::function<void(HostedAccount&)>& visit) {
    std::vector<HostedAccount*> accounts;
    {
        std::shared_lock lock(mutex_);
        for (const auto& account : accounts_)
            accounts.push_back(account.get());
    }
    for (HostedAccount* account : accounts)
        visit(*account);
}

std::size_t AccountRegistry::size() const {
    std::shared_lock lock(mutex_);
    return accounts_.size();
}

}  // namespace fdsandbox
