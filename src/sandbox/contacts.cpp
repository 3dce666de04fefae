#include "sandbox/contacts.hpp"

#include "sandbox/field_rules.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>

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

const std::initializer_list<std::string_view> kListParams = {
    "email", "phone",   "mobile", "company_id", "state",      "_updated_since", "unique_external_id",
    "tag",   "include", "page",   "per_page",   "query_hash", "filter"};

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

bool is_blank(const json::value& value) {
    if (value.is_null()) return true;
    if (!value.is_string()) return false;
    const json::string& text = value.get_string();
    return std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

json::value text_or_null(const OptionalText& text) {
    return text ? json::value(*text) : json::value(nullptr);
}

json::array string_array(const std::vector<std::string>& items) {
    json::array array;
    for (const std::string& item : items)
        array.emplace_back(item);
    return array;
}

std::vector<std::string> to_strings(const json::value& value) {
    std::vector<std::string> items;
    for (const json::value& item : value.get_array())
        items.emplace_back(item.get_string());
    return items;
}

OptionalText optional_text(const json::value& value) {
    if (is_blank(value)) return std::nullopt;
    return std::string(value.get_string());
}

// Field checks shared by create and update; `existing` is null on create.
void validate_contact_fields(const json::object& fields, const Contact* existing, ValidationErrors& errors) {
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
        if (check_positive_integer(*company, "company_id", errors))  // the account has no companies
            errors.add("company_id", absent_in_db_message("company", "company_id"), code::invalid_value);
    }
    if (const json::value* view_all = fields.if_contains("view_all_tickets")) {
        if (check_boolean(*view_all, "view_all_tickets", errors) && view_all->get_bool() && !company_given &&
            !errors.has_field("company_id") && !(existing && existing->company_id))
            errors.add("company_id", "Company ID is required for a contact to view all tickets", code::invalid_value);
    }
    if (fields.contains("other_companies"))
        errors.add("other_companies",
                   "The multiple_user_companies feature is required to support other_companies "
                   "attribute in the "
                   "request",
                   code::inaccessible_field);
    if (const json::value* avatar = fields.if_contains("avatar"))  // a file, only in multipart bodies
        errors.add("avatar", datatype_mismatch_message(json_type_name(*avatar), "valid file format"),
                   code::datatype_mismatch);
    if (const json::value* avatar_id = fields.if_contains("avatar_id"); avatar_id && !avatar_id->is_null()) {
        if (check_positive_integer(*avatar_id, "avatar_id", errors))
            errors.add("avatar_id", absent_in_db_message("attachment", "avatar_id"), code::invalid_value);
    }
    if (const json::value* tags = fields.if_contains("tags")) check_tags(*tags, "tags", errors);
    if (const json::value* custom = fields.if_contains("custom_fields")) check_object(*custom, "custom_fields", errors);
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

void apply_contact_fields(Contact& contact, const json::object& fields) {
    for (const auto& entry : fields) {
        const std::string_view key = entry.key();
        const json::value& value = entry.value();
        if (key == "name")
            contact.name = std::string(value.get_string());
        else if (key == "email")
            contact.email = is_blank(value) ? OptionalText() : to_lower(value.get_string());
        else if (key == "phone")
            contact.phone = optional_text(value);
        else if (key == "mobile")
            contact.mobile = optional_text(value);
        else if (key == "twitter_id")
            contact.twitter_id = optional_text(value);
        else if (key == "unique_external_id")
            contact.unique_external_id = optional_text(value);
        else if (key == "facebook_id")
            contact.facebook_id = optional_text(value);
        else if (key == "address")
            contact.address = optional_text(value);
        else if (key == "description")
            contact.description = optional_text(value);
        else if (key == "job_title")
            contact.job_title = optional_text(value);
        else if (key == "language")
            contact.language = std::string(value.get_string());
        else if (key == "time_zone" && value.is_string())
            contact.time_zone = std::string(value.get_string());
        else if (key == "view_all_tickets")
            contact.view_all_tickets = value.get_bool();
        else if (key == "tags")
            contact.tags = to_strings(value);
        else if (key == "custom_fields") {
            for (const auto& custom : value.get_object())
                contact.custom_fields[custom.key()] = custom.value();
        } else if (key == "other_emails") {
            contact.other_emails.clear();
            for (const json::value& email : value.get_array()) {
                std::string lower = to_lower(email.get_string());
                if (lower != contact.email && std::find(contact.other_emails.begin(), contact.other_emails.end(),
                                                        lower) == contact.other_emails.end())
                    contact.other_emails.push_back(std::move(lower));
            }
        } else if (key == "active")
            contact.active = true;
    }
}

Contact* load_contact(Account& account, std::string_view id) {
    const std::optional<std::int64_t> number = parse_id(id);
    return number ? account.find_contact(*number) : nullptr;
}

bool name_less(const Contact* a, const Contact* b) {
    const std::string left = to_lower(a->name), right = to_lower(b->name);
    if (left != right) return left < right;
    return a->id < b->id;
}

}  // namespace

