#include "flowrun/credentials.hpp"

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace flowrun {
namespace json = boost::json;

std::optional<json::object> resolve_credentials(const std::string& credentials_file) {
    if (!credentials_file.empty()) {
        std::ifstream in(credentials_file, std::ios::binary);
        if (!in) throw std::runtime_error("cannot read credentials file " + credentials_file);
        std::ostringstream text;
        text << in.rdbuf();
        boost::system::error_code error;
        json::value parsed = json::parse(text.str(), error);
        if (error || !parsed.is_object()) {
            throw std::runtime_error("credentials file " + credentials_file + " is not a JSON object");
        }
        return parsed.as_object();
    }
    struct Variable {
        const char* name;
        const char* key;
    };
    static constexpr Variable kVariables[] = {
        {"FRESHDESK_DOMAIN", "domain"},   {"FRESHDESK_API_KEY", "api_key"},       {"FRESHDESK_BASE_URL", "base_url"},
        {"FRESHDESK_CA_FILE", "ca_file"}, {"FRESHDESK_TIMEOUT_MS", "timeout_ms"},
    };
    json::object credentials;
    for (const Variable& variable : kVariables) {
        const char* value = std::getenv(variable.name);
        if (!value || !*value) continue;
        if (std::string_view(variable.key) == "timeout_ms") {
            char* end = nullptr;
            const long long number = std::strtoll(value, &end, 10);
            if (end && *end == '\0') {
                credentials[variable.key] = number;
                continue;
            }
        }
        credentials[variable.key] = value;
    }
    if (credentials.empty()) return std::nullopt;
    return credentials;
}

json::object keep_declared_fields(json::object credentials, std::string_view schema_text) {
    boost::system::error_code error;
    const json::value schema = json::parse(schema_text, error);
    const json::value* properties =
        !error && schema.is_object() ? schema.get_object().if_contains("properties") : nullptr;
    if (!properties || !properties->is_object() || properties->get_object().empty()) return credentials;
    json::object kept;
    for (const auto& [key, value] : credentials) {
        if (properties->get_object().contains(key)) {
            kept[key] = value;
        } else {
            std::cerr << "flowrun: ignoring \"" << std::string_view(key)
                      << "\" in the credentials: not a credentials field of this plugin\n";
        }
    }
    return kept;
}

}  // namespace flowrun
