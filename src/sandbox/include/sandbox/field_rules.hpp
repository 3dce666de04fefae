// Checks of request body fields shared by contacts and tickets: JSON types, lengths, e-mail
// format, allowed keys. Each check adds at most one error for its field and says whether the
// value passed.
#pragma once

#include "sandbox/api_reply.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace fdsandbox {

// Freshdesk's names for a JSON value's type in "Value set is of type X.": Integer, Float,
// String, Boolean, Array, key/value pair, Null.
std::string_view json_type_name(const boost::json::value& value);

bool is_valid_email(std::string_view text);
std::string to_lower(std::string_view text);

// Every key not in `allowed` gets invalid_field, in body order.
void check_allowed_fields(const boost::json::object& body, std::initializer_list<std::string_view> allowed,
                          ValidationErrors& errors);

// A string of at most `max_length` characters (0: no limit). Null or another type:
// datatype_mismatch; too long: invalid_value.
bool check_string(const boost::json::value& value, std::string_view field, ValidationErrors& errors,
                  std::size_t max_length = 255);
// As check_string, and not blank ("It should not be blank as this is a mandatory field").
bool check_required_string(const boost::json::value& value, std::string_view field, ValidationErrors& errors,
                           std::size_t max_length = 255);
bool check_email(const boost::json::value& value, std::string_view field, ValidationErrors& errors);
bool check_boolean(const boost::json::value& value, std::string_view field, ValidationErrors& errors);
bool check_positive_integer(const boost::json::value& value, std::string_view field, ValidationErrors& errors);
bool check_object(const boost::json::value& value, std::string_view field, ValidationErrors& errors);
// An array of strings, each at most `max_length` characters; with `emails`, each an address.
bool check_string_array(const boost::json::value& value, std::string_view field, ValidationErrors& errors,
                        std::size_t max_length, bool emails = false);
// Tags: strings of at most 32 characters without commas.
bool check_tags(const boost::json::value& value, std::string_view field, ValidationErrors& errors);
// An integer from `allowed`, listed in messages as `list` (e.g. "2,3,4,5").
bool check_integer_choice(const boost::json::value& value, std::string_view field, std::initializer_list<int> allowed,
                          std::string_view list, ValidationErrors& errors);

std::string string_or_empty(const boost::json::value* value);
// Null, or a string of nothing but white space.
bool is_blank(const boost::json::value& value);

}  // namespace fdsandbox
