#include "freshdesk/field_definitions.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>

namespace fd::freshdesk {
namespace json = boost::json;

namespace {

bool flag(const json::object& field, std::string_view key) {
    const json::value* value = field.if_contains(key);
    return value && value->is_bool() && value->get_bool();
}

std::string text(const json::object& field, std::string_view key) {
    const json::value* value = field.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : "";
}

// A status id "2" as the integer the ticket takes.
json::value number_or_text(std::string_view key) {
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), number);
    if (error == std::errc() && end == key.data() + key.size()) return number;
    return json::string(key);
}

// Freshdesk's choices in every shape it uses: a list of strings (dropdowns, ticket types);
// label -> number (priority, source); status id -> [agent label, customer label]; name -> id
// (agents, groups, products); display name -> code (language, time zone); level-1 -> children
// (nested fields, whose first level is what is offered here).
json::array choice_pairs(const json::value* choices) {
    json::array pairs;
    if (!choices) return pairs;
    if (choices->is_array()) {
        for (const json::value& choice : choices->get_array())
            pairs.push_back(json::object{
                {"value", choice}, {"label", choice.is_string() ? choice : json::value(json::serialize(choice))}});
        return pairs;
    }
    if (!choices->is_object()) return pairs;
    for (const auto& [key, value] : choices->get_object()) {
        if (value.is_array() && !value.get_array().empty() && value.get_array()[0].is_string()) {
            pairs.push_back(json::object{{"value", number_or_text(key)}, {"label", value.get_array()[0]}});
        } else if (value.is_object() || value.is_array()) {
            pairs.push_back(json::object{{"value", json::string(key)}, {"label", json::string(key)}});
        } else {
            pairs.push_back(json::object{{"value", value}, {"label", json::string(key)}});
        }
    }
    return pairs;
}

const json::object* field_named(const json::array& fields, std::string_view name) {
    for (const json::value& field : fields) {
        if (field.is_object() && field.get_object().at("name") == json::string(name)) return &field.get_object();
    }
    return nullptr;
}

std::string listed(const json::array& values, std::string_view key) {
    std::string out;
    for (const json::value& value : values) {
        const json::value& item = value.get_object().at(key);
        out += (out.empty() ? "" : ", ") + (item.is_string() ? std::string(item.get_string()) : json::serialize(item));
    }
    return out;
}

bool is_date(const json::value& value) {
    if (!value.is_string() || value.get_string().size() != 10) return false;
    const std::string_view text = value.get_string();
    int year = 0, month = 0, day = 0;
    for (std::size_t i : {4u, 7u}) {
        if (text[i] != '-') return false;
    }
    auto number = [&](std::size_t at, std::size_t count, int& out) {
        return std::from_chars(text.data() + at, text.data() + at + count, out).ptr == text.data() + at + count;
    };
    if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day)) return false;
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month >= 1 && month <= 12 && day >= 1 && day <= (month == 2 && !leap ? 28 : kDays[month - 1]);
}

// "" when `value` fits the field's type; else what it should be.
std::string type_problem(const json::object& field, const json::value& value) {
    if (value.is_null()) return "";
    const std::string type = text(field, "type");
    if (type == "custom_number" && !value.is_int64()) return "a whole number";
    if (type == "custom_decimal" && !value.is_number()) return "a number";
    if (type == "custom_checkbox" && !value.is_bool()) return "true or false";
    if (type == "custom_date" && !is_date(value)) return "a date written yyyy-mm-dd, such as 2025-01-31";
    if ((type == "custom_text" || type == "custom_paragraph" || type == "custom_url" || type == "custom_phone_number" ||
         type == "custom_dropdown") &&
        !value.is_string()) {
        return "text";
    }
    if (type == "custom_dropdown" || type == "nested_field") {
        const json::array& choices = field.at("choices").as_array();
        const bool offered = std::any_of(choices.begin(), choices.end(),
                                         [&](const json::value& choice) { return choice.at("value") == value; });
        if (!offered) return "one of " + listed(choices, "label");
    }
    return "";
}

}  // namespace

json::object field_summary(const json::object& field) {
    const json::value* id = field.if_contains("id");
    return json::object{{"id", id && id->is_int64() ? *id : json::value(0)},
                        {"name", text(field, "name")},
                        {"label", text(field, "label")},
                        {"type", text(field, "type")},
                        {"default", flag(field, "default")},
                        {"required_for_agents", flag(field, "required_for_agents")},
                        {"required_for_customers", flag(field, "required_for_customers")},
                        {"required_for_closure", flag(field, "required_for_closure")},
                        {"choices", choice_pairs(field.if_contains("choices"))}};
}

std::string check_custom_fields(const json::array& fields, const json::object* custom_fields, const json::value* type) {
    if (custom_fields) {
        json::array custom;
        for (const json::value& field : fields) {
            if (!field.at("default").as_bool()) custom.push_back(field);
        }
        for (const auto& [name, value] : *custom_fields) {
            const json::object* field = field_named(custom, name);
            if (!field) {
                return "CustomFields: \"" + std::string(name) +
                       "\" is not a custom field of this account; its custom fields are " +
                       (custom.empty() ? std::string("none") : listed(custom, "name"));
            }
            const std::string problem = type_problem(*field, value);
            if (!problem.empty()) {
                return "CustomFields: " + std::string(name) + " (" + text(*field, "label") + ") must be " + problem +
                       "; got " + json::serialize(value);
            }
        }
    }
    if (type && type->is_string()) {
        const json::object* types = field_named(fields, "ticket_type");
        if (types && !std::any_of(types->at("choices").as_array().begin(), types->at("choices").as_array().end(),
                                  [&](const json::value& choice) { return choice.at("value") == *type; })) {
            return "Type must be one of the account's ticket types: " +
                   listed(types->at("choices").as_array(), "label") + "; got " + json::serialize(*type);
        }
    }
    return "";
}

std::optional<json::array> FieldCache::get(const std::string& account, const std::string& kind,
                                           Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find({account, kind});
    if (found == entries_.end() || now - found->second.fetched > kLifetime) {
        return std::nullopt;
    }
    return found->second.fields;
}

void FieldCache::put(const std::string& account, const std::string& kind, json::array fields, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxAccounts && !entries_.contains({account, kind})) {
        auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
            return a.second.fetched < b.second.fetched;
        });
        entries_.erase(oldest);
    }
    // On the heap: the fields may come from a run's arena, which ends with the run.
    entries_[{account, kind}] = Entry{now, json::array(std::move(fields), json::storage_ptr())};
}

}  // namespace fd::freshdesk
