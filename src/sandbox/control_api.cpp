#include "sandbox/control_api.hpp"

#include "sandbox/faults.hpp"
#include "sandbox/query_params.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace fdsandbox {

namespace json = boost::json;

namespace {

// A request the control API refuses, as 400 with the reason.
struct BadControlRequest : std::runtime_error {
    using std::runtime_error::runtime_error;
};

HttpResponse json_response(int status, const json::value& body) {
    return {status, {{"Content-Type", "application/json"}}, json::serialize(body)};
}

HttpResponse error_response(int status, std::string_view message) {
    return json_response(status, json::object{{"error", message}});
}

HttpResponse empty_response(int status) {
    return {status, {}, {}};
}

json::object parse_object(const std::string& body) {
    boost::system::error_code error;
    json::value parsed = json::parse(body.empty() ? std::string_view("{}") : std::string_view(body), error);
    if (error || !parsed.is_object()) throw BadControlRequest("the body must be a JSON object");
    return std::move(parsed.get_object());
}

std::int64_t integer_field(const json::object& object, std::string_view key, std::int64_t fallback) {
    const json::value* value = object.if_contains(key);
    if (!value || value->is_null()) return fallback;
    if (!value->is_int64()) throw BadControlRequest(std::string(key) + " must be an integer");
    return value->get_int64();
}

std::string string_field(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    if (!value || value->is_null()) return {};
    if (!value->is_string()) throw BadControlRequest(std::string(key) + " must be a string");
    return std::string(value->get_string());
}

std::vector<int> integer_list(const json::object& object, std::string_view key, std::vector<int> fallback) {
    const json::value* value = object.if_contains(key);
    if (!value || value->is_null()) return fallback;
    if (!value->is_array()) throw BadControlRequest(std::string(key) + " must be an array of integers");
    std::vector<int> items;
    for (const json::value& item : value->get_array()) {
        if (!item.is_int64()) throw BadControlRequest(std::string(key) + " must be an array of integers");
        items.push_back(static_cast<int>(item.get_int64()));
    }
    return items;
}

Fault fault_from_json(const json::object& object) {
    const std::optional<FaultKind> kind = parse_fault_kind(string_field(object, "kind"));
    if (!kind) throw BadControlRequest("kind must name a fault kind, e.g. \"status\"");
    Fault fault;
    fault.kind = *kind;
    fault.count = static_cast<int>(integer_field(object, "count", 1));
    fault.path_prefix = string_field(object, "path_prefix");
    fault.method = string_field(object, "method");
    fault.status = static_cast<int>(integer_field(object, "status", 0));
    fault.body = string_field(object, "body");
    fault.delay = std::chrono::milliseconds(integer_field(object, "delay_ms", 0));
    fault.chunk_bytes = static_cast<std::size_t>(integer_field(object, "chunk_bytes", 1));
    fault.size_bytes = static_cast<std::size_t>(integer_field(object, "size_bytes", 0));
    fault.retry_after_seconds = static_cast<int>(integer_field(object, "retry_after_seconds", 1));
    fault.location = string_field(object, "location");
    if (const json::value* process = object.if_contains("process_request"); process && !process->is_null()) {
        if (!process->is_bool()) throw BadControlRequest("process_request must be true, false or null");
        fault.process_request = process->get_bool() ? 1 : 0;
    }
    return fault;
}

json::value requests_json(const std::vector<RecordedRequest>& requests, std::size_t since) {
    json::array list;
    for (std::size_t i = since; i < requests.size(); ++i) {
        const RecordedRequest& request = requests[i];
        json::array headers;
        for (const auto& [name, value] : request.headers)
            headers.push_back(json::array{json::value(name), json::value(value)});
        list.push_back(json::object{{"method", request.method},
                                    {"target", request.target},
                                    {"path", request.path},
                                    {"query", request.query},
                                    {"headers", std::move(headers)},
                                    {"body", request.body},
                                    {"connection_id", request.connection_id}});
    }
    return list;
}

SeedSpec seed_from_json(const json::object& body) {
    SeedSpec spec;
    spec.contacts = static_cast<int>(integer_field(body, "contacts", 0));
    spec.tickets = static_cast<int>(integer_field(body, "tickets", 0));
    spec.agents = static_cast<int>(integer_field(body, "agents", 0));
    spec.groups = static_cast<int>(integer_field(body, "groups", 0));
    spec.companies = static_cast<int>(integer_field(body, "companies", 0));
    spec.seed = static_cast<std::uint32_t>(integer_field(body, "seed", 1));
    spec.days_back = static_cast<int>(integer_field(body, "days_back", spec.days_back));
    spec.statuses = integer_list(body, "statuses", spec.statuses);
    spec.priorities = integer_list(body, "priorities", spec.priorities);
    return spec;
}

HttpResponse not_allowed() {
    return error_response(405, "method not allowed on this control path");
}

HttpResponse describe(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    if (request.method != "GET") return not_allowed();
    return json_response(200, json::object{{"base_url", sandbox.base_url()},
                                           {"ca_file", sandbox.ca_file().string()},
                                           {"api_key", sandbox.api_key()},
                                           {"domain", sandbox.domain()},
                                           {"control_url", sandbox.control_url()}});
}

HttpResponse counters(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    if (request.method != "GET") return not_allowed();
    const Counters counters = sandbox.counters();
    return json_response(200, json::object{{"requests", counters.requests},
                                           {"connections_accepted", counters.connections_accepted},
                                           {"tls_handshakes", counters.tls_handshakes},
                                           {"bytes_received", counters.bytes_received},
                                           {"bytes_sent", counters.bytes_sent}});
}

HttpResponse request_log(Sandbox& sandbox, const HttpRequest& request, const RequestTarget& target) {
    if (request.method == "DELETE") {
        sandbox.clear_requests();
        return empty_response(204);
    }
    if (request.method != "GET") return not_allowed();
    std::size_t since = 0;
    if (std::optional<QueryParams> query = QueryParams::parse(target.raw_query)) {
        if (const std::string* text = query->find("since")) {
            const std::optional<std::int64_t> number = parse_integer(*text);
            if (!number || *number < 0) throw BadControlRequest("since must be a non-negative integer");
            since = static_cast<std::size_t>(*number);
        }
    }
    return json_response(200, requests_json(sandbox.requests(), since));
}

HttpResponse faults(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    if (request.method == "GET") return json_response(200, json::object{{"pending", sandbox.pending_faults()}});
    if (request.method == "DELETE") {
        sandbox.clear_faults();
        return empty_response(204);
    }
    if (request.method != "POST") return not_allowed();
    boost::system::error_code error;
    const json::value body = json::parse(request.body, error);
    if (error || (!body.is_array() && !body.is_object()))
        throw BadControlRequest("the body must be a fault object or an array of them");
    std::vector<Fault> parsed;
    for (const json::value& item : body.is_array() ? body.get_array() : json::array{body}) {
        if (!item.is_object()) throw BadControlRequest("each fault must be an object");
        parsed.push_back(fault_from_json(item.get_object()));
    }
    for (const Fault& fault : parsed)
        sandbox.inject(fault);
    return json_response(201, json::object{{"pending", sandbox.pending_faults()}});
}

HttpResponse reset(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    if (request.method != "POST") return not_allowed();
    sandbox.reset();
    return empty_response(204);
}

HttpResponse seed(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    if (request.method != "POST") return not_allowed();
    const json::object body = parse_object(request.body);
    const std::string domain = string_field(body, "domain");
    if (domain.empty())
        sandbox.seed(seed_from_json(body));
    else
        sandbox.seed(domain, seed_from_json(body));
    return empty_response(204);
}

HttpResponse rate_limit(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    if (request.method != "PUT" && request.method != "POST") return not_allowed();
    const json::object body = parse_object(request.body);
    const std::int64_t budget = integer_field(body, "budget", -1);
    const std::int64_t window = integer_field(body, "window_seconds", 60);
    sandbox.set_rate_limit(budget, std::chrono::seconds(window));
    return empty_response(204);
}

HttpResponse latency(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    if (request.method == "GET") return json_response(200, json::object{{"ms", sandbox.response_latency().count()}});
    if (request.method != "PUT" && request.method != "POST") return not_allowed();
    const json::object body = parse_object(request.body);
    sandbox.set_response_latency(std::chrono::milliseconds(integer_field(body, "ms", -1)));
    return empty_response(204);
}

HttpResponse accounts(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    auto domains = [&] {
        json::array list;
        for (const std::string& domain : sandbox.account_domains())
            list.emplace_back(domain);
        return list;
    };
    if (request.method == "GET") return json_response(200, json::object{{"domains", domains()}});
    if (request.method != "POST") return not_allowed();
    const json::object body = parse_object(request.body);
    AccountSpec spec{string_field(body, "domain"), string_field(body, "api_key"), {}};
    if (const json::value* seed = body.if_contains("seed"); seed && !seed->is_null()) {
        if (!seed->is_object()) throw BadControlRequest("seed must be an object");
        spec.seed = seed_from_json(seed->get_object());
    }
    sandbox.add_account(spec);
    return json_response(201, json::object{{"domains", domains()}});
}

HttpResponse shutdown(Sandbox& sandbox, const HttpRequest& request, const RequestTarget&) {
    if (request.method != "POST") return not_allowed();
    sandbox.request_shutdown();
    return json_response(202, json::object{{"shutting_down", true}});
}

using ControlEndpoint = HttpResponse (*)(Sandbox&, const HttpRequest&, const RequestTarget&);

constexpr std::pair<std::string_view, ControlEndpoint> kEndpoints[] = {{"/control", describe},
                                                                       {"/control/counters", counters},
                                                                       {"/control/requests", request_log},
                                                                       {"/control/faults", faults},
                                                                       {"/control/reset", reset},
                                                                       {"/control/seed", seed},
                                                                       {"/control/rate_limit", rate_limit},
                                                                       {"/control/latency", latency},
                                                                       {"/control/accounts", accounts},
                                                                       {"/control/shutdown", shutdown}};

HttpResponse dispatch(Sandbox& sandbox, const HttpRequest& request, const RequestTarget& target) {
    std::string path = target.path;
    if (path.size() > 1 && path.back() == '/') path.pop_back();
    for (const auto& [endpoint_path, endpoint] : kEndpoints)
        if (path == endpoint_path) return endpoint(sandbox, request, target);
    return error_response(404, "unknown control path; see GET /control");
}

}  // namespace

HttpResponse handle_control_request(Sandbox& sandbox, const HttpRequest& request) {
    try {
        return dispatch(sandbox, request, split_target(request.target));
    } catch (const BadControlRequest& error) {
        return error_response(400, error.what());
    } catch (const std::invalid_argument& error) {
        return error_response(400, error.what());
    }
}

}  // namespace fdsandbox
