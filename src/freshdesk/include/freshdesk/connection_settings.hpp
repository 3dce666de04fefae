// The credentials object turned into where requests go: https://{domain}.freshdesk.com/api/v2
// (or base_url), the trust anchors, the Basic-auth header and the deadline. Anything that would
// send the key somewhere unexpected is refused here, before any I/O.
#pragma once

#include "core/input_validation.hpp"
#include "core/node_catalog.hpp"
#include "transport/http_types.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fd::freshdesk {

inline constexpr std::chrono::milliseconds kDefaultTimeout{30000};

struct ConnectionSettings {
    transport::Endpoint endpoint;
    std::chrono::milliseconds timeout = kDefaultTimeout;
    std::string domain;                // the subdomain as given (lower-cased), "" with a base_url only
    std::vector<std::string> secrets;  // the key and its Basic-auth form: redacted from any output
};

struct SettingsResult {
    bool ok = false;
    std::string error;  // names the credential field and the rule; never the key
    // Shared, not copied: every run with the same credentials text holds the same reading.
    std::shared_ptr<const ConnectionSettings> settings;
};

// Thread-safe. A host passes the same credentials text on every run, so readings are
// remembered by that text: the schema check and the key's encodings happen once.
class ConnectionSettingsReader {
  public:
    explicit ConnectionSettingsReader(const NodeCatalog& catalog);
    SettingsResult read(std::string_view credentials_json) const;

  private:
    SettingsResult read_uncached(std::string_view credentials_json) const;

    InputValidator validator_;
    mutable std::mutex mutex_;
    // Looked up by the text as given (no copy of it per run).
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    mutable std::unordered_map<std::string, std::shared_ptr<const ConnectionSettings>, TextHash, std::equal_to<>>
        remembered_;
};

}  // namespace fd::freshdesk
