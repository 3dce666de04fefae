#include "transport/https_client.hpp"
#include "transport/handshake_gate.hpp"
#include "transport/tls_stream.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace fd::transport {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string_view HttpResponse::header(std::string_view name) const {
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (beast::iequals(headers.name(i), name)) return headers.value(i);
    }
    return {};
}

namespace {

struct Connection final : PooledConnection {
    Connection(asio::io_context& io_context, std::shared_ptr<ssl::context> tls, TlsStream::SocketMethod method)
        : context(std::move(tls)), stream(io_context, context->native_handle(), std::move(method)) {
        io = &io_context;
    }

    // Whether an idle connection can carry another request: the peer has not closed it and
    // sent nothing unasked (a close_notify or an alert).
    bool reusable() override {
        if (buffer.size() != 0 || stream.has_buffered_input()) return false;
        auto& socket = stream.socket();
        if (!socket.is_open()) return false;
        char byte = 0;
        const ssize_t peeked = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }

    std::shared_ptr<ssl::context> context;  // outlives the stream that uses it
    TlsStream stream;
    beast::flat_buffer buffer;
};

// Reads a response straight into an HttpResponse: the status, the headers in arrival order and
// the body, within Beast's limits (basic_parser checks them). Beast's response_parser kept the
// head in its own fields container, which then had to be copied into ours.
class AnswerParser final : public http::basic_parser<false> {
  public:
    HttpResponse response;

  private:
    void on_request_impl(http::verb, beast::string_view, beast::string_view, int, beast::error_code&) override {}
    void on_response_impl(int status, beast::string_view, int, beast::error_code&) override {
        response.status = status;
        response.headers.reserve(16, 1024);  // Freshdesk sends about a dozen, in under a kilobyte
    }
    void on_field_impl(http::field, beast::string_view name, beast::string_view value, beast::error_code&) override {
        response.headers.add(name, value);
    }
    void on_header_impl(beast::error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
        if (length) response.body.reserve(static_cast<std::size_t>(*length));  // at most body_limit
    }
    std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
        response.body.append(body.data(), body.size());
        return body.size();
    }
    void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
        response.body.append(body.data(), body.size());
        return body.size();
    }
    void on_finish_impl(beast::error_code&) override {}
};

// The pool hands back what the client put in: always a Connection.
std::unique_ptr<Connection> as_connection(std::unique_ptr<PooledConnection> pooled) {
    return std::unique_ptr<Connection>(static_cast<Connection*>(pooled.release()));
}

