#include "sandbox/api_reply.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace fdsandbox {

namespace json = boost::json;

Reply json_reply(int status, const json::value& body) {
    Reply reply;
    reply.status = status;
    reply.body = json::serialize(body);
    return reply;
}

Reply bare_reply(int status) {
    Reply reply;
    reply.status = status;
    reply.body = " ";
    return reply;
}

Reply no_content_reply() {
    Reply reply;
    reply.status = 204;
    return reply;
}

Reply request_error_reply(int status, std::string_view code, std::string_view message) {
    return json_reply(status, json::object{{"code", code}, {"message", message}});
}

Reply middleware_error_reply(int status, std::string_view code, std::string_view message) {
    Reply reply = request_error_reply(status, code, message);
    reply.content_type = "application/json";
    return reply;
}

Reply base_error_reply(int status, std::string_view message) {
    return json_reply(status, json::object{{"message", message}});
}

Reply method_not_allowed_reply(std::string_view verb, const std::vector<std::string_view>& allowed) {
    std::string list;
    for (std::string_view method : allowed) {
        if (!list.empty()) list += ", ";
        list += method;
    }
    Reply reply = base_error_reply(
        405, std::string(verb) + " method is not allowed. It should be one of these method(s): " + list);
    reply.headers.emplace_back("Allow", list);
    return reply;
}

void ValidationErrors::add(std::string_view field, std::string message, std::string_view code) {
    errors_.push_back({std::string(field), std::nullopt, std::move(message), std::string(code)});
}

void ValidationErrors::add_with_info(std::string_view field, json::object additional_info, std::string message,
                                     std::string_view code) {
    errors_.push_back({std::string(field), std::move(additional_info), std::move(message), std::string(code)});
}

bool ValidationErrors::has_field(std::string_view field) const {
    for (const FieldError& error : errors_)
        if (error.field == field) return true;
    return false;
}

Reply ValidationErrors::reply() const {
    auto status_of = [](const FieldError& error) {
        if (error.code == code::duplicate_value) return 409;
        if (error.code == "access_denied") return 403;
        return 400;
    };
    json::array list;
    int best_status = errors_.empty() ? 400 : status_of(errors_.front());
    std::size_t best_count = 0;
    for (const FieldError& error : errors_) {
        json::object item;
        item["field"] = error.field;
        if (error.additional_info) item["additional_info"] = *error.additional_info;
        item["message"] = error.message;
        item["code"] = error.code;
        list.push_back(std::move(item));
        std::size_t count = 0;
        for (const FieldError& other : errors_)
            count += status_of(other) == status_of(error) ? 1 : 0;
        if (count > best_count) {  // strictly more: a tie keeps the earlier error's status
            best_count = count;
            best_status = status_of(error);
        }
    }
    return json_reply(best_status, json::object{{"description", "Validation failed"}, {"errors", std::move(list)}});
}

std::string not_included_message(std::string_view list) {
    return "It should be one of these values: '" + std::string(list) + "'";
}

std::string too_long_message(std::size_t count, std::size_t maximum, std::string_view element) {
    return "Has " + std::to_string(count) + " " + std::string(element) + ", it can have maximum of " +
           std::to_string(maximum) + " " + std::string(element);
}

std::string absent_in_db_message(std::string_view resource, std::string_view attribute) {
    return "There is no " + std::string(resource) + " matching the given " + std::string(attribute);
}

std::string per_page_message(int maximum) {
    return "It should be a Positive Integer less than or equal to " + std::to_string(maximum);
}

std::string fill_one_of_message(std::string_view field_names) {
    return "Please fill at least 1 of " + std::string(field_names) + " fields";
}

std::string datatype_mismatch_message(std::string_view given_type, std::string_view expected) {
    return "Value set is of type " + std::string(given_type) + ".It should be a/an " + std::string(expected);
}

}  // namespace fdsandbox
