// What the API and control servers share (both Asio translation units include this): opening a
// listening socket, failing with a message a person can read (the address, the port and the
// system's reason, without the library's source locations), and a serving thread's loop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fdsandbox {

inline void listen_on(boost::asio::ip::tcp::acceptor& acceptor, const std::string& address, std::uint16_t port,
                      int backlog) {
    namespace asio = boost::asio;
    boost::system::error_code error;
    const asio::ip::address ip = asio::ip::make_address(address, error);
    if (error) throw std::runtime_error("cannot listen on \"" + address + "\": not an IP address");
    const asio::ip::tcp::endpoint endpoint(ip, port);
    const std::string where = address + ":" + std::to_string(port);
    acceptor.open(endpoint.protocol(), error);
    if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor.bind(endpoint, error);
    if (!error) acceptor.listen(backlog, error);
    if (error) throw std::runtime_error("cannot listen on " + where + ": " + error.message());
}

// A serving thread's body: runs `io` until it is stopped. A failing handler must not take the
// server down, so an exception ends only that handler and the thread keeps serving.
inline void serve_until_stopped(boost::asio::io_context& io) {
    for (;;) {
        try {
            io.run();
            return;
        } catch (const std::exception&) {
        }
    }
}

}  // namespace fdsandbox
