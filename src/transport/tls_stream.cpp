#include "transport/tls_stream.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/ssl/error.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <stdexcept>

namespace fd::transport {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// The socket's descriptor as it is now: -1 once the socket is closed (an abort), so a call that
// was already on its way fails with EBADF rather than reaching whatever reuses the number.
int descriptor(BIO* bio) {
    return static_cast<TlsStream::Socket*>(BIO_get_data(bio))->native_handle();
}

// OpenSSL's own socket BIO writes with write(), which raises SIGPIPE on a connection the peer
// has closed: that would take the host down. This one sends with MSG_NOSIGNAL instead, and
// otherwise does what the socket BIO does for a non-blocking socket.
int socket_write(BIO* bio, const char* data, int size) {
    BIO_clear_retry_flags(bio);
    const ssize_t sent = ::send(descriptor(bio), data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_write(bio);
    return static_cast<int>(sent);
}

int socket_read(BIO* bio, char* data, int size) {
    BIO_clear_retry_flags(bio);
    const ssize_t got = ::recv(descriptor(bio), data, static_cast<std::size_t>(size), 0);
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_read(bio);
    // OpenSSL asks BIO_eof() to tell a peer that closed without a close_notify from an error.
    if (got == 0 && size > 0) BIO_set_flags(bio, BIO_FLAGS_IN_EOF);
    return static_cast<int>(got);
}

long socket_control(BIO* bio, int command, long, void*) {
    if (command == BIO_CTRL_FLUSH) return 1;
    if (command == BIO_CTRL_EOF) return BIO_test_flags(bio, BIO_FLAGS_IN_EOF) != 0 ? 1 : 0;
    return 0;
}

error_code ssl_error(unsigned long code) {
    if (code == 0) return asio::ssl::error::unexpected_result;
    return error_code(static_cast<int>(code), asio::error::get_ssl_category());
}

// Before 3.0.14, SSL_free_buffers could free a buffer that still held a record header whose body
// had not arrived (CVE-2024-4741); that state only exists while OpenSSL waits for input.
bool frees_buffers_safely_while_waiting() {
    static const bool safe = OpenSSL_version_num() >= 0x300000e0L;
    return safe;
}

// Errors as Asio's ssl::stream reports them, so the client describes them the same way: a clean
// close_notify is eof, a peer that just went away is stream_truncated.
error_code failure_of(int ssl_result, int saved_errno) {
    const unsigned long queued = ERR_get_error();
    ERR_clear_error();  // the rest of the queue: this thread's next call starts clean
    if (ssl_result == SSL_ERROR_ZERO_RETURN) return asio::error::eof;
    if (ssl_result == SSL_ERROR_SSL) {
        if (ERR_GET_REASON(queued) == SSL_R_UNEXPECTED_EOF_WHILE_READING) return asio::ssl::error::stream_truncated;
        return ssl_error(queued);
    }
    if (ssl_result == SSL_ERROR_SYSCALL) {
        if (queued != 0) return ssl_error(queued);
        if (saved_errno != 0) return error_code(saved_errno, boost::system::system_category());
        return asio::ssl::error::stream_truncated;
    }
    return asio::ssl::error::unexpected_result;
}

}  // namespace

TlsStream::SocketMethod TlsStream::make_socket_method() {
    BIO_METHOD* method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "fd socket");
    if (method == nullptr) throw std::runtime_error("cannot make the TLS socket method");
    BIO_meth_set_write(method, socket_write);
    BIO_meth_set_read(method, socket_read);
    BIO_meth_set_ctrl(method, socket_control);
    return SocketMethod(method, BIO_meth_free);
}

TlsStream::TlsStream(asio::io_context& io, SSL_CTX* context, SocketMethod method)
    : method_(std::move(method)), socket_(io.get_executor()), ssl_(SSL_new(context)) {
    if (ssl_ == nullptr) throw std::runtime_error("cannot make a TLS session");
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    // One receive takes all the socket has rather than a record's header, then its body.
    SSL_set_read_ahead(ssl_, 1);
    SSL_set_connect_state(ssl_);
}

TlsStream::~TlsStream() {
    SSL_free(ssl_);  // and its BIO; the socket closes itself after
}

std::size_t TlsStream::write_now(asio::const_buffer buffer, error_code& error) {
    if (buffer.size() == 0) return 0;
    const Step done = step(Kind::write, writable(buffer));
    error = done.error;
    return done.need == Step::Need::nothing ? done.bytes : 0;
}

bool TlsStream::has_buffered_input() const {
    return SSL_has_pending(ssl_) == 1;
}

// RELEASE_BUFFERS lets go of a buffer on some paths only (not after a handshake's flight, for
// one). A session that holds no partial record needs neither buffer until it moves bytes again,
// and with hundreds of handshakes or answers outstanding they were most of the memory.
// SSL_free_buffers itself refuses while a record or a write is partly done.
void TlsStream::release_idle_buffers() {
    if (SSL_has_pending(ssl_) == 0) SSL_free_buffers(ssl_);
}

TlsStream::Step TlsStream::step(Kind kind, asio::mutable_buffer buffer) {
    // A readiness or a result already queued when an abort closed the socket.
    if (!socket_.is_open()) return Step{Step::Need::nothing, asio::error::operation_aborted, 0};
    if (kind == Kind::handshake && SSL_get_rbio(ssl_) == nullptr) {
        error_code failed;
        socket_.native_non_blocking(true, failed);
        if (failed) return Step{Step::Need::nothing, failed, 0};
        BIO* bio = BIO_new(method_.get());
        if (bio == nullptr) return Step{Step::Need::nothing, asio::error::no_memory, 0};
        BIO_set_data(bio, &socket_);
        BIO_set_init(bio, 1);
        SSL_set_bio(ssl_, bio, bio);
    }
    // SSL_get_error needs an empty queue; clearing one that is empty cost more than the peek.
    if (ERR_peek_error() != 0) ERR_clear_error();
    errno = 0;
    std::size_t moved = 0;
    int result = 0;
    switch (kind) {
        case Kind::handshake:
            result = SSL_do_handshake(ssl_);
            break;
        case Kind::read:
            result = SSL_read_ex(ssl_, buffer.data(), buffer.size(), &moved);
            break;
        case Kind::write:
            result = SSL_write_ex(ssl_, buffer.data(), buffer.size(), &moved);
            break;
    }
    const int saved_errno = errno;
    if (result > 0) {
        release_idle_buffers();
        return Step{Step::Need::nothing, {}, moved};
    }
    const int ssl_result = SSL_get_error(ssl_, result);
    if (ssl_result == SSL_ERROR_WANT_READ) {
        if (frees_buffers_safely_while_waiting()) release_idle_buffers();
        return Step{Step::Need::readable, {}, 0};
    }
    if (ssl_result == SSL_ERROR_WANT_WRITE) return Step{Step::Need::writable, {}, 0};
    return Step{Step::Need::nothing, failure_of(ssl_result, saved_errno), 0};
}

}  // namespace fd::transport
