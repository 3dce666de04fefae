// The "search" strategy: Search Contacts and Search Tickets. Typed options become Freshdesk's
// query (numbers and booleans as they are, text in single quotes, dates as whole UTC days); a
// date with a time of day is then applied exactly to every result. Query is the expert's own
// expression, used alone. Pages map onto search's window through SearchWindow.
#include "core/timestamps.hpp"
#include "freshdesk/list_paging.hpp"
#include "freshdesk/response_reading.hpp"
#include "freshdesk/search_window.hpp"
#include "freshdesk/strategies.hpp"

#include <boost/json/serialize.hpp>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

constexpr std::size_t kMaxQueryLength = 512;  // Freshdesk refuses a longer query

// A time the exact filter compares results with: field >= at ("after") or field < at ("before").
struct TimeBound {
    std::string field;
    std::int64_t at;
    bool after;
};

std::string value_term(const std::string& field, const json::value& value) {
    if (value.is_string()) return field + ":'" + std::string(value.get_string()) + "'";
    return field + ":" + json::serialize(value);
}

bool within(const json::value& item, const std::vector<TimeBound>& bounds) {
    for (const TimeBound& bound : bounds) {
        const json::value* stamp = item.is_object() ? item.get_object().if_contains(bound.field) : nullptr;
        const auto at = stamp && stamp->is_string() ? parse_rfc3339(stamp->get_string()) : std::nullopt;
        if (!at || (bound.after ? *at < bound.at : *at >= bound.at)) return false;
    }
    return true;
}

class SearchOperation final : public Operation {
  public:
    SearchOperation(const NodeMapping& mapping, json::object params) : mapping_(mapping), params_(std::move(params)) {
        const std::string query = build_query();
        if (query.size() > kMaxQueryLength) {
            too_long_ = "The search these options make is " + std::to_string(query.size()) +
                        " characters long; Freshdesk takes at most 512. Give fewer criteria.";
        }
        const SearchPaging paging{int_param(params_, "Page"), int_param(params_, "PerPage"),
                                  bool_param(params_, "ReturnAll"), int_param(params_, "MaxItems")};
        std::function<bool(const json::value&)> keep;
        if (!exact_.empty()) keep = [bounds = exact_](const json::value& item) { return within(item, bounds); };
        window_.emplace(mapping.search.path, query, paging, std::move(keep));
    }

    HttpRequest first_request() override { return window_->first_request(); }

    Step first_step() override {
        if (!too_long_.empty()) return Step::refuse(too_long_);
        return Step::send(first_request());
    }

    Step on_success(const HttpResponse& response) override {
        if (std::optional<HttpRequest> next = window_->on_answer(read_object(response)))
            return Step::send(std::move(*next));
        Step step;
        SearchPage page = window_->take_page();
        for (json::value& item : page.items) {
            json::value* company = item.is_object() ? item.get_object().if_contains("company_id") : nullptr;
            if (company && company->is_null()) *company = 0;  // as Get Many Contacts documents it
        }
        step.outputs[mapping_.answer.output] = std::move(page.items);
        step.outputs["Total"] = page.total;
        step.outputs["Pagination"] = std::move(page.pagination);
        step.business_error = std::move(page.business_error);
        return step;
    }

    std::string subject() const override { return mapping_.answer.output == "Tickets" ? "tickets" : "contacts"; }

    std::optional<ItemCount> items_read() const override {
        if (!bool_param(params_, "ReturnAll")) return std::nullopt;
        return ItemCount{window_->items_read(), std::min(window_->total(), kSearchReach)};
    }

  private:
    std::string date_term(const SearchTerm& term, std::int64_t at) {
        const bool midnight = at % kSecondsPerDay == 0;
        if (term.kind == "after") {
            if (!midnight) exact_.push_back({term.field, at, true});
            return term.field + ":>'" + search_day(at) + "'";  // on or after that day
        }
        if (!midnight) exact_.push_back({term.field, at, false});
        // Strictly before a time: on or before the day of its last second.
        return term.field + ":<'" + search_day(midnight ? at - 1 : at) + "'";
    }

    std::string build_query() {
        if (const json::value* raw = params_.if_contains(mapping_.search.raw_query)) {
            std::string query(raw->as_string());
            if (query.size() >= 2 && query.front() == '"' && query.back() == '"')
                query = query.substr(1, query.size() - 2);
            return query;
        }
        std::vector<std::string> terms;
        for (const SearchTerm& term : mapping_.search.terms) {
            const json::value* value = params_.if_contains(term.input);
            if (!value) continue;
            const bool date = term.kind == "after" || term.kind == "before";
            terms.push_back(date ? date_term(term, *parse_rfc3339(value->as_string()))
                                 : value_term(term.field, *value));
        }
        if (const json::value* custom = params_.if_contains(mapping_.search.custom_fields)) {
            for (const auto& [name, value] : custom->as_object())
                terms.push_back(value_term(std::string(name), value));
        }
        std::string query;
        for (const std::string& term : terms)
            query += (query.empty() ? "" : " AND ") + term;
        return query;
    }

    const NodeMapping& mapping_;
    json::object params_;
    std::vector<TimeBound> exact_;
    std::string too_long_;
    std::optional<SearchWindow> window_;
};

}  // namespace

std::unique_ptr<Operation> make_search(const NodeSpec&, const NodeMapping& mapping, json::object params,
                                       const OperationContext&) {
    return std::make_unique<SearchOperation>(mapping, std::move(params));
}

}  // namespace fd::freshdesk
