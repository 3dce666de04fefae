// flowrun: the reference host for wfp plugins. Lists and describes nodes, invokes one, test-runs
// a workflow, and serves the Freshdesk sandbox.
#include "flowrun/cli.hpp"
#include "sandbox/sandbox_command.hpp"

#include <iostream>
#include <string_view>

namespace {

constexpr std::string_view kUsage = R"(usage: flowrun COMMAND [options]

commands:
  nodes                               the nodes of every plugin found, as JSON
  describe NODE                       a node's descriptor and schemas, as JSON
  invoke NODE [--input JSON|@FILE] [--credentials FILE]
                                      run one node and print its envelope
  run WORKFLOW.json [--input JSON|@FILE] [--credentials FILE]
                                      test-run a workflow and print its Answer
  sandbox [--port N] ...              serve the Freshdesk sandbox (see sandbox --help)
  help                                this text

options for every command:
  --plugins DIR      search DIR for plugins (repeatable); default: $FLOWRUN_PLUGIN_PATH,
                     else the plugins/ folder beside flowrun
  --help             help for the command

Run `flowrun COMMAND --help` for more.
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace flowrun;
    if (argc < 2) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    const std::string_view command = argv[1];
    if (command == "help" || command == "--help" || command == "-h") {
        std::cout << kUsage;
        return kExitOk;
    }
    if (command == "sandbox") return run_sandbox_command(argc - 1, argv + 1);
    CommandLine cli;
    std::string error;
    if (!parse_command_line(argc - 2, argv + 2, cli, error)) {
        std::cerr << "flowrun " << command << ": " << error << "\n";
        return kExitUsage;
    }
    if (command == "nodes") return command_nodes(cli);
    if (command == "describe") return command_describe(cli);
    if (command == "invoke") return command_invoke(cli);
    if (command == "run") return command_run(cli);
    std::cerr << "flowrun: unknown command \"" << command << "\"\n\n" << kUsage;
    return kExitUsage;
}
