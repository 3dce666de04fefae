// Files embedded into the binary at build time (see CMakeLists.txt): the schemas.
#pragma once

#include <string_view>
#include <vector>

namespace fd {

struct EmbeddedFile {
    std::string_view path;  // relative to the repository root, e.g. "schemas/credentials.schema.json"
    std::string_view text;
};

const std::vector<EmbeddedFile>& embedded_schema_files();

}  // namespace fd
