#include "flowrun/readable_message.hpp"

#include <boost/system/system_error.hpp>

namespace flowrun {

std::string readable_message(const std::exception& error) {
    std::string text = error.what();
    if (!dynamic_cast<const boost::system::system_error*>(&error)) return text;
    // what() is "prefix: message [category:value at location]"; message() alone has no
    // location, but the prefix ("bind") says which call failed, so only the bracket goes.
    const std::size_t bracket = text.rfind(" [");
    if (bracket != std::string::npos && text.ends_with("]")) text.erase(bracket);
    return text;
}

}  // namespace flowrun