json::object contact_json(const Contact& contact, ContactView view) {
    const bool full = view != ContactView::list;
    json::object body;
    body["active"] = contact.active;
    body["address"] = text_or_null(contact.address);
    body["company_id"] = contact.company_id ? json::value(*contact.company_id) : json::value(nullptr);
    if (full) body["view_all_tickets"] = contact.view_all_tickets;
    if (view == ContactView::create || contact.deleted) body["deleted"] = contact.deleted;
    body["description"] = text_or_null(contact.description);
    body["email"] = text_or_null(contact.email);
    body["id"] = contact.id;
    body["job_title"] = text_or_null(contact.job_title);
    body["language"] = contact.language;
    body["mobile"] = text_or_null(contact.mobile);
    body["name"] = contact.name;
    body["phone"] = text_or_null(contact.phone);
    body["time_zone"] = contact.time_zone;
    body["twitter_id"] = text_or_null(contact.twitter_id);
    if (full) body["other_emails"] = string_array(contact.other_emails);
    body["facebook_id"] = text_or_null(contact.facebook_id);
    body["unique_external_id"] = text_or_null(contact.unique_external_id);
    body["csat_rating"] = nullptr;
    body["preferred_source"] = nullptr;
    const std::size_t space = contact.name.find(' ');
    body["first_name"] = contact.name.substr(0, space);
    body["last_name"] = space == std::string::npos ? std::string() : contact.name.substr(space + 1);
    body["visitor_id"] = contact.visitor_id;
    body["org_contact_id"] = contact.org_contact_id;
    body["created_at"] = format_timestamp(contact.created_at);
    body["updated_at"] = format_timestamp(contact.updated_at);
    body["custom_fields"] = contact.custom_fields;
    if (full) {
        body["tags"] = string_array(contact.tags);
        body["avatar"] = nullptr;
    }
    return body;
}

Reply create_contact(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (!fields) return errors.reply();
    check_allowed_fields(*fields, kContactFields, errors);
    if (!errors.empty()) return errors.reply();
    validate_contact_fields(*fields, nullptr, errors);
    if (!errors.empty()) return errors.reply();
    check_duplicates(account, *fields, nullptr, errors);
    if (!errors.empty()) return errors.reply();

    Contact contact;
    apply_contact_fields(contact, *fields);
    contact.created_at = contact.updated_at = request.now;
    // A MAILER-DAEMON address is created deleted (freshdesk-api.md §3.2).
    if (contact.email && to_lower(*contact.email).starts_with("mailer-daemon@")) contact.deleted = true;
    const Contact& added = account.add_contact(std::move(contact), request.now);
    Reply reply = json_reply(201, contact_json(added, ContactView::create));
    reply.headers.emplace_back("Location", location_of(request.host, "contacts", added.id));
    return reply;
}

Reply show_contact(Account& account, std::string_view id) {
    const Contact* contact = load_contact(account, id);
    if (!contact) return bare_reply(404);
    return json_reply(200, contact_json(*contact, ContactView::show));
}

