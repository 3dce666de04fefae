// Indented JSON for what people read (nodes, describe); envelopes stay on one line.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace fd {

std::string pretty_json(const boost::json::value& value);

}  // namespace fd
