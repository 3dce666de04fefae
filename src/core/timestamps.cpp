#include "core/timestamps.hpp"

#include <chrono>
#include <cstdio>

namespace fd {

namespace {

using namespace std::chrono;

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
    if (at + count > text.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

// "Z", "+hh:mm" or "-hh:mm" at `at`, as seconds east of UTC; nullopt when not one of those.
std::optional<int> zone_offset(std::string_view text, std::size_t& at) {
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
        return 0;
    }
    int hours = 0, minutes = 0;
    if (at >= text.size() || (text[at] != '+' && text[at] != '-') || !digits(text, at + 1, 2, hours) ||
        at + 3 >= text.size() || text[at + 3] != ':' || !digits(text, at + 4, 2, minutes) || hours > 23 ||
        minutes > 59) {
        return std::nullopt;
    }
    const int sign = text[at] == '-' ? -1 : 1;
    at += 6;
    return sign * (hours * 3600 + minutes * 60);
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    int year, month, day, hour, minute, second;
    if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' || !digits(text, 5, 2, month) ||
        text[7] != '-' || !digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
        !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
        !digits(text, 17, 2, second)) {
        return std::nullopt;
    }
    const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    std::size_t at = 19;
    bool fraction = false;
    if (text[at] == '.') {
        const std::size_t digits_from = ++at;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at)
            fraction = fraction || text[at] != '0';
        if (at == digits_from) return std::nullopt;
    }
    const std::optional<int> offset = zone_offset(text, at);
    if (!offset || at != text.size()) return std::nullopt;
    const sys_seconds local = sys_days(date) + hours(hour) + minutes(minute) + seconds(second);
    return (local - seconds(*offset)).time_since_epoch().count() + (fraction ? 1 : 0);
}

std::string utc_date(std::int64_t epoch_seconds) {
    const year_month_day date(floor<days>(sys_seconds(seconds(epoch_seconds))));
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()));
    return text;
}

std::string format_utc(std::int64_t epoch_seconds) {
    const sys_seconds point{seconds(epoch_seconds)};
    const hh_mm_ss<seconds> clock(point - floor<days>(point));
    char text[16];
    std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()));
    return utc_date(epoch_seconds) + text;
}

}  // namespace fd
