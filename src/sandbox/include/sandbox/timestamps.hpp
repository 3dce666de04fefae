// Time as the API shows and reads it: UTC, second precision, "YYYY-MM-DDTHH:MM:SSZ" out;
// the ISO-8601 forms docs/freshdesk.md ("Timestamps") lists in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fdsandbox {

using UnixSeconds = std::int64_t;

constexpr UnixSeconds kSecondsPerDay = 24 * 3600;

UnixSeconds now_unix_seconds();                  // the system clock
std::string format_timestamp(UnixSeconds time);  // "2016-03-17T21:23:49Z"

// `YYYY-MM-DD`, `…Thh:mm`, `…Thh:mm:ss` (fractions ignored), with an optional `Z`/`z`,
// `±hh`, `±hhmm` or `±hh:mm` after a time; zone-less means UTC. nullopt when not valid
// (hour 24, second 60, a bad offset, anything else).
std::optional<UnixSeconds> parse_iso8601(std::string_view text);

// Exactly `YYYY-MM-DD` (search queries): the start of that UTC day.
std::optional<UnixSeconds> parse_date(std::string_view text);

UnixSeconds start_of_utc_day(UnixSeconds time);
// The same day one calendar month earlier (Mar 31 -> Feb 28/29), as Rails' 1.month.ago.
UnixSeconds one_month_earlier(UnixSeconds day_start);

}  // namespace fdsandbox
