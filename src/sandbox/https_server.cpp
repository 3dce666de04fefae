#include "sandbox/https_server.hpp"

#include "sandbox/listening.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace fdsandbox {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// The status line and headers; Content-Length (unless the status forbids a body) and
// Connection: close are added here, so every response is framed the same way.
std::string serialize_head(const HttpResponse& response, std::size_t content_length, bool keep_alive) {
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + ' ';
    head += std::string_view(http::obsolete_reason(static_cast<http::status>(response.status)));
    head += "\r\n";
    for (const auto& [name, value] : response.headers) {
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    const bool body_allowed = response.status >= 200 && response.status != 204 && response.status != 304;
    if (body_allowed) head += "Content-Length: " + std::to_string(content_length) + "\r\n";
    if (!keep_alive) head += "Connection: close\r\n";
    head += "\r\n";
    return head;
}

// Garbage, an over-long header, a bad target...: what Beast's HTTP parser reports.
bool is_http_parse_error(error_code ec) {
    return ec && ec.category() == http::make_error_code(http::error::bad_target).category();
}

HttpResponse plain_error(int status, std::string_view text) {
    return {status, {{"Content-Type", "text/html"}}, "<html><body><h1>" + std::string(text) + "</h1></body></html>"};
}

}  // namespace

struct HttpsServer::Impl {
    Impl(ServerSettings settings_in, RequestHandler handler_in, WireCounters& counters_in)
        : settings(std::move(settings_in)), handler(std::move(handler_in)), counters(counters_in) {}

    void accept_next();

    ServerSettings settings;
    ssl::context tls{ssl::context::tls_server};
    RequestHandler handler;
    WireCounters& counters;
    // Destroyed (in stop) before the members above: abandoned handlers free their sessions.
    std::optional<asio::io_context> io;
    std::optional<tcp::acceptor> acceptor;
    std::vector<std::thread> threads;
    std::atomic<std::uint64_t> next_connection_id{1};
    std::uint16_t bound_port = 0;
    std::mutex lifecycle_mutex;
    bool started = false;
    bool stopped = false;
};

namespace {

// One accepted connection: TLS handshake, then a keep-alive loop of read request, answer.
class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, HttpsServer::Impl& server, std::uint64_t id)
        : stream_(std::move(socket), server.tls), timer_(stream_.get_executor()), server_(server), id_(id) {}

    void start() {
        tcp_layer().expires_after(server_.settings.io_timeout);
        stream_.async_handshake(ssl::stream_base::server,
                                [self = shared_from_this()](error_code ec) { self->on_handshake(ec); });
    }

  private:
    beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

    void on_handshake(error_code ec) {
        if (ec) return;  // a failed handshake just drops the connection
        server_.counters.tls_handshakes.fetch_add(1, std::memory_order_relaxed);
        read_request();
    }

    void read_request() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(server_.settings.max_header_bytes));
        parser_->body_limit(server_.settings.max_body_bytes);
        tcp_layer().expires_after(server_.settings.idle_timeout);
        http::async_read_header(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](error_code ec, std::size_t bytes) { self->on_header(ec, bytes); });
    }

    // A client that sent "Expect: 100-continue" (curl does for larger bodies) waits for an
    // interim answer before it sends the body, as nginx in front of Freshdesk would give.
    void on_header(error_code ec, std::size_t bytes) {
        if (ec || parser_->is_done()) return on_read(ec, bytes);
        server_.counters.bytes_received.fetch_add(bytes, std::memory_order_relaxed);
        const auto expect = parser_->get().find(http::field::expect);
        if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
            out_ = "HTTP/1.1 100 Continue\r\n\r\n";
            return write_out([](Session& self) { self.read_body(); });
        }
        read_body();
    }

    void read_body() {
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](error_code ec, std::size_t bytes) { self->on_read(ec, bytes); });
    }

    void on_read(error_code ec, std::size_t bytes) {
        server_.counters.bytes_received.fetch_add(bytes, std::memory_order_relaxed);
        if (ec == http::error::end_of_stream) return close_tls();
        if (ec == http::error::body_limit) return send_and_close(plain_error(413, "413 Request Entity Too Large"));
        if (is_http_parse_error(ec)) return send_and_close(plain_error(400, "400 Bad Request"));
        if (ec) return;  // timeout, reset, truncated TLS: drop the connection

        http::request<http::string_body> message = parser_->release();
        HttpRequest request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        request.headers.reserve(8);
        for (const auto& field : message)
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        request.body = std::move(message.body());
        request.keep_alive = message.keep_alive();
        request.connection_id = id_;
        keep_alive_ = request.keep_alive;
        head_only_ = message.method() == http::verb::head;

        try {
            plan_ = server_.handler(std::move(request));
        } catch (const std::exception&) {
            plan_ = ResponsePlan{};
            plan_.response = {500,
                              {{"Content-Type", "application/json; charset=utf-8"}},
                              R"({"code":"internal_error","message":"We're sorry, but something went wrong."})"};
        }
        start_plan();
    }

    // The added latency first, on the session's timer: no thread waits for it.
    void start_plan() {
        if (plan_.latency.count() <= 0) return carry_out_plan();
        timer_.expires_after(plan_.latency);
        timer_.async_wait([self = shared_from_this()](error_code ec) {
            if (!ec) self->carry_out_plan();
        });
    }

    void carry_out_plan() {
        const HttpResponse& response = plan_.response;
        switch (plan_.action) {
            case WireAction::close_without_response:
                return close_tcp();
            case WireAction::delay_before_headers:
                timer_.expires_after(plan_.delay);
                timer_.async_wait([self = shared_from_this()](error_code ec) {
                    if (!ec) self->send_whole_response();
                });
                return;
            case WireAction::slow_body:
                out_ = serialize_head(response, response.body.size(), keep_alive_);
                body_offset_ = 0;
                return write_out([](Session& self) { self.drip_next_chunk(); });
            case WireAction::reset_mid_body:
                out_ = serialize_head(response, response.body.size(), keep_alive_);
                out_.append(response.body, 0, response.body.size() / 2);
                return write_out([](Session& self) { self.reset_tcp(); });
            case WireAction::short_body:
                out_ = serialize_head(response, response.body.size() + plan_.extra_length, keep_alive_);
                out_ += response.body;
                return write_out([](Session& self) { self.close_tcp(); });
            case WireAction::normal:
                return send_whole_response();
        }
    }

    void send_whole_response() {
        out_ = serialize_head(plan_.response, plan_.response.body.size(), keep_alive_);
        if (!head_only_) out_ += plan_.response.body;
        write_out([](Session& self) { self.after_response(); });
    }

    void drip_next_chunk() {
        const std::string& body = plan_.response.body;
        if (body_offset_ >= body.size() || head_only_) return after_response();
        timer_.expires_after(plan_.delay);
        timer_.async_wait([self = shared_from_this()](error_code ec) {
            if (ec) return;
            const std::string& whole = self->plan_.response.body;
            const std::size_t size = std::min(self->plan_.chunk_bytes, whole.size() - self->body_offset_);
            self->out_.assign(whole, self->body_offset_, size);
            self->body_offset_ += size;
            self->write_out([](Session& session) { session.drip_next_chunk(); });
        });
    }

    // Writes out_ and continues with `next` (a plain function: no allocation per write).
    void write_out(void (*next)(Session&)) {
        tcp_layer().expires_after(server_.settings.io_timeout);
        asio::async_write(stream_, asio::buffer(out_),
                          [self = shared_from_this(), next](error_code ec, std::size_t bytes) {
                              self->server_.counters.bytes_sent.fetch_add(bytes, std::memory_order_relaxed);
                              if (!ec) next(*self);
                          });
    }

    void after_response() {
        if (keep_alive_) return read_request();
        close_tls();
    }

    void send_and_close(HttpResponse response) {
        keep_alive_ = false;
        head_only_ = false;
        plan_ = ResponsePlan{};
        plan_.response = std::move(response);
        send_whole_response();
    }

    // close_notify, waiting a little for the peer's, then the socket closes with the session.
    void close_tls() {
        tcp_layer().expires_after(
            std::min<std::chrono::milliseconds>(server_.settings.io_timeout, std::chrono::milliseconds(1000)));
        stream_.async_shutdown([self = shared_from_this()](error_code) { self->close_tcp(); });
    }

    // FIN without TLS close_notify: the client sees a truncated stream.
    void close_tcp() {
        error_code ignored;
        tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcp_layer().socket().close(ignored);
    }

    // RST: linger with a zero timeout makes close() abort the connection.
    void reset_tcp() {
        error_code ignored;
        tcp_layer().socket().set_option(asio::socket_base::linger(true, 0), ignored);
        tcp_layer().socket().close(ignored);
    }

    beast::ssl_stream<beast::tcp_stream> stream_;
    asio::steady_timer timer_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    HttpsServer::Impl& server_;
    std::uint64_t id_;
    ResponsePlan plan_;
    std::string out_;
    std::size_t body_offset_ = 0;
    bool keep_alive_ = true;
    bool head_only_ = false;
};

}  // namespace

