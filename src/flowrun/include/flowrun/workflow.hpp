// Workflow files for test runs: a Start node with inputs, node steps whose inputs refer to
// earlier outputs ({{start.email}}, {{create.TicketId}}), and an Answer node with a text
// template. flowrun runs the steps in order and prints the Answer.
//
//   {"name": "...", "nodes": [
//     {"id": "start", "type": "start", "inputs": {"email": "customer@example.com"}},
//     {"id": "create", "type": "freshdesk.ticket.create", "input": {"Email": "{{start.email}}", ...}},
//     {"id": "answer", "type": "answer", "text": "Ticket {{create.TicketId}} created"}]}
#pragma once

#include "flowrun/templates.hpp"

#include <boost/json/value.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace flowrun {

struct WorkflowError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct WorkflowStep {
    std::string id;
    std::string node;          // a node id, e.g. freshdesk.ticket.create
    boost::json::value input;  // the node's inputs and options, with references
};

struct Workflow {
    std::string name;
    std::string start_id;
    boost::json::object start_inputs;
    std::vector<WorkflowStep> steps;
    std::string answer_id;
    std::string answer;  // text template
};

// Reads and checks a workflow: shape, unique ids, known node types, and references only to
// nodes that come earlier. Throws WorkflowError saying what is wrong and where.
Workflow parse_workflow(const boost::json::value& document,
                        const std::function<bool(const std::string& node_type)>& node_exists);

// Runs `node` with an input JSON text and returns its envelope JSON text.
using Invoke = std::function<std::string(const std::string& node, const std::string& input_json)>;
using StepLog = std::function<void(const WorkflowStep& step, const std::string& envelope_json)>;

struct WorkflowResult {
    std::string answer;
    Outputs outputs;  // by node id
};

// `inputs` are laid over the Start node's inputs.
WorkflowResult run_workflow(const Workflow& workflow, const boost::json::object& inputs, const Invoke& invoke,
                            const StepLog& log);

}  // namespace flowrun
