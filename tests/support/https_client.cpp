#include "support/https_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <cctype>
#include <optional>

namespace fdtest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

bool has(const Headers& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (beast::iequals(key, name)) return true;
    return false;
}

const char* stage_name(ClientError::Stage stage) {
    switch (stage) {
        case ClientError::Stage::connect:
            return "connect";
        case ClientError::Stage::handshake:
            return "TLS handshake";
        case ClientError::Stage::write:
            return "write";
        case ClientError::Stage::read:
            return "read";
    }
    return "?";
}

}  // namespace

const std::string* Response::find_header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (beast::iequals(key, name)) return &value;
    return nullptr;
}

std::string Response::header(std::string_view name) const {
    const std::string* value = find_header(name);
    return value ? *value : std::string();
}

ClientOptions options_for_url(std::string_view base_url, ClientOptions options) {
    std::string_view rest = base_url;
    if (rest.starts_with("https://")) {
        options.tls = true;
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        options.tls = false;
        rest.remove_prefix(7);
    } else {
        throw std::invalid_argument("not an http(s) URL: " + std::string(base_url));
    }
    rest = rest.substr(0, rest.find('/'));
    const std::size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
        options.host = std::string(rest.substr(0, colon));
        options.port = static_cast<std::uint16_t>(std::stoi(std::string(rest.substr(colon + 1))));
    } else {
        options.host = std::string(rest);
        options.port = options.tls ? 443 : 80;
    }
    if (options.host.size() > 2 && options.host.front() == '[')
        options.host = options.host.substr(1, options.host.size() - 2);
    return options;
}

std::string basic_authorization(std::string_view user, std::string_view password) {
    const std::string plain = std::string(user) + ":" + std::string(password);
    std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
    const int length =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                        reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
    encoded.resize(static_cast<std::size_t>(length));
    return "Basic " + encoded;
}

ClientError::ClientError(Stage stage, std::error_code code, int status_received, const std::string& what)
    : std::runtime_error(std::string(stage_name(stage)) + " failed: " + what),
      stage_(stage),
      code_(code),
      status_received_(status_received) {}

struct HttpsClient::Impl {
    explicit Impl(ClientOptions options_in) : options(std::move(options_in)), tls(ssl::context::tls_client) {
        if (options.tls) {
            if (options.max_tls_version != 0) {
                SSL_CTX_set_max_proto_version(tls.native_handle(), options.max_tls_version);
                SSL_CTX_set_security_level(tls.native_handle(), 0);  // let old versions be offered
            } else {
                SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
            }
            if (options.verify_peer) {
                tls.set_verify_mode(ssl::verify_peer);
                if (options.ca_file.empty())
                    tls.set_default_verify_paths();
                else
                    tls.load_verify_file(options.ca_file);
            } else {
                tls.set_verify_mode(ssl::verify_none);
            }
        }
        if (options.server_name.empty()) options.server_name = options.host;
        if (options.host_header.empty()) options.host_header = options.host + ":" + std::to_string(options.port);
    }

    // Runs the io_context until the operations started are done (each is bounded by the
    // stream's expiry).
    void run() {
        io.restart();
        io.run();
    }

    beast::tcp_stream& tcp_layer() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

    void connect_new(std::optional<beast::ssl_stream<beast::tcp_stream>>& secure_stream,
                     std::optional<beast::tcp_stream>& plain_stream) {
        tcp::resolver resolver(io);
        error_code ec;
        tcp::resolver::results_type endpoints;
        resolver.async_resolve(options.host, std::to_string(options.port),
                               [&](error_code e, tcp::resolver::results_type r) {
                                   ec = e;
                                   endpoints = std::move(r);
                               });
        run();
        if (ec) throw ClientError(ClientError::Stage::connect, ec, 0, ec.message());
        beast::tcp_stream* stream = nullptr;
        if (options.tls) {
            secure_stream.emplace(io, tls);
            stream = &beast::get_lowest_layer(*secure_stream);
        } else {
            plain_stream.emplace(io);
            stream = &*plain_stream;
        }
        stream->expires_after(options.timeout);
        stream->async_connect(endpoints, [&](error_code e, const tcp::endpoint&) { ec = e; });
        run();
        if (ec) throw ClientError(ClientError::Stage::connect, ec, 0, ec.message());
        ++connections_opened;
        stream->socket().set_option(tcp::no_delay(true), ec);
        if (!options.tls) return;
        // SNI only for names, not IP addresses (RFC 6066).
        error_code parse_error;
        asio::ip::make_address(options.server_name, parse_error);
        if (parse_error) SSL_set_tlsext_host_name(secure_stream->native_handle(), options.server_name.c_str());
        if (options.verify_peer) secure_stream->set_verify_callback(ssl::host_name_verification(options.server_name));
        secure_stream->async_handshake(ssl::stream_base::client, [&](error_code e) { ec = e; });
        run();
        if (ec) throw ClientError(ClientError::Stage::handshake, ec, 0, ec.message());
    }

