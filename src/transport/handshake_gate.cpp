#include "transport/handshake_gate.hpp"

#include <algorithm>

namespace fd::transport {

bool HandshakeGate::enter(Turn turn, std::uint64_t& ticket) {
    std::lock_guard lock(mutex_);
    if (inside_ < limit_) {
        ++inside_;
        return true;
    }
    ticket = next_ticket_++;
    queue_.emplace_back(ticket, std::move(turn));
    return false;
}

void HandshakeGate::leave() {
    Turn next;
    {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) {
            if (inside_ > 0) --inside_;
            return;
        }
        next = std::move(queue_.front().second);  // the slot passes on: inside_ stays
        queue_.pop_front();
    }
    next();  // unlocked: the turn may post, or even enter and leave again
}

bool HandshakeGate::forget(std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    const auto place = std::find_if(queue_.begin(), queue_.end(), [&](const auto& w) { return w.first == ticket; });
    if (place == queue_.end()) return false;
    queue_.erase(place);
    return true;
}

std::size_t HandshakeGate::inside() const {
    std::lock_guard lock(mutex_);
    return inside_;
}

std::size_t HandshakeGate::waiting() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

}  // namespace fd::transport
