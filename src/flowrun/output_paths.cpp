#include "flowrun/output_paths.hpp"

#include <boost/json/object.hpp>

#include <algorithm>

namespace flowrun {
namespace json = boost::json;

namespace {

std::string property_names(const json::object& properties) {
    std::string names;
    for (const auto& [key, value] : properties)
        names += (names.empty() ? "" : ", ") + std::string(key);
    return names;
}

bool is_index(std::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The schema's "type" when it names only kinds that hold no fields (string, integer, ...).
bool holds_no_fields(const json::object& schema) {
    const json::value* type = schema.if_contains("type");
    if (!type) return false;
    const auto scalar = [](const json::value& kind) { return kind != "object" && kind != "array"; };
    if (type->is_string()) return scalar(*type);
    return type->is_array() && std::all_of(type->get_array().begin(), type->get_array().end(), scalar);
}

std::string type_text(const json::object& schema) {
    const json::value& type = schema.at("type");
    if (type.is_string()) return std::string(type.get_string());
    std::string text;
    for (const json::value& kind : type.get_array())
        text += (text.empty() ? "" : " or ") + std::string(kind.get_string());
    return text;
}

// One step down from `schema` by `part`; nullptr when the path may go on freely. Sets `problem`
// when `part` cannot be there.
const json::object* descend(const json::object& schema, std::string_view part, const std::string& where,
                            std::string& problem) {
    if (const json::value* properties = schema.if_contains("properties"); properties && properties->is_object()) {
        if (const json::value* next = properties->get_object().if_contains(part); next && next->is_object()) {
            return &next->get_object();
        }
        problem = where.empty() ? "the node has no output \"" + std::string(part) + "\" (its outputs: "
                                : where + " has no field \"" + std::string(part) + "\" (it has: ";
        problem += property_names(properties->get_object()) + ")";
        return nullptr;
    }
    if (const json::value* items = schema.if_contains("items"); items && items->is_object()) {
        if (is_index(part)) return &items->get_object();
        problem = where + " is a list: give an item's index, e.g. " + where + ".0";
        return nullptr;
    }
    if (holds_no_fields(schema)) problem = where + " is a " + type_text(schema) + ": it has no fields";
    return nullptr;
}

}  // namespace

std::string output_path_problem(const json::value& schema, std::string_view path) {
    const json::object* current = schema.if_object();
    std::string where;
    std::string problem;
    while (current && !path.empty()) {
        const std::size_t dot = path.find('.');
        const std::string_view part = path.substr(0, dot);
        current = descend(*current, part, where, problem);
        where += (where.empty() ? "" : ".") + std::string(part);
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    return problem;
}

}  // namespace flowrun
