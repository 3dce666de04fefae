// The "ticket_listing" strategy: Get Many Tickets. Freshdesk's list endpoint refuses status and
// priority filters, so with Status and/or Priority the node asks /search/tickets instead, paged
// by SearchWindow (search_window.hpp). Without them it reads the list, one page or with
// ReturnAll every page up to MaxItems. UpdatedSince is honoured to the second on both paths.
#include "core/timestamps.hpp"
#include "freshdesk/list_paging.hpp"
#include "freshdesk/request_building.hpp"
#include "freshdesk/response_reading.hpp"
#include "freshdesk/search_window.hpp"
#include "freshdesk/strategies.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/url.hpp>

#include <vector>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

constexpr std::int64_t kListMaxPage = 300;  // Freshdesk refuses a higher page of the ticket list

bool updated_since(const json::value& ticket, std::int64_t since) {
    const json::value* updated = ticket.is_object() ? ticket.get_object().if_contains("updated_at") : nullptr;
    const auto at = updated && updated->is_string() ? parse_rfc3339(updated->get_string()) : std::nullopt;
    return at && *at >= since;
}

// "status:2 AND priority:3 AND updated_at:>'2025-01-15'" (:> is "on or after" that day).
std::string search_query(const json::object& params, std::optional<std::int64_t> since) {
    std::vector<std::string> terms;
    if (const json::value* status = params.if_contains("Status")) terms.push_back("status:" + json::serialize(*status));
    if (const json::value* priority = params.if_contains("Priority")) {
        terms.push_back("priority:" + json::serialize(*priority));
    }
    if (since) terms.push_back("updated_at:>'" + search_day(*since) + "'");
    std::string query;
    for (const std::string& term : terms)
        query += (query.empty() ? "" : " AND ") + term;
    return query;
}

class TicketListing final : public Operation {
  public:
    explicit TicketListing(json::object params) : params_(std::move(params)), pages_(params_) {
        if (const json::value* since = params_.if_contains("UpdatedSince")) since_ = parse_rfc3339(since->as_string());
        if (!params_.contains("Status") && !params_.contains("Priority")) return;
        const SearchPaging paging{int_param(params_, "Page"), int_param(params_, "PerPage"),
                                  bool_param(params_, "ReturnAll"), int_param(params_, "MaxItems")};
        std::function<bool(const json::value&)> keep;
        // Search filters by whole days; a time within the day is then applied to every result.
        if (since_ && *since_ % kSecondsPerDay != 0) {
            keep = [since = *since_](const json::value& ticket) { return updated_since(ticket, since); };
        }
        search_.emplace("/search/tickets", search_query(params_, since_), paging, std::move(keep));
    }

    HttpRequest first_request() override { return search_ ? search_->first_request() : list_request(); }

    Step on_success(const HttpResponse& response) override {
        if (!search_) return list_step(response);
        if (std::optional<HttpRequest> next = search_->on_answer(read_object(response)))
            return Step::send(std::move(*next));
        Step step;
        SearchPage page = search_->take_page();
        step.outputs["Tickets"] = std::move(page.items);
        step.outputs["Pagination"] = std::move(page.pagination);
        step.business_error = std::move(page.business_error);
        return step;
    }

    std::string subject() const override { return "tickets"; }

    std::optional<ItemCount> items_read() const override {
        if (!bool_param(params_, "ReturnAll")) return std::nullopt;
        if (search_) return ItemCount{search_->items_read(), std::min(search_->total(), kSearchReach)};
        return ItemCount{pages_.items().size(), -1};
    }

  private:
    HttpRequest list_request() const {
        boost::urls::url target("/tickets");
        // Get Many Tickets documents description on every item; the list sends it only when asked.
        append_param(target, "include", "description");
        if (since_) append_param(target, "updated_since", format_utc(*since_));
        return {"GET", pages_.target_for_next_page(std::string(target.buffer())), "", ""};
    }

    Step list_step(const HttpResponse& response) {
        Step step;
        // The ticket list sends a next link whenever a next page exists; a full page alone says nothing.
        const bool linked = has_next_link(response);
        const bool more = pages_.add_page(read_array(response), linked);
        if (more && pages_.next_page() <= kListMaxPage) {
            step.next = list_request();
            return step;
        }
        json::object links = pages_.pagination();
        step.outputs["Pagination"] = json::object{{"current_page", links.at("current_page")},
                                                  {"per_page", links.at("per_page")},
                                                  {"returned_count", links.at("total_count")},
                                                  {"has_next_page", linked},
                                                  {"total_pages", nullptr},
                                                  {"pages_read", links.at("pages_read")},
                                                  {"limit_reached", links.at("limit_reached").as_bool() || more}};
        step.outputs["Tickets"] = pages_.take_items();
        return step;
    }

    json::object params_;
    std::optional<std::int64_t> since_;
    ListPaging pages_;
    std::optional<SearchWindow> search_;
};

}  // namespace

std::unique_ptr<Operation> make_ticket_listing(const NodeSpec&, const NodeMapping&, json::object params,
                                               const OperationContext&) {
    return std::make_unique<TicketListing>(std::move(params));
}

}  // namespace fd::freshdesk