void HttpsServer::Impl::accept_next() {
    acceptor->async_accept(asio::make_strand(*io), [this](error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        if (!ec) {
            counters.connections_accepted.fetch_add(1, std::memory_order_relaxed);
            error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::make_shared<Session>(std::move(socket), *this, next_connection_id.fetch_add(1))->start();
        }
        accept_next();
    });
}

HttpsServer::HttpsServer(ServerSettings settings, const CertificateBundle& certificates, RequestHandler handler,
                         WireCounters& counters)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(handler), counters)) {
    ssl::context& tls = impl_->tls;
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    tls.use_certificate_chain(asio::buffer(certificates.server_certificate_pem));
    tls.use_private_key(asio::buffer(certificates.server_private_key_pem), ssl::context::pem);
}

HttpsServer::~HttpsServer() {
    stop();
}

void HttpsServer::start() {
    std::lock_guard lock(impl_->lifecycle_mutex);
    if (impl_->started) throw std::logic_error("HttpsServer::start called twice");
    impl_->started = true;
    impl_->io.emplace();
    impl_->acceptor.emplace(*impl_->io);
    listen_on(*impl_->acceptor, impl_->settings.address, impl_->settings.port,
              asio::socket_base::max_listen_connections);
    impl_->bound_port = impl_->acceptor->local_endpoint().port();
    impl_->accept_next();
    const unsigned thread_count = std::max(1u, impl_->settings.threads);
    for (unsigned i = 0; i < thread_count; ++i) {
        impl_->threads.emplace_back([impl = impl_.get()] { serve_until_stopped(*impl->io); });
    }
}

void HttpsServer::stop() {
    std::lock_guard lock(impl_->lifecycle_mutex);
    if (!impl_->started || impl_->stopped) return;
    impl_->stopped = true;
    impl_->io->stop();
    for (std::thread& thread : impl_->threads)
        thread.join();
    impl_->threads.clear();
    // Closing the acceptor and destroying the io_context frees every session, closing its socket.
    impl_->acceptor.reset();
    impl_->io.reset();
}

std::uint16_t HttpsServer::port() const {
    return impl_->bound_port;
}

}  // namespace fdsandbox
