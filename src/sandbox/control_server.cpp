#include "sandbox/control_server.hpp"

#include "sandbox/listening.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace fdsandbox {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kMaxControlBodyBytes = 1024 * 1024;

class ControlSession : public std::enable_shared_from_this<ControlSession> {
  public:
    ControlSession(tcp::socket socket, const ControlHandler& handler, std::chrono::milliseconds idle_timeout)
        : stream_(std::move(socket)), handler_(handler), idle_timeout_(idle_timeout) {}

    void read_request() {
        parser_.emplace();
        parser_->body_limit(kMaxControlBodyBytes);
        stream_.expires_after(idle_timeout_);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
    }

  private:
    void on_read(error_code ec) {
        if (ec) return close();
        http::request<http::string_body> message = parser_->release();
        HttpRequest request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        for (const auto& field : message)
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        request.body = std::move(message.body());
        request.keep_alive = message.keep_alive();

        HttpResponse answer;
        try {
            answer = handler_(request);
        } catch (const std::exception&) {
            answer = {500, {{"Content-Type", "application/json"}}, std::string(R"({"error":"internal error"})")};
        }
        response_ = {};
        response_.result(static_cast<unsigned>(answer.status));
        for (const auto& [name, value] : answer.headers)
            response_.set(name, value);
        response_.body() = std::move(answer.body);
        response_.keep_alive(request.keep_alive);
        response_.prepare_payload();
        stream_.expires_after(idle_timeout_);
        http::async_write(stream_, response_, [self = shared_from_this()](error_code write_error, std::size_t) {
            if (write_error || !self->response_.keep_alive()) return self->close();
            self->read_request();
        });
    }

    void close() {
        error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    const ControlHandler& handler_;
    std::chrono::milliseconds idle_timeout_;
};

}  // namespace

struct ControlServer::Impl {
    void accept_next() {
        acceptor->async_accept([this](error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
            if (!ec) std::make_shared<ControlSession>(std::move(socket), handler, idle_timeout)->read_request();
            accept_next();
        });
    }

    std::string address;
    std::uint16_t requested_port = 0;
    std::chrono::milliseconds idle_timeout;
    ControlHandler handler;
    std::optional<asio::io_context> io;
    std::optional<tcp::acceptor> acceptor;
    std::thread thread;
    std::uint16_t bound_port = 0;
    std::mutex lifecycle_mutex;
    bool started = false;
    bool stopped = false;
};

ControlServer::ControlServer(std::string address, std::uint16_t port, std::chrono::milliseconds idle_timeout,
                             ControlHandler handler)
    : impl_(std::make_unique<Impl>()) {
    impl_->address = std::move(address);
    impl_->requested_port = port;
    impl_->idle_timeout = idle_timeout;
    impl_->handler = std::move(handler);
}

ControlServer::~ControlServer() {
    stop();
}

void ControlServer::start() {
    std::lock_guard lock(impl_->lifecycle_mutex);
    if (impl_->started) throw std::logic_error("ControlServer::start called twice");
    impl_->started = true;
    impl_->io.emplace(1);
    impl_->acceptor.emplace(*impl_->io);
    listen_on(*impl_->acceptor, impl_->address, impl_->requested_port, asio::socket_base::max_listen_connections);
    impl_->bound_port = impl_->acceptor->local_endpoint().port();
    impl_->accept_next();
    impl_->thread = std::thread([impl = impl_.get()] { serve_until_stopped(*impl->io); });
}

void ControlServer::stop() {
    std::lock_guard lock(impl_->lifecycle_mutex);
    if (!impl_->started || impl_->stopped) return;
    impl_->stopped = true;
    impl_->io->stop();
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->acceptor.reset();
    impl_->io.reset();
}

std::uint16_t ControlServer::port() const {
    return impl_->bound_port;
}

}  // namespace fdsandbox