double jitter() {
    thread_local std::minstd_rand generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::chrono::milliseconds until(Clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

std::string describe(const boost::system::error_code& error) {
    if (error == ssl::error::stream_truncated) return "the connection was closed in the middle of the response";
    if (error == asio::error::eof || error == http::error::end_of_stream) return "the connection was closed";
    if (error == http::error::partial_message) return "the response ended before its declared length";
    if (error == asio::error::connection_reset) return "the connection was reset";
    if (error == http::error::body_limit) return "the response body is larger than the limit";
    if (error == http::error::header_limit) return "the response headers are larger than the limit";
    if (error.category() == http::make_error_code(http::error::bad_version).category()) {
        return "the response is not valid HTTP (" + error.message() + ")";
    }
    return error.message();
}

// The request as it goes on the wire, head and body in one buffer, so it is one TLS write. Put
// together here rather than by Beast's serializer, which cost about a tenth of a warm call
// (bench/cpu_per_call.sh) for a head of five fixed fields. Content-Length as Beast's
// prepare_payload sets it: with a body, and always for POST and PUT.
std::string request_bytes(const Endpoint& endpoint, const std::string& user_agent, HttpRequest request) {
    // What came from outside (the target's inputs, the credentials) is encoded or checked before
    // it gets here; a line break would still split the head, so it is refused outright.
    for (std::string_view piece :
         {std::string_view(request.method), std::string_view(request.target), std::string_view(request.content_type),
          std::string_view(endpoint.base_path), std::string_view(endpoint.host_header),
          std::string_view(endpoint.authorization), std::string_view(user_agent)}) {
        if (piece.find_first_of("\r\n") != std::string_view::npos) {
            throw std::invalid_argument("a line break inside the request line or a header");
        }
    }
    const bool with_length = !request.body.empty() || request.method == "POST" || request.method == "PUT";
    std::string head;
    head.reserve(256 + endpoint.base_path.size() + request.target.size() + request.body.size());
    head.append(request.method).append(" ").append(endpoint.base_path).append(request.target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(endpoint.host_header).append("\r\n");
    head.append("Authorization: ").append(endpoint.authorization).append("\r\n");
    head.append("User-Agent: ").append(user_agent).append("\r\n");
    head.append("Accept: application/json\r\n");
    if (!request.body.empty()) {
        head.append("Content-Type: ")
            .append(request.content_type.empty() ? "application/json" : request.content_type)
            .append("\r\n");
    }
    if (with_length) head.append("Content-Length: ").append(std::to_string(request.body.size())).append("\r\n");
    head.append("\r\n");
    return head.append(request.body);
}

}  // namespace

class TlsContextCache {
  public:
    // The context for `extra_ca_file` plus `ca_file` (either may be empty: the system store only).
    std::shared_ptr<ssl::context> get(const std::string& extra_ca_file, const std::string& ca_file) {
        std::lock_guard lock(mutex_);
        auto& slot = contexts_[extra_ca_file + '\n' + ca_file];
        if (slot) return slot;
        auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
        context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                             ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
        SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
        context->set_default_verify_paths();
        if (!extra_ca_file.empty()) context->load_verify_file(extra_ca_file);
        if (!ca_file.empty()) context->load_verify_file(ca_file);
        context->set_verify_mode(ssl::verify_peer);
        slot = std::move(context);
        return slot;
    }

  private:
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<ssl::context>> contexts_;
};

std::shared_ptr<TlsContextCache> make_tls_context_cache() {
    return std::make_shared<TlsContextCache>();
}

using Strand = asio::strand<asio::io_context::executor_type>;

struct HttpsClient::Impl {
    Impl(asio::io_context& context, ClientOptions client_options)
        : io(context),
          options(std::move(client_options)),
          pacer(options.pacer ? options.pacer : std::make_shared<RatePacer>()),
          tls_contexts(options.tls_contexts ? options.tls_contexts : make_tls_context_cache()),
          pool(options.pool ? options.pool : std::make_shared<ConnectionPool>(options.pool_limits)),
          handshakes(options.handshakes ? options.handshakes : std::make_shared<HandshakeGate>()),
          socket_method(TlsStream::make_socket_method()) {
        constexpr int kStrands = 16;
        for (int i = 0; i < kStrands; ++i)
            strands.push_back(asio::make_strand(io));
    }

    // Exchanges take turns over a few strands rather than making one each: a strand costs two
    // allocations and a lock to make, and what it guarantees (one exchange's handlers never run
    // at once) holds just as well when a few exchanges share one.
    Strand next_strand() { return strands[next_strand_index++ % strands.size()]; }

    std::shared_ptr<ssl::context> context_for(const std::string& ca_file) {
        return tls_contexts->get(options.extra_ca_file, ca_file);
    }

    asio::io_context& io;
    ClientOptions options;
    std::shared_ptr<RatePacer> pacer;
    std::shared_ptr<TlsContextCache> tls_contexts;
    std::shared_ptr<ConnectionPool> pool;
    std::shared_ptr<HandshakeGate> handshakes;
    TlsStream::SocketMethod socket_method;
    std::vector<Strand> strands;
    std::atomic<std::size_t> next_strand_index{0};
};

namespace {

// What one attempt of an exchange has done so far: what a failure means depends on it.
struct AttemptState {
    int number = 0;              // 1 for the first attempt
    bool reused = false;         // on a pooled connection
    bool write_started = false;  // the request may be on the wire
    std::size_t bytes_written = 0;
};

// One exchange, as in Beast's async SSL client: one member per step (resolve, connect,
// handshake, write, read), each ending the same way on error: fail(). Every step runs on the
// strand, so cancel, deadline and I/O never race.
class ExchangeOp final : public Exchange, public std::enable_shared_from_this<ExchangeOp> {
  public:
    ExchangeOp(std::shared_ptr<HttpsClient::Impl> client, std::shared_ptr<const Endpoint> endpoint, HttpRequest request,
               Clock::time_point deadline, ExchangeDone done)
        : client_(std::move(client)),
          endpoint_(std::move(endpoint)),
          method_(request.method),
          deadline_(deadline),
          done_(std::move(done)),
          strand_(client_->next_strand()),
          deadline_timer_(strand_),
          wait_timer_(strand_) {
        wire_ = request_bytes(*endpoint_, client_->options.user_agent, std::move(request));
    }

    // Called in the caller's thread, before anyone else can see this exchange. With a pooled
    // connection and nothing to wait for, the request is written right here: that saves
    // waking an io thread just to start, which costs about as much as a loopback request.
    // Writing (or queueing for a connection) is the last thing this thread does to the
    // exchange; from then on every step runs on the strand.
    void start() {
        const bool hold = client_->pacer->delay(endpoint_->account, Clock::now()).count() > 0;
        if (hold || Clock::now() >= deadline_) {
            asio::post(strand_, [self = shared_from_this()] {
                self->arm_deadline();
                self->paced_attempt();
            });
            return;
        }
        std::optional<Grant> grant = take_connection(true);
        if (grant && grant->connection) {
            use(std::move(*grant));  // writes here
            asio::post(strand_, [self = shared_from_this()] { self->arm_deadline(); });
            return;
        }
        asio::post(strand_, [self = shared_from_this(), grant = std::move(grant)]() mutable {
            self->arm_deadline();
            if (grant) self->use(std::move(*grant));  // a new connection: resolve on the strand
        });
    }

    void cancel() override {
        asio::post(strand_, [self = shared_from_this()] { self->abort(FailureKind::cancelled); });
    }

  private:
    template <class Handler>
    auto on_strand(Handler handler) {
        return asio::bind_executor(strand_, std::move(handler));
    }

    // What a queue (the pool's, the handshake gate's) calls when this exchange's turn comes,
    // perhaps on another thread: `step` runs on the strand. Until then it holds work on the io:
    // a lane's thread must not stop running it while the turn is on its way (the turn would sit
    // in a stopped io_context, its slot taken).
    template <class... Args>
    auto queued_turn(void (ExchangeOp::*step)(Args...)) {
        return
            [self = shared_from_this(), step,
             work = asio::prefer(client_->io.get_executor(), asio::execution::outstanding_work.tracked)](Args... args) {
                asio::post(self->strand_,
                           [self, step, ... args = std::move(args)]() mutable { ((*self).*step)(std::move(args)...); });
            };
    }

    void arm_deadline() {
        if (finished_) return;
        deadline_timer_.expires_at(deadline_);
        deadline_timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
            if (!error) self->abort(FailureKind::timeout);
        });
    }

    void new_attempt(std::unique_ptr<Connection> pooled) {
        attempt_ = AttemptState{attempt_.number + 1, pooled != nullptr, false, 0};
        connection_ = std::move(pooled);
        parser_.reset();
    }

    // Holds the request while the account's rate limit is used up, then starts an attempt.
    void paced_attempt(bool allow_pooled = true) {
        const std::chrono::milliseconds hold = client_->pacer->delay(endpoint_->account, Clock::now());
        if (hold.count() > 0) {
            if (Clock::now() + hold >= deadline_) {
                return finish_failure(Failure{FailureKind::rate_limited,
                                              "Freshdesk's API rate limit for this account frees up only in " +
                                                  std::to_string((hold.count() + 999) / 1000) +
                                                  " s, after the deadline; the request was not sent",
                                              0, false, false});
            }
            return wait_then(hold, "waiting for the rate limit of", allow_pooled);
        }
        std::optional<Grant> grant = take_connection(allow_pooled);
        if (grant) use(std::move(*grant));
    }

    // A connection from the pool, or a lease to open one, or nothing yet: at the account's cap
    // the exchange waits its turn and on_grant() gets it.
    std::optional<Grant> take_connection(bool reuse) {
        const Want want{endpoint_->account, endpoint_->pool_key, &client_->io, endpoint_->max_connections, reuse};
        // Set before the pool sees the exchange: once queued, its turn may come on another thread.
        waiting_ = true;
        stage_ = "waiting for a free connection to";
        std::optional<Grant> grant = client_->pool->take(want, queued_turn(&ExchangeOp::on_grant), ticket_);
        if (grant) waiting_ = false;
        return grant;
    }

    void on_grant(Grant grant) {
        if (finished_) {
            // Too late (the deadline or a cancel): the next one in line gets it.
            if (grant.connection) client_->pool->give_back(std::move(grant.connection));
            return;
        }
        waiting_ = false;
        use(std::move(grant));
    }

    void use(Grant grant) {
        new_attempt(grant.connection ? as_connection(std::move(grant.connection)) : nullptr);
        lease_ = std::move(grant.lease);
        if (connection_) return write();
        resolve();
    }

    void wait_then(std::chrono::milliseconds wait, const char* stage, bool allow_pooled) {
        stage_ = stage;
        wait_timer_.expires_after(wait);
        wait_timer_.async_wait([self = shared_from_this(), allow_pooled](boost::system::error_code) {
            if (!self->finished_) self->paced_attempt(allow_pooled);
        });
    }

    void resolve() {
        stage_ = "resolving";
        if (!resolver_) resolver_.emplace(strand_);
        resolver_->async_resolve(endpoint_->host, std::to_string(endpoint_->port),
                                 on_strand([self = shared_from_this()](boost::system::error_code error,
                                                                       tcp::resolver::results_type results) {
                                     self->on_resolved(error, std::move(results));
                                 }));
    }

    void on_resolved(boost::system::error_code error, tcp::resolver::results_type results) {
        if (finished_) return;  // aborted: already reported
        if (error) {
            const bool unknown = error == asio::error::host_not_found || error == asio::error::no_data;
            return fail(FailureKind::resolve, "cannot resolve " + endpoint_->host + " (" + error.message() + ")",
                        unknown);
        }
        std::shared_ptr<ssl::context> context;
        try {
            context = client_->context_for(endpoint_->ca_file);
        } catch (const std::exception& problem) {
            return fail(FailureKind::tls, "cannot load the trusted certificates (" + std::string(problem.what()) + ")",
                        true);
        }
        try {
            connection_ = std::make_unique<Connection>(client_->io, std::move(context), client_->socket_method);
        } catch (const std::exception& problem) {
            return fail(FailureKind::tls, problem.what());
        }
        connection_->account = endpoint_->account;
        connection_->key = endpoint_->pool_key;
        connection_->lease = std::move(lease_);
        stage_ = "connecting to";
        asio::async_connect(
            connection_->stream.socket(), results,
            on_strand([self = shared_from_this()](boost::system::error_code error, const tcp::endpoint&) {
                self->on_connected(error);
            }));
    }

    void on_connected(boost::system::error_code error) {
        if (finished_) return;
        if (error) return fail(FailureKind::connect, "cannot connect to " + where() + " (" + error.message() + ")");
        connection_->stream.socket().set_option(tcp::no_delay(true), error);
        stage_ = "waiting for a turn to start the TLS handshake with";
        if (!client_->handshakes->enter(queued_turn(&ExchangeOp::on_handshake_turn), handshake_ticket_)) {
            waiting_for_handshake_ = true;
            return;
        }
        handshake();
    }

    void on_handshake_turn() {
        waiting_for_handshake_ = false;
        if (finished_) return client_->handshakes->leave();  // too late: the next one in line
        handshake();
    }

    // Holds one of the gate's slots from here until on_handshake.
    void handshake() {
        verify_peer_name(connection_->stream.native_handle());
        stage_ = "in the TLS handshake with";
        connection_->stream.async_handshake(
            on_strand([self = shared_from_this()](boost::system::error_code error) { self->on_handshake(error); }));
    }

    // SNI, and the name (or address) the certificate must carry.
    void verify_peer_name(SSL* ssl) const {
        boost::system::error_code not_an_address;
        asio::ip::make_address(endpoint_->host, not_an_address);
        if (!not_an_address) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), endpoint_->host.c_str());
            return;
        }
        SSL_set_tlsext_host_name(ssl, endpoint_->host.c_str());
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        SSL_set1_host(ssl, endpoint_->host.c_str());
    }

    void on_handshake(boost::system::error_code error) {
        client_->handshakes->leave();
        if (finished_) return;
        if (!error) return write();
        const long verify = SSL_get_verify_result(connection_->stream.native_handle());
        if (verify != X509_V_OK) {
            return fail(
                FailureKind::tls,
                "the certificate of " + where() + " is not trusted (" + X509_verify_cert_error_string(verify) + ")",
                true);
        }
        fail(FailureKind::tls, "the TLS handshake with " + where() + " failed (" + error.message() + ")");
    }

    // Most requests go out whole at once: then the read starts right here, with no handler
    // posted only to say that the write is done (with run_start, a wake of the io thread per
    // call). What the socket does not take at once is written asynchronously. Called from the
    // caller's thread too (start), so a failure is reported from the strand, never from here.
    void write() {
        stage_ = "sending the request to";
        attempt_.write_started = true;
        boost::system::error_code error;
        std::size_t sent = 0;
        while (sent < wire_.size() && !error) {
            const std::size_t taken = connection_->stream.write_now(asio::buffer(wire_) + sent, error);
            if (taken == 0 && !error) break;
            sent += taken;
        }
        if (!error && sent == wire_.size()) return on_written(error, sent);
        if (error) {
            return asio::post(strand_, [self = shared_from_this(), error, sent] { self->on_written(error, sent); });
        }
        asio::async_write(
            connection_->stream, asio::buffer(wire_) + sent,
            on_strand([self = shared_from_this(), sent](boost::system::error_code error, std::size_t bytes) {
                self->on_written(error, sent + bytes);
            }));
    }

    void on_written(boost::system::error_code error, std::size_t bytes) {
        attempt_.bytes_written = bytes;
        if (finished_) return;
        if (error)
            return fail(FailureKind::send, "sending the request to " + where() + " failed (" + describe(error) + ")");
        parser_.emplace();
        parser_->body_limit(client_->options.body_limit);
        parser_->header_limit(static_cast<std::uint32_t>(client_->options.header_limit));
        stage_ = "waiting for the response from";
        http::async_read(connection_->stream, connection_->buffer, *parser_,
                         on_strand([self = shared_from_this()](boost::system::error_code error, std::size_t bytes) {
                             self->on_read(error, bytes);
                         }));
    }

    void on_read(boost::system::error_code error, std::size_t) {
        if (finished_) return;
        // A body that ends with the connection: the end of the stream completes it.
        if ((error == ssl::error::stream_truncated || error == http::error::end_of_stream) &&
            parser_->is_header_done() && !parser_->is_done() && parser_->need_eof()) {
            parser_->put_eof(error);
        }
        if (!error && parser_->is_done()) return on_response();
        const bool too_large = error == http::error::body_limit || error == http::error::header_limit;
        fail(too_large ? FailureKind::too_large : FailureKind::receive,
             "reading the response from " + where() + " failed: " + describe(error));
    }

    void on_response() {
        HttpResponse response = std::move(parser_->response);
        client_->pacer->observe(endpoint_->account, response.status, response.header("X-RateLimit-Remaining"),
                                response.header("Retry-After"), Clock::now());
        // Bytes after the response (nobody asked for them) would be read as the next answer.
        if (parser_->keep_alive() && connection_->buffer.size() == 0) client_->pool->give_back(std::move(connection_));
        connection_.reset();
        AttemptResult result = attempt_result();
        result.status = response.status;
        if (response.status == 429) {
            result.retry_after = parse_retry_after(response.header("Retry-After"), std::chrono::system_clock::now());
        }
        const RetryDecision decision = decide_retry(result, client_->options.retry, until(deadline_), jitter());
        if (decision.retry) return wait_then(decision.wait, "waiting to retry", true);
        Outcome outcome;
        outcome.response = std::move(response);
        finish(std::move(outcome));
    }

    AttemptResult attempt_result() const {
        AttemptResult result;
        result.method = method_;
        result.attempt = attempt_.number;
        result.bytes_written = attempt_.bytes_written > 0;
        result.stale_retried = stale_retried_;
        return result;
    }

    // The one way an attempt fails: retried as the policy says, or reported.
    void fail(FailureKind kind, std::string detail, bool permanent = false) {
        const int status_line = status_line_seen();
        const bool answered = parser_ && parser_->got_some();
        connection_.reset();
        lease_.reset();
        AttemptResult result = attempt_result();
        result.failure = kind;
        result.permanent = permanent;
        result.stale_connection = attempt_.reused && !answered;
        const RetryDecision decision = decide_retry(result, client_->options.retry, until(deadline_), jitter());
        last_failure_ = detail;
        if (decision.retry) {
            stale_retried_ = stale_retried_ || result.stale_connection;
            // A stale pooled connection is retried on a fresh one; anything else may use the pool.
            return wait_then(decision.wait, "waiting to retry", !result.stale_connection);
        }
        Failure failure;
        failure.kind = kind;
        failure.detail = std::move(detail);
        failure.status_line = status_line;
        failure.may_have_reached = kind == FailureKind::receive || kind == FailureKind::too_large ||
                                   (kind == FailureKind::send && attempt_.bytes_written > 0);
        failure.permanent = permanent;
        finish_failure(std::move(failure));
    }

    // The deadline or a cancel: report at once (a DNS lookup cannot be interrupted, so nothing
    // waits for the pending step), and close the socket so that step ends soon. The pending
    // handler finds the exchange finished and only lets go of it; the connection object lives
    // until then because an operation may still use it.
    void abort(FailureKind why) {
        if (finished_) return;
        if (resolver_) resolver_->cancel();
        wait_timer_.cancel();
        if (waiting_ && client_->pool->forget(endpoint_->account, ticket_)) waiting_ = false;
        // Not yet its turn: out of the queue. (A turn already on its way finds the exchange
        // finished and passes the slot on; a handshake in progress ends with the socket below.)
        if (waiting_for_handshake_ && client_->handshakes->forget(handshake_ticket_)) waiting_for_handshake_ = false;
        if (connection_) {
            boost::system::error_code ignored;
            connection_->stream.socket().cancel(ignored);
            connection_->stream.socket().close(ignored);
        }
        Failure failure;
        failure.kind = why;
        const std::string what = why == FailureKind::timeout ? "the deadline passed" : "the run was cancelled";
        failure.detail = what + " while " + stage_ + " " + where();
        if (!last_failure_.empty()) failure.detail += " (the last attempt: " + last_failure_ + ")";
        failure.status_line = status_line_seen();
        // A write still pending may already have put the whole request on the wire.
        failure.may_have_reached = attempt_.write_started;
        finish_failure(std::move(failure));
    }

    int status_line_seen() const { return parser_ && parser_->is_header_done() ? parser_->response.status : 0; }

    void finish_failure(Failure failure) {
        Outcome outcome;
        outcome.failure = std::move(failure);
        finish(std::move(outcome));
    }

    void finish(Outcome outcome) {
        if (finished_) return;
        finished_ = true;
        outcome.attempts = attempt_.number;
        deadline_timer_.cancel();
        wait_timer_.cancel();
        if (resolver_) resolver_->cancel();
        lease_.reset();
        ExchangeDone done = std::move(done_);
        done(std::move(outcome));
    }

    std::string where() const { return endpoint_->host_header; }

    std::shared_ptr<HttpsClient::Impl> client_;
    std::shared_ptr<const Endpoint> endpoint_;  // the run's settings, shared
    std::string method_;
    std::string wire_;  // the whole request as sent: written again as it is on a retry
    Clock::time_point deadline_;
    ExchangeDone done_;
    Strand strand_;
    std::optional<tcp::resolver> resolver_;  // made when first needed: most exchanges reuse a connection
    asio::steady_timer deadline_timer_;
    asio::steady_timer wait_timer_;
    std::unique_ptr<Connection> connection_;
    std::unique_ptr<ConnectionLease> lease_;  // to open a connection; passes into it
    std::uint64_t ticket_ = 0;                // in the pool's queue while waiting_
    bool waiting_ = false;
    std::uint64_t handshake_ticket_ = 0;  // in the handshake gate's queue while waiting_for_handshake_
    bool waiting_for_handshake_ = false;
    std::optional<AnswerParser> parser_;
    std::string stage_ = "starting";
    std::string last_failure_;  // what the last failed attempt said, for a deadline that follows it
    AttemptState attempt_;
    bool stale_retried_ = false;
    bool finished_ = false;
};

}  // namespace

HttpsClient::HttpsClient(asio::io_context& io, ClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

HttpsClient::~HttpsClient() {
    close_idle();
}

std::shared_ptr<Exchange> HttpsClient::send(std::shared_ptr<const Endpoint> endpoint, HttpRequest request,
                                            Clock::time_point deadline, ExchangeDone done) {
    auto exchange =
        std::make_shared<ExchangeOp>(impl_, std::move(endpoint), std::move(request), deadline, std::move(done));
    exchange->start();
    return exchange;
}

void HttpsClient::close_idle() {
    impl_->pool->close_idle(&impl_->io);
}

}  // namespace fd::transport
