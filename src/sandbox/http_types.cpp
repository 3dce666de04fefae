#include "sandbox/http_types.hpp"

#include <cctype>

namespace fdsandbox {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

const std::string* find_header(const HeaderList& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return &value;
    return nullptr;
}

}  // namespace fdsandbox
