#include "sandbox/json_values.hpp"

namespace fdsandbox {

namespace json = boost::json;

json::value text_or_null(const OptionalText& text) {
    return text ? json::value(*text) : json::value(nullptr);
}

json::value id_or_null(const std::optional<std::int64_t>& id) {
    return id ? json::value(*id) : json::value(nullptr);
}

json::value time_or_null(const std::optional<UnixSeconds>& time) {
    return time ? json::value(format_timestamp(*time)) : json::value(nullptr);
}

json::array string_array(const std::vector<std::string>& items) {
    return json::array(items.begin(), items.end());
}

json::array id_array(const std::vector<std::int64_t>& ids) {
    return json::array(ids.begin(), ids.end());
}

std::vector<std::string> to_strings(const json::value& value) {
    std::vector<std::string> items;
    for (const json::value& item : value.get_array())
        items.emplace_back(item.get_string());
    return items;
}

std::vector<std::string> strings_of(const json::object& fields, std::string_view key) {
    const json::value* value = fields.if_contains(key);
    return value ? to_strings(*value) : std::vector<std::string>();
}

std::optional<std::int64_t> optional_id(const json::value& value) {
    if (value.is_null()) return std::nullopt;
    return value.to_number<std::int64_t>();
}

}  // namespace fdsandbox
