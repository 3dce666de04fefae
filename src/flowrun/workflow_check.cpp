// The checks of a workflow that its JSON Schema cannot make. They read the document
// defensively: the schema's verdicts are reported beside these, so a malformed node is skipped
// here, not trusted.
#include "flowrun/workflow_check.hpp"

#include "flowrun/output_paths.hpp"
#include "flowrun/templates.hpp"
#include "flowrun/workflow_document.hpp"

#include <map>
#include <set>

namespace flowrun {
namespace json = boost::json;

namespace {

std::string names_of(const json::object& object) {
    std::string names;
    for (const auto& [key, value] : object)
        names += (names.empty() ? "" : ", ") + std::string(key);
    return names.empty() ? "none" : names;
}

// What the checks know while walking the nodes in order.
struct Walk {
    const json::array& nodes;
    const OutputsSchemaOf& outputs_schema;
    std::vector<Problem>& problems;
    std::map<std::string, std::size_t> earlier;  // id -> position of the nodes already walked
    std::string start_id;
    const json::object* start_input = nullptr;
    std::string step;  // the node being walked, as problems name it

    void report(const std::string& field, const std::string& message) { problems.push_back({step, field, message}); }
};

// Why `reference` ("node.path") cannot be read at this point of the workflow; "" if it can.
std::string reference_problem(const Walk& walk, const std::string& reference) {
    const std::size_t dot = reference.find('.');
    const std::string node = reference.substr(0, dot);
    const std::string path = dot == std::string::npos ? "" : reference.substr(dot + 1);
    if (node.empty()) return "an empty reference {{}}";
    const auto found = walk.earlier.find(node);
    if (found == walk.earlier.end()) {
        for (const json::value& later : walk.nodes) {
            if (text_of(later, "id") == node)
                return "{{" + reference + "}} refers to \"" + node + "\", which runs later";
        }
        return "{{" + reference + "}} refers to \"" + node + "\", which is no node of this workflow";
    }
    if (path.empty()) return "";
    if (node == walk.start_id) {
        const std::string field = path.substr(0, path.find('.'));
        if (walk.start_input && walk.start_input->contains(field)) return "";
        return "{{" + reference + "}}: the Start node declares no input \"" + field +
               "\" (it declares: " + (walk.start_input ? names_of(*walk.start_input) : "none") + ")";
    }
    const json::value* schema = walk.outputs_schema(text_of(walk.nodes[found->second], "type"));
    const std::string problem = schema ? output_path_problem(*schema, path) : "";
    return problem.empty() ? "" : "{{" + reference + "}}: " + problem;
}

// Checks the templates in every string of `value`, reporting under `field`.
void check_templates(Walk& walk, const json::value& value, const std::string& field) {
    if (value.is_string()) {
        const TemplateScan scan = scan_template(value.get_string());
        if (scan.unclosed) walk.report(field, "a \"{{\" is not closed with \"}}\"");
        for (const std::string& reference : scan.references) {
            if (std::string problem = reference_problem(walk, reference); !problem.empty()) walk.report(field, problem);
        }
    } else if (value.is_array()) {
        for (const json::value& item : value.get_array())
            check_templates(walk, item, field);
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.get_object())
            check_templates(walk, item, field + "." + std::string(key));
    }
}

void check_position(Walk& walk, std::size_t index, const std::string& type) {
    const bool first = index == 0;
    const bool last = index + 1 == walk.nodes.size();
    if (first && type != "start") walk.report("type", "the first node must be the Start node (type \"start\")");
    if (!first && type == "start") walk.report("type", "only the first node may be the Start node");
    if (last && type != "answer") walk.report("type", "the last node must be the Answer node (type \"answer\")");
    if (!last && type == "answer") walk.report("type", "only the last node may be the Answer node");
}

void check_step(Walk& walk, const json::value& node, const std::string& type) {
    const json::value* outputs = walk.outputs_schema(type);
    if (!outputs) walk.report("type", "no plugin offers a node \"" + type + "\" (see flowrun nodes)");
    if (const json::object* input = input_of(node)) check_templates(walk, *input, "input");
    const json::value* expect = node.get_object().if_contains("expect");
    if (!expect || !expect->is_object()) return;
    for (const auto& [path, expected] : expect->get_object()) {
        const std::string field = "expect." + std::string(path);
        if (outputs) {
            if (std::string problem = output_path_problem(*outputs, path); !problem.empty())
                walk.report(field, problem);
        }
        check_templates(walk, expected, field);
    }
}

void check_node(Walk& walk, std::size_t index) {
    const json::value& node = walk.nodes[index];
    if (!node.is_object()) return;
    const std::string id = text_of(node, "id");
    const std::string type = text_of(node, "type");
    walk.step = id.empty() ? "#" + std::to_string(index + 1) : id;
    check_position(walk, index, type);
    if (!id.empty() && walk.earlier.contains(id)) {
        walk.report("id", "the id is used twice (also by node #" + std::to_string(walk.earlier[id] + 1) + ")");
    }
    if (type == "start" && index == 0) {
        walk.start_id = id;
        walk.start_input = input_of(node);
    } else if (type == "answer") {
        if (const json::value* text = node.get_object().if_contains("text")) check_templates(walk, *text, "text");
    } else if (!type.empty()) {
        check_step(walk, node, type);
    }
    if (!id.empty() && !walk.earlier.contains(id)) walk.earlier[id] = index;
}

void check_cli_input(Walk& walk, const json::object& cli_input) {
    walk.step = walk.start_id;
    for (const auto& [key, value] : cli_input) {
        if (walk.start_input && walk.start_input->contains(key)) continue;
        walk.report(std::string(key), "--input gives a field the Start node does not declare (it declares: " +
                                          (walk.start_input ? names_of(*walk.start_input) : "none") + ")");
    }
}

}  // namespace

std::string describe_problem(const std::string& file, const Problem& problem) {
    std::string text = file + ": ";
    if (!problem.step.empty()) text += "step \"" + problem.step + "\", ";
    if (!problem.field.empty()) text += "field \"" + problem.field + "\", ";
    if (text.ends_with(", ")) text.replace(text.size() - 2, 2, ": ");
    return text + problem.message;
}

std::vector<Problem> check_workflow(const json::value& document, const OutputsSchemaOf& outputs_schema,
                                    const json::object* cli_input) {
    std::vector<Problem> problems = schema_problems(document);
    const json::value* nodes = document.is_object() ? document.get_object().if_contains("nodes") : nullptr;
    if (!nodes || !nodes->is_array()) return problems;
    Walk walk{nodes->get_array(), outputs_schema, problems, {}, {}, nullptr, {}};
    for (std::size_t i = 0; i < walk.nodes.size(); ++i)
        check_node(walk, i);
    if (cli_input) check_cli_input(walk, *cli_input);
    return problems;
}

std::vector<Problem> workflow_notices(const json::value& document) {
    std::vector<Problem> notices;
    const json::value* nodes = document.is_object() ? document.get_object().if_contains("nodes") : nullptr;
    if (!nodes || !nodes->is_array()) return notices;
    for (const json::value& node : nodes->get_array()) {
        if (node.is_object() && node.get_object().contains("inputs")) {
            notices.push_back({text_of(node, "id"), "inputs", "\"inputs\" is the old spelling; write \"input\""});
        }
    }
    return notices;
}

}  // namespace flowrun
