// A TLS client stream in which OpenSSL reads and writes the TCP socket itself and Asio only waits
// for the socket to be ready. Asio's ssl::stream copies every byte through a BIO pair and keeps
// four 17 KiB buffers per connection for as long as the connection lives (about 75 KiB each,
// bench/scale_bench.sh); here OpenSSL lets go of its record buffers whenever nothing is pending
// (SSL_MODE_RELEASE_BUFFERS), so a connection waiting for its answer or idle in the pool holds a
// few KiB. It meets Asio's AsyncReadStream and AsyncWriteStream requirements, so asio::async_write
// and Beast's http::async_read use it as they use any stream.
#pragma once

#include <openssl/bio.h>
#include <openssl/types.h>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

namespace fd::transport {

class TlsStream {
  public:
    using executor_type = boost::asio::io_context::executor_type;
    using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, executor_type>;

    // How the stream's BIO reaches the socket, for OpenSSL: made once per client and kept alive
    // by every stream that uses it (a static one would outlive an unloaded plugin's memory, or
    // die before a stream freed at exit). Throws std::runtime_error when OpenSSL cannot make it.
    using SocketMethod = std::shared_ptr<BIO_METHOD>;
    static SocketMethod make_socket_method();

    // Throws std::runtime_error when OpenSSL cannot make the session.
    TlsStream(boost::asio::io_context& io, SSL_CTX* context, SocketMethod method);
    ~TlsStream();
    TlsStream(const TlsStream&) = delete;
    TlsStream& operator=(const TlsStream&) = delete;

    executor_type get_executor() { return socket_.get_executor(); }
    Socket& socket() { return socket_; }
    SSL* native_handle() { return ssl_; }

    // Whether OpenSSL holds bytes from the peer not yet handed out (a whole or partial record).
    bool has_buffered_input() const;

    // The client side of the handshake, on the socket as connected (its descriptor becomes
    // OpenSSL's transport). Completes with void(error_code).
    template <class Token>
    auto async_handshake(Token&& token) {
        return start<Kind::handshake, void(boost::system::error_code)>(boost::asio::mutable_buffer(),
                                                                       std::forward<Token>(token));
    }

    // Completes with void(error_code, std::size_t) like a socket's; only the first non-empty
    // buffer of the sequence is used, as Asio's ssl::stream does.
    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        const auto first =
            boost::asio::detail::buffer_sequence_adapter<boost::asio::mutable_buffer, MutableBuffers>::first(buffers);
        return start<Kind::read, void(boost::system::error_code, std::size_t)>(first, std::forward<Token>(token));
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        const auto first =
            boost::asio::detail::buffer_sequence_adapter<boost::asio::const_buffer, ConstBuffers>::first(buffers);
        return start<Kind::write, void(boost::system::error_code, std::size_t)>(writable(first),
                                                                                std::forward<Token>(token));
    }

    // Writes what OpenSSL and the socket take now, without waiting: the bytes written (at most a
    // record's worth: call again for more), 0 when the socket would block, or 0 with `error` set.
    std::size_t write_now(boost::asio::const_buffer buffer, boost::system::error_code& error);

  private:
    enum class Kind { handshake, read, write };

    // What one call into OpenSSL did: finished (with or without an error), or it needs the
    // socket readable or writable before it can go on.
    struct Step {
        enum class Need { nothing, readable, writable };
        Need need = Need::nothing;
        boost::system::error_code error;
        std::size_t bytes = 0;
    };

    Step step(Kind kind, boost::asio::mutable_buffer buffer);
    void release_idle_buffers();

    // One buffer type for all three kinds of step; a write's is only read.
    static boost::asio::mutable_buffer writable(boost::asio::const_buffer buffer) {
        return boost::asio::mutable_buffer(const_cast<void*>(buffer.data()), buffer.size());
    }

    // One handshake, read or write: calls OpenSSL, waits for the socket as it asks, calls it
    // again. A read waits for the socket first unless OpenSSL already holds input, so no call
    // is made that can only say "nothing yet" (and OpenSSL keeps no buffer while waiting).
    template <Kind kind>
    struct Operation {
        TlsStream* stream;
        boost::asio::mutable_buffer buffer;
        bool started = false;
        std::optional<Step> finished_at_once;  // completed after a post, never inside the call

        template <class Self>
        void operator()(Self& self, boost::system::error_code waited = {}) {
            if (finished_at_once) return finish(self, *finished_at_once);
            if (waited) return finish(self, Step{Step::Need::nothing, waited, 0});
            const bool first = !started;
            started = true;
            const bool nothing_to_move = kind != Kind::handshake && buffer.size() == 0;
            if (first && kind == Kind::read && !nothing_to_move && !stream->has_buffered_input()) {
                return wait(self, Step::Need::readable);
            }
            const Step done = nothing_to_move ? Step{} : stream->step(kind, buffer);
            if (done.need != Step::Need::nothing) return wait(self, done.need);
            if (!first) return finish(self, done);
            finished_at_once = done;
            boost::asio::post(std::move(self));
        }

        template <class Self>
        void wait(Self& self, Step::Need need) {
            stream->socket_.async_wait(need == Step::Need::readable ? Socket::wait_read : Socket::wait_write,
                                       std::move(self));
        }

        template <class Self>
        void finish(Self& self, const Step& done) {
            if constexpr (kind == Kind::handshake) {
                self.complete(done.error);
            } else {
                self.complete(done.error, done.bytes);
            }
        }
    };

    template <Kind kind, class Signature, class Token>
    auto start(boost::asio::mutable_buffer buffer, Token&& token) {
        // async_compose takes the token as an lvalue and moves from it.
        return boost::asio::async_compose<Token, Signature>(Operation<kind>{this, buffer, false, std::nullopt}, token,
                                                            socket_);
    }

    SocketMethod method_;  // outlives ssl_'s BIO
    Socket socket_;
    SSL* ssl_ = nullptr;
};

}  // namespace fd::transport
