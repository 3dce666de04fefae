#include "flowrun/mcp_tools.hpp"

#include "flowrun/input_text.hpp"

#include <boost/json/array.hpp>

namespace flowrun {
namespace json = boost::json;

namespace {

// Keywords merged_input_schema writes itself, or that only annotate a part.
bool merged_by_hand(std::string_view keyword) {
    for (std::string_view known :
         {"$schema", "title", "description", "examples", "type", "properties", "required", "additionalProperties"}) {
        if (keyword == known) return true;
    }
    return false;
}

json::value schema_of(wfp_str text) {
    std::string error;
    return parse_json(wfp::view(text), error).value_or(json::object{{"type", "object"}});
}

// The outputs schema as MCP carries it: without "$schema", since MCP clients pick the dialect
// (2020-12 by default) and the keywords used here mean the same in draft-07 and 2020-12.
json::object output_schema(wfp_str text) {
    json::value schema = schema_of(text);
    json::object out = schema.is_object() ? schema.get_object() : json::object{{"type", "object"}};
    out.erase("$schema");
    return out;
}

}  // namespace

json::object merged_input_schema(const json::value& inputs, const json::value& options) {
    json::object properties;
    json::array required;
    json::array rules;
    for (const json::value* part : {&inputs, &options}) {
        const json::object* schema = part->if_object();
        if (!schema) continue;
        if (const json::value* own = schema->if_contains("properties"); own && own->is_object()) {
            for (const auto& [name, property] : own->get_object())
                properties[name] = property;
        }
        json::object rest;
        for (const auto& [keyword, value] : *schema) {
            if (!merged_by_hand(keyword)) rest[keyword] = value;
        }
        if (!rest.empty()) rules.push_back(std::move(rest));
    }
    if (const json::value* own = inputs.is_object() ? inputs.get_object().if_contains("required") : nullptr) {
        required = own->is_array() ? own->get_array() : json::array();
    }
    json::object merged{{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) merged["required"] = std::move(required);
    merged["additionalProperties"] = false;
    if (!rules.empty()) merged["allOf"] = std::move(rules);
    return merged;
}

json::object mcp_tool(const NodeRef& node) {
    const wfp_node_descriptor& d = *node.descriptor;
    const bool read_only = d.flags & WFP_NODE_READ_ONLY;
    return json::object{
        {"name", wfp::view(d.id)},
        {"title", wfp::view(d.display_name)},
        {"description", wfp::view(d.description)},
        {"inputSchema", merged_input_schema(schema_of(d.inputs_schema), schema_of(d.options_schema))},
        {"outputSchema", output_schema(d.outputs_schema)},
        {"annotations", json::object{{"title", wfp::view(d.display_name)},
                                     {"readOnlyHint", read_only},
                                     // MCP assumes a tool that is not read-only is destructive unless told.
                                     {"destructiveHint", !read_only && (d.flags & WFP_NODE_DESTRUCTIVE) != 0},
                                     {"idempotentHint", (d.flags & WFP_NODE_IDEMPOTENT) != 0},
                                     {"openWorldHint", true}}},
    };
}

}  // namespace flowrun
