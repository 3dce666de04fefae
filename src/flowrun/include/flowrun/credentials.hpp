// Where flowrun's Freshdesk credentials come from: --credentials FILE, else the FRESHDESK_*
// environment, else nothing (then the commands use the embedded sandbox).
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace flowrun {

// A credentials file that cannot be used: a usage error.
struct CredentialsError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct GivenCredentials {
    boost::json::object fields;
    bool from_environment = false;
};

// Throws CredentialsError with a readable message when the file cannot be read (and why) or
// is not a JSON object.
std::optional<GivenCredentials> resolve_credentials(const std::string& credentials_file);

// Drops the fields a plugin's credentials schema does not declare, saying so on stderr, so a
// file that carries more still works. The fields of the line `flowrun sandbox` prints
// (control_url) are dropped quietly: that line is meant to be used as a credentials file.
// An unparsable or property-less schema keeps everything: the plugin then judges.
boost::json::object keep_declared_fields(boost::json::object credentials, std::string_view schema_text);

// With credentials from the environment, a plugin's message names the JSON keys flowrun filled
// from FRESHDESK_* variables ("At least one of domain, base_url"); this names the variables
// instead ("At least one of FRESHDESK_DOMAIN, FRESHDESK_BASE_URL").
std::string name_environment_variables(std::string message);

}  // namespace flowrun
