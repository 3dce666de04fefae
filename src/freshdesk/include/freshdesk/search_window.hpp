// Paging over Freshdesk's search (/search/tickets, /search/contacts), whose pages hold a fixed 30
// results and stop after 10. A node's Page and PerPage are mapped onto those pages so the page
// returned is exactly the one asked for; past the 300-result window the node says so instead of
// returning a short page. A date with a time of day, which search cannot filter by (it filters
// whole days), is applied to every result here, which needs the whole window. ReturnAll reads
// every reachable result, up to MaxItems.
#pragma once

#include "transport/http_types.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace fd::freshdesk {

inline constexpr std::int64_t kSearchPageSize = 30;  // fixed by Freshdesk
inline constexpr std::int64_t kSearchMaxPage = 10;   // so 300 results at most
inline constexpr std::int64_t kSearchReach = kSearchPageSize * kSearchMaxPage;

struct SearchPaging {
    std::int64_t page = 1;
    std::int64_t per_page = 30;
    bool return_all = false;
    std::int64_t max_items = 0;  // with return_all; 0 for no limit
};

// The page a search gives back: the items asked for, what Freshdesk said the total is, and
// whether more match than the window reaches.
struct SearchPage {
    boost::json::array items;
    std::int64_t total = 0;
    boost::json::object pagination;  // current_page, per_page, returned_count, has_next_page,
                                     // total_pages, pages_read, limit_reached
    std::string business_error;      // the page asked for lies past the window
};

class SearchWindow {
  public:
    // `path` is "/search/tickets" or "/search/contacts"; `query` the expression without its
    // surrounding quotes; `keep` (when set) is the exact filter applied to each result, which
    // makes the window read whole.
    SearchWindow(std::string path, std::string query, SearchPaging paging,
                 std::function<bool(const boost::json::value&)> keep = {});

    transport::HttpRequest first_request();
    // Takes one answer; the next request, or nullopt when the page is ready (take_page()).
    std::optional<transport::HttpRequest> on_answer(const boost::json::object& body);
    SearchPage take_page();

    std::uint64_t items_read() const { return collected_.size(); }
    std::int64_t total() const { return total_; }

  private:
    transport::HttpRequest request(std::int64_t search_page);
    SearchPage page_of(const boost::json::array& items, std::int64_t offset, std::int64_t total) const;
    SearchPage beyond_window(std::string why) const;
    SearchPage exact_page() const;
    SearchPage filtered_page() const;
    SearchPage every_result() const;
    std::string window_message() const;

    std::string path_;
    std::string query_;
    SearchPaging paging_;
    std::function<bool(const boost::json::value&)> keep_;
    std::int64_t start_ = 0;  // index of the page's first item among all matches
    std::int64_t end_ = 0;    // one past its last
    std::int64_t searched_page_ = 0;
    std::int64_t total_ = 0;
    boost::json::array collected_;
};

// The search query's text for a date option: Freshdesk compares whole UTC days.
std::string search_day(std::int64_t epoch_seconds);

}  // namespace fd::freshdesk
