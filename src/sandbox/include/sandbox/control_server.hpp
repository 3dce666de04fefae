// The control port: a small plain-HTTP/1.1 server on loopback, one thread, for peers outside
// the process (flowrun sandbox users, benchmarks in other languages). What it answers is
// control_api.hpp's business; this file only moves bytes, with timeouts and limits.
#pragma once

#include "sandbox/http_types.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace fdsandbox {

using ControlHandler = std::function<HttpResponse(const HttpRequest&)>;

class ControlServer {
  public:
    ControlServer(std::string address, std::uint16_t port, std::chrono::milliseconds idle_timeout,
                  ControlHandler handler);
    ~ControlServer();  // stops
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    void start();  // binds (throws on failure) and serves on its own thread
    void stop();   // idempotent
    std::uint16_t port() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fdsandbox
