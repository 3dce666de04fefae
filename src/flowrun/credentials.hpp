// Where flowrun's Freshdesk credentials come from: --credentials FILE, else the FRESHDESK_*
// environment, else nothing (then invoke and run use the embedded sandbox).
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace flowrun {

// Throws std::runtime_error with a readable message when the file is missing or not a JSON
// object.
std::optional<boost::json::object> resolve_credentials(const std::string& credentials_file);

}  // namespace flowrun
