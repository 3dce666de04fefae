// An exception's text as flowrun shows it to a person: Boost's system errors end their what()
// with "[category:value at /usr/include/boost/...:line]", a source location no user needs.
#pragma once

#include <exception>
#include <string>

namespace flowrun {

std::string readable_message(const std::exception& error);

}  // namespace flowrun
