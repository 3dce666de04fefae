// The "ticket_listing" strategy: Get Many Tickets. Freshdesk's list endpoint refuses status and
// priority filters, so with Status and/or Priority the node asks /search/tickets instead, whose
// pages hold a fixed 30 results and stop after 10. The user's Page and PerPage are mapped onto
// those pages so the page returned is exactly the one asked for; past search's 300-result
// window the node says so instead of returning a short page. UpdatedSince is honoured to the
// second on both paths. With ReturnAll the node reads every page for the caller (the list's
// Link pages, or the whole search window), up to MaxItems.
#include "freshdesk/list_paging.hpp"
#include "freshdesk/response_reading.hpp"
#include "freshdesk/strategies.hpp"
#include "core/timestamps.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <vector>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

constexpr std::int64_t kSearchPageSize = 30;  // fixed by Freshdesk
constexpr std::int64_t kSearchMaxPage = 10;   // so 300 results at most
constexpr std::int64_t kSearchReach = kSearchPageSize * kSearchMaxPage;
constexpr std::int64_t kListMaxPage = 300;  // Freshdesk refuses a higher page of the ticket list

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

struct PageFacts {
    std::int64_t returned = 0;
    bool has_next = false;
    json::value total_pages = nullptr;
    std::int64_t pages_read = 1;
    bool limit_reached = false;
};

class TicketListing final : public Operation {
  public:
    explicit TicketListing(json::object params) : params_(std::move(params)) {
        page_ = int_param(params_, "Page");
        per_page_ = int_param(params_, "PerPage");
        return_all_ = bool_param(params_, "ReturnAll");
        max_items_ = return_all_ ? int_param(params_, "MaxItems") : 0;
        if (return_all_) page_ = 1;
        if (const json::value* since = params_.if_contains("UpdatedSince")) since_ = parse_rfc3339(since->as_string());
        searching_ = params_.contains("Status") || params_.contains("Priority");
        // Search filters by whole days; a time within the day is then applied to every result.
        filtering_ = searching_ && since_ && *since_ % kSecondsPerDay != 0;
        start_ = (page_ - 1) * per_page_;
        end_ = start_ + per_page_;
    }

    HttpRequest first_request() override {
        if (!searching_) return list_request(return_all_ ? 1 : page_);
        if (filtering_ || return_all_) return search_request(1);
        const std::int64_t first_needed = start_ / kSearchPageSize + 1;
        // Beyond search's reach: page 1 tells whether the page is empty or out of the window.
        return search_request(first_needed > kSearchMaxPage ? 1 : first_needed);
    }

    Step on_success(const HttpResponse& response) override {
        if (!searching_) return list_outputs(response);
        const json::object body = read_object(response);
        const json::value* results = body.if_contains("results");
        const json::value* total = body.if_contains("total");
        if (!results || !results->is_array() || !total || !total->is_int64()) {
            throw MalformedAnswer("it is not a search answer {results, total}");
        }
        total_ = total->get_int64();
        for (const json::value& ticket : results->get_array())
            collected_.push_back(ticket);
        const bool more_exists = searched_page_ * kSearchPageSize < total_ && !results->get_array().empty();
        if (filtering_ || return_all_) {
            const bool enough = max_items_ > 0 && !filtering_ && std::ssize(collected_) >= max_items_;
            if (more_exists && searched_page_ < kSearchMaxPage && !enough) return next(search_request(searched_page_ + 1));
            return return_all_ ? all_search_outputs() : filtered_outputs();
        }
        const std::int64_t first_needed = start_ / kSearchPageSize + 1;
        const std::int64_t last_needed = (end_ - 1) / kSearchPageSize + 1;
        if (first_needed <= kSearchMaxPage && more_exists && searched_page_ < std::min(last_needed, kSearchMaxPage)) {
            return next(search_request(searched_page_ + 1));
        }
        return exact_outputs(first_needed);
    }

    std::string subject() const override { return "tickets"; }

