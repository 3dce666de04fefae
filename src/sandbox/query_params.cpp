#include "sandbox/query_params.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <charconv>

namespace fdsandbox {

namespace urls = boost::urls;

std::optional<QueryParams> QueryParams::parse(std::string_view raw_query) {
    QueryParams result;
    if (raw_query.empty()) return result;
    auto parsed = urls::parse_query(raw_query);
    if (!parsed) return std::nullopt;
    const urls::encoding_opts plus_is_space(true);
    for (const urls::param_pct_view& param : *parsed) {
        QueryParam item;
        item.key = param.key.decode(plus_is_space);
        if (param.has_value) item.value = param.value.decode(plus_is_space);
        item.raw = std::string(param.key.data(), param.key.size());
        if (param.has_value) item.raw += "=" + std::string(param.value.data(), param.value.size());
        if (item.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
        result.params_.push_back(std::move(item));
    }
    return result;
}

const std::string* QueryParams::find(std::string_view key) const {
    for (auto it = params_.rbegin(); it != params_.rend(); ++it)
        if (it->key == key) return &it->value;
    return nullptr;
}

std::vector<std::string> QueryParams::unknown_keys(std::initializer_list<std::string_view> allowed) const {
    std::vector<std::string> unknown;
    for (const QueryParam& param : params_) {
        if (std::find(allowed.begin(), allowed.end(), param.key) != allowed.end()) continue;
        if (std::find(unknown.begin(), unknown.end(), param.key) == unknown.end()) unknown.push_back(param.key);
    }
    return unknown;
}

std::string QueryParams::with_page(std::int64_t page) const {
    std::string query;
    bool replaced = false;
    for (const QueryParam& param : params_) {
        if (!query.empty()) query += '&';
        if (param.key == "page") {
            if (replaced) {  // drop repeated page parameters, keep one
                query.pop_back();
                continue;
            }
            query += "page=" + std::to_string(page);
            replaced = true;
        } else {
            query += param.raw;
        }
    }
    if (!replaced) query += (query.empty() ? "" : "&") + std::string("page=") + std::to_string(page);
    return query;
}

RequestTarget split_target(std::string_view target) {
    RequestTarget result;
    auto parsed = urls::parse_origin_form(target);
    if (!parsed) {
        result.valid = false;
        const std::size_t question = target.find('?');
        result.path = std::string(target.substr(0, question));
        if (question != std::string_view::npos) result.raw_query = std::string(target.substr(question + 1));
        return result;
    }
    result.path = std::string(parsed->path());
    result.raw_query = std::string(parsed->encoded_query());
    return result;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

namespace {

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_signed_integer_text(std::string_view text) {
    if (!text.empty() && text.front() == '-') text.remove_prefix(1);
    return all_digits(text);
}

}  // namespace

Page read_page(const QueryParams& query, const PageLimits& limits, ValidationErrors& errors) {
    Page page;
    if (const std::string* per_page = query.find("per_page"); per_page && limits.per_page_allowed) {
        const std::optional<std::int64_t> value = parse_integer(*per_page);
        if (!is_signed_integer_text(*per_page)) {
            errors.add("per_page", per_page_message(limits.max_per_page), code::datatype_mismatch);
        } else if (!value || *value <= 0 || *value > limits.max_per_page) {
            errors.add("per_page", per_page_message(limits.max_per_page), code::invalid_value);
        } else {
            page.per_page = *value;
        }
    }
    if (const std::string* page_text = query.find("page")) {
        const std::optional<std::int64_t> value = parse_integer(*page_text);
        if (!is_signed_integer_text(*page_text)) {
            errors.add("page", std::string(message::positive_integer), code::datatype_mismatch);
        } else if (!value && page_text->front() != '-') {
            errors.add("page", "Has exceeded maximum limit", code::invalid_value);  // >= 2^63
        } else if (!value || *value <= 0) {
            errors.add("page", std::string(message::positive_integer), code::invalid_value);
        } else if (limits.max_page != 0 && *value > limits.max_page) {
            errors.add("page",
                       limits.page_cap_message.empty() ? per_page_message(static_cast<int>(limits.max_page))
                                                       : limits.page_cap_message,
                       code::invalid_value);
        } else {
            page.page = *value;
        }
    }
    return page;
}

std::string next_page_link(std::string_view host, std::string_view path, const QueryParams& query,
                           std::int64_t next_page) {
    return "<https://" + std::string(host) + std::string(path) + "?" + query.with_page(next_page) + ">; rel=\"next\"";
}

}  // namespace fdsandbox
