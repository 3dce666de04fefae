// flowrun run: test-runs a workflow file and prints its Answer.
#include "flowrun/cli.hpp"
#include "flowrun/input_text.hpp"
#include "flowrun/workflow_file.hpp"

#include <iostream>

namespace flowrun {
namespace json = boost::json;

namespace {

constexpr std::string_view kRunHelp =
    R"(usage: flowrun run WORKFLOW.json [--input JSON|@FILE] [--credentials FILE] [--verbose|--quiet]
                    [--plugins DIR]

Test-runs a workflow: a Start node with the workflow's input, node steps whose input refers
to earlier outputs ({{start.email}}, {{create.TicketId}}), and an Answer node with a text
template, printed on stdout when every step succeeded.

Before anything runs, the file is checked against the workflow schema (workflow.schema.json
beside the examples) and for what a schema cannot say: unique ids, known node types, every
{{node.path}} naming an earlier node and an output it has, every "{{" closed, and --input
fields the Start node declares. Every problem is listed, as
  FILE: step "ID", field "NAME": what is wrong

A step fails when its StatusCode is not 200 or its ErrorMessage is not empty, or when one of
its "expect" values does not hold. The run stops at the first failed step: nothing after it
runs and the Answer is not printed. A step with "on_error": "continue" lets the run go on
(its envelope stays readable by later steps; the run still succeeds unless one of its
"expect" values did not hold). A step whose "expect"
names StatusCode, OriginalStatusCode or ErrorMessage is judged by its expectations alone,
so a workflow can expect a failure on purpose: "expect": {"StatusCode": -1}.

stderr gets one line per step: its id, node, StatusCode, OriginalStatusCode, the record it
created or touched, and the ErrorMessage when there is one. --verbose adds each whole
envelope (customers' personal data); --quiet prints only the Answer and errors. On a
terminal, a node reading many pages shows a progress line.

--input holds values laid over the Start node's input. Credentials as for invoke; with none,
the workflow runs against an embedded Freshdesk sandbox.

exit codes: 0 every step succeeded; 1 a step failed; 2 a usage error or an invalid workflow
file (nothing ran).

  {"name": "Create a ticket", "nodes": [
    {"id": "start", "type": "start", "input": {"email": "customer@example.com"}},
    {"id": "create", "type": "freshdesk.ticket.create",
     "input": {"Subject": "Hello", "Description": "...", "Email": "{{start.email}}"},
     "expect": {"OriginalStatusCode": 201}},
    {"id": "answer", "type": "answer", "text": "Ticket {{create.TicketId}} created"}]}
)";

// --input's fields; false (and a message on stderr) when it is not a JSON object.
bool read_start_input(const CommandLine& cli, json::object& inputs) {
    if (!cli.has_input) return true;
    std::string text;
    std::string error;
    std::optional<json::value> parsed;
    if (read_input(cli.input, text, error)) parsed = parse_json(text, error);
    if (!parsed || !parsed->is_object()) {
        std::cerr << "flowrun run: --input must be a JSON object of the Start node's fields"
                  << (error.empty() ? "" : ": " + error) << "\n";
        return false;
    }
    inputs = parsed->get_object();
    return true;
}

void print_lines(const std::vector<std::string>& lines) {
    for (const std::string& line : lines)
        std::cerr << line << "\n";
}

}  // namespace

int command_run(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kRunHelp;
        return kExitOk;
    }
    json::object inputs;
    if (!read_start_input(cli, inputs)) return kExitUsage;
    PluginHost host;
    if (load_plugins(cli, host) == kExitUsage) return kExitUsage;
    const WorkflowFile file = load_workflow_file(cli.positional[0], host, cli.has_input ? &inputs : nullptr);
    print_lines(file.problems);
    if (!file.workflow) return kExitUsage;
    if (!cli.quiet) print_lines(file.notices);
    return with_runner_errors("run", [&] {
        NodeRunner runner(host, cli.credentials_file, cli.quiet);
        if (!cli.quiet && !file.workflow->name.empty()) {
            std::cerr << "flowrun: running workflow \"" << file.workflow->name << "\"\n";
        }
        ProgressLine progress(!cli.quiet);
        const StepPrinter printer{std::cerr, !cli.quiet, true, cli.verbose};
        const WorkflowResult result = execute_workflow(*file.workflow, inputs, runner, printer, progress);
        if (result.stopped) {
            std::cerr << "flowrun: the run stopped at step \"" << result.steps.back().step->id
                      << "\"; nothing after it ran (a step may say \"on_error\": \"continue\")\n";
            return kExitFailure;
        }
        std::cout << result.answer << "\n";
        return result.succeeded() ? kExitOk : kExitFailure;
    });
}

}  // namespace flowrun
