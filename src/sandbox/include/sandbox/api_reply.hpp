// What a resource handler answers, and the error bodies of docs/freshdesk.md ("Body shapes") with the
// 2020 wording of its messages. Boost.JSON objects keep insertion order, so keys come out in
// the order Freshdesk sends them.
#pragma once

#include "sandbox/http_types.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

// A handler's answer before the router adds the common headers.
struct Reply {
    int status = 200;
    std::string body;       // JSON text; " " for the bare 404/400; "" for 204
    HeaderList headers;     // Location, Link, Allow
    int extra_credits = 0;  // rate-limit credits beyond the base 1 (includes)
    // Rails answers with a charset; the Rack middleware in front of it (invalid JSON, content
    // type, Accept, encoding) says plain "application/json".
    std::string content_type = "application/json; charset=utf-8";
};

Reply json_reply(int status, const boost::json::value& body);
Reply bare_reply(int status);  // body " ", as Freshdesk's `head 404`
Reply no_content_reply();      // 204
Reply request_error_reply(int status, std::string_view code,
                          std::string_view message);  // {"code","message"}
// The same, as the middleware in front of the application answers it.
Reply middleware_error_reply(int status, std::string_view code, std::string_view message);
Reply base_error_reply(int status, std::string_view message);  // {"message"}
// 405 for `verb` where only `allowed` (e.g. {"GET", "PUT", "DELETE"}) exist, with Allow.
Reply method_not_allowed_reply(std::string_view verb, const std::vector<std::string_view>& allowed);

// The validation body: {"description":"Validation failed","errors":[...]}. Status: the most
// frequent status among the errors (duplicate_value 409, access_denied 403, others 400), a tie
// going to the first error's.
class ValidationErrors {
  public:
    void add(std::string_view field, std::string message, std::string_view code);
    void add_with_info(std::string_view field, boost::json::object additional_info, std::string message,
                       std::string_view code);
    bool empty() const { return errors_.empty(); }
    std::size_t size() const { return errors_.size(); }
    bool has_field(std::string_view field) const;
    Reply reply() const;

  private:
    struct FieldError {
        std::string field;
        std::optional<boost::json::object> additional_info;
        std::string message;
        std::string code;
    };
    std::vector<FieldError> errors_;
};

namespace code {
inline constexpr std::string_view missing_field = "missing_field";
inline constexpr std::string_view invalid_value = "invalid_value";
inline constexpr std::string_view datatype_mismatch = "datatype_mismatch";
inline constexpr std::string_view invalid_field = "invalid_field";
inline constexpr std::string_view duplicate_value = "duplicate_value";
inline constexpr std::string_view inaccessible_field = "inaccessible_field";
inline constexpr std::string_view incompatible_field = "incompatible_field";
}  // namespace code

namespace message {
inline constexpr std::string_view invalid_field = "Unexpected/invalid field in request";
inline constexpr std::string_view missing_field = "Mandatory attribute missing";
inline constexpr std::string_view blank = "It should not be blank as this is a mandatory field";
inline constexpr std::string_view unique = "It should be a unique value";
inline constexpr std::string_view invalid_email = "It should be in the 'valid email address' format";
inline constexpr std::string_view invalid_email_elements =
    "It should contain elements that are in the 'valid email address' format";
inline constexpr std::string_view invalid_date =
    "It should be a valid date in the 'combined date and time ISO8601' format";
inline constexpr std::string_view positive_integer = "It should be a/an Positive Integer";
inline constexpr std::string_view invalid_credentials = "You have to be logged in to perform this action.";
inline constexpr std::string_view invalid_json = "Request body has invalid json format";
inline constexpr std::string_view missing_params =
    "Your update call does not have any parameter. Atleast one parameter is required.";
inline constexpr std::string_view no_content_required = "Content should not be sent in the request";
inline constexpr std::string_view internal_error = "We're sorry, but something went wrong.";
inline constexpr std::string_view query_format_invalid =
    "Given query is invalid, expected format \"keyword:value  OPERATOR keyword:'string' OPERATOR "
    "keyword:>'yyyy-mm-dd' OPERATOR keyword:<integer\". Space is mandatory between key/value pair "
    "and "
    "operator. Please check the paranthesis if there are any.";
}  // namespace message

// Message builders for the templates of docs/freshdesk.md, "Codes and HTTP status".
std::string not_included_message(std::string_view list);  // It should be one of these values: 'list'
std::string too_long_message(std::size_t count, std::size_t maximum, std::string_view element = "characters");
std::string absent_in_db_message(std::string_view resource, std::string_view attribute);
std::string per_page_message(int maximum);  // It should be a Positive Integer less than or equal to N
std::string fill_one_of_message(std::string_view field_names);
std::string datatype_mismatch_message(std::string_view given_type, std::string_view expected);

}  // namespace fdsandbox
