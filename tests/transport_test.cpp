// The plugin's TLS stream (transport/tls_stream.hpp) against a TLS peer in a child process: the
// peer is forked so that its memory and its signals are not this process's.
#include "transport/tls_stream.hpp"

#include "sandbox/certificates.hpp"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <malloc.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using fd::transport::TlsStream;
using namespace std::chrono_literals;

const fdsandbox::CertificateBundle& certificates() {
    static const fdsandbox::CertificateBundle bundle = fdsandbox::make_certificates({"127.0.0.1"});
    return bundle;
}

using PeerStream = ssl::stream<tcp::socket>;

// A TLS server in a child process: it accepts `connections` connections one after another,
// handshakes and hands each to `serve`, keeps them all open, and waits to be killed.
class Peer {
  public:
    Peer(int connections, std::function<void(PeerStream&)> serve) {
        certificates();  // made before the fork: the peer and the client must share the CA
        asio::io_context io;
        tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        port_ = acceptor.local_endpoint().port();
        child_ = ::fork();
        if (child_ != 0) return;
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a test that dies takes its peer with it
        // The child never returns into the test: whatever happens, it ends here.
        try {
            serve_all(acceptor, connections, serve);
        } catch (...) {
        }
        ::_exit(0);
    }
    ~Peer() {
        ::kill(child_, SIGKILL);
        ::waitpid(child_, nullptr, 0);
    }
    unsigned short port() const { return port_; }

  private:
    static void serve_all(tcp::acceptor& acceptor, int connections, const std::function<void(PeerStream&)>& serve) {
        ssl::context tls(ssl::context::tls_server);
        tls.use_certificate_chain(asio::buffer(certificates().server_certificate_pem));
        tls.use_private_key(asio::buffer(certificates().server_private_key_pem), ssl::context::pem);
        std::vector<std::unique_ptr<PeerStream>> kept;
        for (int i = 0; i < connections; ++i) {
            kept.push_back(std::make_unique<PeerStream>(acceptor.accept(), tls));
            try {
                kept.back()->handshake(ssl::stream_base::server);
                serve(*kept.back());
            } catch (const std::exception&) {
                // that connection only: the client let it go
            }
        }
        ::pause();  // with every connection open
    }

    unsigned short port_ = 0;
    pid_t child_ = -1;
};

// The client side: the test thread runs the io_context until each step completes.
class Client {
  public:
    Client() : tls_(ssl::context::tls_client) {
        tls_.add_certificate_authority(asio::buffer(certificates().ca_certificate_pem));
        tls_.set_verify_mode(ssl::verify_peer);
    }

    std::unique_ptr<TlsStream> connect(unsigned short port) {
        auto stream = std::make_unique<TlsStream>(io_, tls_.native_handle(), method_);
        error_code error = asio::error::would_block;
        stream->socket().async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                       [&](error_code e) { error = e; });
        run_until([&] { return error != asio::error::would_block; });
        EXPECT_FALSE(error) << error.message();
        error = asio::error::would_block;
        stream->async_handshake([&](error_code e) { error = e; });
        run_until([&] { return error != asio::error::would_block; });
        EXPECT_FALSE(error) << error.message();
        return stream;
    }

    error_code write(TlsStream& stream, const std::string& bytes) {
        error_code error = asio::error::would_block;
        asio::async_write(stream, asio::buffer(bytes), [&](error_code e, std::size_t) { error = e; });
        run_until([&] { return error != asio::error::would_block; });
        return error;
    }

    // One read_some into `size` bytes: what it got, and how it ended.
    std::pair<std::string, error_code> read_some(TlsStream& stream, std::size_t size) {
        std::string got(size, '\0');
        error_code error = asio::error::would_block;
        std::size_t bytes = 0;
        stream.async_read_some(asio::buffer(got), [&](error_code e, std::size_t n) {
            error = e;
            bytes = n;
        });
        run_until([&] { return error != asio::error::would_block; });
        got.resize(bytes);
        return {got, error};
    }

    asio::io_context& io() { return io_; }

    void run_until(const std::function<bool()>& done) {
        const auto give_up = std::chrono::steady_clock::now() + 5s;
        io_.restart();
        while (!done() && std::chrono::steady_clock::now() < give_up)
            io_.run_one_for(100ms);
        ASSERT_TRUE(done()) << "the step did not complete within 5 s";
    }

  private:
    asio::io_context io_;
    ssl::context tls_;
    TlsStream::SocketMethod method_ = TlsStream::make_socket_method();
};

std::string read_line(PeerStream& stream) {
    std::string line;
    char c = 0;
    while (asio::read(stream, asio::buffer(&c, 1)) == 1 && c != '\n')
        line += c;
    return line;
}

TEST(TlsStream, ReadsARecordLargerThanItsBufferPieceByPieceAndEndsAtCloseNotify) {
    const std::string answer = [] {
        std::string text;
        for (int i = 0; text.size() < 3000; ++i)
            text += std::to_string(i) + ",";
        return text;
    }();
    Peer peer(1, [&](PeerStream& stream) {
        if (read_line(stream) != "hello") return;
        asio::write(stream, asio::buffer(answer));  // one record
        error_code ignored;
        stream.shutdown(ignored);
    });
    Client client;
    auto stream = client.connect(peer.port());
    ASSERT_FALSE(client.write(*stream, "hello\n"));
    std::string got;
    error_code end;
    while (!end) {
        // OpenSSL holds the rest of the record after each piece: the next read must hand it out
        // without waiting for the socket, where nothing more will arrive.
        auto [piece, error] = client.read_some(*stream, 100);
        EXPECT_LE(piece.size(), 100u);
        got += piece;
        end = error;
    }
    EXPECT_EQ(got, answer);
    EXPECT_EQ(end, asio::error::eof) << end.message();
}

