// Date-times as the nodes take them (RFC 3339) and as Freshdesk reads them (UTC, whole seconds;
// search filters by whole days, 'YYYY-MM-DD').
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fd {

inline constexpr std::int64_t kSecondsPerDay = 86400;

// RFC 3339 to seconds since the epoch, rounded up to the next whole second when it has a
// fraction (Freshdesk's timestamps have whole seconds). nullopt when unreadable.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);
std::string format_utc(std::int64_t epoch_seconds);  // "YYYY-MM-DDTHH:MM:SSZ"
std::string utc_date(std::int64_t epoch_seconds);    // "YYYY-MM-DD"

}  // namespace fd
