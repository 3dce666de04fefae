#include "freshdesk/response_reading.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>

namespace fd::freshdesk {
namespace json = boost::json;

namespace {

MalformedAnswer not_json(const boost::system::error_code& error) {
    return MalformedAnswer("its body is not valid JSON (" + error.message() + ")");
}

MalformedAnswer not_an(std::string_view what) {
    return MalformedAnswer("its body is not a JSON " + std::string(what));
}

json::value read_json(const transport::HttpResponse& response, json::storage_ptr storage) {
    boost::system::error_code error;
    json::value body = json::parse(response.body, error, std::move(storage));
    if (error) throw not_json(error);
    return body;
}

// A basic_parser handler that keeps nothing: the parse only checks the text, with json::parse's
// limits and UTF-8 checks.
struct JsonCheck {
    constexpr static std::size_t max_object_size = json::object::max_size();
    constexpr static std::size_t max_array_size = json::array::max_size();
    constexpr static std::size_t max_key_size = json::string::max_size();
    constexpr static std::size_t max_string_size = json::string::max_size();

    bool on_document_begin(boost::system::error_code&) { return true; }
    bool on_document_end(boost::system::error_code&) { return true; }
    bool on_object_begin(boost::system::error_code&) { return true; }
    bool on_object_end(std::size_t, boost::system::error_code&) { return true; }
    bool on_array_begin(boost::system::error_code&) { return true; }
    bool on_array_end(std::size_t, boost::system::error_code&) { return true; }
    bool on_key_part(json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_key(json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_string_part(json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, boost::system::error_code&) { return true; }
    bool on_number_part(json::string_view, boost::system::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, boost::system::error_code&) { return true; }
    bool on_uint64(std::uint64_t, json::string_view, boost::system::error_code&) { return true; }
    bool on_double(double, json::string_view, boost::system::error_code&) { return true; }
    bool on_bool(bool, boost::system::error_code&) { return true; }
    bool on_null(boost::system::error_code&) { return true; }
    bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
    bool on_comment(json::string_view, boost::system::error_code&) { return true; }
};

}  // namespace

void check_object(const transport::HttpResponse& response) {
    json::basic_parser<JsonCheck> parser{json::parse_options()};
    boost::system::error_code error;
    const std::string& body = response.body;
    const std::size_t used = parser.write_some(false, body.data(), body.size(), error);
    if (!error && used < body.size()) error = json::error::extra_data;
    if (error) throw not_json(error);
    // Valid JSON: it is an object when its first token opens one.
    if (body[body.find_first_not_of(" \t\n\r")] != '{') throw not_an("object");
}

json::object read_object(const transport::HttpResponse& response, json::storage_ptr storage) {
    json::value body = read_json(response, std::move(storage));
    if (!body.is_object()) throw not_an("object");
    return std::move(body.get_object());
}

json::array read_array(const transport::HttpResponse& response, json::storage_ptr storage) {
    json::value body = read_json(response, std::move(storage));
    if (!body.is_array()) throw not_an("array");
    return std::move(body.get_array());
}

std::int64_t read_id(const transport::HttpResponse& response) {
    const json::object body = read_object(response);
    const json::value* id = body.if_contains("id");
    if (!id || !id->is_int64()) throw MalformedAnswer("it carries no numeric id");
    return id->get_int64();
}

std::optional<Duplicate> read_duplicate(const std::string& body) {
    boost::system::error_code error;
    const json::value parsed = json::parse(body, error);
    const json::value* errors = !error && parsed.is_object() ? parsed.get_object().if_contains("errors") : nullptr;
    if (!errors || !errors->is_array()) return std::nullopt;
    for (const json::value& item : errors->get_array()) {
        if (!item.is_object()) continue;
        const json::value* info = item.get_object().if_contains("additional_info");
        const json::value* user = info && info->is_object() ? info->get_object().if_contains("user_id") : nullptr;
        if (!user || !user->is_int64()) continue;
        const json::value* field = item.get_object().if_contains("field");
        return Duplicate{field && field->is_string() ? std::string(field->get_string()) : "", user->get_int64()};
    }
    return std::nullopt;
}

bool has_next_link(const transport::HttpResponse& response) {
    const transport::HttpHeaders& headers = response.headers;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (!boost::beast::iequals(headers.name(i), "Link")) continue;
        // <https://...>; rel="next" (possibly among other links, quoted or not)
        std::string lowered(headers.value(i));
        for (char& c : lowered)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lowered.find("rel=\"next\"") != std::string::npos || lowered.find("rel=next") != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace fd::freshdesk
