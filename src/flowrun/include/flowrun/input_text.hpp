// Text people hand flowrun (workflow files, --input, credentials files): read with the reason
// when it cannot be, and parsed as JSON with the line and column of a mistake, never a
// library's source location.
#pragma once

#include <boost/json/value.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace flowrun {

// The file's bytes; false with `error` such as "cannot read x.json: No such file or directory".
bool read_text_file(const std::filesystem::path& path, std::string& text, std::string& error);

// The JSON value of `text`; nullopt with `error` such as "line 3, column 7: syntax error".
std::optional<boost::json::value> parse_json(std::string_view text, std::string& error);

// --input's text: the JSON itself, or the content of the file after '@'.
bool read_input(const std::string& spec, std::string& text, std::string& error);

}  // namespace flowrun
