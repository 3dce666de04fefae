// An account's ticket and contact fields: Freshdesk's field objects summarised the one way every
// node shows them (choices as value and label pairs, whatever shape Freshdesk gives them), a
// short-lived cache per account, and the check of custom field values against them that
// ValidateCustomFields asks for.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace fd::freshdesk {

// {id, name, label, type, default, required_for_agents, required_for_customers,
//  required_for_closure, choices: [{value, label}]} from one of Freshdesk's field objects.
boost::json::object field_summary(const boost::json::object& field);

// "" when `custom_fields` (and, for tickets, `type`) fit the account's `fields` (summaries);
// else what is wrong, naming the field.
std::string check_custom_fields(const boost::json::array& fields, const boost::json::object* custom_fields,
                                const boost::json::value* type);

// Field summaries per account and kind ("ticket_fields", "contact_fields"), kept for a few
// minutes: an admin's new field shows up soon, and a busy workflow does not ask every run.
// Thread-safe.
class FieldCache {
  public:
    static constexpr std::chrono::minutes kLifetime{5};
    static constexpr std::size_t kMaxAccounts = 256;

    using Clock = std::chrono::steady_clock;

    // `now` is the caller's clock (tests pass their own).
    std::optional<boost::json::array> get(const std::string& account, const std::string& kind,
                                          Clock::time_point now = Clock::now()) const;
    void put(const std::string& account, const std::string& kind, boost::json::array fields,
             Clock::time_point now = Clock::now());

  private:
    struct Entry {
        Clock::time_point fetched;
        boost::json::array fields;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, Entry> entries_;
};

}  // namespace fd::freshdesk
