// At most a fixed number of TLS handshakes in progress at once, across the clients that share
// the gate (the engine's and its lanes'); the rest wait their turn, first come, first served.
// OpenSSL holds about 22 KiB for each handshake in progress (its handshake message buffer), so
// a runner that opens hundreds of connections at once (a burst across many accounts) would hold
// megabytes it lets go a moment later, and the heap keeps them as fragments. No Asio types: a
// turn is a callback.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <utility>

namespace fd::transport {

class HandshakeGate {
  public:
    // 32: a handshake costs a round trip and a millisecond or two of CPU, so 32 at once keep a
    // burst of new connections moving (hundreds a second over the Internet) while bounding what
    // it holds to under a megabyte.
    static constexpr std::size_t kDefaultLimit = 32;

    explicit HandshakeGate(std::size_t limit = kDefaultLimit) : limit_(limit == 0 ? 1 : limit) {}

    // Called on whatever thread let a slot go, once the waiter's turn comes: it holds a slot.
    using Turn = std::function<void()>;

    // Takes a slot at once (true), or queues `turn` (false) with `ticket` naming its place.
    bool enter(Turn turn, std::uint64_t& ticket);

    // A handshake that held a slot ended (however it ended): the first waiter gets the slot.
    void leave();

    // A waiter gives up its place: true if it was still queued. False means its turn is already
    // on its way, and the turn must leave() the slot it was given.
    bool forget(std::uint64_t ticket);

    std::size_t inside() const;   // slots held, for tests
    std::size_t waiting() const;  // queued waiters, for tests

  private:
    mutable std::mutex mutex_;
    const std::size_t limit_;
    std::size_t inside_ = 0;
    std::uint64_t next_ticket_ = 1;
    std::deque<std::pair<std::uint64_t, Turn>> queue_;
};

}  // namespace fd::transport
