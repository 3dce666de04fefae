#include "freshdesk/multipart_body.hpp"

#include <boost/json/serialize.hpp>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace fd::freshdesk {
namespace json = boost::json;

namespace {

std::string random_boundary() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes for a multipart boundary");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string boundary = "----freshdesk-nodes-";
    for (unsigned char byte : bytes) {
        boundary += kHex[byte >> 4];
        boundary += kHex[byte & 0xf];
    }
    return boundary;
}

std::string decode_base64(std::string_view text) {
    std::string out(text.size() / 4 * 3, '\0');
    const int length =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (length < 0) throw std::runtime_error("an attachment is not valid base64");
    const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
    out.resize(static_cast<std::size_t>(length) - padding);
    return out;
}

// A form value as Freshdesk reads it: text as it is, numbers and booleans as their JSON text.
std::string form_text(const json::value& value) {
    return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

// Quotes in a part's name or file name would end the header's quoted string early.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("%22") : std::string(1, c);
    return out + "\"";
}

class Writer {
  public:
    explicit Writer(std::string boundary) : boundary_(std::move(boundary)) {}

    void field(std::string_view name, std::string_view value) {
        out_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=" + quoted(name) + "\r\n\r\n";
        out_.append(value);
        out_ += "\r\n";
    }

    void file(std::string_view file_name, std::string_view content_type, std::string_view content) {
        out_ += "--" + boundary_ +
                "\r\nContent-Disposition: form-data; name=\"attachments[]\"; filename=" + quoted(file_name) +
                "\r\nContent-Type: " + std::string(content_type.empty() ? "application/octet-stream" : content_type) +
                "\r\n\r\n";
        out_.append(content);
        out_ += "\r\n";
    }

    std::string finish() { return std::move(out_) + "--" + boundary_ + "--\r\n"; }

  private:
    std::string boundary_;
    std::string out_;
};

std::string text_at(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : "";
}

}  // namespace

MultipartBody multipart_body(const json::object& fields, const json::array& files) {
    const std::string boundary = random_boundary();
    Writer writer(boundary);
    for (const auto& [key, value] : fields) {
        if (value.is_array()) {
            for (const json::value& item : value.get_array())
                writer.field(std::string(key) + "[]", form_text(item));
        } else if (value.is_object()) {
            for (const auto& [name, item] : value.get_object())
                writer.field(std::string(key) + "[" + std::string(name) + "]", form_text(item));
        } else if (!value.is_null()) {
            writer.field(key, form_text(value));
        }
    }
    for (const json::value& file : files) {
        const json::object& entry = file.as_object();
        writer.file(text_at(entry, "Name"), text_at(entry, "ContentType"),
                    decode_base64(text_at(entry, "ContentBase64")));
    }
    return {"multipart/form-data; boundary=" + boundary, writer.finish()};
}

}  // namespace fd::freshdesk
