#include "freshdesk/ticket_listing.hpp"

#include "freshdesk/response_reading.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <charconv>
#include <vector>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

constexpr std::int64_t kSearchPageSize = 30;  // fixed by Freshdesk
constexpr std::int64_t kSearchMaxPage = 10;   // so 300 results at most
constexpr std::int64_t kSecondsPerDay = 86400;

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t year, std::int64_t month, std::int64_t day) {
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const std::int64_t year_of_era = year - era * 400;
    const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

struct CivilTime {
    std::int64_t year, month, day, hour, minute, second;
};

CivilTime civil_from_epoch(std::int64_t seconds) {
    std::int64_t days = seconds / kSecondsPerDay;
    std::int64_t rest = seconds % kSecondsPerDay;
    if (rest < 0) {
        rest += kSecondsPerDay;
        --days;
    }
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t day_of_era = days - era * 146097;
    const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t mp = (5 * day_of_year + 2) / 153;
    const std::int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    return {year_of_era + era * 400 + (month <= 2), month, day, rest / 3600, rest % 3600 / 60, rest % 60};
}

bool digits(std::string_view text, std::size_t at, std::size_t count, std::int64_t& out) {
    if (at + count > text.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

std::string two(std::int64_t value) {
    return (value < 10 ? "0" : "") + std::to_string(value);
}

std::string four(std::int64_t value) {
    const std::string text = std::to_string(value);
    return std::string(text.size() < 4 ? 4 - text.size() : 0, '0') + text;
}

std::string utc_date(std::int64_t epoch_seconds) {
    const CivilTime t = civil_from_epoch(epoch_seconds);
    return four(t.year) + "-" + two(t.month) + "-" + two(t.day);
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

json::object pagination(std::int64_t page, std::int64_t per_page, std::int64_t returned, bool has_next,
                        json::value total_pages) {
    return json::object{{"current_page", page},
                        {"per_page", per_page},
                        {"returned_count", returned},
                        {"has_next_page", has_next},
                        {"total_pages", std::move(total_pages)}};
}

class TicketListing final : public Operation {
  public:
    explicit TicketListing(json::object params) : params_(std::move(params)) {
        page_ = params_.at("Page").as_int64();
        per_page_ = params_.at("PerPage").as_int64();
        if (const json::value* since = params_.if_contains("UpdatedSince")) since_ = parse_rfc3339(since->as_string());
        searching_ = params_.contains("Status") || params_.contains("Priority");
        // Search filters by whole days; a time within the day is then applied to every result.
        filtering_ = searching_ && since_ && *since_ % kSecondsPerDay != 0;
        start_ = (page_ - 1) * per_page_;
        end_ = start_ + per_page_;
    }

    HttpRequest first_request() override {
        if (!searching_) return list_request();
        if (filtering_) return search_request(1);
        const std::int64_t first_needed = start_ / kSearchPageSize + 1;
        // Beyond search's reach: page 1 tells whether the page is empty or out of the window.
        return search_request(first_needed > kSearchMaxPage ? 1 : first_needed);
    }

    Progress on_success(const HttpResponse& response) override {
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
        const std::int64_t fetched_through = searched_page_ * kSearchPageSize;
        const bool more_exists = fetched_through < total_ && !results->get_array().empty();

        if (filtering_) {
            if (more_exists && searched_page_ < kSearchMaxPage) return next(search_request(searched_page_ + 1));
            return filtered_outputs();
        }
        const std::int64_t first_needed = start_ / kSearchPageSize + 1;
        const std::int64_t last_needed = (end_ - 1) / kSearchPageSize + 1;
        if (first_needed <= kSearchMaxPage && more_exists && searched_page_ < std::min(last_needed, kSearchMaxPage)) {
            return next(search_request(searched_page_ + 1));
        }
        return exact_outputs(first_needed);
    }

    std::string subject() const override { return "tickets"; }

  private:
    HttpRequest list_request() {
        boost::urls::url target("/tickets");
        // The spec's items carry description, which the list returns only when asked.
        target.params().append({"include", "description"});
        if (since_) target.params().append({"updated_since", format_utc(*since_)});
        target.params().append({"page", std::to_string(page_)});
        target.params().append({"per_page", std::to_string(per_page_)});
        return {"GET", std::string(target.buffer()), ""};
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
        return {"GET", std::string(target.buffer()), ""};
    }

    static Progress next(HttpRequest request) {
        Progress progress;
        progress.next = std::move(request);
        return progress;
    }

    Progress list_outputs(const HttpResponse& response) {
        json::array tickets = read_array(response);
        const std::int64_t count = static_cast<std::int64_t>(tickets.size());
        Progress progress;
        progress.outputs["Tickets"] = std::move(tickets);
        progress.outputs["Pagination"] = pagination(page_, per_page_, count, has_next_link(response), nullptr);
        return progress;
    }

    Progress page_of(const json::array& items, std::int64_t offset, std::int64_t total) {
        json::array tickets;
        for (std::int64_t i = offset; i < offset + per_page_ && i < static_cast<std::int64_t>(items.size()); ++i) {
            if (i >= 0) tickets.push_back(items[static_cast<std::size_t>(i)]);
        }
        const std::int64_t count = static_cast<std::int64_t>(tickets.size());
        Progress progress;
        progress.outputs["Tickets"] = std::move(tickets);
        progress.outputs["Pagination"] = pagination(page_, per_page_, count, end_ < total, ceil_div(total, per_page_));
        return progress;
    }

    Progress beyond_window(std::int64_t total, std::string why) {
        Progress progress;
        progress.outputs["Tickets"] = json::array();
        progress.outputs["Pagination"] = pagination(page_, per_page_, 0, false, ceil_div(total, per_page_));
        progress.business_error = std::move(why);
        return progress;
    }

    std::string window_message(std::int64_t total) const {
        return "Freshdesk's ticket search, used for the Status and Priority filters, reaches only the first 300 "
               "matching tickets (10 pages of 30). Page " +
               std::to_string(page_) + " with PerPage " + std::to_string(per_page_) + " needs tickets " +
               std::to_string(start_ + 1) + " to " + std::to_string(std::min(end_, total)) + " of " +
               std::to_string(total) +
               ". Narrow the filters (for example with UpdatedSince) or ask for an earlier page.";
    }

    Progress exact_outputs(std::int64_t first_needed) {
        constexpr std::int64_t reach = kSearchMaxPage * kSearchPageSize;
        if (start_ >= total_) return page_of({}, 0, total_);
        if (start_ >= reach) return beyond_window(total_, window_message(total_));
        Progress page = page_of(collected_, start_ - (first_needed - 1) * kSearchPageSize, total_);
        // A page that straddles the window: the reachable part, and why the rest is missing.
        if (std::min(end_, total_) > reach) {
            page.business_error = "Only tickets " + std::to_string(start_ + 1) + " to " + std::to_string(reach) +
                                  " of this page are returned. " + window_message(total_);
        }
        return page;
    }

    Progress filtered_outputs() {
        if (total_ > kSearchMaxPage * kSearchPageSize) {
            return beyond_window(total_,
                                 "UpdatedSince has a time of day, which Freshdesk's ticket search cannot filter by: "
                                 "the node filters the results itself, which needs all of them, but " +
                                     std::to_string(total_) +
                                     " tickets match the day and search reaches only 300. "
                                     "Use a later UpdatedSince, or one at midnight UTC (search filters whole days).");
        }
        json::array matching;
        for (const json::value& ticket : collected_) {
            const json::value* updated = ticket.is_object() ? ticket.get_object().if_contains("updated_at") : nullptr;
            const auto at = updated && updated->is_string() ? parse_rfc3339(updated->get_string()) : std::nullopt;
            if (at && *at >= *since_) matching.push_back(ticket);
        }
        const std::int64_t total = static_cast<std::int64_t>(matching.size());
        return page_of(matching, start_, total);
    }

    json::object params_;
    std::int64_t page_ = 1;
    std::int64_t per_page_ = 30;
    std::int64_t start_ = 0;  // index of the page's first ticket among all matches
    std::int64_t end_ = 0;    // one past its last
    std::optional<std::int64_t> since_;
    bool searching_ = false;
    bool filtering_ = false;
    std::int64_t searched_page_ = 0;
    std::int64_t total_ = 0;
    json::array collected_;
};

}  // namespace

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    std::int64_t year, month, day, hour, minute, second;
    if (!digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' || !digits(text, 5, 2, month) ||
        text[7] != '-' || !digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
        !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
        !digits(text, 17, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    std::size_t at = 19;
    bool fraction = false;
    if (at < text.size() && text[at] == '.') {
        ++at;
        const std::size_t digits_from = at;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
            if (text[at] != '0') fraction = true;
        }
        if (at == digits_from) return std::nullopt;
    }
    std::int64_t offset = 0;
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        std::int64_t offset_hours, offset_minutes;
        if (!digits(text, at + 1, 2, offset_hours) || at + 3 >= text.size() || text[at + 3] != ':' ||
            !digits(text, at + 4, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
            return std::nullopt;
        }
        offset = (offset_hours * 3600 + offset_minutes * 60) * (text[at] == '-' ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size()) return std::nullopt;
    return days_from_civil(year, month, day) * kSecondsPerDay + hour * 3600 + minute * 60 + second - offset +
           (fraction ? 1 : 0);
}

std::string format_utc(std::int64_t epoch_seconds) {
    const CivilTime t = civil_from_epoch(epoch_seconds);
    return utc_date(epoch_seconds) + "T" + two(t.hour) + ":" + two(t.minute) + ":" + two(t.second) + "Z";
}

std::unique_ptr<Operation> make_ticket_listing(json::object params) {
    return std::make_unique<TicketListing>(std::move(params));
}

}  // namespace fd::freshdesk
