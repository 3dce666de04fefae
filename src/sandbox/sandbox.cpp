#include "sandbox/sandbox.hpp"

#include "sandbox/account_registry.hpp"
#include "sandbox/api_router.hpp"
#include "sandbox/certificates.hpp"
#include "sandbox/control_api.hpp"
#include "sandbox/control_server.hpp"
#include "sandbox/faults.hpp"
#include "sandbox/field_rules.hpp"
#include "sandbox/https_server.hpp"
#include "sandbox/rate_limiter.hpp"
#include "sandbox/seeding.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <stdexcept>

namespace fdsandbox {

struct Sandbox::Impl {
    explicit Impl(Config config_in) : config(std::move(config_in)), latency_ms(config.response_latency.count()) {}

    ResponsePlan handle_api_request(HttpRequest&& request);
    HostedAccount& add_account(const std::string& domain, const std::string& api_key);
    void write_ca_file(const std::string& pem);  // to config.ca_file, else a fresh temp dir
    std::string url_host() const;

    Config config;
    RouterSettings router_settings;
    std::filesystem::path ca_file;
    std::filesystem::path temporary_directory;  // ours to remove, when ca_file was not given

    WireCounters wire;
    std::atomic<std::uint64_t> requests{0};

    mutable std::mutex log_mutex;
    std::deque<RecordedRequest> log;

    FaultQueue faults;

    AccountRegistry accounts;  // each account guarded by its own mutex
    std::atomic<std::int64_t> latency_ms{0};

    std::mutex shutdown_mutex;
    std::condition_variable shutdown_asked;
    bool shutdown_requested = false;

