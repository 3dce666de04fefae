#include "core/watch_cursor.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace fd {
namespace json = boost::json;

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string to_base64url(std::string_view bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3f];
    return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const std::size_t value = kAlphabet.find(c);
        if (value == std::string_view::npos) return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

}  // namespace

void WatchCursor::pass(std::int64_t updated_at, std::int64_t id) {
    if (updated_at > time) {
        time = updated_at;
        seen.clear();
    }
    if (updated_at == time) seen.insert(id);
}

std::string encode_cursor(const WatchCursor& cursor) {
    json::array ids;
    for (std::int64_t id : cursor.seen)
        ids.push_back(id);
    return to_base64url(json::serialize(json::object{{"v", 1}, {"t", cursor.time}, {"ids", std::move(ids)}}));
}

std::optional<WatchCursor> decode_cursor(std::string_view text) {
    const std::optional<std::string> bytes = from_base64url(text);
    if (!bytes) return std::nullopt;
    boost::system::error_code error;
    const json::value doc = json::parse(*bytes, error);
    if (error || !doc.is_object()) return std::nullopt;
    const json::object& object = doc.get_object();
    const json::value* version = object.if_contains("v");
    const json::value* time = object.if_contains("t");
    const json::value* ids = object.if_contains("ids");
    if (!version || *version != 1 || !time || !time->is_int64() || !ids || !ids->is_array()) return std::nullopt;
    WatchCursor cursor;
    cursor.time = time->get_int64();
    for (const json::value& id : ids->get_array()) {
        if (!id.is_int64()) return std::nullopt;
        cursor.seen.insert(id.get_int64());
    }
    return cursor;
}

}  // namespace fd
