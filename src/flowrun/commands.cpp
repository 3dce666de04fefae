// flowrun nodes | describe | invoke | --version.
#include "common/descriptor_json.hpp"
#include "common/json_print.hpp"
#include "flowrun/cli.hpp"
#include "flowrun/input_text.hpp"
#include "flowrun/node_runner.hpp"
#include "flowrun/plugin_host.hpp"
#include "flowrun/progress_line.hpp"

#include <iostream>

namespace flowrun {
namespace json = boost::json;

namespace {

constexpr std::string_view kNodesHelp = R"(usage: flowrun nodes [--plugins DIR]

Prints the nodes of every plugin found as a JSON array: id, version, display name,
description, resource, operation, credential type, flags and the plugin that offers it.
Exit 1 when a plugin folder was refused (said on stderr); the others' nodes are listed.
)";

constexpr std::string_view kDescribeHelp = R"(usage: flowrun describe NODE [--plugins DIR]

Prints the node's descriptor as one JSON object: what nodes prints, the canvas fields of ABI
1.1 (category, subtitle, icon, field_order, option_sources, rules, credential_test_node), and
its JSON Schemas (inputs, options, outputs, credentials).
)";

constexpr std::string_view kInvokeHelp =
    R"(usage: flowrun invoke NODE [--input JSON|@FILE] [--credentials FILE] [--plugins DIR]

Runs one node and prints its envelope (one JSON object) on stdout; exit 0 whenever the node
produced an envelope. --input holds the node's inputs and options together, under the
spec's names, e.g. '{"TicketId": 6}'; @FILE reads it from a file. Default: {}.

Credentials: --credentials FILE with {"domain": "acme", "api_key": "...", "base_url": ...,
"ca_file": ..., "timeout_ms": ..., "max_connections": ...}, else FRESHDESK_DOMAIN,
FRESHDESK_API_KEY, FRESHDESK_BASE_URL, FRESHDESK_CA_FILE, FRESHDESK_TIMEOUT_MS,
FRESHDESK_MAX_CONNECTIONS. With none of them, the node
runs against an embedded Freshdesk sandbox (said on stderr).
)";

constexpr std::string_view kFlowrunVersion = FLOWRUN_VERSION;

json::object plugin_json(const NodeRef& node) {
    return json::object{{"name", node.plugin->manifest.name},
                        {"version", node.plugin->manifest.version},
                        {"dir", node.plugin->dir.string()}};
}

// What `flowrun nodes` lists of each node: who it is and which plugin offers it.
json::object summary_json(const NodeRef& node) {
    const json::object full = fd::descriptor_json(*node.descriptor);
    json::object out;
    for (const char* key :
         {"id", "version", "display_name", "description", "resource", "operation", "credential_type", "flags"})
        out[key] = full.at(key);
    out["plugin"] = plugin_json(node);
    return out;
}

// A JSON text the plugin gave, or null when it gave an unreadable one.
json::value parsed_or_null(wfp_str text) {
    std::string error;
    return parse_json(wfp::view(text), error).value_or(json::value(nullptr));
}

}  // namespace

int command_nodes(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kNodesHelp;
        return kExitOk;
    }
    PluginHost host;
    const int loaded = load_plugins(cli, host);
    if (loaded == kExitUsage) return loaded;
    json::array nodes;
    for (const NodeRef& node : host.nodes())
        nodes.push_back(summary_json(node));
    std::cout << fd::pretty_json(nodes) << "\n";
    return loaded;
}

int command_describe(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kDescribeHelp;
        return kExitOk;
    }
    PluginHost host;
    if (load_plugins(cli, host) == kExitUsage) return kExitUsage;
    const NodeRef node = host.find(cli.positional[0]);
    if (!node.descriptor) {
        std::cerr << "flowrun describe: unknown node \"" << cli.positional[0] << "\" (see flowrun nodes)\n";
        return kExitUsage;
    }
    const wfp_node_descriptor& d = *node.descriptor;
    json::object out = fd::descriptor_json(d);
    out["plugin"] = plugin_json(node);
    json::object schemas{{"inputs", parsed_or_null(d.inputs_schema)},
                         {"options", parsed_or_null(d.options_schema)},
                         {"outputs", parsed_or_null(d.outputs_schema)}};
    const std::string_view credentials = node.credentials_schema();
    if (!credentials.empty()) schemas["credentials"] = parsed_or_null(wfp::str(credentials));
    out["schemas"] = std::move(schemas);
    std::cout << fd::pretty_json(out) << "\n";
    return kExitOk;
}

int command_invoke(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kInvokeHelp;
        return kExitOk;
    }
    std::string input = "{}";
    std::string error;
    if (cli.has_input && !read_input(cli.input, input, error)) {
        std::cerr << "flowrun invoke: --input: " << error << "\n";
        return kExitUsage;
    }
    if (!parse_json(input, error)) {
        std::cerr << "flowrun invoke: --input is not valid JSON (" << error << ")\n";
        return kExitUsage;
    }
    PluginHost host;
    if (load_plugins(cli, host) == kExitUsage) return kExitUsage;
    if (!host.find(cli.positional[0]).descriptor) {
        std::cerr << "flowrun invoke: unknown node \"" << cli.positional[0] << "\" (see flowrun nodes)\n";
        return kExitUsage;
    }
    return with_runner_errors("invoke", [&] {
        NodeRunner runner(host, cli.credentials_file, false);
        ProgressLine progress(true);
        std::string envelope;
        const bool ran = runner.run(cli.positional[0], input, envelope, error, progress.for_run(cli.positional[0]));
        progress.clear();
        if (!ran) {
            std::cerr << "flowrun invoke: " << error << "\n";
            return kExitFailure;
        }
        std::cout << envelope << "\n";
        return kExitOk;
    });
}

int command_version(const CommandLine& cli) {
    if (cli.help) {
        std::cout << "usage: flowrun --version [--plugins DIR]\n\nPrints flowrun's version, then each plugin's.\n";
        return kExitOk;
    }
    std::cout << "flowrun " << kFlowrunVersion << " (wfp ABI " << WFP_ABI_MAJOR << "." << WFP_ABI_MINOR << ")\n";
    PluginHost host;
    const int loaded = load_plugins(cli, host);
    for (const auto& plugin : host.plugins()) {
        const wfp_plugin_api& api = plugin->library->api();
        std::cout << plugin->manifest.name << " " << plugin->manifest.version << " (wfp ABI " << api.abi_major << "."
                  << api.abi_minor << ", " << plugin->dir.string() << ")\n";
    }
    return loaded;
}

}  // namespace flowrun
