// The rules about an input that no JSON Schema keyword states (see rules_json in wfp_plugin.h),
// checked on the normalised input, where a blank field is absent.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace fd {

// "" when `params` keeps every rule, else the first broken rule's message (with the sizes, for
// a size limit).
std::string broken_rule(const boost::json::array& rules, const boost::json::object& params);

// The decoded size of standard base64 text, or -1 when it is not valid base64.
long long base64_decoded_size(std::string_view text);

}  // namespace fd
