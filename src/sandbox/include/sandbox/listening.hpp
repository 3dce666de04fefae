// Opening a listening socket for the API and control servers (both Asio translation units
// include this), failing with a message a person can read: the address, the port and the
// system's reason, without the library's source locations.
#pragma once

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

}  // namespace fdsandbox