    void ensure_connected() {
        if (secure || plain) return;
        buffer.clear();
        connect_new(secure, plain);
    }

    void close() {
        error_code ignored;
        if (secure || plain) {
            tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
            tcp_layer().socket().close(ignored);
        }
        secure.reset();
        plain.reset();
        buffer.clear();
    }

    template <class Operation>
    void on_stream(Operation&& operation) {
        if (secure)
            operation(*secure);
        else
            operation(*plain);
    }

    ClientOptions options;
    asio::io_context io;
    ssl::context tls;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    std::optional<beast::tcp_stream> plain;
    beast::flat_buffer buffer;
    std::uint64_t connections_opened = 0;
};

HttpsClient::HttpsClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpsClient::~HttpsClient() {
    impl_->close();
}

Response HttpsClient::request(std::string_view method, std::string_view target, std::string_view body,
                              const Headers& headers) {
    Impl& impl = *impl_;
    impl.ensure_connected();

    http::request<http::string_body> message;
    message.method_string(method);
    message.target(target);
    message.version(11);
    message.set(http::field::host, impl.options.host_header);
    for (const auto& [name, value] : headers)
        message.set(name, value);  // may replace Host
    for (const auto& [name, value] : impl.options.default_headers)
        if (!has(headers, name)) message.set(name, value);
    if (!impl.options.keep_alive) message.keep_alive(false);
    message.body() = std::string(body);
    if (!body.empty() || method == "POST" || method == "PUT") message.prepare_payload();

    error_code ec;
    impl.tcp_layer().expires_after(impl.options.timeout);
    impl.on_stream(
        [&](auto& stream) { http::async_write(stream, message, [&](error_code e, std::size_t) { ec = e; }); });
    impl.run();
    if (ec) {
        impl.close();
        throw ClientError(ClientError::Stage::write, ec, 0, ec.message());
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(impl.options.body_limit);
    parser.header_limit(64 * 1024);
    if (method == "HEAD") parser.skip(true);
    impl.on_stream([&](auto& stream) {
        http::async_read(stream, impl.buffer, parser, [&](error_code e, std::size_t) { ec = e; });
    });
    impl.run();
    if (ec) {
        const int status = parser.is_header_done() ? parser.get().result_int() : 0;
        impl.close();
        throw ClientError(ClientError::Stage::read, ec, status, ec.message());
    }

    http::response<http::string_body> answer = parser.release();
    Response response;
    response.status = answer.result_int();
    for (const auto& field : answer)
        response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    response.body = std::move(answer.body());
    response.keep_alive = answer.keep_alive();
    if (!response.keep_alive || !impl.options.keep_alive) impl.close();
    return response;
}

Response HttpsClient::post_json(std::string_view target, std::string_view json, const Headers& headers) {
    Headers all = headers;
    if (!has(all, "Content-Type")) all.emplace_back("Content-Type", "application/json");
    return request("POST", target, json, all);
}

Response HttpsClient::put_json(std::string_view target, std::string_view json, const Headers& headers) {
    Headers all = headers;
    if (!has(all, "Content-Type")) all.emplace_back("Content-Type", "application/json");
    return request("PUT", target, json, all);
}

std::string HttpsClient::send_raw(std::string_view bytes, std::chrono::milliseconds wait) {
    Impl& impl = *impl_;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    std::optional<beast::tcp_stream> plain;
    impl.connect_new(secure, plain);
    beast::tcp_stream& tcp_layer = secure ? beast::get_lowest_layer(*secure) : *plain;
    auto with_stream = [&](auto&& operation) {
        if (secure)
            operation(*secure);
        else
            operation(*plain);
    };
    error_code ec;
    tcp_layer.expires_after(wait);
    with_stream([&](auto& stream) {
        asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()), [&](error_code e, std::size_t) { ec = e; });
    });
    impl.run();
    std::string received;
    char chunk[4096];
    while (!ec) {
        with_stream([&](auto& stream) {
            stream.async_read_some(asio::buffer(chunk), [&](error_code e, std::size_t n) {
                ec = e;
                received.append(chunk, n);
            });
        });
        impl.run();
    }
    error_code ignored;
    tcp_layer.socket().close(ignored);
    return received;
}

void HttpsClient::disconnect() {
    impl_->close();
}

bool HttpsClient::connected() const {
    return impl_->secure || impl_->plain;
}

std::uint64_t HttpsClient::connections_opened() const {
    return impl_->connections_opened;
}

const ClientOptions& HttpsClient::options() const {
    return impl_->options;
}

}  // namespace fdtest
