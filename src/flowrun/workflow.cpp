#include "flowrun/workflow.hpp"

#include "flowrun/envelope_facts.hpp"
#include "flowrun/input_text.hpp"

#include <boost/json/serialize.hpp>

#include <cctype>

namespace flowrun {
namespace json = boost::json;

namespace {

std::string text_of(const json::object& node, std::string_view key) {
    const json::value* value = node.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// "input", or its old spelling "inputs" (workflow_notices says so).
json::object input_of(const json::object& node) {
    for (const char* key : {"input", "inputs"}) {
        if (const json::value* input = node.if_contains(key)) return input->get_object();
    }
    return {};
}

StepOutcome run_step(const WorkflowStep& step, const Outputs& outputs, const Invoke& invoke) {
    StepOutcome outcome;
    outcome.step = &step;
    outcome.input = render(step.input, outputs);
    std::string envelope;
    if (invoke(step, json::serialize(outcome.input), envelope, outcome.start_error)) {
        std::string error;
        outcome.envelope = parse_json(envelope, error).value_or(json::value(nullptr));
    }
    outcome.unmet = unmet_expectations(step.expect, outcome.envelope, outputs);
    const bool envelope_decides = !expectations_decide(step.expect) || !outcome.start_error.empty();
    outcome.failed = !outcome.unmet.empty() || (envelope_decides && envelope_failed(outcome.envelope));
    return outcome;
}

}  // namespace

Workflow build_workflow(const json::value& document) {
    const json::object& root = document.get_object();
    const json::array& nodes = root.at("nodes").get_array();
    Workflow workflow;
    workflow.name = text_of(root, "name");
    workflow.start_id = text_of(nodes.front().get_object(), "id");
    workflow.start_input = input_of(nodes.front().get_object());
    workflow.answer_id = text_of(nodes.back().get_object(), "id");
    workflow.answer = text_of(nodes.back().get_object(), "text");
    for (std::size_t i = 1; i + 1 < nodes.size(); ++i) {
        const json::object& node = nodes[i].get_object();
        WorkflowStep step{text_of(node, "id"), text_of(node, "type"), input_of(node), false, {}};
        step.continue_on_error = text_of(node, "on_error") == "continue";
        if (const json::value* expect = node.if_contains("expect")) step.expect = expect->get_object();
        workflow.steps.push_back(std::move(step));
    }
    return workflow;
}

bool WorkflowResult::succeeded() const {
    if (stopped) return false;
    for (const StepOutcome& outcome : steps) {
        if (!outcome.unmet.empty()) return false;
    }
    return true;
}

WorkflowResult run_workflow(const Workflow& workflow, const json::object& inputs, const Invoke& invoke,
                            const StepLog& log) {
    WorkflowResult result;
    json::object start = workflow.start_input;
    for (const auto& [key, value] : inputs)
        start[key] = value;
    result.outputs[workflow.start_id] = std::move(start);
    for (const WorkflowStep& step : workflow.steps) {
        result.steps.push_back(run_step(step, result.outputs, invoke));
        const StepOutcome& outcome = result.steps.back();
        log(outcome);
        // A failed step's envelope stays readable by later steps (on_error: continue).
        result.outputs[step.id] = outcome.envelope;
        if (outcome.failed && !step.continue_on_error) {
            result.stopped = true;
            return result;
        }
    }
    const json::value answer = render(json::string(workflow.answer), result.outputs);
    result.answer = answer.is_string() ? std::string(answer.get_string()) : json::serialize(answer);
    while (!result.answer.empty() && std::isspace(static_cast<unsigned char>(result.answer.back()))) {
        result.answer.pop_back();  // a trailing empty reference leaves a dangling space
    }
    return result;
}

}  // namespace flowrun