    std::mutex lifecycle_mutex;
    bool started = false;
    std::unique_ptr<HttpsServer> api_server;
    std::unique_ptr<ControlServer> control_server;
};

ResponsePlan Sandbox::Impl::handle_api_request(HttpRequest&& request) {
    requests.fetch_add(1, std::memory_order_relaxed);
    const RequestTarget target = split_target(request.target);
    {
        RecordedRequest record{request.method,  request.target, target.path,          target.raw_query,
                               request.headers, request.body,   request.connection_id};
        std::lock_guard lock(log_mutex);
        log.push_back(std::move(record));
        while (log.size() > config.max_recorded_requests)
            log.pop_front();
    }

    const std::optional<Fault> fault = faults.take(request.method, target.path);
    std::optional<HttpResponse> processed;
    FaultContext context{request.target, {}};
    if (!fault || fault_processes_request(*fault))
        processed = route_api_request(request, target, accounts, router_settings, now_unix_seconds(),
                                      RateLimiter::Clock::now());
    if (fault) {
        HostedAccount& primary = accounts.primary();
        std::lock_guard lock(primary.mutex);
        context.rate_limit_message = primary.limiter.exceeded_message();
    }
    ResponsePlan plan = fault ? plan_fault(*fault, std::move(processed), context) : ResponsePlan{std::move(*processed)};
    plan.latency = std::chrono::milliseconds(latency_ms.load(std::memory_order_relaxed));
    return plan;
}

HostedAccount& Sandbox::Impl::add_account(const std::string& domain, const std::string& api_key) {
    HostedAccount& hosted = accounts.add(domain, api_key, config.rate_limit_budget, config.rate_limit_window);
    std::lock_guard lock(hosted.mutex);
    seed_default_directory(hosted.account, now_unix_seconds());
    return hosted;
}

void Sandbox::Impl::write_ca_file(const std::string& pem) {
    if (config.ca_file.empty()) {
        std::string pattern = (std::filesystem::temp_directory_path() / "fd-sandbox-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("sandbox: cannot make a temporary directory");
        temporary_directory = pattern;
        ca_file = temporary_directory / "sandbox-ca.pem";
    } else {
        ca_file = config.ca_file;
    }
    std::ofstream out(ca_file, std::ios::binary | std::ios::trunc);
    out << pem;
    if (!out.flush()) throw std::runtime_error("sandbox: cannot write the CA file " + ca_file.string());
}

std::string Sandbox::Impl::url_host() const {
    const std::string& address = config.listen_address;
    if (address == "0.0.0.0") return "127.0.0.1";
    if (address == "::") return "[::1]";
    if (address.find(':') != std::string::npos) return "[" + address + "]";
    return address;
}

Sandbox::Sandbox(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {
    Impl& impl = *impl_;
    impl.add_account(impl.config.domain, impl.config.api_key);
    for (const AccountSpec& spec : impl.config.extra_accounts)
        add_account(spec);
    impl.router_settings.local_hosts = {"127.0.0.1", "localhost", to_lower(impl.config.listen_address)};
    for (const std::string& host : impl.config.certificate_hosts)
        impl.router_settings.local_hosts.push_back(to_lower(host));
    impl.router_settings.relaxed_ticket_fields = impl.config.relaxed_ticket_fields;
}

Sandbox::~Sandbox() {
    stop();
    if (!impl_->temporary_directory.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(impl_->temporary_directory, ignored);
    }
}

void Sandbox::start() {
    Impl& impl = *impl_;
    std::lock_guard lock(impl.lifecycle_mutex);
    if (impl.started) throw std::logic_error("Sandbox::start called twice");
    impl.started = true;

    const CertificateBundle certificates = make_certificates(impl.config.certificate_hosts);
    impl.write_ca_file(certificates.ca_certificate_pem);

    ServerSettings settings;
    settings.address = impl.config.listen_address;
    settings.port = impl.config.port;
    settings.threads = impl.config.threads;
    settings.idle_timeout = impl.config.idle_timeout;
    settings.io_timeout = impl.config.io_timeout;
    settings.max_header_bytes = impl.config.max_request_header_bytes;
    settings.max_body_bytes = impl.config.max_request_body_bytes;
    impl.api_server = std::make_unique<HttpsServer>(
        settings, certificates, [&impl](HttpRequest&& request) { return impl.handle_api_request(std::move(request)); },
        impl.wire);
    impl.api_server->start();

    if (impl.config.control_port_enabled) {
        impl.control_server = std::make_unique<ControlServer>(
            impl.config.listen_address, impl.config.control_port, impl.config.idle_timeout,
            [this](const HttpRequest& request) { return handle_control_request(*this, request); });
        impl.control_server->start();
    }
}

void Sandbox::stop() {
    Impl& impl = *impl_;
    std::lock_guard lock(impl.lifecycle_mutex);
    if (impl.control_server) impl.control_server->stop();
    if (impl.api_server) impl.api_server->stop();
}

std::string Sandbox::base_url() const {
    return "https://" + impl_->url_host() + ":" + std::to_string(port());
}

std::filesystem::path Sandbox::ca_file() const {
    return impl_->ca_file;
}

const std::string& Sandbox::api_key() const {
    return impl_->config.api_key;
}

const std::string& Sandbox::domain() const {
    return impl_->config.domain;
}

std::uint16_t Sandbox::port() const {
    return impl_->api_server ? impl_->api_server->port() : 0;
}

std::uint16_t Sandbox::control_port() const {
    return impl_->control_server ? impl_->control_server->port() : 0;
}

std::string Sandbox::control_url() const {
    return impl_->control_server ? "http://" + impl_->url_host() + ":" + std::to_string(control_port()) : "";
}

void Sandbox::inject(const Fault& fault) {
    impl_->faults.add(fault);
}

void Sandbox::clear_faults() {
    impl_->faults.clear();
}

std::size_t Sandbox::pending_faults() const {
    return impl_->faults.pending_uses();
}

void Sandbox::reset() {
    Impl& impl = *impl_;
    impl.faults.clear();
    const UnixSeconds now = now_unix_seconds();
    impl.accounts.for_each([now](HostedAccount& hosted) {
        std::lock_guard lock(hosted.mutex);
        hosted.account = Account{};
        hosted.account.domain = hosted.domain;
        seed_default_directory(hosted.account, now);
        hosted.limiter.reset_window();
    });
    clear_requests();
    impl.requests = 0;
    impl.wire.connections_accepted = 0;
    impl.wire.tls_handshakes = 0;
    impl.wire.bytes_received = 0;
    impl.wire.bytes_sent = 0;
}

void Sandbox::seed(const SeedSpec& spec) {
    seed(impl_->accounts.primary().domain, spec);
}

void Sandbox::seed(const std::string& domain, const SeedSpec& spec) {
    HostedAccount* hosted = impl_->accounts.find_by_domain(to_lower(domain));
    if (!hosted) throw std::invalid_argument("no account " + domain + " is served");
    std::lock_guard lock(hosted->mutex);
    seed_account(hosted->account, spec, now_unix_seconds());
}

void Sandbox::add_account(const AccountSpec& spec) {
    HostedAccount& hosted = impl_->add_account(spec.domain, spec.api_key);
    std::lock_guard lock(hosted.mutex);
    seed_account(hosted.account, spec.seed, now_unix_seconds());
}

std::vector<std::string> Sandbox::account_domains() const {
    std::vector<std::string> domains;
    impl_->accounts.for_each([&](HostedAccount& hosted) { domains.push_back(hosted.domain); });
    return domains;
}

void Sandbox::set_response_latency(std::chrono::milliseconds latency) {
    if (latency.count() < 0 || latency > std::chrono::minutes(10))
        throw std::invalid_argument("latency: from 0 to 600000 milliseconds");
    impl_->latency_ms = latency.count();
}

std::chrono::milliseconds Sandbox::response_latency() const {
    return std::chrono::milliseconds(impl_->latency_ms.load());
}

void Sandbox::set_rate_limit(std::int64_t budget, std::chrono::seconds window) {
    if (budget < 0 || window.count() < 1)
        throw std::invalid_argument("rate limit: budget >= 0 and a window of at least 1 second");
    impl_->config.rate_limit_budget = budget;  // for accounts added later
    impl_->config.rate_limit_window = window;
    impl_->accounts.for_each([&](HostedAccount& hosted) {
        std::lock_guard lock(hosted.mutex);
        hosted.limiter.configure(budget, window);
    });
}

Counters Sandbox::counters() const {
    const Impl& impl = *impl_;
    Counters counters;
    counters.requests = impl.requests.load();
    counters.connections_accepted = impl.wire.connections_accepted.load();
    counters.tls_handshakes = impl.wire.tls_handshakes.load();
    counters.bytes_received = impl.wire.bytes_received.load();
    counters.bytes_sent = impl.wire.bytes_sent.load();
    return counters;
}

std::vector<RecordedRequest> Sandbox::requests() const {
    std::lock_guard lock(impl_->log_mutex);
    return {impl_->log.begin(), impl_->log.end()};
}

void Sandbox::clear_requests() {
    std::lock_guard lock(impl_->log_mutex);
    impl_->log.clear();
}

void Sandbox::request_shutdown() {
    {
        std::lock_guard lock(impl_->shutdown_mutex);
        impl_->shutdown_requested = true;
    }
    impl_->shutdown_asked.notify_all();
}

bool Sandbox::wait_for_shutdown_request(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->shutdown_mutex);
    return impl_->shutdown_asked.wait_for(lock, timeout, [this] { return impl_->shutdown_requested; });
}

}  // namespace fdsandbox
