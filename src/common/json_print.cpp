#include "common/json_print.hpp"

#include <boost/json/serialize.hpp>

namespace fd {
namespace json = boost::json;

namespace {

void print(const json::value& value, int depth, std::string& out) {
    const std::string indent(static_cast<std::size_t>(depth + 1) * 2, ' ');
    const std::string closing(static_cast<std::size_t>(depth) * 2, ' ');
    if (value.is_object() && !value.get_object().empty()) {
        out += "{\n";
        bool first = true;
        for (const auto& [key, item] : value.get_object()) {
            if (!first) out += ",\n";
            first = false;
            out += indent + json::serialize(json::string(key)) + ": ";
            print(item, depth + 1, out);
        }
        out += "\n" + closing + "}";
    } else if (value.is_array() && !value.get_array().empty()) {
        out += "[\n";
        bool first = true;
        for (const json::value& item : value.get_array()) {
            if (!first) out += ",\n";
            first = false;
            out += indent;
            print(item, depth + 1, out);
        }
        out += "\n" + closing + "]";
    } else {
        out += json::serialize(value);
    }
}

}  // namespace

std::string pretty_json(const json::value& value) {
    std::string out;
    print(value, 0, out);
    return out;
}

}  // namespace fd
