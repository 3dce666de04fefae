// The HTTPS client: async Beast over OpenSSL on the engine's io_context. One exchange is one
// logical request: given a connection by the pool (connection_pool.hpp: at most the account's
// cap open at once), sent, read through a parser with limits, and retried as retry_policy.hpp
// says, all within one deadline. Peer verification with a host-name check is always on;
// redirects are never followed.
#pragma once

#include "transport/connection_pool.hpp"
#include "transport/http_types.hpp"
#include "transport/rate_pacer.hpp"
#include "transport/retry_policy.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace fd::transport {

// The TLS contexts of clients, one per trust setting, made once and shared by every client given
// the same cache (the engine's and its lanes'): loading the system store costs tens of
// milliseconds. Thread-safe.
class TlsContextCache;
std::shared_ptr<TlsContextCache> make_tls_context_cache();

class HandshakeGate;  // handshake_gate.hpp

struct ClientOptions {
    std::size_t body_limit = 32u << 20;
    std::size_t header_limit = 64u << 10;
    // Idle keep-alive connections kept for reuse. The total is sized for a runner with about a
    // thousand runs in flight across a hundred accounts (bench/scale_bench.sh): at 128, seven in
    // eight of those connections were closed after each run and opened again.
    PoolLimits pool_limits;
    RetryLimits retry;
    std::string user_agent;
    std::string extra_ca_file;  // the host's CA bundle, trusted for every endpoint
    // Shared by clients that talk to the same accounts (the engine's and its lanes'), so each
    // account is paced once; a client without one makes its own.
    std::shared_ptr<RatePacer> pacer;
    std::shared_ptr<TlsContextCache> tls_contexts;  // likewise: a client without one makes its own
    std::shared_ptr<ConnectionPool> pool;           // likewise; it caps connections per account
    std::shared_ptr<HandshakeGate> handshakes;      // likewise; it caps TLS handshakes in progress
};

// A running exchange. cancel() is thread-safe and idempotent.
class Exchange {
  public:
    virtual ~Exchange() = default;
    virtual void cancel() = 0;
};

using ExchangeDone = std::function<void(Outcome)>;

class HttpsClient {
  public:
    HttpsClient(boost::asio::io_context& io, ClientOptions options);
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    // Starts an exchange. `done` is called exactly once, on an io thread, never from inside
    // send().
    std::shared_ptr<Exchange> send(std::shared_ptr<const Endpoint> endpoint, HttpRequest request,
                                   std::chrono::steady_clock::time_point deadline, ExchangeDone done);

    // Drops its idle pooled connections (the exchanges in flight are the caller's to cancel).
    // The destructor does too: they cannot outlive the io_context that drives them. So destroy
    // a client only once its exchanges have finished (the engine does: its threads are joined
    // and its lanes idle first); one finishing later could give a connection back to the pool.
    void close_idle();

    struct Impl;

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace fd::transport
