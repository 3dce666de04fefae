// flowrun: the reference host for wfp plugins. Lists and describes nodes, invokes one, test-runs
// workflows, serves the nodes to AI agents over MCP, and serves the Freshdesk sandbox.
#include "flowrun/cli.hpp"
#include "sandbox/sandbox_command.hpp"

#include <cstddef>
#include <iostream>
#include <string_view>

namespace {

constexpr std::string_view kUsage = R"(usage: flowrun COMMAND [options]

commands:
  nodes                               the nodes of every plugin found, as JSON
  describe NODE                       a node's descriptor and schemas, as JSON
  invoke NODE [--input JSON|@FILE] [--credentials FILE]
                                      run one node and print its envelope
  run WORKFLOW.json [--input JSON|@FILE] [--credentials FILE] [--verbose|--quiet]
                                      test-run a workflow and print its Answer
  test PATH... [--credentials FILE] [--junit FILE] [--verbose]
                                      run workflow files and check their expectations
  mcp [--credentials FILE]            serve every node as an MCP tool on stdin/stdout
  sandbox [--port N] ...              serve the Freshdesk sandbox (see sandbox --help)
  help                                this text

options for every command:
  --plugins DIR      search DIR for plugins (repeatable); default: $FLOWRUN_PLUGIN_PATH,
                     else the plugins/ folder beside flowrun
                     (../lib/wfp/plugins when flowrun is installed)
  --help             help for the command
  --version          flowrun's version and each plugin's

exit codes:
  0  it worked (run, test: every step succeeded and every expectation held)
  1  something ran and failed (a step, an expectation, a plugin that could not be loaded)
  2  a usage error or an invalid workflow file: nothing ran

Run `flowrun COMMAND --help` for more.
)";

// What each command accepts: its options (a mask of flowrun::Option) and how many positional
// arguments; anything else is refused with exit 2.
struct Command {
    std::string_view name;
    int (*handler)(const flowrun::CommandLine&);
    unsigned options;
    std::size_t min_positional;
    std::size_t max_positional;
};

using namespace flowrun;
constexpr std::size_t kMany = static_cast<std::size_t>(-1);
constexpr Command kCommands[] = {
    {"nodes", command_nodes, kPlugins, 0, 0},
    {"describe", command_describe, kPlugins, 1, 1},
    {"invoke", command_invoke, kPlugins | kInput | kCredentials, 1, 1},
    {"run", command_run, kPlugins | kInput | kCredentials | kVerbose | kQuiet, 1, 1},
    {"test", command_test, kPlugins | kCredentials | kVerbose | kJunit, 1, kMany},
    {"mcp", command_mcp, kPlugins | kCredentials, 0, 0},
    {"--version", command_version, kPlugins, 0, 0},
};

int dispatch(const Command& command, int argc, char** argv) {
    CommandLine cli;
    std::string error;
    const std::string name(command.name);
    if (!parse_command_line(argc, argv, command.options, cli, error)) {
        std::cerr << "flowrun " << name << ": " << error << " (see flowrun " << name << " --help)\n";
        return kExitUsage;
    }
    if (!cli.help && cli.positional.size() > command.max_positional) {
        std::cerr << "flowrun " << name << ": unexpected argument \"" << cli.positional[command.max_positional]
                  << "\" (see flowrun " << name << " --help)\n";
        return kExitUsage;
    }
    if (!cli.help && cli.positional.size() < command.min_positional) {
        std::cerr << "flowrun " << name << ": missing argument (see flowrun " << name << " --help)\n";
        return kExitUsage;
    }
    return command.handler(cli);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    const std::string_view name = argv[1];
    if (name == "help" || name == "--help" || name == "-h") {
        std::cout << kUsage;
        return kExitOk;
    }
    if (name == "sandbox") return run_sandbox_command(argc - 1, argv + 1);
    for (const Command& command : kCommands) {
        if (command.name == name) return dispatch(command, argc - 2, argv + 2);
    }
    std::cerr << "flowrun: unknown command \"" << name << "\"\n\n" << kUsage;
    return kExitUsage;
}