    std::optional<ItemCount> items_read() const override {
        if (!return_all_) return std::nullopt;
        return ItemCount{collected_.size(), searching_ ? std::min(total_, kSearchReach) : -1};
    }

  private:
    HttpRequest list_request(std::int64_t page) {
        listed_page_ = page;
        boost::urls::url target("/tickets");
        // Get Many Tickets documents description on every item; the list sends it only when asked.
        target.params().append({"include", "description"});
        if (since_) target.params().append({"updated_since", format_utc(*since_)});
        target.params().append({"page", std::to_string(page)});
        target.params().append({"per_page", std::to_string(return_all_ ? kMaxPerPage : per_page_)});
        return {"GET", std::string(target.buffer()), "", ""};
    }

    HttpRequest search_request(std::int64_t page) {
        searched_page_ = page;
        std::vector<std::string> terms;
        if (const json::value* status = params_.if_contains("Status"))
            terms.push_back("status:" + json::serialize(*status));
        if (const json::value* priority = params_.if_contains("Priority")) {
            terms.push_back("priority:" + json::serialize(*priority));
        }
        if (since_) terms.push_back("updated_at:>'" + utc_date(*since_) + "'");  // :> is "on or after"
        std::string query;
        for (const std::string& term : terms)
            query += (query.empty() ? "" : " AND ") + term;
        boost::urls::url target("/search/tickets");
        target.params().append({"query", "\"" + query + "\""});
        target.params().append({"page", std::to_string(page)});
        return {"GET", std::string(target.buffer()), "", ""};
    }

    static Step next(HttpRequest request) {
        Step step;
        step.next = std::move(request);
        return step;
    }

    Step outputs(json::array tickets, const PageFacts& facts, std::string error = "") const {
        Step step;
        step.outputs["Tickets"] = std::move(tickets);
        step.outputs["Pagination"] = json::object{{"current_page", return_all_ ? last_page_read() : page_},
                                                  {"per_page", return_all_ ? kMaxPerPage : per_page_},
                                                  {"returned_count", facts.returned},
                                                  {"has_next_page", facts.has_next},
                                                  {"total_pages", facts.total_pages},
                                                  {"pages_read", facts.pages_read},
                                                  {"limit_reached", facts.limit_reached}};
        step.business_error = std::move(error);
        return step;
    }

    std::int64_t last_page_read() const { return searching_ ? searched_page_ : listed_page_; }

    Step list_outputs(const HttpResponse& response) {
        const bool has_next = has_next_link(response);
        json::array page = read_array(response);
        const bool page_was_empty = page.empty();
        for (json::value& ticket : page) {
            if (max_items_ > 0 && std::ssize(collected_) >= max_items_) break;
            collected_.push_back(std::move(ticket));
        }
        const bool at_limit = max_items_ > 0 && std::ssize(collected_) >= max_items_;
        if (return_all_ && has_next && !page_was_empty && !at_limit && listed_page_ < kListMaxPage) {
            return next(list_request(listed_page_ + 1));
        }
        PageFacts facts;
        facts.returned = std::ssize(collected_);
        facts.pages_read = return_all_ ? listed_page_ : 1;
        facts.has_next = has_next;
        facts.limit_reached = return_all_ && has_next;
        return outputs(std::move(collected_), facts);
    }

    // Every reachable search result (ReturnAll).
    Step all_search_outputs() {
        json::array tickets;
        for (const json::value& ticket : collected_) {
            if (max_items_ > 0 && std::ssize(tickets) >= max_items_) break;
            if (!since_ || updated_since(ticket)) tickets.push_back(ticket);
        }
        PageFacts facts;
        facts.returned = std::ssize(tickets);
        facts.pages_read = searched_page_;
        facts.total_pages = searched_page_;
        facts.limit_reached = total_ > std::ssize(tickets) && (total_ > kSearchReach || max_items_ > 0);
        return outputs(std::move(tickets), facts,
                       total_ > kSearchReach && !filtering_ ? more_than_reach_message(total_) : std::string());
    }

