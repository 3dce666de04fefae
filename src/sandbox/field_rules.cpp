#include "sandbox/field_rules.hpp"

#include <algorithm>
#include <cctype>

namespace fdsandbox {

namespace json = boost::json;

std::string_view json_type_name(const json::value& value) {
    switch (value.kind()) {
        case json::kind::int64:
        case json::kind::uint64:
            return "Integer";
        case json::kind::double_:
            return "Float";
        case json::kind::string:
            return "String";
        case json::kind::bool_:
            return "Boolean";
        case json::kind::array:
            return "Array";
        case json::kind::object:
            return "key/value pair";
        case json::kind::null:
            return "Null";
    }
    return "Null";
}

bool is_valid_email(std::string_view text) {
    // local@domain.tld: no spaces, one @, a dot in the domain with something on both sides.
    const std::size_t at = text.find('@');
    if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) return false;
    const std::string_view domain = text.substr(at + 1);
    const std::size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
    return std::none_of(text.begin(), text.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '<' || c == '>';
    });
}

std::string to_lower(std::string_view text) {
    std::string lower(text);
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

void check_allowed_fields(const json::object& body, std::initializer_list<std::string_view> allowed,
                          ValidationErrors& errors) {
    for (const auto& entry : body) {
        if (std::find(allowed.begin(), allowed.end(), entry.key()) == allowed.end())
            errors.add(entry.key(), std::string(message::invalid_field), code::invalid_field);
    }
}

bool check_string(const json::value& value, std::string_view field, ValidationErrors& errors, std::size_t max_length) {
    if (!value.is_string()) {
        errors.add(field, datatype_mismatch_message(json_type_name(value), "String"), code::datatype_mismatch);
        return false;
    }
    const std::size_t length = value.get_string().size();
    if (max_length != 0 && length > max_length) {
        errors.add(field, too_long_message(length, max_length), code::invalid_value);
        return false;
    }
    return true;
}

bool check_required_string(const json::value& value, std::string_view field, ValidationErrors& errors,
                           std::size_t max_length) {
    if (!check_string(value, field, errors, max_length)) return false;
    if (is_blank(value)) {
        errors.add(field, std::string(message::blank), code::invalid_value);
        return false;
    }
    return true;
}

bool check_email(const json::value& value, std::string_view field, ValidationErrors& errors) {
    if (!check_string(value, field, errors)) return false;
    if (!is_valid_email(value.get_string())) {
        errors.add(field, std::string(message::invalid_email), code::invalid_value);
        return false;
    }
    return true;
}

bool check_boolean(const json::value& value, std::string_view field, ValidationErrors& errors) {
    if (value.is_bool()) return true;
    errors.add(field, datatype_mismatch_message(json_type_name(value), "Boolean"), code::datatype_mismatch);
    return false;
}

bool check_positive_integer(const json::value& value, std::string_view field, ValidationErrors& errors) {
    if (!value.is_int64()) {  // the parser makes uint64 only of numbers beyond int64
        errors.add(field, datatype_mismatch_message(json_type_name(value), "Positive Integer"),
                   code::datatype_mismatch);
        return false;
    }
    if (value.get_int64() <= 0) {
        errors.add(field, std::string(message::positive_integer), code::datatype_mismatch);
        return false;
    }
    return true;
}

bool check_object(const json::value& value, std::string_view field, ValidationErrors& errors) {
    if (value.is_object()) return true;
    errors.add(field, datatype_mismatch_message(json_type_name(value), "key/value pair"), code::datatype_mismatch);
    return false;
}

bool check_string_array(const json::value& value, std::string_view field, ValidationErrors& errors,
                        std::size_t max_length, bool emails) {
    if (!value.is_array()) {
        errors.add(field, datatype_mismatch_message(json_type_name(value), "Array"), code::datatype_mismatch);
        return false;
    }
    for (const json::value& element : value.get_array()) {
        if (!element.is_string()) {
            errors.add(field, "It should contain elements of type String only", code::datatype_mismatch);
            return false;
        }
    }
    for (const json::value& element : value.get_array()) {
        if (element.get_string().size() > max_length) {
            errors.add(
                field,
                "It should only contain elements that have maximum of " + std::to_string(max_length) + " characters",
                code::invalid_value);
            return false;
        }
        if (emails && !is_valid_email(element.get_string())) {
            errors.add(field, std::string(message::invalid_email_elements), code::invalid_value);
            return false;
        }
    }
    return true;
}

bool check_tags(const json::value& value, std::string_view field, ValidationErrors& errors) {
    if (!check_string_array(value, field, errors, 32)) return false;
    for (const json::value& element : value.get_array()) {
        if (element.get_string().find(',') != json::string::npos) {
            errors.add(field, "It should not have strings containing the special characters: ','", code::invalid_value);
            return false;
        }
    }
    return true;
}

bool check_integer_choice(const json::value& value, std::string_view field, std::initializer_list<int> allowed,
                          std::string_view list, ValidationErrors& errors) {
    if (!value.is_int64()) {
        errors.add(field,
                   "Value set is of type " + std::string(json_type_name(value)) + "." + not_included_message(list),
                   code::datatype_mismatch);
        return false;
    }
    if (std::find(allowed.begin(), allowed.end(), value.get_int64()) == allowed.end()) {
        errors.add(field, not_included_message(list), code::invalid_value);
        return false;
    }
    return true;
}

std::string string_or_empty(const json::value* value) {
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

bool is_blank(const json::value& value) {
    if (value.is_null()) return true;
    if (!value.is_string()) return false;
    const json::string& text = value.get_string();
    return std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

}  // namespace fdsandbox
