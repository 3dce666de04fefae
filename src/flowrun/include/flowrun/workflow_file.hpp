// A workflow file from disk to its result, as `flowrun run` and `flowrun test` both need it:
// read, parsed, checked against the loaded plugins' nodes, then run through a NodeRunner.
#pragma once

#include "flowrun/node_runner.hpp"
#include "flowrun/plugin_host.hpp"
#include "flowrun/progress_line.hpp"
#include "flowrun/step_report.hpp"
#include "flowrun/workflow.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flowrun {

struct WorkflowFile {
    std::string path;
    std::optional<Workflow> workflow;   // nullopt when the file has problems
    std::vector<std::string> problems;  // each `FILE: step "ID", field "NAME": what is wrong`
    std::vector<std::string> notices;   // old spellings still read
};

// Reads and checks `path`; `cli_input` holds --input's fields to check too (nullptr for none).
WorkflowFile load_workflow_file(const std::string& path, const PluginHost& host, const boost::json::object* cli_input);

// Runs a checked workflow with `runner`, reporting each step through `printer` and long runs
// through `progress`.
WorkflowResult execute_workflow(const Workflow& workflow, const boost::json::object& inputs, NodeRunner& runner,
                                const StepPrinter& printer, ProgressLine& progress);

}  // namespace flowrun
