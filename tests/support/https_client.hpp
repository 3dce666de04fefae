// A small blocking HTTP/1.1 client for tests and benchmarks: Beast over TLS (or plain TCP),
// one keep-alive connection at a time, reconnecting when the previous one closed. It trusts
// a given CA file, verifies the peer's host name, bounds every call by a timeout, and records
// nothing. Errors are thrown as ClientError. Light header: no Boost.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace fdtest {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Response {
    int status = 0;
    Headers headers;  // in the order received
    std::string body;
    bool keep_alive = true;

    const std::string* find_header(std::string_view name) const;  // case-insensitive
    std::string header(std::string_view name) const;              // "" when absent
    bool has_header(std::string_view name) const { return find_header(name) != nullptr; }
};

struct ClientOptions {
    std::string host = "127.0.0.1";  // where to connect
    std::uint16_t port = 443;
    bool tls = true;
    std::string ca_file;                       // PEM file of trusted CAs; empty: the system's
    bool verify_peer = true;                   // certificate chain and host name
    std::string server_name;                   // SNI and the name verified; empty: `host`
    std::string host_header;                   // Host; empty: "host:port"
    Headers default_headers;                   // sent with every request unless given per request
    std::chrono::milliseconds timeout{10000};  // per request: connect, handshake, write and read
    std::size_t body_limit = 64 * 1024 * 1024;
    bool keep_alive = true;   // false: "Connection: close" and a new connection per request
    int max_tls_version = 0;  // an OpenSSL protocol version (0x0303 is TLS 1.2); 0: no cap
};

// "https://127.0.0.1:8443" -> host, port, tls; the rest of the options as given.
ClientOptions options_for_url(std::string_view base_url, ClientOptions options = {});

std::string basic_authorization(std::string_view user, std::string_view password);  // "Basic ..."

class ClientError : public std::runtime_error {
  public:
    enum class Stage { connect, handshake, write, read };
    ClientError(Stage stage, std::error_code code, int status_received, const std::string& what);
    Stage stage() const { return stage_; }
    std::error_code code() const { return code_; }
    // The status line's code when the response headers arrived before the failure, else 0.
    int status_received() const { return status_received_; }

  private:
    Stage stage_;
    std::error_code code_;
    int status_received_;
};

class HttpsClient {
  public:
    explicit HttpsClient(ClientOptions options);
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    Response request(std::string_view method, std::string_view target, std::string_view body = {},
                     const Headers& headers = {});
    Response get(std::string_view target, const Headers& headers = {}) { return request("GET", target, {}, headers); }
    Response del(std::string_view target, const Headers& headers = {}) {
        return request("DELETE", target, {}, headers);
    }
    // With Content-Type: application/json unless `headers` has one.
    Response post_json(std::string_view target, std::string_view json, const Headers& headers = {});
    Response put_json(std::string_view target, std::string_view json, const Headers& headers = {});

    // Opens a new connection (TLS handshake included) sends `bytes` as they are, and returns
    // whatever comes back until the peer closes or `wait` passes. For malformed traffic.
    std::string send_raw(std::string_view bytes, std::chrono::milliseconds wait);

    void disconnect();
    bool connected() const;
    std::uint64_t connections_opened() const;  // TCP connections this client made

    const ClientOptions& options() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fdtest
