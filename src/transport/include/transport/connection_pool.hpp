// The connections of every account: a cap on how many each account holds open at once, the
// idle ones kept for reuse, and the exchanges waiting for one, served first come, first served.
// Shared by the engine's client and the lanes it lends (like the rate pacer), so the cap holds
// per account whichever thread runs the request. No Beast or Asio types: a connection is
// whatever derives from PooledConnection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fd::transport {

class ConnectionPool;

// The right to hold one connection of an account open: given back when destroyed (with the
// connection that holds it, or unused).
class ConnectionLease {
  public:
    ConnectionLease(std::weak_ptr<ConnectionPool> pool, std::string account);
    ~ConnectionLease();
    ConnectionLease(const ConnectionLease&) = delete;
    ConnectionLease& operator=(const ConnectionLease&) = delete;

  private:
    friend class ConnectionPool;
    std::weak_ptr<ConnectionPool> pool_;  // empty once the pool has counted it back itself
    std::string account_;
};

// A connection as the pool sees it. `io` says which io_context drives it: a connection is
// reused only by exchanges of the same one.
struct PooledConnection {
    virtual ~PooledConnection() = default;
    // Whether it can carry another request (the peer has not closed it).
    virtual bool reusable() = 0;

    const void* io = nullptr;
    std::string account;
    std::string key;  // the account and the trust anchors it was opened with
    std::chrono::steady_clock::time_point idle_since;
    std::unique_ptr<ConnectionLease> lease;  // destroyed last: the slot frees once it is closed
};

// What an exchange gets: an idle connection to reuse, or a lease to open a new one.
struct Grant {
    std::unique_ptr<PooledConnection> connection;
    std::unique_ptr<ConnectionLease> lease;
};

// Called (on whatever thread gave a connection back) when a waiting exchange's turn comes.
using GrantHandler = std::function<void(Grant)>;

struct PoolLimits {
    std::chrono::seconds idle_timeout{30};
    std::size_t max_idle_per_key = 32;
    std::size_t max_idle_total = 1024;
};

// What an exchange asks for (the strings are the exchange's: read during take()).
struct Want {
    std::string_view account;  // the cap counts per account
    std::string_view key;      // a reusable connection has the same key...
    const void* io = nullptr;  // ...and io
    std::size_t cap = 1;       // connections of the account open at once
    bool reuse = true;         // false: a new connection (the pooled one just failed)
};

class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
  public:
    explicit ConnectionPool(PoolLimits limits) : limits_(limits) {}

    // A grant now, or nothing: the exchange waits and `later` gets its grant (never called
    // after forget() returned true). Returns the waiter's ticket in `ticket`.
    std::optional<Grant> take(const Want& want, GrantHandler later, std::uint64_t& ticket);
    // A waiting exchange gives up (its deadline or a cancel). False when its grant is already
    // on its way to `later`: the exchange then gives that grant back.
    bool forget(const std::string& account, std::uint64_t ticket);
    // A connection that can carry another request (the caller has checked it holds no unread
    // bytes): to the first waiter of its account, or kept.
    void give_back(std::unique_ptr<PooledConnection> connection);
    // Closes the idle connections driven by `io` (its client is going). Their slots free as
    // they close.
    void close_idle(const void* io);

    // How many connections of the account are open (in use or idle) now.
    std::size_t open_connections(const std::string& account);

  private:
    friend class ConnectionLease;
    struct Waiter {
        std::uint64_t ticket;
        std::string key;
        const void* io;
        bool reuse;  // false: wants a new connection, never a pooled one
        GrantHandler later;
    };
    struct Account {
        std::size_t open = 0;
        std::deque<Waiter> waiting;
    };
    using Doomed = std::vector<std::unique_ptr<PooledConnection>>;

    void release(const std::string& account);
    Account& account_locked(std::string_view account);
    std::unique_ptr<PooledConnection> reuse_locked(const Want& want, Doomed& doomed);
    std::unique_ptr<ConnectionLease> evict_other_locked(const Want& want, Doomed& doomed);
    void sweep_locked(Doomed& doomed);
    void drop_idle_locked(const std::function<bool(const PooledConnection&)>& drop, Doomed& doomed);
    std::unique_ptr<ConnectionLease> new_lease(std::string_view account);

    PoolLimits limits_;
    std::mutex mutex_;
    std::map<std::string, Account, std::less<>> accounts_;  // every account seen (a count and a queue each)
    std::map<std::string, std::vector<std::unique_ptr<PooledConnection>>, std::less<>> idle_;  // by key
    std::size_t idle_total_ = 0;
    std::uint64_t next_ticket_ = 1;
    std::chrono::steady_clock::time_point last_sweep_{};
};

}  // namespace fd::transport
