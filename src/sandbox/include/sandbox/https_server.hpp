// The API port: an asynchronous Beast HTTP/1.1 server over TLS (1.2+) on its own io_context
// and threads. It reads requests with limits, hands each to a handler, and writes the planned
// response, damaging it on the wire when the plan says so (fault injection). Every wait is
// bounded by a timeout; stop() closes everything and joins the threads.
#pragma once

#include "sandbox/certificates.hpp"
#include "sandbox/http_types.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace fdsandbox {

struct WireCounters {
    std::atomic<std::uint64_t> connections_accepted{0};
    std::atomic<std::uint64_t> tls_handshakes{0};
    std::atomic<std::uint64_t> bytes_received{0};  // HTTP bytes (after TLS) read
    std::atomic<std::uint64_t> bytes_sent{0};      // HTTP bytes (before TLS) written
};

struct ServerSettings {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
    unsigned threads = 1;
    std::chrono::milliseconds idle_timeout{30000};
    std::chrono::milliseconds io_timeout{10000};
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 16 * 1024 * 1024;
};

// Called on a server thread, once per request read; the same connection waits for the answer.
using RequestHandler = std::function<ResponsePlan(HttpRequest&&)>;

class HttpsServer {
  public:
    HttpsServer(ServerSettings settings, const CertificateBundle& certificates, RequestHandler handler,
                WireCounters& counters);
    ~HttpsServer();  // stops
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;

    void start();  // binds and listens (throws on failure), then serves on its threads
    void stop();   // idempotent
    std::uint16_t port() const;

    struct Impl;  // public so that the sessions in the .cpp can name it

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace fdsandbox
