// What the transport sends and what comes back, without any Beast or Asio types, so the
// Freshdesk operations can build requests and read responses as plain data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fd::transport {

// Connections one account holds open at once unless its credentials say otherwise
// (max_connections): enough for any Freshdesk plan's rate limit at real latencies.
inline constexpr std::size_t kDefaultMaxConnections = 4;

// Where requests go and how they authenticate. Built from the credentials
// (freshdesk/connection_settings.hpp).
struct Endpoint {
    std::string host;  // DNS name or IP literal (IPv6 without brackets)
    std::uint16_t port = 443;
    std::string host_header;    // "host" or "host:port"
    std::string base_path;      // e.g. "/api/v2"
    std::string ca_file;        // extra PEM trust anchors; "" for the system store only
    std::string authorization;  // "Basic ..." - a secret: never logged, never in messages
    std::string credential_id;  // a digest of the key: keeps pooled connections per credential
    std::size_t max_connections = kDefaultMaxConnections;  // open at once for this account
    // Freshdesk limits rates per account: "host:port|credential_id". The pool keys idle
    // connections by account and trust anchors: account + "|" + ca_file. Set by finish().
    std::string account;
    std::string pool_key;

    void finish() {
        account = host + ":" + std::to_string(port) + "|" + credential_id;
        pool_key = account + "|" + ca_file;
    }
};

struct HttpRequest {
    std::string method;        // "GET", "POST", "PUT" or "DELETE"
    std::string target;        // below base_path, with its query: "/tickets/6?include=description"
    std::string body;          // empty for none
    std::string content_type;  // of the body; "" means application/json
};

// A response's header fields as received, in order: the names and values are kept in one block
// of text (two allocations for the whole head rather than two per field).
class HttpHeaders {
  public:
    void reserve(std::size_t fields, std::size_t text) {
        fields_.reserve(fields);
        text_.reserve(text);
    }
    void add(std::string_view name, std::string_view value) {
        fields_.push_back({text_.size(), name.size(), text_.size() + name.size(), value.size()});
        text_.append(name).append(value);
    }
    std::size_t size() const { return fields_.size(); }
    std::string_view name(std::size_t i) const { return view(fields_[i].name_at, fields_[i].name_size); }
    std::string_view value(std::size_t i) const { return view(fields_[i].value_at, fields_[i].value_size); }

  private:
    struct Field {
        std::size_t name_at, name_size, value_at, value_size;
    };
    std::string_view view(std::size_t at, std::size_t size) const { return std::string_view(text_).substr(at, size); }
    std::string text_;
    std::vector<Field> fields_;
};

struct HttpResponse {
    int status = 0;
    HttpHeaders headers;
    std::string body;

    // The first header of that name (case-insensitive); empty when absent.
    std::string_view header(std::string_view name) const;
};

enum class FailureKind {
    resolve,       // DNS
    connect,       // TCP
    tls,           // handshake or certificate
    send,          // writing the request
    receive,       // reading the response: reset, truncated, malformed
    too_large,     // the response passed the body or header limit
    timeout,       // the deadline passed
    cancelled,     // run_cancel or shutdown
    rate_limited,  // held back: the account's rate limit frees up only after the deadline
};

// No usable answer.
struct Failure {
    FailureKind kind = FailureKind::receive;
    std::string detail;             // what failed and where; never a secret
    int status_line = 0;            // the status code if a status line arrived
    bool may_have_reached = false;  // the request was (or may have been) fully sent
    bool permanent = false;         // retrying cannot help: untrusted certificate, unknown host
};

// The end of one exchange, retries included: either the last response or the failure.
struct Outcome {
    std::optional<HttpResponse> response;
    Failure failure;   // meaningful when !response
    int attempts = 0;  // requests started, retries included
};

}  // namespace fd::transport
