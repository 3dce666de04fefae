#include "flowrun/envelope_facts.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace flowrun {
namespace json = boost::json;

namespace {

// An id worth naming: a positive number, or a string of digits.
bool is_id(const json::value& value) {
    if (value.is_int64()) return value.get_int64() > 0;
    if (value.is_uint64()) return value.get_uint64() > 0;
    if (!value.is_string() || value.get_string().empty()) return false;
    for (char c : value.get_string()) {
        if (c < '0' || c > '9') return false;
    }
    return value.get_string() != "0";
}

std::string id_text(const json::value& value) {
    return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

void append(std::string& text, const std::string& part) {
    text += (text.empty() ? "" : ", ") + part;
}

// Keys ending in "Id" that hold an id ("TicketId", "ExistingContactId").
std::string named_ids(const json::object& object) {
    std::string text;
    for (const auto& [key, value] : object) {
        if (key.ends_with("Id") && is_id(value)) append(text, std::string(key) + " " + id_text(value));
    }
    return text;
}

}  // namespace

bool envelope_failed(const json::value& envelope) {
    const json::object* object = envelope.if_object();
    if (!object) return true;
    const json::value* status = object->if_contains("StatusCode");
    const json::value* message = object->if_contains("ErrorMessage");
    const bool ok_status = status && status->is_number() && status->to_number<double>() == 200;
    const bool no_message = !message || (message->is_string() && message->get_string().empty());
    return !ok_status || !no_message;
}

std::string touched_records(const json::value& envelope, const json::value& input) {
    const json::object* outputs = envelope.if_object();
    if (!outputs) return "";
    std::string text = named_ids(*outputs);
    for (const auto& [key, value] : *outputs) {
        const json::value* id = value.is_object() ? value.get_object().if_contains("id") : nullptr;
        if (id && is_id(*id) && text.find(std::string(key) + "Id") == std::string::npos) {
            append(text, std::string(key) + ".id " + id_text(*id));
        }
        if (value.is_array()) append(text, std::string(key) + ": " + std::to_string(value.get_array().size()));
    }
    if (text.empty() && input.is_object()) text = named_ids(input.get_object());
    return text;
}

}  // namespace flowrun
