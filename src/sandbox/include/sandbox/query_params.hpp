// A request target split into its decoded path and its query parameters (Boost.URL), plus
// the pagination rules shared by the list endpoints (docs/freshdesk.md, "Pagination"): page/per_page
// checks and the Link header for the next page.
#pragma once

#include "sandbox/api_reply.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

struct QueryParam {
    std::string key;    // decoded ('+' is a space)
    std::string value;  // decoded
    std::string raw;    // "key=value" exactly as sent
};

class QueryParams {
  public:
    // nullopt when the query is not properly %-encoded.
    static std::optional<QueryParams> parse(std::string_view raw_query);

    const std::string* find(std::string_view key) const;  // the last occurrence, as Rails
    bool has(std::string_view key) const { return find(key) != nullptr; }
    bool empty() const { return params_.empty(); }
    // Keys outside `allowed`, each once, in order of appearance.
    std::vector<std::string> unknown_keys(std::initializer_list<std::string_view> allowed) const;
    // The query as sent with page=N replacing the page parameter, or appended.
    std::string with_page(std::int64_t page) const;

  private:
    std::vector<QueryParam> params_;
};

struct RequestTarget {
    std::string path;       // decoded, without the query
    std::string raw_query;  // without '?'
    bool valid = true;      // false when the target could not be parsed
};

RequestTarget split_target(std::string_view target);

struct PageLimits {
    int max_per_page = 100;
    std::int64_t max_page = 0;  // 0: no cap
    // The message for page > max_page; empty: per_page_message(max_page).
    std::string page_cap_message;
    bool per_page_allowed = true;
};

struct Page {
    std::int64_t page = 1;
    std::int64_t per_page = 30;
};

// Adds page/per_page errors (docs/freshdesk.md, "Pagination") and returns the page asked for.
Page read_page(const QueryParams& query, const PageLimits& limits, ValidationErrors& errors);

// `<https://{host}{path}?{query with page=next}>; rel="next"`
std::string next_page_link(std::string_view host, std::string_view path, const QueryParams& query,
                           std::int64_t next_page);

// A decimal integer made only of digits (optional leading '-'); nullopt otherwise or on overflow.
std::optional<std::int64_t> parse_integer(std::string_view text);

}  // namespace fdsandbox
