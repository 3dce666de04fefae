// Small conversions between the model's values and JSON values, shared by the resources' views
// and field appliers.
#pragma once

#include "sandbox/account.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

boost::json::value text_or_null(const OptionalText& text);
boost::json::value id_or_null(const std::optional<std::int64_t>& id);
boost::json::value time_or_null(const std::optional<UnixSeconds>& time);
boost::json::array string_array(const std::vector<std::string>& items);
boost::json::array id_array(const std::vector<std::int64_t>& ids);
// The strings of an array value (already checked to hold only strings).
std::vector<std::string> to_strings(const boost::json::value& value);
// The strings of `fields[key]`, or none when absent.
std::vector<std::string> strings_of(const boost::json::object& fields, std::string_view key);
// An integer value or null as an optional id.
std::optional<std::int64_t> optional_id(const boost::json::value& value);

}  // namespace fdsandbox
