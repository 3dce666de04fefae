// A small, strict multipart/form-data parser (RFC 7578 over RFC 2046's framing) for request
// bodies already bounded by the server's body limit. It copies each part out of the body,
// refuses anything malformed instead of guessing, and bounds the number of parts and the size
// of each part's headers, so a hostile body costs at most a linear scan.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

struct FormPart {
    std::string name;                     // Content-Disposition's name
    std::optional<std::string> filename;  // present for a file part
    std::string content_type;             // "" when the part did not say
    std::string data;
};

struct MultipartLimits {
    std::size_t max_parts = 1000;
    std::size_t max_part_header_bytes = 8 * 1024;
};

// The boundary parameter of a "multipart/form-data; boundary=..." Content-Type (quoted or
// not, 1 to 70 characters); nullopt when there is none.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// The parts of `body`, in order; nullopt when it is not well-formed for `boundary`: no
// opening delimiter, a part without a form-data name, a header line without ':', a missing
// closing delimiter, or a limit exceeded.
std::optional<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                     const MultipartLimits& limits = {});

}  // namespace fdsandbox
