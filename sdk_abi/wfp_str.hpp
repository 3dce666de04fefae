// wfp_str.hpp - wfp_str to and from C++ strings, for C++ hosts and plugins alike (header only;
// adds nothing to the ABI). A wfp_str made by wfp::str points into the string it was made from.
#pragma once

#include "wfp_plugin.h"

#include <string_view>

namespace wfp {

inline std::string_view view(wfp_str text) {
    return text.ptr ? std::string_view(text.ptr, text.len) : std::string_view();
}
inline wfp_str str(std::string_view text) {
    return {text.data(), text.size()};
}

}  // namespace wfp
