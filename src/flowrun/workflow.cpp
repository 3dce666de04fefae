#include "flowrun/workflow.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <set>

namespace flowrun {
namespace json = boost::json;

namespace {

std::string string_field(const json::object& node, std::string_view key, const std::string& where) {
    const json::value* value = node.if_contains(key);
    if (!value || !value->is_string() || value->get_string().empty()) {
        throw WorkflowError(where + ": \"" + std::string(key) + "\" must be a non-empty string");
    }
    return std::string(value->get_string());
}

bool valid_id(const std::string& id) {
    for (char c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    }
    return !id.empty();
}

void check_references(const json::value& value, const std::set<std::string>& earlier, const std::string& where) {
    for (const std::string& reference : references_in(value)) {
        const std::string node = reference.substr(0, reference.find('.'));
        if (!earlier.contains(node)) {
            throw WorkflowError(where + ": {{" + reference + "}} refers to \"" + node +
                                "\", which is not an earlier node of the workflow");
        }
    }
}

}  // namespace

Workflow parse_workflow(const json::value& document, const std::function<bool(const std::string&)>& node_exists) {
    if (!document.is_object()) throw WorkflowError("a workflow is a JSON object with a \"nodes\" list");
    const json::object& root = document.get_object();
    const json::value* nodes = root.if_contains("nodes");
    if (!nodes || !nodes->is_array() || nodes->get_array().size() < 2) {
        throw WorkflowError("\"nodes\" must list a start node, the steps, and an answer node");
    }
    Workflow workflow;
    if (const json::value* name = root.if_contains("name"); name && name->is_string()) {
        workflow.name = std::string(name->get_string());
    }
    std::set<std::string> seen;
    const json::array& list = nodes->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = "nodes[" + std::to_string(i) + "]";
        if (!list[i].is_object()) throw WorkflowError(where + " must be an object");
        const json::object& node = list[i].get_object();
        const std::string id = string_field(node, "id", where);
        const std::string type = string_field(node, "type", where);
        const std::string named = where + " (\"" + id + "\")";
        if (!valid_id(id)) throw WorkflowError(named + ": ids use letters, digits, '_' and '-' only");
        if (seen.contains(id)) throw WorkflowError(named + ": the id is used twice");
        const bool first = i == 0;
        const bool last = i + 1 == list.size();
        if (first != (type == "start"))
            throw WorkflowError(named + ": the first node, and only it, has type \"start\"");
        if (last != (type == "answer"))
            throw WorkflowError(named + ": the last node, and only it, has type \"answer\"");
        if (first) {
            workflow.start_id = id;
            if (const json::value* inputs = node.if_contains("inputs")) {
                if (!inputs->is_object()) throw WorkflowError(named + ": \"inputs\" must be an object");
                workflow.start_inputs = inputs->get_object();
            }
        } else if (last) {
            workflow.answer_id = id;
            workflow.answer = string_field(node, "text", named);
            check_references(json::string(workflow.answer), seen, named);
        } else {
            if (!node_exists(type)) throw WorkflowError(named + ": no plugin offers a node \"" + type + "\"");
            WorkflowStep step{id, type, json::object()};
            if (const json::value* input = node.if_contains("input")) {
                if (!input->is_object()) throw WorkflowError(named + ": \"input\" must be an object");
                step.input = *input;
            }
            check_references(step.input, seen, named);
            workflow.steps.push_back(std::move(step));
        }
        seen.insert(id);
    }
    return workflow;
}

WorkflowResult run_workflow(const Workflow& workflow, const json::object& inputs, const Invoke& invoke,
                            const StepLog& log) {
    WorkflowResult result;
    json::object start = workflow.start_inputs;
    for (const auto& [key, value] : inputs)
        start[key] = value;
    result.outputs[workflow.start_id] = std::move(start);
    for (const WorkflowStep& step : workflow.steps) {
        const std::string input = json::serialize(render(step.input, result.outputs));
        const std::string envelope = invoke(step.node, input);
        log(step, envelope);
        boost::system::error_code error;
        json::value parsed = json::parse(envelope, error);
        result.outputs[step.id] = error ? json::value(nullptr) : std::move(parsed);
    }
    const json::value answer = render(json::string(workflow.answer), result.outputs);
    result.answer = answer.is_string() ? std::string(answer.get_string()) : json::serialize(answer);
    while (!result.answer.empty() && std::isspace(static_cast<unsigned char>(result.answer.back()))) {
        result.answer.pop_back();  // a trailing empty reference leaves a dangling space
    }
    return result;
}

}  // namespace flowrun
