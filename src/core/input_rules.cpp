#include "input_rules.hpp"

#include "core/timestamps.hpp"
#include "core/watch_cursor.hpp"

#include <boost/json/serialize.hpp>

namespace fd {
namespace json = boost::json;

namespace {

std::string_view text_at(const json::object& rule, std::string_view key) {
    const json::value* value = rule.if_contains(key);
    return value && value->is_string() ? std::string_view(value->get_string()) : std::string_view();
}

std::vector<std::string_view> names_at(const json::object& rule) {
    std::vector<std::string_view> names;
    if (const json::value* fields = rule.if_contains("fields")) {
        for (const json::value& name : fields->as_array())
            names.emplace_back(name.as_string());
    }
    return names;
}

std::size_t count_given(const json::object& rule, const json::object& params) {
    std::size_t given = 0;
    for (std::string_view name : names_at(rule))
        given += params.contains(name) ? 1 : 0;
    return given;
}

// The texts of `field`'s items' `item_field`: A[*].B.
std::vector<std::string_view> item_texts(const json::object& rule, const json::object& params) {
    std::vector<std::string_view> texts;
    const json::value* list = params.if_contains(text_at(rule, "field"));
    if (!list || !list->is_array()) return texts;
    for (const json::value& item : list->get_array()) {
        const json::value* text = item.is_object() ? item.get_object().if_contains(text_at(rule, "item_field")) : nullptr;
        if (text && text->is_string()) texts.emplace_back(text->get_string());
    }
    return texts;
}

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// "" when the rule holds.
std::string check(const json::object& rule, const json::object& params) {
    const std::string_view kind = text_at(rule, "kind");
    const std::string message(text_at(rule, "message"));
    if (kind == "at_least_one") return count_given(rule, params) > 0 ? "" : message;
    if (kind == "together") {
        const std::size_t given = count_given(rule, params);
        return given == 0 || given == names_at(rule).size() ? "" : message;
    }
    if (kind == "not_with") return params.contains(text_at(rule, "field")) && count_given(rule, params) > 0 ? message : "";
    if (kind == "ordered") {
        const json::value* before = params.if_contains(text_at(rule, "before"));
        const json::value* after = params.if_contains(text_at(rule, "after"));
        if (!before || !after || !before->is_string() || !after->is_string()) return "";
        const auto first = parse_rfc3339(before->get_string());
        const auto second = parse_rfc3339(after->get_string());
        return first && second && *first >= *second ? message : "";
    }
    if (kind == "cursor") {
        const json::value* cursor = params.if_contains(text_at(rule, "field"));
        return cursor && cursor->is_string() && !decode_cursor(cursor->get_string()) ? message : "";
    }
    if (kind == "base64") {
        for (std::string_view text : item_texts(rule, params)) {
            if (base64_decoded_size(text) < 0) return message;
        }
        return "";
    }
    if (kind == "max_total_base64_bytes") {
        long long total = 0;
        for (std::string_view text : item_texts(rule, params))
            total += std::max(0LL, base64_decoded_size(text));
        const json::value* limit = rule.if_contains("limit");
        if (!limit || !limit->is_int64() || total <= limit->get_int64()) return "";
        return message + " (they add up to " + std::to_string(total) + " bytes; the limit is " +
               std::to_string(limit->get_int64()) + ")";
    }
    return "";
}

}  // namespace

long long base64_decoded_size(std::string_view text) {
    if (text.size() % 4 != 0) return -1;
    std::size_t padding = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '=' && i + 2 >= text.size()) {
            ++padding;
        } else if (padding > 0 || !is_base64_char(c)) {
            return -1;
        }
    }
    return static_cast<long long>(text.size() / 4 * 3 - padding);
}

std::string broken_rule(const json::array& rules, const json::object& params) {
    for (const json::value& rule : rules) {
        std::string broken = check(rule.as_object(), params);
        if (!broken.empty()) return broken;
    }
    return "";
}

}  // namespace fd
