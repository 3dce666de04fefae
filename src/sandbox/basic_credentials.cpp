#include "sandbox/basic_credentials.hpp"

#include <openssl/evp.h>

namespace fdsandbox {

std::optional<std::string> basic_user_name(const HttpRequest& request) {
    const std::string* header = find_header(request.headers, "Authorization");
    if (!header || header->size() < 6 || !iequals(std::string_view(*header).substr(0, 6), "Basic "))
        return std::nullopt;
    std::string_view encoded = std::string_view(*header).substr(6);
    while (!encoded.empty() && encoded.front() == ' ')
        encoded.remove_prefix(1);
    while (!encoded.empty() && encoded.back() == ' ')
        encoded.remove_suffix(1);
    if (encoded.empty() || encoded.size() % 4 != 0 || encoded.size() > 4096) return std::nullopt;
    std::string decoded(encoded.size() / 4 * 3, '\0');
    const int length =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                        reinterpret_cast<const unsigned char*>(encoded.data()), static_cast<int>(encoded.size()));
    if (length < 0) return std::nullopt;
    std::size_t padding = 0;
    if (encoded.back() == '=') ++padding;
    if (encoded.size() >= 2 && encoded[encoded.size() - 2] == '=') ++padding;
    decoded.resize(static_cast<std::size_t>(length) - padding);
    return decoded.substr(0, decoded.find(':'));
}

}  // namespace fdsandbox
