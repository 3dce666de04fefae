// The Freshdesk sandbox: a local emulator of Freshdesk API v2 (contacts, tickets, conversations,
// attachments, search, agents, groups, companies, ticket and contact fields) over HTTPS on
// loopback, for test runs, our tests and benchmarks. What it emulates and where it knowingly
// differs is docs/sandbox.md; Freshdesk's behaviour is docs/freshdesk.md. This header stays
// light (std only): the server lives behind a pimpl.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fdsandbox {

// Deterministic data: the same spec gives the same objects (ids, fields, timestamps relative
// to `now`).
struct SeedSpec {
    int contacts = 0;
    int tickets = 0;
    // Directory entries added to the account's defaults (every account starts with 4 agents,
    // the API key's owner first, 3 groups and 3 companies).
    int agents = 0;
    int groups = 0;
    int companies = 0;
    std::uint32_t seed = 1;
    // Spread of created_at/updated_at: from now back to `days_back` days (so some fall outside
    // the ticket list's one-month default window).
    int days_back = 90;
    // Seeded ticket i gets statuses[i % size] and priorities[(i / statuses.size()) % size], so
    // every combination appears evenly and counts are predictable.
    std::vector<int> statuses = {2, 3, 4, 5};
    std::vector<int> priorities = {1, 2, 3, 4};
    // Conversations on each seeded ticket, oldest first: a public reply, then a private note,
    // and so on.
    int conversations_per_ticket = 0;
};

// The data every node record's examples rely on, and what flowrun's embedded sandbox starts
// with: 5 contacts, 10 tickets with 3 conversations each, and the default directory.
SeedSpec example_seed();

// Another account of the same sandbox: reached with a Host header naming
// "{domain}.freshdesk.com", or with its API key on any local host name (127.0.0.1...).
struct AccountSpec {
    std::string domain;
    std::string api_key;
    SeedSpec seed;  // applied when the account is added
};

struct Config {
    std::string listen_address = "127.0.0.1";
    std::uint16_t port = 0;             // 0: an ephemeral port, see Sandbox::port()
    bool control_port_enabled = false;  // plain-HTTP JSON control channel on loopback
    std::uint16_t control_port = 0;     // 0: ephemeral, see Sandbox::control_port()
    std::string api_key = "sandbox-api-key";
    std::string domain = "sandbox";  // the primary account: "{domain}.freshdesk.com" is its host name
    // Where the generated CA certificate (PEM) is written. Empty: a file in a fresh temp dir.
    std::filesystem::path ca_file;
    // Host names / IPs the server certificate is issued for (SAN). Change it to test host-name
    // verification failures.
    std::vector<std::string> certificate_hosts = {"127.0.0.1", "localhost"};
    // Rate limit of each account: a fixed window of `rate_limit_window` holding
    // `rate_limit_budget` credits.
    std::int64_t rate_limit_budget = 3000;
    std::chrono::seconds rate_limit_window{60};
    // Freshdesk's default account requires subject/description/status/priority on ticket
    // create; relaxed mode applies the documented defaults instead (docs/freshdesk.md,
    // "POST /api/v2/tickets").
    bool relaxed_ticket_fields = false;
    // Accounts served besides the primary one, each with its own data and rate-limit window
    // (see AccountSpec).
    std::vector<AccountSpec> extra_accounts;
    // Added before every API answer (faults' delays come on top), waited on a timer: no thread
    // is held while an answer waits.
    std::chrono::milliseconds response_latency{0};
    unsigned threads = 1;
    // Connection limits. Every wait is bounded: an idle keep-alive connection (or one that
    // sends a request too slowly) is closed after `idle_timeout`; a TLS handshake or a write
    // that makes no progress for `io_timeout` is abandoned.
    std::chrono::milliseconds idle_timeout{30000};
    std::chrono::milliseconds io_timeout{10000};
    std::size_t max_request_header_bytes = 16 * 1024;
    // Larger bodies get 413. Above Freshdesk's 20 MB of attachments per request, so that a
    // larger upload meets Freshdesk's own error.
    std::size_t max_request_body_bytes = 32 * 1024 * 1024;
    // requests() keeps the most recent this many requests (older ones are dropped).
    std::size_t max_recorded_requests = 100000;
};

// What a client sent, as the sandbox received it (for tests asserting method/path/query/body).
struct RecordedRequest {
    std::string method;
    std::string target;  // path and query as sent
    std::string path;    // decoded path without query
    std::string query;   // raw query string without '?'
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::uint64_t connection_id = 0;  // which accepted connection carried it
};