Reply list_contacts(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    for (const std::string& key : request.query.unknown_keys(kListParams))
        errors.add(key, std::string(message::invalid_field), code::invalid_field);
    if (!errors.empty()) return errors.reply();

    const QueryParams& query = request.query;
    const std::string* state = query.find("state");
    if (state && *state != "verified" && *state != "unverified" && *state != "deleted" && *state != "blocked")
        errors.add("state", not_included_message("verified,unverified,deleted,blocked"), code::invalid_value);
    if (const std::string* company = query.find("company_id")) {
        const std::optional<std::int64_t> id = parse_id(*company);
        if (!id || *id == 0)
            errors.add("company_id", std::string(message::positive_integer), code::datatype_mismatch);
        else  // the account has no companies
            errors.add("company_id", absent_in_db_message("company", "company_id"), code::invalid_value);
    }
    std::optional<UnixSeconds> updated_since;
    if (const std::string* since = query.find("_updated_since")) {
        updated_since = parse_iso8601(*since);
        if (!updated_since) errors.add("_updated_since", std::string(message::invalid_date), code::invalid_value);
    }
    if (const std::string* include = query.find("include"); include && *include != "company")
        errors.add("include", not_included_message("company"), code::invalid_value);
    const Page page = read_page(query, PageLimits{}, errors);
    if (!errors.empty()) return errors.reply();

    const std::string* email = query.find("email");
    const std::string lower_email = email ? to_lower(*email) : std::string();
    const std::string* phone = query.find("phone");
    const std::string* mobile = query.find("mobile");
    const std::string* external_id = query.find("unique_external_id");
    const std::string* tag = query.find("tag");

    std::vector<const Contact*> matches;
    for (const auto& [id, contact] : account.contacts) {
        if (!state) {
            if (contact.deleted || contact.blocked) continue;
        } else if (*state == "verified") {
            if (!contact.active || contact.deleted || contact.blocked) continue;
        } else if (*state == "unverified") {
            if (contact.active || contact.deleted || contact.blocked) continue;
        } else if (*state == "deleted") {
            if (!contact.deleted) continue;
        } else if (!contact.blocked) {
            continue;
        }
        if (email && contact.email != lower_email &&
            std::find(contact.other_emails.begin(), contact.other_emails.end(), lower_email) ==
                contact.other_emails.end())
            continue;
        if (phone && contact.phone != *phone) continue;
        if (mobile && contact.mobile != *mobile) continue;
        if (external_id && contact.unique_external_id != *external_id) continue;
        if (tag && std::find(contact.tags.begin(), contact.tags.end(), *tag) == contact.tags.end()) continue;
        if (updated_since && contact.updated_at < *updated_since) continue;
        matches.push_back(&contact);
    }
    std::sort(matches.begin(), matches.end(), name_less);

    json::array items;
    const std::size_t first = static_cast<std::size_t>((page.page - 1) * page.per_page);
    for (std::size_t i = first; i < matches.size() && i < first + static_cast<std::size_t>(page.per_page); ++i)
        items.push_back(contact_json(*matches[i], ContactView::list));
    Reply reply = json_reply(200, items);
    if (first + static_cast<std::size_t>(page.per_page) < matches.size())
        reply.headers.emplace_back("Link", next_page_link(request.host, request.path, query, page.page + 1));
    return reply;
}

Reply update_contact(Account& account, std::string_view id, const ResourceRequest& request) {
    Contact* contact = load_contact(account, id);
    if (!contact) return bare_reply(404);
    if (contact->deleted || contact->blocked) return method_not_allowed_reply("PUT", {"GET"});
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (!fields) return errors.reply();
    if (fields->empty()) return request_error_reply(400, "missing_params", message::missing_params);
    check_allowed_fields(*fields, kContactFields, errors);
    if (!errors.empty()) return errors.reply();
    validate_contact_fields(*fields, contact, errors);
    if (!errors.empty()) return errors.reply();
    check_duplicates(account, *fields, contact, errors);
    if (!errors.empty()) return errors.reply();

    apply_contact_fields(*contact, *fields);
    contact->updated_at = request.now;
    return json_reply(200, contact_json(*contact, ContactView::show));
}

Reply delete_contact(Account& account, std::string_view id, const ResourceRequest& request) {
    Contact* contact = load_contact(account, id);
    if (!contact) return bare_reply(404);
    if (contact->deleted || contact->blocked) return method_not_allowed_reply("DELETE", {"GET"});
    contact->deleted = true;
    contact->updated_at = request.now;
    return no_content_reply();
}

Reply hard_delete_contact(Account& account, std::string_view id, const ResourceRequest& request) {
    Contact* contact = load_contact(account, id);
    if (!contact) return bare_reply(404);
    const std::string* force = request.query.find("force");
    const bool forced = force && to_lower(*force) == "true";
    if (!contact->deleted && !forced) return bare_reply(400);
    account.contacts.erase(contact->id);
    return no_content_reply();
}

Reply restore_contact(Account& account, std::string_view id, const ResourceRequest& request) {
    Contact* contact = load_contact(account, id);
    if (!contact) return bare_reply(404);
    if (request.body_sent) return request_error_reply(400, "no_content_required", message::no_content_required);
    if (!contact->deleted) return bare_reply(404);
    contact->deleted = false;
    contact->updated_at = request.now;
    return no_content_reply();
}

}  // namespace fdsandbox
