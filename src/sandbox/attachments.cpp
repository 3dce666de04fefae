#include "sandbox/attachments.hpp"

#include "sandbox/api_router.hpp"
#include "sandbox/field_rules.hpp"
#include "sandbox/resource_request.hpp"

#include <cstdio>

namespace fdsandbox {

namespace json = boost::json;

void check_attachments(const json::object& fields, const std::vector<UploadedFile>* files, std::size_t existing_bytes,
                       ValidationErrors& errors) {
    if (const json::value* given = fields.if_contains("attachments")) {
        if (!given->is_array())
            errors.add("attachments", datatype_mismatch_message(json_type_name(*given), "Array"),
                       code::datatype_mismatch);
        else if (!given->get_array().empty())
            errors.add("attachments", "It should contain elements of type valid file format only",
                       code::datatype_mismatch);
    }
    if (!files || files->empty()) return;
    std::size_t total = existing_bytes;
    for (const UploadedFile& file : *files)
        total += file.bytes.size();
    if (total > kMaxAttachmentBytes)
        errors.add("attachments",
                   "Total attachment(s) size is " + human_size(total) + ", it should not exceed " +
                       human_size(kMaxAttachmentBytes),
                   "invalid_size");
}

std::size_t attachments_size(const Account& account, const std::vector<std::int64_t>& ids) {
    std::size_t total = 0;
    for (std::int64_t id : ids)
        if (const Attachment* attachment = account.find_attachment(id)) total += attachment->bytes->size();
    return total;
}

std::vector<std::int64_t> store_attachments(Account& account, std::vector<UploadedFile>* files, std::string_view host,
                                            UnixSeconds now) {
    std::vector<std::int64_t> ids;
    if (!files) return ids;
    for (UploadedFile& file : *files) {
        Attachment attachment;
        attachment.id = account.next_attachment_id++;
        attachment.name = std::move(file.name);
        attachment.content_type = std::move(file.content_type);
        attachment.bytes = std::make_shared<const std::string>(std::move(file.bytes));
        attachment.url = "https://" + std::string(host) + std::string(kDownloadPrefix) + account.domain + "/" +
                         std::to_string(attachment.id) + "/" + make_request_id();
        attachment.created_at = now;
        ids.push_back(attachment.id);
        account.attachments.emplace(attachment.id, std::move(attachment));
    }
    files->clear();
    return ids;
}

json::array attachments_json(const Account& account, const std::vector<std::int64_t>& ids) {
    json::array list;
    for (std::int64_t id : ids) {
        const Attachment* attachment = account.find_attachment(id);
        if (!attachment) continue;
        list.push_back(json::object{{"id", attachment->id},
                                    {"content_type", attachment->content_type},
                                    {"size", attachment->bytes->size()},
                                    {"name", attachment->name},
                                    {"attachment_url", attachment->url},
                                    {"created_at", format_timestamp(attachment->created_at)},
                                    {"updated_at", format_timestamp(attachment->created_at)}});
    }
    return list;
}

std::string human_size(std::size_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " Byte" : " Bytes");
    static constexpr const char* kUnits[] = {"KB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes) / 1024;
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(kUnits)) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    // Three significant digits without trailing zeros; 1000 to 1023 keep all four.
    std::snprintf(text, sizeof text, value >= 1000 ? "%.0f" : "%.3g", value);
    return std::string(text) + " " + kUnits[unit];
}

Reply attachment_download(const Account& account, std::string_view id_and_token) {
    const std::size_t slash = id_and_token.find('/');
    const std::optional<std::int64_t> id = parse_id(id_and_token.substr(0, slash));
    const Attachment* attachment = id ? account.find_attachment(*id) : nullptr;
    if (!attachment || slash == std::string_view::npos || !attachment->url.ends_with("/" + std::string(id_and_token)))
        return bare_reply(404);
    Reply reply;
    reply.body = *attachment->bytes;
    reply.content_type = attachment->content_type;
    return reply;
}

}  // namespace fdsandbox
