// Paging a Freshdesk list for a list node: one page (Page, PerPage), or with ReturnAll every page
// from the first until Freshdesk has no more (no Link rel="next") or MaxItems items are read.
// Memory stays bounded by MaxItems: items beyond it are never kept.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

namespace fd::freshdesk {

// Freshdesk's largest page, used when reading every page.
inline constexpr std::int64_t kMaxPerPage = 100;

class ListPaging {
  public:
    // Reads Page, PerPage, ReturnAll and MaxItems from the node's params (with defaults applied).
    explicit ListPaging(const boost::json::object& params);

    bool return_all() const { return return_all_; }
    std::int64_t next_page() const { return page_ + pages_read_; }
    // `target` with the next page's page and per_page added.
    std::string target_for_next_page(const std::string& target) const;
    // Takes a page's items; true when another page should be read.
    bool add_page(boost::json::array items, bool has_next);
    const boost::json::array& items() const { return items_; }
    boost::json::array take_items() { return std::move(items_); }
    // {current_page, per_page, total_count, has_more, pages_read, limit_reached}
    boost::json::object pagination() const;

  private:
    std::int64_t page_ = 1;
    std::int64_t per_page_ = 30;
    bool return_all_ = false;
    std::int64_t max_items_ = 0;
    std::int64_t pages_read_ = 0;
    bool has_more_ = false;
    bool limit_reached_ = false;
    boost::json::array items_;
};

// An integer param, 0 when absent.
std::int64_t int_param(const boost::json::object& params, std::string_view name);
bool bool_param(const boost::json::object& params, std::string_view name);

}  // namespace fd::freshdesk
