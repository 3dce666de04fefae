#include "freshdesk/search_window.hpp"

#include "core/timestamps.hpp"
#include "freshdesk/request_building.hpp"
#include "freshdesk/response_reading.hpp"

#include <boost/url/url.hpp>

#include <algorithm>

namespace fd::freshdesk {
namespace json = boost::json;

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

}  // namespace

std::string search_day(std::int64_t epoch_seconds) {
    return utc_date(epoch_seconds);
}

SearchWindow::SearchWindow(std::string path, std::string query, SearchPaging paging,
                           std::function<bool(const json::value&)> keep)
    : path_(std::move(path)), query_(std::move(query)), paging_(paging), keep_(std::move(keep)) {
    if (paging_.return_all) paging_.page = 1;
    start_ = (paging_.page - 1) * paging_.per_page;
    end_ = start_ + paging_.per_page;
}

transport::HttpRequest SearchWindow::request(std::int64_t search_page) {
    searched_page_ = search_page;
    boost::urls::url target(path_);
    append_param(target, "query", "\"" + query_ + "\"");
    append_param(target, "page", std::to_string(search_page));
    return {"GET", std::string(target.buffer()), "", ""};
}

transport::HttpRequest SearchWindow::first_request() {
    if (keep_ || paging_.return_all) return request(1);
    const std::int64_t first_needed = start_ / kSearchPageSize + 1;
    // Beyond search's reach: page 1 tells whether the page is empty or out of the window.
    return request(first_needed > kSearchMaxPage ? 1 : first_needed);
}

std::optional<transport::HttpRequest> SearchWindow::on_answer(const json::object& body) {
    const json::value* results = body.if_contains("results");
    const json::value* total = body.if_contains("total");
    if (!results || !results->is_array() || !total || !total->is_int64()) {
        throw MalformedAnswer("it is not a search answer {results, total}");
    }
    total_ = total->get_int64();
    for (const json::value& item : results->get_array())
        collected_.push_back(item);
    const bool more_exists = searched_page_ * kSearchPageSize < total_ && !results->get_array().empty();
    const bool last_reachable = searched_page_ >= kSearchMaxPage;
    if (keep_ || paging_.return_all) {
        const bool enough = paging_.max_items > 0 && !keep_ && std::ssize(collected_) >= paging_.max_items;
        if (more_exists && !last_reachable && !enough) return request(searched_page_ + 1);
        return std::nullopt;
    }
    const std::int64_t first_needed = start_ / kSearchPageSize + 1;
    const std::int64_t last_needed = (end_ - 1) / kSearchPageSize + 1;
    if (first_needed <= kSearchMaxPage && more_exists && searched_page_ < std::min(last_needed, kSearchMaxPage)) {
        return request(searched_page_ + 1);
    }
    return std::nullopt;
}

SearchPage SearchWindow::take_page() {
    if (paging_.return_all) return every_result();
    if (keep_) return filtered_page();
    return exact_page();
}

// The page asked for out of `items` (all matches from index `offset` on). The last page search
// can reach says nothing follows it; limit_reached says matches go beyond.
SearchPage SearchWindow::page_of(const json::array& items, std::int64_t offset, std::int64_t total) const {
    SearchPage page;
    for (std::int64_t i = std::max<std::int64_t>(offset, 0); i < offset + paging_.per_page && i < std::ssize(items);
         ++i)
        page.items.push_back(items[static_cast<std::size_t>(i)]);
    const std::int64_t reachable = std::min(total, kSearchReach);
    page.total = total;
    page.pagination = json::object{{"current_page", paging_.page},
                                   {"per_page", paging_.per_page},
                                   {"returned_count", std::ssize(page.items)},
                                   {"has_next_page", end_ < reachable},
                                   {"total_pages", ceil_div(reachable, paging_.per_page)},
                                   {"pages_read", searched_page_},
                                   {"limit_reached", total > kSearchReach && end_ >= reachable}};
    return page;
}

std::string SearchWindow::window_message() const {
    return "Freshdesk's search reaches only the first 300 matches (10 pages of 30). Page " +
           std::to_string(paging_.page) + " with PerPage " + std::to_string(paging_.per_page) + " needs matches " +
           std::to_string(start_ + 1) + " to " + std::to_string(std::min(end_, total_)) + " of " +
           std::to_string(total_) + ". Narrow the criteria or ask for an earlier page.";
}

SearchPage SearchWindow::beyond_window(std::string why) const {
    SearchPage page = page_of({}, 0, total_);
    page.pagination["limit_reached"] = true;
    page.business_error = std::move(why);
    return page;
}

SearchPage SearchWindow::exact_page() const {
    if (start_ >= total_) return page_of({}, 0, total_);
    if (start_ >= kSearchReach) return beyond_window(window_message());
    const std::int64_t first_needed = start_ / kSearchPageSize + 1;
    return page_of(collected_, start_ - (first_needed - 1) * kSearchPageSize, total_);
}

SearchPage SearchWindow::filtered_page() const {
    if (total_ > kSearchReach) {
        return beyond_window(
            "A date with a time of day, which Freshdesk's search cannot filter by (it filters whole days), is applied "
            "by the node to every result, which needs all of them, but " +
            std::to_string(total_) +
            " match the days and search reaches only 300. Use a later date, or one at midnight UTC.");
    }
    json::array matching;
    for (const json::value& item : collected_) {
        if (keep_(item)) matching.push_back(item);
    }
    return page_of(matching, start_, std::ssize(matching));
}

SearchPage SearchWindow::every_result() const {
    SearchPage page;
    for (const json::value& item : collected_) {
        if (paging_.max_items > 0 && std::ssize(page.items) >= paging_.max_items) break;
        if (!keep_ || keep_(item)) page.items.push_back(item);
    }
    page.total = keep_ ? std::ssize(page.items) : total_;
    // More match than search reaches (or than MaxItems lets through): said, not an error.
    const bool cut = total_ > kSearchReach || page.total > std::ssize(page.items);
    page.pagination = json::object{{"current_page", searched_page_},
                                   {"per_page", kSearchPageSize},
                                   {"returned_count", std::ssize(page.items)},
                                   {"has_next_page", false},
                                   {"total_pages", searched_page_},
                                   {"pages_read", searched_page_},
                                   {"limit_reached", cut}};
    return page;
}

}  // namespace fd::freshdesk