struct Counters {
    std::uint64_t requests = 0;              // HTTP requests read on the API port
    std::uint64_t connections_accepted = 0;  // TCP connections accepted on the API port
    std::uint64_t tls_handshakes = 0;        // completed TLS handshakes
    std::uint64_t bytes_received = 0;        // HTTP bytes read (after TLS decryption)
    std::uint64_t bytes_sent = 0;            // HTTP bytes written (before TLS encryption)
};

enum class FaultKind {
    delay_before_headers,    // wait `delay`, then answer normally
    slow_body,               // answer normally but drip the body: `chunk_bytes` every `delay`
    reset_mid_body,          // send headers and part of the body, then reset the connection
    short_body,              // Content-Length larger than the body sent, then close
    malformed_json,          // 200 (or `status`) with a body that is not valid JSON
    status,                  // answer `status` (500/502/503...) with `body`
    rate_limited,            // 429 with Retry-After: `retry_after_seconds`
    close_without_response,  // read the request, then close without answering
    oversized_body,          // 200 with a valid JSON body of `size_bytes`
    redirect,                // `status` (default 302) with Location: `location`
};

struct Fault {
    FaultKind kind = FaultKind::status;
    int count = 1;            // applies to the next `count` matching requests
    std::string path_prefix;  // only requests whose path starts with it ("" = any)
    std::string method;       // only this method ("" = any)
    int status = 0;           // kind-specific; 0 = the kind's default
    std::string body;         // kind-specific; "" = the kind's default
    std::chrono::milliseconds delay{0};
    std::size_t chunk_bytes = 1;
    // oversized_body: the body's size (0 = 16 MiB); short_body: how many bytes Content-Length
    // overstates (0 = 64).
    std::size_t size_bytes = 0;
    int retry_after_seconds = 1;
    std::string location;  // redirect; "" = https://redirected.example.com + the request target
    // Defaults of the other kinds: status 500 with Freshdesk's internal_error body (502/503/504
    // get an nginx-style HTML page); malformed_json cuts the real answer in half; a body-shaping
    // fault that does not process the request damages a stand-in 200 JSON answer.
    // Whether the request is carried out before the fault shapes the response. Default per
    // kind: status/rate_limited/redirect/close_without_response are not processed (the failure
    // happened in front of Freshdesk); the others are (Freshdesk did the work, the answer was
    // damaged on the way back). -1 = the kind's default, 0 = no, 1 = yes.
    int process_request = -1;
};

class Sandbox {
  public:
    explicit Sandbox(Config config = {});
    ~Sandbox();  // stops
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    void start();  // binds, makes the certificates, writes the CA file, serves
    void stop();   // closes everything and joins the threads; idempotent

    std::string base_url() const;  // "https://127.0.0.1:PORT" (clients append /api/v2/...)
    std::filesystem::path ca_file() const;
    const std::string& api_key() const;
    const std::string& domain() const;
    std::uint16_t port() const;
    std::uint16_t control_port() const;  // 0 when the control channel is off
    std::string control_url() const;     // "http://127.0.0.1:PORT", "" when off

    // Control interface (also reachable over the control port as JSON).
    void inject(const Fault& fault);
    void clear_faults();
    // Every account's data (back to its default directory), ids, rate-limit window; the
    // counters, request log and faults. Accounts and the latency stay.
    void reset();
    void seed(const SeedSpec& spec);  // the primary account
    void set_rate_limit(std::int64_t budget, std::chrono::seconds window);
    Counters counters() const;
    std::vector<RecordedRequest> requests() const;

    // Additions for tests and `flowrun sandbox`:
    std::size_t pending_faults() const;  // injected fault uses not yet consumed
    void clear_requests();               // empties the request log only
    // A shutdown asked for over the control channel (POST /control/shutdown) or by
    // request_shutdown(); the server keeps serving until stop().
    void request_shutdown();
    bool wait_for_shutdown_request(std::chrono::milliseconds timeout);  // true once asked

    // Several accounts (throw std::invalid_argument for a used or empty domain or key):
    void add_account(const AccountSpec& spec);
    void seed(const std::string& domain, const SeedSpec& spec);  // one account's data
    std::vector<std::string> account_domains() const;            // the primary one first
    void set_response_latency(std::chrono::milliseconds latency);
    std::chrono::milliseconds response_latency() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fdsandbox
