#include "transport/connection_pool.hpp"

#include <algorithm>

namespace fd::transport {
using Clock = std::chrono::steady_clock;

ConnectionLease::ConnectionLease(std::weak_ptr<ConnectionPool> pool, std::string account)
    : pool_(std::move(pool)), account_(std::move(account)) {}

ConnectionLease::~ConnectionLease() {
    if (auto pool = pool_.lock()) pool->release(account_);
}

std::unique_ptr<ConnectionLease> ConnectionPool::new_lease(std::string_view account) {
    return std::make_unique<ConnectionLease>(weak_from_this(), std::string(account));
}

ConnectionPool::Account& ConnectionPool::account_locked(std::string_view account) {
    auto found = accounts_.find(account);
    if (found == accounts_.end()) found = accounts_.emplace(std::string(account), Account{}).first;
    return found->second;
}

// Connections in `doomed` are destroyed by the caller after unlocking: their leases lock again.
std::optional<Grant> ConnectionPool::take(const Want& want, GrantHandler later, std::uint64_t& ticket) {
    Doomed doomed;
    std::lock_guard lock(mutex_);
    sweep_locked(doomed);
    Account& account = account_locked(want.account);
    // Those already waiting go first.
    if (account.waiting.empty()) {
        if (want.reuse) {
            if (auto connection = reuse_locked(want, doomed)) return Grant{std::move(connection), nullptr};
        }
        if (account.open < want.cap) {
            ++account.open;
            return Grant{nullptr, new_lease(want.account)};
        }
        if (auto lease = evict_other_locked(want, doomed)) return Grant{nullptr, std::move(lease)};
    }
    ticket = next_ticket_++;
    account.waiting.push_back(Waiter{ticket, std::string(want.key), want.io, want.reuse, std::move(later)});
    return std::nullopt;
}

// An idle connection with the same key and io that is still open; stale ones are dropped.
std::unique_ptr<PooledConnection> ConnectionPool::reuse_locked(const Want& want, Doomed& doomed) {
    auto found = idle_.find(want.key);
    if (found == idle_.end()) return nullptr;
    auto& connections = found->second;
    const auto oldest_allowed = Clock::now() - limits_.idle_timeout;
    for (std::size_t i = connections.size(); i-- > 0;) {  // the most recently used first
        if (connections[i]->io != want.io) continue;
        std::unique_ptr<PooledConnection> connection = std::move(connections[i]);
        connections.erase(connections.begin() + static_cast<std::ptrdiff_t>(i));
        --idle_total_;
        if (connection->idle_since >= oldest_allowed && connection->reusable()) return connection;
        // Counted back here, so the slot is free for this very take().
        if (connection->lease) connection->lease->pool_.reset();
        --account_locked(connection->account).open;
        doomed.push_back(std::move(connection));
    }
    return nullptr;
}

// At the cap with no idle connection this exchange can use: an idle one of the account that
// another io drives (or with other trust anchors) is closed, and its lease passes on.
std::unique_ptr<ConnectionLease> ConnectionPool::evict_other_locked(const Want& want, Doomed& doomed) {
    for (auto& [key, connections] : idle_) {
        if (connections.empty() || connections.front()->account != want.account) continue;
        std::unique_ptr<ConnectionLease> lease = std::move(connections.front()->lease);
        doomed.push_back(std::move(connections.front()));
        connections.erase(connections.begin());
        --idle_total_;
        return lease;
    }
    return nullptr;
}

// Connections idle past the timeout are closed, whichever account they belong to (at most
// once a second): an account used once must not hold its connections, and their memory, forever.
void ConnectionPool::sweep_locked(Doomed& doomed) {
    const auto now = Clock::now();
    if (now - last_sweep_ < std::chrono::seconds(1)) return;
    last_sweep_ = now;
    drop_idle_locked([&](const PooledConnection& c) { return c.idle_since < now - limits_.idle_timeout; }, doomed);
}

// Moves the idle connections `drop` picks into `doomed`.
void ConnectionPool::drop_idle_locked(const std::function<bool(const PooledConnection&)>& drop, Doomed& doomed) {
    for (auto& [key, connections] : idle_) {
        for (auto& connection : connections) {
            if (drop(*connection)) doomed.push_back(std::move(connection));
        }
        connections.erase(std::remove(connections.begin(), connections.end(), nullptr), connections.end());
    }
    idle_total_ = 0;
    for (const auto& [key, connections] : idle_)
        idle_total_ += connections.size();
}

bool ConnectionPool::forget(const std::string& account, std::uint64_t ticket) {
    GrantHandler gone;  // let go after unlocking: it may hold the last reference to its exchange
    std::lock_guard lock(mutex_);
    auto& waiting = account_locked(account).waiting;
    auto found = std::find_if(waiting.begin(), waiting.end(), [&](const Waiter& w) { return w.ticket == ticket; });
    if (found == waiting.end()) return false;
    gone = std::move(found->later);
    waiting.erase(found);
    return true;
}

void ConnectionPool::give_back(std::unique_ptr<PooledConnection> connection) {
    std::unique_ptr<PooledConnection> doomed;
    GrantHandler later;
    {
        std::lock_guard lock(mutex_);
        auto& waiting = account_locked(connection->account).waiting;
        if (!waiting.empty()) {
            Waiter& first = waiting.front();
            if (first.reuse && first.key == connection->key && first.io == connection->io) {
                later = std::move(first.later);
                waiting.pop_front();
            } else {
                doomed = std::move(connection);  // closing it frees the slot for the first waiter
            }
        } else if (idle_total_ < limits_.max_idle_total && idle_[connection->key].size() < limits_.max_idle_per_key) {
            connection->idle_since = Clock::now();
            idle_[connection->key].push_back(std::move(connection));
            ++idle_total_;
        } else {
            doomed = std::move(connection);
        }
    }
    if (later) later(Grant{std::move(connection), nullptr});
}

void ConnectionPool::release(const std::string& account) {
    GrantHandler later;
    std::unique_ptr<ConnectionLease> lease;
    {
        std::lock_guard lock(mutex_);
        Account& entry = account_locked(account);
        if (entry.waiting.empty()) {
            --entry.open;
            return;
        }
        later = std::move(entry.waiting.front().later);
        entry.waiting.pop_front();
        lease = new_lease(account);  // the slot passes on: `open` stays
    }
    later(Grant{nullptr, std::move(lease)});
}

void ConnectionPool::close_idle(const void* io) {
    Doomed doomed;
    std::lock_guard lock(mutex_);
    drop_idle_locked([&](const PooledConnection& c) { return c.io == io; }, doomed);
}

std::size_t ConnectionPool::open_connections(const std::string& account) {
    std::lock_guard lock(mutex_);
    return account_locked(account).open;
}

}  // namespace fd::transport
