#include "sandbox/timestamps.hpp"

#include <chrono>
#include <cstdio>

namespace fdsandbox {
namespace {

using namespace std::chrono;

bool read_digits(std::string_view text, std::size_t& at, std::size_t count, int& value) {
    if (at + count > text.size()) return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    at += count;
    return true;
}

std::optional<sys_days> read_date(std::string_view text, std::size_t& at) {
    int year = 0, month = 0, day = 0;
    if (!read_digits(text, at, 4, year) || at >= text.size() || text[at++] != '-' || !read_digits(text, at, 2, month) ||
        at >= text.size() || text[at++] != '-' || !read_digits(text, at, 2, day))
        return std::nullopt;
    const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok()) return std::nullopt;
    return sys_days(date);
}

}  // namespace

UnixSeconds now_unix_seconds() {
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_timestamp(UnixSeconds time) {
    const sys_seconds point{seconds(time)};
    const sys_days day = floor<days>(point);
    const year_month_day date(day);
    const hh_mm_ss<seconds> clock(point - day);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return text;
}

std::optional<UnixSeconds> parse_iso8601(std::string_view text) {
    std::size_t at = 0;
    const std::optional<sys_days> date = read_date(text, at);
    if (!date) return std::nullopt;
    UnixSeconds result = date->time_since_epoch().count() * kSecondsPerDay;
    if (at == text.size()) return result;

    if (text[at++] != 'T') return std::nullopt;
    int hour = 0, minute = 0, second = 0;
    if (!read_digits(text, at, 2, hour) || at >= text.size() || text[at++] != ':' || !read_digits(text, at, 2, minute))
        return std::nullopt;
    if (at < text.size() && text[at] == ':') {
        ++at;
        if (!read_digits(text, at, 2, second)) return std::nullopt;
        if (at < text.size() && text[at] == '.') {
            ++at;
            const std::size_t fraction_start = at;
            while (at < text.size() && text[at] >= '0' && text[at] <= '9')
                ++at;
            if (at == fraction_start) return std::nullopt;
        }
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    result += hour * 3600 + minute * 60 + second;
    if (at == text.size()) return result;

    if (text[at] == 'Z' || text[at] == 'z') return at + 1 == text.size() ? std::optional(result) : std::nullopt;
    if (text[at] != '+' && text[at] != '-') return std::nullopt;
    const int sign = text[at++] == '+' ? 1 : -1;
    int offset_hours = 0, offset_minutes = 0;
    if (!read_digits(text, at, 2, offset_hours)) return std::nullopt;
    if (at < text.size()) {
        if (text[at] == ':') ++at;
        if (!read_digits(text, at, 2, offset_minutes)) return std::nullopt;
    }
    if (at != text.size() || offset_hours > 23 || offset_minutes > 59) return std::nullopt;
    return result - sign * (offset_hours * 3600 + offset_minutes * 60);
}

std::optional<UnixSeconds> parse_date(std::string_view text) {
    std::size_t at = 0;
    const std::optional<sys_days> date = read_date(text, at);
    if (!date || at != text.size()) return std::nullopt;
    return date->time_since_epoch().count() * kSecondsPerDay;
}

UnixSeconds start_of_utc_day(UnixSeconds time) {
    return floor<days>(sys_seconds{seconds(time)}).time_since_epoch().count() * kSecondsPerDay;
}

UnixSeconds one_month_earlier(UnixSeconds day_start) {
    const year_month_day date(floor<days>(sys_seconds{seconds(day_start)}));
    year_month_day earlier = date - months(1);
    if (!earlier.ok()) earlier = year_month_day_last(earlier.year(), month_day_last(earlier.month()));
    return sys_days(earlier).time_since_epoch().count() * kSecondsPerDay + (day_start - start_of_utc_day(day_start));
}

}  // namespace fdsandbox
