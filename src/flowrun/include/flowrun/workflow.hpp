// Workflow files for test runs: a Start node with the workflow's input, node steps whose input
// refers to earlier outputs ({{start.email}}, {{create.TicketId}}), and an Answer node with a
// text template. flowrun runs the steps in order, stops at the first failed step unless it says
// "on_error": "continue", and prints the Answer when the run got through.
//
//   {"name": "...", "nodes": [
//     {"id": "start", "type": "start", "input": {"email": "customer@example.com"}},
//     {"id": "create", "type": "freshdesk.ticket.create", "input": {"Email": "{{start.email}}", ...},
//      "expect": {"StatusCode": 200}},
//     {"id": "answer", "type": "answer", "text": "Ticket {{create.TicketId}} created"}]}
#pragma once

#include "flowrun/expectations.hpp"
#include "flowrun/templates.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace flowrun {

struct WorkflowStep {
    std::string id;
    std::string node;          // a node id, e.g. freshdesk.ticket.create
    boost::json::value input;  // the node's inputs and options, with references
    bool continue_on_error = false;
    boost::json::object expect;  // output path -> expected value (may hold references)
};

struct Workflow {
    std::string name;
    std::string start_id;
    boost::json::object start_input;
    std::vector<WorkflowStep> steps;
    std::string answer_id;
    std::string answer;  // text template
};

// The workflow a document describes. Only for a document check_workflow found no problem in.
Workflow build_workflow(const boost::json::value& document);

// What one step did.
struct StepOutcome {
    const WorkflowStep* step = nullptr;
    boost::json::value input;     // as sent, references rendered
    boost::json::value envelope;  // null when the run could not start
    std::string start_error;      // why the run could not start
    std::vector<UnmetExpectation> unmet;
    bool failed = false;  // see run_workflow
};

struct WorkflowResult {
    std::vector<StepOutcome> steps;  // those that ran, in order
    bool stopped = false;            // a failed step ended the run; nothing after it ran
    std::string answer;              // the rendered Answer; empty when stopped
    Outputs outputs;                 // by node id

    // Not stopped, and every expectation held (a step that continued on error may have failed).
    bool succeeded() const;
};

// Runs a step's node: sets `envelope` to its JSON envelope, or returns false with `error` when
// the run could not be started.
using Invoke = std::function<bool(const WorkflowStep& step, const std::string& input_json, std::string& envelope,
                                  std::string& error)>;
using StepLog = std::function<void(const StepOutcome& outcome)>;

// Runs the steps in order; `inputs` are laid over the Start node's input. A step failed when its
// expectations are not met, or, unless they name StatusCode, OriginalStatusCode or
// ErrorMessage, when its envelope failed (envelope_failed). A failed step stops the run unless
// it continues on error.
WorkflowResult run_workflow(const Workflow& workflow, const boost::json::object& inputs, const Invoke& invoke,
                            const StepLog& log);

}  // namespace flowrun
