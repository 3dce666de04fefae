#include "sandbox/contacts.hpp"

#include "sandbox/contact_validation.hpp"
#include "sandbox/custom_fields.hpp"
#include "sandbox/field_rules.hpp"
#include "sandbox/json_values.hpp"
#include "sandbox/list_reply.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>

namespace fdsandbox {

namespace json = boost::json;

namespace {

const std::initializer_list<std::string_view> kListParams = {
    "email", "phone",   "mobile", "company_id", "state",      "_updated_since", "unique_external_id",
    "tag",   "include", "page",   "per_page",   "query_hash", "filter"};

OptionalText optional_text(const json::value& value) {
    if (is_blank(value)) return std::nullopt;
    return std::string(value.get_string());
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
        else if (key == "custom_fields")
            apply_custom_fields(contact.custom_fields, value.get_object());
        else if (key == "company_id")
            contact.company_id = optional_id(value);
        else if (key == "other_emails") {
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

bool in_state(const Contact& contact, const std::string* state) {
    if (!state) return !contact.deleted && !contact.blocked;
    if (*state == "verified") return contact.active && !contact.deleted && !contact.blocked;
    if (*state == "unverified") return !contact.active && !contact.deleted && !contact.blocked;
    if (*state == "deleted") return contact.deleted;
    return contact.blocked;
}

// The list's filters, combined with AND; `email` matches any of the contact's addresses.
bool contact_listed(const Contact& contact, const QueryParams& query) {
    if (!in_state(contact, query.find("state"))) return false;
    if (const std::string* email = query.find("email")) {
        const std::string lower = to_lower(*email);
        if (contact.email != lower &&
            std::find(contact.other_emails.begin(), contact.other_emails.end(), lower) == contact.other_emails.end())
            return false;
    }
    const std::string* phone = query.find("phone");
    const std::string* mobile = query.find("mobile");
    const std::string* external_id = query.find("unique_external_id");
    const std::string* tag = query.find("tag");
    const std::string* company = query.find("company_id");
    const std::string* since = query.find("_updated_since");
    if (phone && contact.phone != *phone) return false;
    if (mobile && contact.mobile != *mobile) return false;
    if (external_id && contact.unique_external_id != *external_id) return false;
    if (tag && std::find(contact.tags.begin(), contact.tags.end(), *tag) == contact.tags.end()) return false;
    if (company && contact.company_id != parse_id(*company)) return false;
    return !since || contact.updated_at >= *parse_iso8601(*since);  // inclusive, as Freshdesk's
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
    body["custom_fields"] = custom_fields_json(contact.custom_fields, contact_custom_fields());
    if (full) {
        body["tags"] = string_array(contact.tags);
        body["avatar"] = nullptr;
    }
    return body;
}

Reply create_contact(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (fields) validate_contact_request(account, *fields, nullptr, errors);
    if (!errors.empty()) return errors.reply();

    Contact contact;
    apply_contact_fields(contact, *fields);
    contact.created_at = contact.updated_at = request.now;
    // A MAILER-DAEMON address is created deleted (docs/freshdesk.md, "POST /api/v2/contacts").
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
    const QueryParams& query = request.query;
    if (!check_query_keys(query, kListParams, errors)) return errors.reply();
    const std::string* state = query.find("state");
    if (state && *state != "verified" && *state != "unverified" && *state != "deleted" && *state != "blocked")
        errors.add("state", not_included_message("verified,unverified,deleted,blocked"), code::invalid_value);
    if (const std::string* company = query.find("company_id")) {
        const std::optional<std::int64_t> id = parse_id(*company);
        if (!id || *id == 0)
            errors.add("company_id", std::string(message::positive_integer), code::datatype_mismatch);
        else if (!account.find_company(*id))
            errors.add("company_id", absent_in_db_message("company", "company_id"), code::invalid_value);
    }
    if (const std::string* since = query.find("_updated_since"); since && !parse_iso8601(*since))
        errors.add("_updated_since", std::string(message::invalid_date), code::invalid_value);
    if (const std::string* include = query.find("include"); include && *include != "company")
        errors.add("include", not_included_message("company"), code::invalid_value);
    const Page page = read_page(query, PageLimits{}, errors);
    if (!errors.empty()) return errors.reply();

    std::vector<const Contact*> matches;
    for (const auto& [id, contact] : account.contacts)
        if (contact_listed(contact, query)) matches.push_back(&contact);
    std::sort(matches.begin(), matches.end(), name_less);
    return list_reply(matches, page, request,
                      [](const Contact* contact) { return contact_json(*contact, ContactView::list); });
}

Reply update_contact(Account& account, std::string_view id, const ResourceRequest& request) {
    Contact* contact = load_contact(account, id);
    if (!contact) return bare_reply(404);
    if (contact->deleted || contact->blocked) return method_not_allowed_reply("PUT", {"GET"});
    ValidationErrors errors;
    const json::object* fields = body_fields(request, errors);
    if (!fields) return errors.reply();
    if (fields->empty()) return request_error_reply(400, "missing_params", message::missing_params);
    validate_contact_request(account, *fields, contact, errors);
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
    return restore_from_trash(load_contact(account, id), request);
}

}  // namespace fdsandbox
