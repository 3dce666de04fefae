// A request body as multipart/form-data, the only way Freshdesk takes files: each scalar a part,
// each array element a part named "key[]", each custom field a part named "custom_fields[name]",
// and each file a part named "attachments[]" with its file name and content type.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace fd::freshdesk {

struct MultipartBody {
    std::string content_type;  // "multipart/form-data; boundary=..."
    std::string body;
};

// `fields`: the JSON body the request map made; `files`: the node's Attachments
// ([{Name, ContentType, ContentBase64}], checked by the node's rules to be valid base64).
MultipartBody multipart_body(const boost::json::object& fields, const boost::json::array& files);

}  // namespace fd::freshdesk
