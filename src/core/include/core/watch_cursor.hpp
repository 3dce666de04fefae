// Where a polling trigger (ticket.watch, contact.watch) stopped: the last change time it has
// delivered up to (Freshdesk's whole-second updated_at) and the ids it has already seen at that
// second, so many changes within one second are each delivered once. Hosts keep it as an opaque
// string between polls; the plugin keeps no state.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace fd {

struct WatchCursor {
    std::int64_t time = 0;          // seconds since the epoch
    std::set<std::int64_t> seen;    // ids whose updated_at is `time`, already considered

    // Whether a record changed at `updated_at` is past the cursor (not delivered yet).
    bool before(std::int64_t updated_at, std::int64_t id) const {
        return updated_at > time || (updated_at == time && !seen.contains(id));
    }
    // The cursor moved past a record: it is now the latest considered.
    void pass(std::int64_t updated_at, std::int64_t id);
};

// base64url of {"v":1,"t":...,"ids":[...]}.
std::string encode_cursor(const WatchCursor& cursor);
// nullopt when `text` is not a cursor this plugin wrote.
std::optional<WatchCursor> decode_cursor(std::string_view text);

}  // namespace fd
