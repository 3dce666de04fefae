#include "freshdesk/list_paging.hpp"

#include <boost/url/url.hpp>

namespace fd::freshdesk {
namespace json = boost::json;

std::int64_t int_param(const json::object& params, std::string_view name) {
    const json::value* value = params.if_contains(name);
    return value && value->is_int64() ? value->get_int64() : 0;
}

bool bool_param(const json::object& params, std::string_view name) {
    const json::value* value = params.if_contains(name);
    return value && value->is_bool() && value->get_bool();
}

ListPaging::ListPaging(const json::object& params)
    : page_(std::max<std::int64_t>(1, int_param(params, "Page"))),
      per_page_(std::max<std::int64_t>(1, int_param(params, "PerPage"))),
      return_all_(bool_param(params, "ReturnAll")),
      max_items_(int_param(params, "MaxItems")) {
    if (return_all_) {
        page_ = 1;
        per_page_ = kMaxPerPage;  // fewest requests against the account's rate limit
    }
}

std::string ListPaging::target_for_next_page(const std::string& target) const {
    boost::urls::url url(target);
    url.params().set("page", std::to_string(page_ + pages_read_));
    url.params().set("per_page", std::to_string(per_page_));
    return std::string(url.buffer());
}

bool ListPaging::add_page(json::array items, bool has_next) {
    ++pages_read_;
    const bool full = static_cast<std::int64_t>(items.size()) == per_page_;
    // A next link says there is more; a full page says there may be.
    has_more_ = has_next || full;
    for (json::value& item : items) {
        if (return_all_ && max_items_ > 0 && static_cast<std::int64_t>(items_.size()) >= max_items_) {
            limit_reached_ = true;
            has_more_ = true;
            break;
        }
        items_.push_back(std::move(item));
    }
    if (!return_all_ || limit_reached_ || items.empty()) return false;
    if (max_items_ > 0 && static_cast<std::int64_t>(items_.size()) >= max_items_) {
        limit_reached_ = has_more_;
        return false;
    }
    return has_more_;
}

json::object ListPaging::pagination() const {
    return json::object{{"current_page", page_ + std::max<std::int64_t>(pages_read_ - 1, 0)},
                        {"per_page", per_page_},
                        {"total_count", static_cast<std::int64_t>(items_.size())},
                        {"has_more", has_more_},
                        {"pages_read", pages_read_},
                        {"limit_reached", limit_reached_}};
}

}  // namespace fd::freshdesk
