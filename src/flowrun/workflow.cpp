#include "flowrun/workflow.hpp"

#include "flowrun/envelope_facts.hpp"
#include "flowrun/input_text.hpp"
#include "flowrun/workflow_document.hpp"

#include <boost/json/serialize.hpp>

#include <cctype>

namespace flowrun {
namespace json = boost::json;

namespace {

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
    workflow.name = text_of(document, "name");
    workflow.start_id = text_of(nodes.front(), "id");
    const json::object* start_input = input_of(nodes.front());
    workflow.start_input = start_input ? *start_input : json::object();
    workflow.answer_id = text_of(nodes.back(), "id");
    workflow.answer = text_of(nodes.back(), "text");
    for (std::size_t i = 1; i + 1 < nodes.size(); ++i) {
        const json::object* input = input_of(nodes[i]);
        WorkflowStep step{
            text_of(nodes[i], "id"), text_of(nodes[i], "type"), input ? *input : json::object(), false, {}};
        step.continue_on_error = text_of(nodes[i], "on_error") == "continue";
        if (const json::value* expect = nodes[i].get_object().if_contains("expect")) step.expect = expect->get_object();
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
