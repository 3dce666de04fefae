// The plain request/response values passed between the wire (https_server, control_server)
// and the sandbox's logic, so that the logic needs no Beast.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fdsandbox {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

bool iequals(std::string_view a, std::string_view b);
// The first header called `name` (case-insensitive); nullptr when absent.
const std::string* find_header(const HeaderList& headers, std::string_view name);

struct HttpRequest {
    std::string method;  // as sent, e.g. "GET"
    std::string target;  // path and query as sent
    HeaderList headers;
    std::string body;
    bool keep_alive = true;
    std::uint64_t connection_id = 0;
};

struct HttpResponse {
    int status = 200;
    HeaderList headers;  // Content-Length is added on the wire
    std::string body;
};

// How the wire sends a response: normally, or damaged on purpose (fault injection).
enum class WireAction {
    normal,
    delay_before_headers,    // wait `delay`, then send normally
    slow_body,               // headers, then `chunk_bytes` of body every `delay`
    reset_mid_body,          // headers and half the body, then a TCP reset
    short_body,              // Content-Length `extra_length` bytes longer than the body, then close
    close_without_response,  // close the connection, send nothing
};

struct ResponsePlan {
    HttpResponse response;
    // Waited on a timer before the action starts: the account's latency for every answer.
    std::chrono::milliseconds latency{0};
    WireAction action = WireAction::normal;
    std::chrono::milliseconds delay{0};
    std::size_t chunk_bytes = 1;
    std::size_t extra_length = 0;
};

}  // namespace fdsandbox
