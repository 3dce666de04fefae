#include "freshdesk/connection_settings.hpp"

#include <openssl/evp.h>
#include <boost/url/parse.hpp>

#include <cctype>
#include <charconv>
#include <fstream>

namespace fd::freshdesk {
namespace json = boost::json;

namespace {

constexpr std::string_view kFreshdeskSuffix = ".freshdesk.com";

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

// A short digest of the key, so pooled connections stay per credential without keeping the
// key itself in the pool's keys.
std::string digest(std::string_view secret) {
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(secret.data(), secret.size(), hash, &length, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < 8 && i < length; ++i) {
        out += kHex[hash[i] >> 4];
        out += kHex[hash[i] & 0xF];
    }
    return out;
}

SettingsResult refuse(std::string message) {
    SettingsResult result;
    result.error = "Credentials: " + std::move(message);
    return result;
}

// The endpoint a base_url names (another server than <domain>.freshdesk.com, such as the
// sandbox); a problem in words, or "".
std::string read_base_url(std::string_view text, transport::Endpoint& endpoint) {
    const auto url = boost::urls::parse_absolute_uri(text);
    if (!url) return "base_url must be an absolute https:// URL; got an unreadable URL";
    if (lower(url->scheme()) != "https") {
        return "base_url must start with https:// (the API key must not travel in clear text)";
    }
    if (url->has_userinfo()) return "base_url must not carry a user name or password";
    if (url->has_query() || url->has_fragment()) return "base_url must not have a query or a fragment";
    if (url->host_type() == boost::urls::host_type::none || url->encoded_host().empty()) {
        return "base_url has no host";
    }
    const bool ipv6 = url->host_type() == boost::urls::host_type::ipv6;
    endpoint.host = ipv6 ? url->host_address() : lower(url->host());
    // Only what a DNS name or an IP literal is made of: a percent-encoded host could decode to
    // anything, a NUL or CR/LF included, and it goes into SNI and the Host header.
    const char* allowed = ipv6 ? "0123456789abcdefABCDEF:." : "abcdefghijklmnopqrstuvwxyz0123456789.-_";
    if (url->host_type() == boost::urls::host_type::ipvfuture ||
        endpoint.host.find_first_not_of(allowed) != std::string::npos) {
        return "base_url has an invalid host: letters, digits, '.', '-' or an IP address";
    }
    endpoint.port = 443;
    if (url->has_port()) {
        // port_number() wraps large values, so read the digits.
        const std::string_view digits = url->port();
        unsigned port = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (error != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
            return "base_url has an invalid port";
        }
        endpoint.port = static_cast<std::uint16_t>(port);
    }
    const std::string host_for_header = ipv6 ? "[" + endpoint.host + "]" : endpoint.host;
    endpoint.host_header = url->has_port() ? host_for_header + ":" + std::to_string(endpoint.port) : host_for_header;
    std::string path(url->encoded_path());
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    if (path.find_first_of("?#\r\n ") != std::string::npos) return "base_url has an invalid path";
    endpoint.base_path = path.ends_with("/api/v2") ? path : path + "/api/v2";
    return "";
}

}  // namespace

ConnectionSettingsReader::ConnectionSettingsReader(const NodeCatalog& catalog)
    : validator_(catalog.credentials_schema(), "the credentials") {}

SettingsResult ConnectionSettingsReader::read(std::string_view credentials_json) const {
    constexpr std::size_t kRemembered = 64;  // distinct credentials kept; more start over
    {
        std::lock_guard lock(mutex_);
        const auto found = remembered_.find(credentials_json);
        if (found != remembered_.end()) return SettingsResult{true, "", found->second};
    }
    SettingsResult result = read_uncached(credentials_json);
    if (result.ok) {
        std::lock_guard lock(mutex_);
        if (remembered_.size() >= kRemembered) remembered_.clear();
        remembered_.emplace(std::string(credentials_json), result.settings);
    }
    return result;
}

SettingsResult ConnectionSettingsReader::read_uncached(std::string_view credentials_json) const {
    const ValidatedInput credentials = validator_.validate(credentials_json);
    if (!credentials.ok) return refuse(credentials.error);
    const json::object& fields = credentials.params;

    auto made = std::make_shared<ConnectionSettings>();
    ConnectionSettings& settings = *made;
    transport::Endpoint& endpoint = settings.endpoint;
    if (const json::value* domain = fields.if_contains("domain")) {
        settings.domain = lower(domain->as_string());
        if (settings.domain.ends_with(kFreshdeskSuffix))
            settings.domain.resize(settings.domain.size() - kFreshdeskSuffix.size());
        endpoint.host = settings.domain + std::string(kFreshdeskSuffix);
        endpoint.host_header = endpoint.host;
        endpoint.base_path = "/api/v2";
    }
    if (const json::value* base_url = fields.if_contains("base_url")) {
        if (std::string problem = read_base_url(base_url->as_string(), endpoint); !problem.empty()) {
            return refuse(std::move(problem));
        }
    }
    if (const json::value* ca_file = fields.if_contains("ca_file")) {
        endpoint.ca_file = std::string(ca_file->as_string());
        if (!std::ifstream(endpoint.ca_file)) return refuse("ca_file " + endpoint.ca_file + " cannot be read");
    }
    if (const json::value* timeout = fields.if_contains("timeout_ms")) {
        settings.timeout = std::chrono::milliseconds(timeout->as_int64());
    }
    if (const json::value* cap = fields.if_contains("max_connections")) {
        endpoint.max_connections = static_cast<std::size_t>(cap->as_int64());
    }
    const std::string_view key = fields.at("api_key").as_string();
    const std::string basic = base64(std::string(key) + ":X");
    endpoint.authorization = "Basic " + basic;
    settings.secrets = {std::string(key), basic};
    endpoint.credential_id = digest(key);
    endpoint.finish();
    return SettingsResult{true, "", std::move(made)};
}

}  // namespace fd::freshdesk