TEST(TlsStream, APeerThatGoesAwayWithoutCloseNotifyTruncatesTheStream) {
    Peer peer(1, [](PeerStream& stream) {
        asio::write(stream, asio::buffer(std::string("partial")));
        stream.lowest_layer().close();
    });
    Client client;
    auto stream = client.connect(peer.port());
    auto [piece, error] = client.read_some(*stream, 100);
    EXPECT_EQ(piece, "partial");
    EXPECT_FALSE(error);
    std::tie(piece, error) = client.read_some(*stream, 100);
    EXPECT_EQ(error, ssl::error::stream_truncated) << error.message();
}

TEST(TlsStream, WritingToAPeerThatHasGoneFailsWithoutRaisingSigpipe) {
    // SIGPIPE's default action ends the process: a stream that let the kernel raise it would
    // take its host down here.
    struct sigaction previous {};
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &fallback, &previous);
    Peer peer(1, [](PeerStream& stream) { stream.lowest_layer().close(); });
    Client client;
    auto stream = client.connect(peer.port());
    const std::string chunk(64 * 1024, 'x');
    error_code error;
    for (int i = 0; i < 100 && !error; ++i) {
        std::this_thread::sleep_for(10ms);
        error = client.write(*stream, chunk);
    }
    ::sigaction(SIGPIPE, &previous, nullptr);
    EXPECT_TRUE(error == asio::error::broken_pipe || error == asio::error::connection_reset) << error.message();
}

TEST(TlsStream, AReadWaitingForThePeerEndsWhenTheSocketIsCancelled) {
    Peer peer(1, [](PeerStream&) {});
    Client client;
    auto stream = client.connect(peer.port());
    asio::steady_timer cancel(client.io(), 50ms);
    cancel.async_wait([&](error_code) { stream->socket().cancel(); });
    auto [piece, error] = client.read_some(*stream, 100);
    EXPECT_EQ(error, asio::error::operation_aborted) << error.message();
}

// An abort closes the socket while a step is already queued (here: the first record of a long
// write, completed at once). The next step must fail, not send on the descriptor number, which
// the next socket opened in this process takes over.
TEST(TlsStream, AStepQueuedBeforeTheSocketClosedTouchesNoSocketThatReusesItsNumber) {
    Peer peer(1, [](PeerStream&) {});
    Client client;
    tcp::acceptor bystander(client.io(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto stream = client.connect(peer.port());
    const int number = stream->socket().native_handle();
    const std::string request(64 * 1024, 'x');  // four records: the first goes at once
    error_code written = asio::error::would_block;
    asio::async_write(*stream, asio::buffer(request), [&](error_code e, std::size_t) { written = e; });
    stream->socket().close();
    tcp::socket other(client.io());
    other.connect(bystander.local_endpoint());
    if (other.native_handle() != number) GTEST_SKIP() << "the descriptor number was not reused";
    tcp::socket accepted = bystander.accept();
    client.run_until([&] { return written != asio::error::would_block; });  // the write goes on
    EXPECT_EQ(written, asio::error::operation_aborted) << written.message();
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(accepted.available(), 0u) << "TLS records reached the socket that took over the number";
}

// Asio's ssl::stream kept four 17 KiB buffers per connection for its whole life; here OpenSSL's
// record buffers are let go between exchanges. Counted with glibc's allocator statistics (the
// peer's allocations are in its own process).
TEST(TlsStream, ConnectionsBetweenExchangesHoldNoRecordBuffers) {
    if (mallinfo2().uordblks == 0) GTEST_SKIP() << "the allocator keeps no statistics (a sanitizer build)";
    constexpr int kConnections = 20;
    Peer peer(kConnections, [](PeerStream& stream) {
        read_line(stream);
        asio::write(stream, asio::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")));
    });
    Client client;
    client.connect(peer.port());  // the first handshake loads what every later one shares
    const std::size_t before = mallinfo2().uordblks;
    std::vector<std::unique_ptr<TlsStream>> streams;
    for (int i = 1; i < kConnections; ++i) {
        streams.push_back(client.connect(peer.port()));
        ASSERT_FALSE(client.write(*streams.back(), "GET / HTTP/1.1\n"));
        auto [answer, error] = client.read_some(*streams.back(), 4096);
        ASSERT_FALSE(error) << error.message();
        EXPECT_NE(answer.find("200 OK"), std::string::npos);
    }
    const long long grown = static_cast<long long>(mallinfo2().uordblks) - static_cast<long long>(before);
    const long long per_connection = grown / static_cast<long long>(streams.size());
    // A session with its peer's certificate and keys is about 20 KiB; one record buffer is 17.
    EXPECT_LT(per_connection, 32 * 1024) << per_connection << " bytes per connection";
    std::cout << "[ memory   ] " << per_connection << " bytes per idle TLS connection\n";
}

}  // namespace