    bool updated_since(const json::value& ticket) const {
        const json::value* updated = ticket.is_object() ? ticket.get_object().if_contains("updated_at") : nullptr;
        const auto at = updated && updated->is_string() ? parse_rfc3339(updated->get_string()) : std::nullopt;
        return at && *at >= *since_;
    }

    // The page asked for out of `items` (all matches from index `offset` on). The last page
    // search can reach says there is nothing after it; limit_reached says matches go beyond.
    Step page_of(const json::array& items, std::int64_t offset, std::int64_t total) const {
        json::array tickets;
        for (std::int64_t i = std::max<std::int64_t>(offset, 0); i < offset + per_page_ && i < std::ssize(items); ++i)
            tickets.push_back(items[static_cast<std::size_t>(i)]);
        const std::int64_t reachable = std::min(total, kSearchReach);
        PageFacts facts;
        facts.returned = std::ssize(tickets);
        facts.has_next = end_ < reachable;
        facts.total_pages = ceil_div(reachable, per_page_);
        facts.limit_reached = total > kSearchReach && end_ >= reachable;
        return outputs(std::move(tickets), facts);
    }

    std::string more_than_reach_message(std::int64_t total) const {
        return std::to_string(total) +
               " tickets match, and Freshdesk's ticket search, used for the Status and Priority filters, reaches "
               "only the first 300 (10 pages of 30). Narrow the filters (for example with UpdatedSince) to see the "
               "rest.";
    }

    std::string window_message(std::int64_t total) const {
        return "Freshdesk's ticket search, used for the Status and Priority filters, reaches only the first 300 "
               "matching tickets (10 pages of 30). Page " +
               std::to_string(page_) + " with PerPage " + std::to_string(per_page_) + " needs tickets " +
               std::to_string(start_ + 1) + " to " + std::to_string(std::min(end_, total)) + " of " +
               std::to_string(total) +
               ". Narrow the filters (for example with UpdatedSince) or ask for an earlier page.";
    }

    Step beyond_window(std::int64_t total, std::string why) const {
        PageFacts facts;
        facts.total_pages = ceil_div(std::min(total, kSearchReach), per_page_);
        facts.limit_reached = true;
        return outputs(json::array(), facts, std::move(why));
    }

    Step exact_outputs(std::int64_t first_needed) {
        if (start_ >= total_) return page_of({}, 0, total_);
        if (start_ >= kSearchReach) return beyond_window(total_, window_message(total_));
        return page_of(collected_, start_ - (first_needed - 1) * kSearchPageSize, total_);
    }

    Step filtered_outputs() {
        if (total_ > kSearchReach) {
            return beyond_window(total_,
                                 "UpdatedSince has a time of day, which Freshdesk's ticket search cannot filter by: "
                                 "the node filters the results itself, which needs all of them, but " +
                                     std::to_string(total_) +
                                     " tickets match the day and search reaches only 300. "
                                     "Use a later UpdatedSince, or one at midnight UTC (search filters whole days).");
        }
        json::array matching;
        for (const json::value& ticket : collected_) {
            if (updated_since(ticket)) matching.push_back(ticket);
        }
        const std::int64_t total = std::ssize(matching);
        return page_of(matching, start_, total);
    }

    json::object params_;
    std::int64_t page_ = 1;
    std::int64_t per_page_ = 30;
    bool return_all_ = false;
    std::int64_t max_items_ = 0;
    std::int64_t start_ = 0;  // index of the page's first ticket among all matches
    std::int64_t end_ = 0;    // one past its last
    std::optional<std::int64_t> since_;
    bool searching_ = false;
    bool filtering_ = false;
    std::int64_t searched_page_ = 0;
    std::int64_t listed_page_ = 0;
    std::int64_t total_ = 0;
    json::array collected_;
};

}  // namespace

std::unique_ptr<Operation> make_ticket_listing(const NodeSpec&, const NodeMapping&, json::object params,
                                               const OperationContext&) {
    return std::make_unique<TicketListing>(std::move(params));
}

}  // namespace fd::freshdesk
