// Checks a workflow file before anything runs: the workflow JSON Schema
// (examples/workflow.schema.json, embedded at build time), then what a schema cannot say
// (order of the Start and Answer nodes, unique ids, known node types, references to earlier
// nodes and outputs that exist, closed "{{", --input fields the Start node declares). Every
// problem is found at once, each tied to a step and a field.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun {

struct Problem {
    std::string step;   // the node's id (or its position, "#3", when it has none); "" for the file
    std::string field;  // the key the problem is in ("input.TicketId", "expect.Ticket.status"); may be ""
    std::string message;
};

// `FILE: step "ID", field "NAME": what is wrong`, leaving out the parts a problem lacks.
std::string describe_problem(const std::string& file, const Problem& problem);

// The workflow JSON Schema's text.
std::string_view workflow_schema_text();

// The workflow schema's verdicts on `document`, in people's words.
std::vector<Problem> schema_problems(const boost::json::value& document);

// A node type's outputs schema, or nullptr when no loaded plugin offers that node.
using OutputsSchemaOf = std::function<const boost::json::value*(const std::string& node_type)>;

// Every problem of `document`: schema_problems, then the checks a schema cannot make.
// `cli_input` holds the --input fields (nullptr when none were given).
std::vector<Problem> check_workflow(const boost::json::value& document, const OutputsSchemaOf& outputs_schema,
                                    const boost::json::object* cli_input);

// Old spellings still read, each with a notice ("inputs" for "input").
std::vector<Problem> workflow_notices(const boost::json::value& document);

}  // namespace flowrun
