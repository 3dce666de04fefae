// flowrun run: test-runs a workflow file and prints its Answer.
#include "flowrun/cli.hpp"
#include "flowrun/embedded_sandbox.hpp"
#include "flowrun/plugin_host.hpp"
#include "flowrun/workflow.hpp"

#include <boost/json/parse.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace flowrun {
namespace json = boost::json;

namespace {

constexpr std::string_view kRunHelp =
    R"(usage: flowrun run WORKFLOW.json [--input JSON|@FILE] [--credentials FILE] [--plugins DIR]

Test-runs a workflow: a Start node with inputs, node steps whose inputs refer to earlier
outputs ({{start.email}}, {{create.TicketId}}), and an Answer node with a text template.
Each step's envelope is logged on stderr; the Answer is printed on stdout.

--input holds values laid over the Start node's inputs. Credentials as for invoke; with
none, the workflow runs against an embedded Freshdesk sandbox.

  {"name": "Create a ticket", "nodes": [
    {"id": "start", "type": "start", "inputs": {"email": "customer@example.com"}},
    {"id": "create", "type": "freshdesk.ticket.create",
     "input": {"Subject": "Hello", "Description": "...", "Email": "{{start.email}}"}},
    {"id": "answer", "type": "answer", "text": "Ticket {{create.TicketId}} created"}]}
)";

}  // namespace

int command_run(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kRunHelp;
        return kExitOk;
    }
    if (cli.positional.size() != 1) {
        std::cerr << "flowrun run: give one WORKFLOW file\n" << kRunHelp;
        return kExitUsage;
    }
    std::string text;
    std::string error;
    if (!read_input("@" + cli.positional[0], text, error)) {
        std::cerr << "flowrun run: cannot read workflow file " << cli.positional[0] << "\n";
        return kExitUsage;
    }
    boost::system::error_code parse_error;
    const json::value document = json::parse(text, parse_error);
    if (parse_error) {
        std::cerr << "flowrun run: " << cli.positional[0] << " is not valid JSON (" << parse_error.message() << ")\n";
        return kExitUsage;
    }
    json::object inputs;
    if (cli.has_input) {
        std::string input_text;
        const json::value parsed =
            read_input(cli.input, input_text, error) ? json::parse(input_text, parse_error) : json::value();
        if (!error.empty() || parse_error || !parsed.is_object()) {
            std::cerr << "flowrun run: --input must be a JSON object of Start inputs"
                      << (error.empty() ? "" : ": " + error) << "\n";
            return kExitUsage;
        }
        inputs = parsed.get_object();
    }

    PluginHost host;
    load_plugins(cli, host);
    Workflow workflow;
    try {
        workflow =
            parse_workflow(document, [&](const std::string& type) { return host.find(type).descriptor != nullptr; });
    } catch (const WorkflowError& problem) {
        std::cerr << "flowrun run: " << cli.positional[0] << ": " << problem.what() << "\n";
        return kExitUsage;
    }
    std::unique_ptr<EmbeddedSandbox> sandbox;
    std::string credentials;
    try {
        // Every step's node comes from loaded plugins; the first one's credentials schema decides.
        const std::string_view schema =
            workflow.steps.empty() ? std::string_view() : host.find(workflow.steps.front().node).credentials_schema();
        credentials = credentials_for_run(cli.credentials_file, schema, sandbox);
    } catch (const std::exception& problem) {
        std::cerr << "flowrun run: " << problem.what() << "\n";
        return kExitUsage;
    }

    if (!workflow.name.empty()) std::cerr << "flowrun: running workflow \"" << workflow.name << "\"\n";
    bool failed_to_start = false;
    const Invoke invoke = [&](const std::string& node_id, const std::string& input) {
        std::string envelope;
        std::string problem;
        if (!host.find(node_id).plugin->library->invoke(node_id, input, credentials, envelope, problem)) {
            std::cerr << "flowrun: " << node_id << ": " << problem << "\n";
            failed_to_start = true;
            return std::string("null");
        }
        return envelope;
    };
    const StepLog log = [](const WorkflowStep& step, const std::string& envelope) {
        std::cerr << "flowrun: [" << step.id << "] " << step.node << " -> " << envelope << "\n";
    };
    const WorkflowResult result = run_workflow(workflow, inputs, invoke, log);
    std::cout << result.answer << "\n";
    return failed_to_start ? kExitFailure : kExitOk;
}

}  // namespace flowrun
