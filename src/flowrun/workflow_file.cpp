#include "flowrun/workflow_file.hpp"

#include "flowrun/input_text.hpp"
#include "flowrun/workflow_check.hpp"

#include <functional>
#include <map>

namespace flowrun {
namespace json = boost::json;

namespace {

// The loaded nodes' outputs schemas, parsed once per check.
class OutputsSchemas {
  public:
    explicit OutputsSchemas(const PluginHost& host) : host_(host) {}

    const json::value* operator()(const std::string& node_type) {
        auto found = parsed_.find(node_type);
        if (found != parsed_.end()) return &found->second;
        const NodeRef node = host_.find(node_type);
        if (!node.descriptor) return nullptr;
        std::string error;
        json::value schema = parse_json(wfp::view(node.descriptor->outputs_schema), error).value_or(json::object());
        return &parsed_.emplace(node_type, std::move(schema)).first->second;
    }

  private:
    const PluginHost& host_;
    std::map<std::string, json::value> parsed_;
};

}  // namespace

WorkflowFile load_workflow_file(const std::string& path, const PluginHost& host, const json::object* cli_input) {
    WorkflowFile file;
    file.path = path;
    std::string text;
    std::string error;
    if (!read_text_file(path, text, error)) {
        file.problems.push_back(error);
        return file;
    }
    const std::optional<json::value> document = parse_json(text, error);
    if (!document) {
        file.problems.push_back(path + ": not valid JSON: " + error);
        return file;
    }
    OutputsSchemas schemas(host);
    for (const Problem& problem : check_workflow(*document, std::ref(schemas), cli_input))
        file.problems.push_back(describe_problem(path, problem));
    for (const Problem& notice : workflow_notices(*document))
        file.notices.push_back(describe_problem(path, notice));
    if (file.problems.empty()) file.workflow = build_workflow(*document);
    return file;
}

WorkflowResult execute_workflow(const Workflow& workflow, const json::object& inputs, NodeRunner& runner,
                                const StepPrinter& printer, ProgressLine& progress) {
    const Invoke invoke = [&](const WorkflowStep& step, const std::string& input, std::string& envelope,
                              std::string& error) {
        const bool started =
            runner.run(step.node, input, envelope, error, progress.for_run("step \"" + step.id + "\""));
        progress.clear();
        return started;
    };
    return run_workflow(workflow, inputs, invoke, printer);
}

}  // namespace flowrun
