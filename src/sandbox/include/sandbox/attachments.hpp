// Files uploaded with a ticket, note or reply: Freshdesk's total size limit per request, the
// attachment objects in answers, and the bytes served back at each `attachment_url` (a path
// on the API port that, like a signed storage URL, needs no credentials but an unguessable
// token).
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/form_body.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

inline constexpr std::size_t kMaxAttachmentBytes = 20 * 1024 * 1024;  // per request, all files together
inline constexpr std::string_view kDownloadPrefix = "/sandbox-files/";

// Pass 2: a JSON `attachments` value can hold no file (files come only in multipart bodies),
// and the files together with the record's `existing_bytes` stay within kMaxAttachmentBytes
// (code invalid_size).
void check_attachments(const boost::json::object& fields, const std::vector<UploadedFile>* files,
                       std::size_t existing_bytes, ValidationErrors& errors);

// The bytes of the attachments `ids` name.
std::size_t attachments_size(const Account& account, const std::vector<std::int64_t>& ids);

// Keeps the files (moved out of `files`) and returns their ids; URLs point at `host`.
std::vector<std::int64_t> store_attachments(Account& account, std::vector<UploadedFile>* files, std::string_view host,
                                            UnixSeconds now);

boost::json::array attachments_json(const Account& account, const std::vector<std::int64_t>& ids);

// Rails' number_to_human_size: "512 Bytes", "20 MB", "20.5 MB".
std::string human_size(std::size_t bytes);

// GET {kDownloadPrefix}{domain}/{id}/{token}: the bytes, or 404.
Reply attachment_download(const Account& account, std::string_view id_and_token);

}  // namespace fdsandbox
