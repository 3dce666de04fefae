#include "flowrun/workflow_document.hpp"

namespace flowrun {
namespace json = boost::json;

std::string text_of(const json::value& node, std::string_view key) {
    const json::value* value = node.is_object() ? node.get_object().if_contains(key) : nullptr;
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

const json::object* input_of(const json::value& node) {
    if (!node.is_object()) return nullptr;
    for (const char* key : {"input", "inputs"}) {
        if (const json::value* input = node.get_object().if_contains(key); input && input->is_object()) {
            return &input->get_object();
        }
    }
    return nullptr;
}

}  // namespace flowrun
