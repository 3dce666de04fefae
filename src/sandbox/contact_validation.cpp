#include "sandbox/contact_validation.hpp"

#include "sandbox/custom_fields.hpp"
#include "sandbox/field_rules.hpp"

#include <algorithm>

namespace fdsandbox {

namespace json = boost::json;

namespace {

// CONTACT_FIELDS of the 2020 server, plus facebook_id of the newer docs.
const std::initializer_list<std::string_view> kContactFields = {"name",
                                                                "email",
                                                                "phone",
                                                                "mobile",
                                                                "twitter_id",
                                                                "unique_external_id",
                                                                "other_emails",
                                                                "company_id",
                                                                "view_all_tickets",
                                                                "other_companies",
                                                                "address",
                                                                "avatar",
                                                                "avatar_id",
                                                                "description",
                                                                "job_title",
                                                                "language",
                                                                "time_zone",
                                                                "tags",
                                                                "custom_fields",
                                                                "active",
                                                                "facebook_id"};

// The contact details of which at least one is needed.
const std::initializer_list<std::string_view> kContactDetails = {"email", "mobile", "phone", "twitter_id",
                                                                 "unique_external_id"};
constexpr std::string_view kContactDetailNames = "email, mobile, phone, twitter_id";

constexpr std::string_view kLanguages =
    "ar,bs,ca,cs,cy-GB,da,de,el,en,es,es-LA,et,fi,fil,fr,he,hr,hu,id,is,it,ja-JP,ko,lt,lv-LV,ms,nb-"
    "NO,nl,pl,"
    "pt-BR,pt-PT,ro,ru-RU,sk,sl,sr,sv-SE,th,tr,uk,vi,zh-CN,zh-TW";

bool is_language(std::string_view code) {
    std::string_view rest = kLanguages;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        if (rest.substr(0, comma) == code) return true;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

// name, then at least one contact detail left after the change, each well-formed.
void check_name_and_details(const json::object& fields, const Contact* existing, ValidationErrors& errors) {
    const bool creating = existing == nullptr;
    if (const json::value* name = fields.if_contains("name")) {
        check_required_string(*name, "name", errors);
    } else if (creating) {
        errors.add("name", std::string(message::missing_field), code::missing_field);
    }

    // At least one contact detail, after the change.
    bool detail_left = false;
    for (std::string_view field : kContactDetails) {
        const json::value* value = fields.if_contains(field);
        if (value) {
            detail_left = detail_left || !is_blank(*value);
        } else if (existing) {
            const OptionalText Contact::*member = field == "email"        ? &Contact::email
                                                  : field == "mobile"     ? &Contact::mobile
                                                  : field == "phone"      ? &Contact::phone
                                                  : field == "twitter_id" ? &Contact::twitter_id
                                                                          : &Contact::unique_external_id;
            detail_left = detail_left || (existing->*member).has_value();
        }
    }
    if (!detail_left) {
        bool blank_one_sent = false;
        for (std::string_view field : kContactDetails) {
            if (fields.contains(field)) {
                errors.add(field, std::string(message::blank), code::invalid_value);
                blank_one_sent = true;
            }
        }
        if (!blank_one_sent) errors.add("email", fill_one_of_message(kContactDetailNames), code::missing_field);
    }
    for (std::string_view field : kContactDetails) {
        const json::value* value = fields.if_contains(field);
        if (!value || is_blank(*value)) continue;
        if (field == "email")
            check_email(*value, field, errors);
        else
            check_string(*value, field, errors);
    }
}

void check_profile_fields(const json::object& fields, const Contact* existing, ValidationErrors& errors) {
    if (const json::value* other_emails = fields.if_contains("other_emails"))
        check_string_array(*other_emails, "other_emails", errors, 255, true);
    for (std::string_view field : {"address", "job_title", "facebook_id", "time_zone"}) {
        const json::value* value = fields.if_contains(field);
        if (value && !value->is_null()) check_string(*value, field, errors);
    }
    if (const json::value* description = fields.if_contains("description"); description && !description->is_null())
        check_string(*description, "description", errors, 0);
    if (const json::value* language = fields.if_contains("language")) {
        if (check_string(*language, "language", errors) && !is_language(language->get_string()))
            errors.add("language", not_included_message(kLanguages), code::invalid_value);
    }
    bool company_given = false;
    if (const json::value* company = fields.if_contains("company_id"); company && !company->is_null()) {
        company_given = true;
        check_positive_integer(*company, "company_id", errors);  // whether it exists is pass 3's
    }
    if (const json::value* view_all = fields.if_contains("view_all_tickets")) {
        if (check_boolean(*view_all, "view_all_tickets", errors) && view_all->get_bool() && !company_given &&
            !errors.has_field("company_id") && !(existing && existing->company_id))
            errors.add("company_id", "Company ID is required for a contact to view all tickets", code::invalid_value);
    }
}

void check_attachment_and_list_fields(const json::object& fields, ValidationErrors& errors) {
    if (fields.contains("other_companies"))
        errors.add(
            "other_companies",
            "The multiple_user_companies feature is required to support other_companies attribute in the request",
            code::inaccessible_field);
    // A file, only in multipart bodies, where it arrives as null: accepted and not kept.
    if (const json::value* avatar = fields.if_contains("avatar"); avatar && !avatar->is_null())
        errors.add("avatar", datatype_mismatch_message(json_type_name(*avatar), "valid file format"),
                   code::datatype_mismatch);
    if (const json::value* avatar_id = fields.if_contains("avatar_id"); avatar_id && !avatar_id->is_null()) {
        if (check_positive_integer(*avatar_id, "avatar_id", errors))
            errors.add("avatar_id", absent_in_db_message("attachment", "avatar_id"), code::invalid_value);
    }
    if (const json::value* tags = fields.if_contains("tags")) check_tags(*tags, "tags", errors);
    if (const json::value* custom = fields.if_contains("custom_fields"))
        check_custom_field_values(*custom, contact_custom_fields(), errors);
    if (const json::value* active = fields.if_contains("active")) {
        if (check_boolean(*active, "active", errors) && !active->get_bool())
            errors.add("active", "Active field can only be set to true", code::invalid_value);
    }
}

// 409 duplicate_value: email, twitter_id, unique_external_id (then other_emails), first hit
// wins, against every contact including soft-deleted ones, except `self`.
void check_duplicates(Account& account, const json::object& fields, const Contact* self, ValidationErrors& errors) {
    auto report = [&](std::string_view field, const Contact* other) {
        if (!other || other == self || !errors.empty()) return;
        errors.add_with_info(field, json::object{{"user_id", other->id}}, std::string(message::unique),
                             code::duplicate_value);
    };
    if (const json::value* email = fields.if_contains("email"); email && !is_blank(*email))
        report("email", account.find_contact_by_email(to_lower(email->get_string())));
    if (const json::value* twitter = fields.if_contains("twitter_id"); twitter && !is_blank(*twitter))
        report("twitter_id", account.find_contact_by(&Contact::twitter_id, twitter->get_string()));
    if (const json::value* external = fields.if_contains("unique_external_id"); external && !is_blank(*external))
        report("unique_external_id", account.find_contact_by(&Contact::unique_external_id, external->get_string()));
    if (const json::value* others = fields.if_contains("other_emails")) {
        for (const json::value& email : others->get_array())
            report("other_emails", account.find_contact_by_email(to_lower(email.get_string())));
    }
}

// Pass 3: the company exists; dropdown values are among their choices.
void check_references(Account& account, const json::object& fields, ValidationErrors& errors) {
    if (const json::value* company = fields.if_contains("company_id");
        company && !company->is_null() && !account.find_company(company->get_int64()))
        errors.add("company_id", absent_in_db_message("company", "company_id"), code::invalid_value);
    if (const json::value* custom = fields.if_contains("custom_fields"))
        check_custom_field_choices(custom->get_object(), contact_custom_fields(), errors);
}

}  // namespace

void validate_contact_request(Account& account, const json::object& fields, const Contact* existing,
                              ValidationErrors& errors) {
    check_allowed_fields(fields, kContactFields, errors);
    if (const json::value* custom = fields.if_contains("custom_fields"))
        check_custom_field_keys(*custom, contact_custom_fields(), errors);
    if (!errors.empty()) return;
    check_name_and_details(fields, existing, errors);
    check_profile_fields(fields, existing, errors);
    check_attachment_and_list_fields(fields, errors);
    if (!errors.empty()) return;
    check_duplicates(account, fields, existing, errors);
    if (!errors.empty()) return;
    check_references(account, fields, errors);
}

}  // namespace fdsandbox
