#include "flowrun/mcp_server.hpp"

#include "flowrun/envelope_facts.hpp"
#include "flowrun/input_text.hpp"
#include "flowrun/mcp_tools.hpp"
#include "flowrun/readable_message.hpp"

#include <boost/json/serialize.hpp>

namespace flowrun {
namespace json = boost::json;

namespace {

// JSON-RPC 2.0's error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;

// A request's problem, answered with its code.
struct RpcError {
    int code;
    std::string message;
};

constexpr std::string_view kInstructions =
    "Each tool runs one workflow node and returns its envelope: StatusCode 200 with an empty ErrorMessage means "
    "it succeeded; StatusCode -1 means the arguments were refused before anything was sent (ErrorMessage says "
    "which field and why); otherwise OriginalStatusCode is the remote system's HTTP status.";

json::value initialize_result(const json::value& params) {
    std::string_view version = kMcpProtocolVersions[0];
    const json::value* asked = params.is_object() ? params.get_object().if_contains("protocolVersion") : nullptr;
    for (std::string_view known : kMcpProtocolVersions) {
        if (asked && asked->is_string() && asked->get_string() == known) version = known;
    }
    return json::object{
        {"protocolVersion", version},
        {"capabilities", json::object{{"tools", json::object{{"listChanged", false}}}}},
        {"serverInfo",
         json::object{{"name", "flowrun"}, {"title", "flowrun (wfp plugin nodes)"}, {"version", FLOWRUN_VERSION}}},
        {"instructions", kInstructions}};
}

bool is_valid_id(const json::value& id) {
    return id.is_string() || id.is_int64() || id.is_uint64();
}

// notifications/progress for the request's progressToken, if it gave one.
wfp::Plugin::Progress progress_for(const json::value& params, const McpServer::Send& send) {
    const json::value* token = params.is_object() ? params.get_object().if_contains("_meta") : nullptr;
    token = token && token->is_object() ? token->get_object().if_contains("progressToken") : nullptr;
    if (!token) return {};
    return [token = *token, send](std::uint64_t so_far, std::int64_t total) {
        json::object progress{{"progressToken", token}, {"progress", so_far}, {"message", "items read"}};
        if (total >= 0) progress["total"] = total;
        send(json::serialize(
            json::object{{"jsonrpc", "2.0"}, {"method", "notifications/progress"}, {"params", std::move(progress)}}));
    };
}

json::value tool_result(const std::string& envelope_text) {
    std::string error;
    const std::optional<json::value> envelope = parse_json(envelope_text, error);
    json::object result{{"content", json::array{json::object{{"type", "text"}, {"text", envelope_text}}}}};
    if (envelope && envelope->is_object()) result["structuredContent"] = *envelope;
    result["isError"] = !envelope || envelope_failed(*envelope);
    return result;
}

}  // namespace

McpServer::McpServer(const PluginHost& host, NodeRunner& runner, Send send)
    : host_(host), runner_(runner), send_(std::move(send)) {}

void McpServer::handle(std::string_view line) {
    std::string error;
    const std::optional<json::value> message = parse_json(line, error);
    if (!message) return fail(nullptr, kParseError, "Parse error: " + error);
    const json::object* request = message->if_object();
    if (!request) return fail(nullptr, kInvalidRequest, "Invalid Request: a message is one JSON object (no batches)");
    const json::value* id = request->if_contains("id");
    const json::value* method = request->if_contains("method");
    if (!method && (request->contains("result") || request->contains("error"))) return;  // a reply: none asked
    const json::value reply_id = id && is_valid_id(*id) ? *id : json::value(nullptr);
    if (request->if_contains("jsonrpc") == nullptr || request->at("jsonrpc") != "2.0" || !method ||
        !method->is_string() || (id && !is_valid_id(*id))) {
        return fail(reply_id, kInvalidRequest,
                    "Invalid Request: needs \"jsonrpc\": \"2.0\", a string method and a "
                    "string or integer id");
    }
    const json::value* params = request->if_contains("params");
    try {
        json::value result = dispatch(std::string(method->get_string()), params ? *params : json::value(nullptr));
        if (id) reply(*id, std::move(result));
    } catch (const RpcError& problem) {
        if (id) fail(*id, problem.code, problem.message);
    } catch (const std::exception& problem) {
        if (id) fail(*id, kInternalError, "Internal error: " + readable_message(problem));
    }
}

json::value McpServer::dispatch(const std::string& method, const json::value& params) {
    if (!params.is_null() && !params.is_object()) throw RpcError{kInvalidParams, "Invalid params: not an object"};
    if (method == "initialize") return initialize_result(params);
    if (method == "ping") return json::object();
    if (method == "tools/list") {
        json::array tools;
        for (const NodeRef& node : host_.nodes())
            tools.push_back(mcp_tool(node));
        return json::object{{"tools", std::move(tools)}};
    }
    if (method == "tools/call") return call_tool(params);
    if (method.starts_with("notifications/")) return nullptr;  // nothing to answer or do
    throw RpcError{kMethodNotFound, "Method not found: " + method};
}

json::value McpServer::call_tool(const json::value& params) {
    const json::value* name = params.is_object() ? params.get_object().if_contains("name") : nullptr;
    if (!name || !name->is_string()) throw RpcError{kInvalidParams, "Invalid params: tools/call needs a string name"};
    const std::string tool(name->get_string());
    if (!host_.find(tool).descriptor) throw RpcError{kInvalidParams, "Unknown tool: " + tool};
    const json::value* arguments = params.get_object().if_contains("arguments");
    if (arguments && !arguments->is_object() && !arguments->is_null()) {
        throw RpcError{kInvalidParams, "Invalid params: arguments must be an object"};
    }
    const std::string input = arguments && arguments->is_object() ? json::serialize(*arguments) : "{}";
    std::string envelope;
    std::string error;
    if (!runner_.run(tool, input, envelope, error, progress_for(params, send_))) {
        return json::object{{"content", json::array{json::object{{"type", "text"}, {"text", error}}}},
                            {"isError", true}};
    }
    return tool_result(envelope);
}

void McpServer::reply(const json::value& id, json::value result) {
    send_(json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}));
}

void McpServer::fail(const json::value& id, int code, const std::string& message) {
    send_(json::serialize(
        json::object{{"jsonrpc", "2.0"}, {"id", id}, {"error", json::object{{"code", code}, {"message", message}}}}));
}

}  // namespace flowrun
