// flowrun nodes | describe | invoke.
#include "flowrun/cli.hpp"
#include "flowrun/embedded_sandbox.hpp"
#include "common/json_print.hpp"
#include "flowrun/plugin_host.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace flowrun {
namespace json = boost::json;

namespace {

constexpr std::string_view kNodesHelp = R"(usage: flowrun nodes [--plugins DIR]

Prints the nodes of every plugin found as a JSON array: id, version, display name,
description, resource, operation, credential type, flags and the plugin that offers it.
)";

constexpr std::string_view kDescribeHelp = R"(usage: flowrun describe NODE [--plugins DIR]

Prints the node's descriptor and its JSON Schemas (inputs, options, outputs, credentials)
as one JSON object.
)";

constexpr std::string_view kInvokeHelp =
    R"(usage: flowrun invoke NODE [--input JSON|@FILE] [--credentials FILE] [--plugins DIR]

Runs one node and prints its envelope (one JSON object) on stdout; exit 0 whenever the node
produced an envelope. --input holds the node's inputs and options together, under the
spec's names, e.g. '{"TicketId": 6}'; @FILE reads it from a file. Default: {}.

Credentials: --credentials FILE with {"domain": "acme", "api_key": "...", "base_url": ...,
"ca_file": ..., "timeout_ms": ...}, else FRESHDESK_DOMAIN, FRESHDESK_API_KEY,
FRESHDESK_BASE_URL, FRESHDESK_CA_FILE, FRESHDESK_TIMEOUT_MS. With none of them, the node
runs against an embedded Freshdesk sandbox (said on stderr).
)";

json::array flag_names(std::uint32_t flags) {
    json::array names;
    if (flags & WFP_NODE_IDEMPOTENT) names.emplace_back("idempotent");
    if (flags & WFP_NODE_DESTRUCTIVE) names.emplace_back("destructive");
    if (flags & WFP_NODE_PAGINATED) names.emplace_back("paginated");
    return names;
}

json::object descriptor_json(const NodeRef& node) {
    const wfp_node_descriptor& d = *node.descriptor;
    return json::object{
        {"id", wfp::view(d.id)},
        {"version", d.version},
        {"display_name", wfp::view(d.display_name)},
        {"description", wfp::view(d.description)},
        {"resource", wfp::view(d.resource)},
        {"operation", wfp::view(d.operation)},
        {"credential_type", wfp::view(d.credential_type)},
        {"flags", flag_names(d.flags)},
        {"plugin", json::object{{"name", node.plugin->manifest.at("name")},
                                {"version", node.plugin->manifest.at("version")},
                                {"dir", node.plugin->dir.string()}}},
    };
}

}  // namespace

void load_plugins(const CommandLine& cli, PluginHost& host) {
    std::vector<std::string> problems;
    host.load_all(plugin_search_dirs(cli.plugin_dirs), problems);
    for (const std::string& problem : problems)
        std::cerr << "flowrun: " << problem << "\n";
}

bool read_input(const std::string& spec, std::string& text, std::string& error) {
    if (!spec.starts_with("@")) {
        text = spec;
        return true;
    }
    std::ifstream in(spec.substr(1), std::ios::binary);
    if (!in) {
        error = "cannot read input file " + spec.substr(1);
        return false;
    }
    std::ostringstream content;
    content << in.rdbuf();
    text = content.str();
    return true;
}

bool parse_command_line(int argc, char** argv, CommandLine& out, std::string& error) {
    for (int i = 0; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&](std::string& into) {
            if (i + 1 >= argc) {
                error = std::string(arg) + " needs a value";
                return false;
            }
            into = argv[++i];
            return true;
        };
        if (arg == "--help" || arg == "-h") {
            out.help = true;
        } else if (arg == "--plugins") {
            std::string dir;
            if (!value(dir)) return false;
            out.plugin_dirs.push_back(dir);
        } else if (arg == "--input") {
            if (!value(out.input)) return false;
            out.has_input = true;
        } else if (arg == "--credentials") {
            if (!value(out.credentials_file)) return false;
        } else if (arg.starts_with("--")) {
            error = "unknown option " + std::string(arg);
            return false;
        } else {
            out.positional.emplace_back(arg);
        }
    }
    return true;
}

int command_nodes(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kNodesHelp;
        return kExitOk;
    }
    PluginHost host;
    load_plugins(cli, host);
    json::array nodes;
    for (const NodeRef& node : host.nodes())
        nodes.push_back(descriptor_json(node));
    std::cout << fd::pretty_json(nodes) << "\n";
    return kExitOk;
}

int command_describe(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kDescribeHelp;
        return kExitOk;
    }
    if (cli.positional.size() != 1) {
        std::cerr << "flowrun describe: give one NODE id\n" << kDescribeHelp;
        return kExitUsage;
    }
    PluginHost host;
    load_plugins(cli, host);
    const NodeRef node = host.find(cli.positional[0]);
    if (!node.descriptor) {
        std::cerr << "flowrun describe: unknown node \"" << cli.positional[0] << "\" (see flowrun nodes)\n";
        return kExitUsage;
    }
    const wfp_node_descriptor& d = *node.descriptor;
    json::object out = descriptor_json(node);
    json::object schemas{{"inputs", json::parse(wfp::view(d.inputs_schema))},
                         {"options", json::parse(wfp::view(d.options_schema))},
                         {"outputs", json::parse(wfp::view(d.outputs_schema))}};
    const std::string_view credentials = node.credentials_schema();
    if (!credentials.empty()) schemas["credentials"] = json::parse(credentials);
    out["schemas"] = std::move(schemas);
    std::cout << fd::pretty_json(out) << "\n";
    return kExitOk;
}

int command_invoke(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kInvokeHelp;
        return kExitOk;
    }
    if (cli.positional.size() != 1) {
        std::cerr << "flowrun invoke: give one NODE id\n" << kInvokeHelp;
        return kExitUsage;
    }
    std::string input = "{}";
    std::string error;
    if (cli.has_input && !read_input(cli.input, input, error)) {
        std::cerr << "flowrun invoke: " << error << "\n";
        return kExitUsage;
    }
    boost::system::error_code parse_error;
    json::parse(input, parse_error);
    if (parse_error) {
        std::cerr << "flowrun invoke: --input is not valid JSON (" << parse_error.message() << ")\n";
        return kExitUsage;
    }
    PluginHost host;
    load_plugins(cli, host);
    const NodeRef node = host.find(cli.positional[0]);
    if (!node.descriptor) {
        std::cerr << "flowrun invoke: unknown node \"" << cli.positional[0] << "\" (see flowrun nodes)\n";
        return kExitUsage;
    }
    std::unique_ptr<EmbeddedSandbox> sandbox;
    std::string credentials_json;
    try {
        credentials_json = credentials_for_run(cli.credentials_file, node.credentials_schema(), sandbox);
    } catch (const std::exception& problem) {
        std::cerr << "flowrun invoke: " << problem.what() << "\n";
        return kExitUsage;
    }
    std::string envelope;
    if (!node.plugin->library->invoke(cli.positional[0], input, credentials_json, envelope, error)) {
        std::cerr << "flowrun invoke: " << error << "\n";
        return kExitFailure;
    }
    std::cout << envelope << "\n";
    return kExitOk;
}

}  // namespace flowrun
