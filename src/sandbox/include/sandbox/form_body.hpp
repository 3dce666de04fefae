// A multipart/form-data body turned into what a JSON body would have been, as Freshdesk reads
// one: `tags[]` and the other `x[]` names become arrays, `custom_fields[name]` an object,
// `attachments[]` file parts the uploaded files, and text that spells an integer or a boolean
// becomes one where the field is numeric or boolean (form fields only carry text).
#pragma once

#include "sandbox/custom_fields.hpp"
#include "sandbox/multipart.hpp"

#include <boost/json/object.hpp>

#include <span>
#include <string>
#include <vector>

namespace fdsandbox {

struct UploadedFile {
    std::string name;
    std::string content_type;
    std::string bytes;
};

struct FormBody {
    boost::json::object fields;
    std::vector<UploadedFile> files;  // the attachments[] parts, in order
};

// `custom_fields` says which custom fields are numbers or checkboxes.
FormBody form_body_from_parts(std::vector<FormPart> parts, std::span<const CustomFieldDefinition> custom_fields);

}  // namespace fdsandbox
