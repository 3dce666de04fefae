#include "flowrun/input_text.hpp"

#include <boost/json/stream_parser.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace flowrun {
namespace json = boost::json;

bool read_text_file(const std::filesystem::path& path, std::string& text, std::string& error) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    std::error_code kind;
    if (in && std::filesystem::is_directory(path, kind)) errno = EISDIR;
    if (!in || errno == EISDIR) {
        // std::ifstream leaves open(2)'s errno in place: it says why (no such file, permission).
        error = "cannot read " + path.string() + ": " + (errno ? std::strerror(errno) : "unknown reason");
        return false;
    }
    std::ostringstream content;
    content << in.rdbuf();
    text = content.str();
    return true;
}

std::optional<json::value> parse_json(std::string_view text, std::string& error) {
    json::stream_parser parser;
    boost::system::error_code code;
    const std::size_t consumed = parser.write(text.data(), text.size(), code);
    if (!code) parser.finish(code);
    if (!code) return parser.release();
    // Where it went wrong, counted as an editor counts: lines and columns from 1.
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < consumed && i < text.size(); ++i) {
        column = text[i] == '\n' ? 1 : column + 1;
        if (text[i] == '\n') ++line;
    }
    error = "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + code.message();
    return std::nullopt;
}

bool read_input(const std::string& spec, std::string& text, std::string& error) {
    if (!spec.starts_with("@")) {
        text = spec;
        return true;
    }
    return read_text_file(spec.substr(1), text, error);
}

}  // namespace flowrun
