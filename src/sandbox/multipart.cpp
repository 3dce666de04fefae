#include "sandbox/multipart.hpp"

#include "sandbox/http_types.hpp"

#include <cctype>

namespace fdsandbox {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// Reads `name=value` or `name="quoted \" value"` parameters after the first ';'. Returns
// false on an unterminated quote.
bool read_parameter(std::string_view& rest, std::string& name, std::string& value) {
    rest = trim(rest);
    const std::size_t equals = rest.find('=');
    if (equals == std::string_view::npos) {  // a bare token: skip it
        const std::size_t semicolon = rest.find(';');
        name.assign(trim(rest.substr(0, semicolon)));
        value.clear();
        rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
        return true;
    }
    name.assign(trim(rest.substr(0, equals)));
    rest = trim(rest.substr(equals + 1));
    value.clear();
    if (!rest.empty() && rest.front() == '"') {
        std::size_t at = 1;
        for (; at < rest.size() && rest[at] != '"'; ++at) {
            if (rest[at] == '\\' && at + 1 < rest.size()) ++at;
            value += rest[at];
        }
        if (at >= rest.size()) return false;
        rest.remove_prefix(at + 1);
    } else {
        const std::size_t semicolon = rest.find(';');
        value.assign(trim(rest.substr(0, semicolon)));
        rest = rest.substr(semicolon == std::string_view::npos ? rest.size() : semicolon);
    }
    rest = trim(rest);
    if (!rest.empty() && rest.front() != ';') return false;
    if (!rest.empty()) rest.remove_prefix(1);
    return true;
}

// Content-Disposition: form-data; name="..."[; filename="..."]
bool read_disposition(std::string_view value, FormPart& part) {
    const std::size_t semicolon = value.find(';');
    if (!iequals(trim(value.substr(0, semicolon)), "form-data") || semicolon == std::string_view::npos) return false;
    std::string_view rest = value.substr(semicolon + 1);
    bool named = false;
    std::string name, text;
    while (!trim(rest).empty()) {
        if (!read_parameter(rest, name, text)) return false;
        if (iequals(name, "name")) {
            part.name = text;
            named = true;
        } else if (iequals(name, "filename")) {
            part.filename = text;
        }
    }
    return named;
}

bool read_headers(std::string_view headers, FormPart& part) {
    bool disposition = false;
    while (!headers.empty()) {
        const std::size_t end = headers.find(kCrlf);
        const std::string_view line = headers.substr(0, end);
        headers = end == std::string_view::npos ? std::string_view() : headers.substr(end + kCrlf.size());
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return false;
        const std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
        if (iequals(name, "Content-Disposition")) {
            if (disposition || !read_disposition(value, part)) return false;
            disposition = true;
        } else if (iequals(name, "Content-Type")) {
            part.content_type.assign(value);
        }
    }
    return disposition;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
    const std::size_t semicolon = content_type.find(';');
    if (semicolon == std::string_view::npos) return std::nullopt;
    std::string_view rest = content_type.substr(semicolon + 1);
    std::string name, value;
    while (!trim(rest).empty()) {
        if (!read_parameter(rest, name, value)) return std::nullopt;
        if (iequals(name, "boundary")) {
            if (value.empty() || value.size() > 70) return std::nullopt;
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                     const MultipartLimits& limits) {
    const std::string delimiter = "--" + std::string(boundary);
    const std::string next_delimiter = std::string(kCrlf) + delimiter;
    if (boundary.empty() || !body.starts_with(delimiter)) return std::nullopt;
    std::size_t at = delimiter.size();
    std::vector<FormPart> parts;
    for (;;) {
        if (body.substr(at, 2) == "--") return parts;  // the closing delimiter; an epilogue may follow
        if (body.substr(at, 2) != kCrlf || parts.size() >= limits.max_parts) return std::nullopt;
        at += 2;
        const std::size_t headers_end = body.find("\r\n\r\n", at);
        if (headers_end == std::string_view::npos || headers_end - at > limits.max_part_header_bytes)
            return std::nullopt;
        FormPart part;
        if (!read_headers(body.substr(at, headers_end - at), part)) return std::nullopt;
        const std::size_t data_start = headers_end + 4;
        const std::size_t data_end = body.find(next_delimiter, data_start);
        if (data_end == std::string_view::npos) return std::nullopt;
        part.data.assign(body.substr(data_start, data_end - data_start));
        parts.push_back(std::move(part));
        at = data_end + next_delimiter.size();
    }
}

}  // namespace fdsandbox
