#include "flowrun/credentials.hpp"

#include "flowrun/input_text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>

namespace flowrun {
namespace json = boost::json;

namespace {

struct Variable {
    std::string_view name;
    std::string_view key;
    bool integer = false;  // digits become a number (anything else is passed on, and refused)
};
constexpr Variable kVariables[] = {
    {"FRESHDESK_DOMAIN", "domain"},
    {"FRESHDESK_API_KEY", "api_key"},
    {"FRESHDESK_BASE_URL", "base_url"},
    {"FRESHDESK_CA_FILE", "ca_file"},
    {"FRESHDESK_TIMEOUT_MS", "timeout_ms", true},
    {"FRESHDESK_MAX_CONNECTIONS", "max_connections", true},
};

// Fields of `flowrun sandbox`'s printed line that are not credentials.
constexpr std::string_view kSandboxLineFields[] = {"control_url"};

json::object from_file(const std::string& credentials_file) {
    std::string text;
    std::string error;
    if (!read_text_file(credentials_file, text, error)) throw CredentialsError("credentials: " + error);
    const std::optional<json::value> parsed = parse_json(text, error);
    if (!parsed || !parsed->is_object()) {
        throw CredentialsError("credentials file " + credentials_file + " is not a JSON object" +
                               (parsed ? "" : " (" + error + ")"));
    }
    return parsed->get_object();
}

json::object from_environment() {
    json::object credentials;
    for (const Variable& variable : kVariables) {
        const char* value = std::getenv(std::string(variable.name).c_str());
        if (!value || !*value) continue;
        if (variable.integer) {
            char* end = nullptr;
            const long long number = std::strtoll(value, &end, 10);
            if (end && *end == '\0') {
                credentials[variable.key] = number;
                continue;
            }
        }
        credentials[variable.key] = value;
    }
    return credentials;
}

bool is_word_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

std::optional<GivenCredentials> resolve_credentials(const std::string& credentials_file) {
    if (!credentials_file.empty()) return GivenCredentials{from_file(credentials_file), false};
    json::object credentials = from_environment();
    if (credentials.empty()) return std::nullopt;
    return GivenCredentials{std::move(credentials), true};
}

json::object keep_declared_fields(json::object credentials, std::string_view schema_text) {
    std::string error;
    const std::optional<json::value> schema = parse_json(schema_text, error);
    const json::value* properties =
        schema && schema->is_object() ? schema->get_object().if_contains("properties") : nullptr;
    if (!properties || !properties->is_object() || properties->get_object().empty()) return credentials;
    json::object kept;
    for (const auto& [key, value] : credentials) {
        if (properties->get_object().contains(key)) {
            kept[key] = value;
        } else if (std::find(std::begin(kSandboxLineFields), std::end(kSandboxLineFields), key) ==
                   std::end(kSandboxLineFields)) {
            std::cerr << "flowrun: ignoring \"" << std::string_view(key)
                      << "\" in the credentials: not a credentials field of this plugin\n";
        }
    }
    return kept;
}

std::string name_environment_variables(std::string message) {
    for (const Variable& variable : kVariables) {
        for (std::size_t at = message.find(variable.key); at != std::string::npos;
             at = message.find(variable.key, at + 1)) {
            const std::size_t end = at + variable.key.size();
            // Whole words only: "subdomain" stays.
            if ((at > 0 && is_word_character(message[at - 1])) ||
                (end < message.size() && is_word_character(message[end]))) {
                continue;
            }
            message.replace(at, variable.key.size(), variable.name);
            at += variable.name.size() - 1;
        }
    }
    return message;
}

}  // namespace flowrun
