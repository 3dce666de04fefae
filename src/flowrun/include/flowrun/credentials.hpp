// Where flowrun's Freshdesk credentials come from: --credentials FILE, else the FRESHDESK_*
// environment, else nothing (then invoke and run use the embedded sandbox).
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace flowrun {

// Throws std::runtime_error with a readable message when the file is missing or not a JSON
// object.
std::optional<boost::json::object> resolve_credentials(const std::string& credentials_file);

// Drops the fields a plugin's credentials schema does not declare, saying so on stderr, so a
// file that carries more (the line `flowrun sandbox` prints has a control_url) still works.
// An unparsable or property-less schema keeps everything: the plugin then judges.
boost::json::object keep_declared_fields(boost::json::object credentials, std::string_view schema_text);

}  // namespace flowrun
