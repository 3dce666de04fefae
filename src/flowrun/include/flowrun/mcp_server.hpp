// `flowrun mcp`'s protocol side: JSON-RPC 2.0 messages of the Model Context Protocol, one per
// line on stdio, answered for the loaded nodes. Malformed messages get JSON-RPC's error codes;
// nothing a client sends can end the server.
#pragma once

#include "flowrun/node_runner.hpp"
#include "flowrun/plugin_host.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace flowrun {

// The protocol versions this server speaks, newest first: a client asking for one of them gets
// it, any other client gets the newest (and may hang up).
inline constexpr std::string_view kMcpProtocolVersions[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};

class McpServer {
  public:
    // `send` writes one message (a JSON text without newline); it is also called from a plugin
    // thread for progress notifications while a tools/call waits.
    using Send = std::function<void(const std::string& message)>;

    McpServer(const PluginHost& host, NodeRunner& runner, Send send);

    // Handles one line the client sent, answering through `send` when it is a request.
    void handle(std::string_view line);

  private:
    boost::json::value dispatch(const std::string& method, const boost::json::value& params);
    boost::json::value call_tool(const boost::json::value& params);
    void reply(const boost::json::value& id, boost::json::value result);
    void fail(const boost::json::value& id, int code, const std::string& message);

    const PluginHost& host_;
    NodeRunner& runner_;
    Send send_;
};

}  // namespace flowrun
