// flowrun mcp: every loaded node as a Model Context Protocol tool, over stdio.
#include "flowrun/cli.hpp"
#include "flowrun/mcp_server.hpp"

#include <iostream>
#include <mutex>

namespace flowrun {

namespace {

constexpr std::string_view kMcpHelp = R"(usage: flowrun mcp [--credentials FILE] [--plugins DIR]

Serves every loaded node as a Model Context Protocol tool over stdio (JSON-RPC 2.0, one
message per line; protocol 2025-11-25, and the older versions clients ask for). tools/list
gives each node's id as the tool name, its description, one input schema of its inputs and
options, its outputs as the output schema, and readOnlyHint, destructiveHint and
idempotentHint from its flags. tools/call runs the node and answers its envelope as
structuredContent and as text, with isError when the node failed (StatusCode not 200 or an
ErrorMessage).

Credentials come from --credentials FILE or the FRESHDESK_* environment, as for invoke, never
from a tool's arguments. With none, the tools run against an embedded Freshdesk sandbox (said
on stderr). stdout carries only protocol messages; logs go to stderr.

An agent's configuration, e.g.:
  {"mcpServers": {"freshdesk": {"command": "/path/to/flowrun", "args": ["mcp"],
   "env": {"FRESHDESK_DOMAIN": "yourcompany", "FRESHDESK_API_KEY": "..."}}}}
)";

}  // namespace

int command_mcp(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kMcpHelp;
        return kExitOk;
    }
    PluginHost host;
    if (load_plugins(cli, host) == kExitUsage) return kExitUsage;
    return with_runner_errors("mcp", [&] {
        NodeRunner runner(host, cli.credentials_file, false);
        std::mutex out;
        McpServer server(host, runner, [&out](const std::string& message) {
            std::lock_guard lock(out);  // progress notifications come from a plugin thread
            std::cout << message << "\n" << std::flush;
        });
        for (std::string line; std::getline(std::cin, line);) {
            if (line.find_first_not_of(" \t\r") != std::string::npos) server.handle(line);
        }
        return kExitOk;
    });
}

}  // namespace flowrun
