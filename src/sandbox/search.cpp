#include "sandbox/search.hpp"

#include "sandbox/contacts.hpp"
#include "sandbox/custom_fields.hpp"
#include "sandbox/field_rules.hpp"
#include "sandbox/search_query.hpp"
#include "sandbox/tickets.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <functional>

namespace fdsandbox {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxQueryLength = 512;
constexpr std::int64_t kResultsPerPage = 30;
constexpr std::int64_t kMaxPage = 10;

// What a searchable field holds, which decides the values and comparisons it accepts.
enum class FieldKind {
    status,       // integer 2..5
    priority,     // integer 1..4
    id,           // integer or null
    ticket_type,  // one of the account's types, or null
    text,         // a quoted string or null
    tag,          // a quoted string
    date,         // 'yyyy-mm-dd'
    boolean,      // true / false
    number,       // a custom number: integer or null
    dropdown,     // a custom dropdown's quoted choice
};

struct FieldSpec {
    std::string_view name;
    FieldKind kind;
};

constexpr FieldSpec kTicketFields[] = {
    {"status", FieldKind::status},   {"priority", FieldKind::priority}, {"group_id", FieldKind::id},
    {"agent_id", FieldKind::id},     {"type", FieldKind::ticket_type},  {"tag", FieldKind::tag},
    {"created_at", FieldKind::date}, {"updated_at", FieldKind::date},   {"due_by", FieldKind::date},
    {"fr_due_by", FieldKind::date},  {"nr_due_by", FieldKind::date}};

constexpr FieldSpec kContactFields[] = {
    {"active", FieldKind::boolean},  {"company_id", FieldKind::id},  {"email", FieldKind::text},
    {"phone", FieldKind::text},      {"mobile", FieldKind::text},    {"twitter_id", FieldKind::text},
    {"language", FieldKind::text},   {"time_zone", FieldKind::text}, {"tag", FieldKind::tag},
    {"created_at", FieldKind::date}, {"updated_at", FieldKind::date}};

// A default field, or a custom one of a searchable type (text, number, checkbox, dropdown;
// not dates, paragraphs).
template <std::size_t N>
std::optional<FieldKind> find_field(const FieldSpec (&fields)[N], std::span<const CustomFieldDefinition> custom,
                                    std::string_view name) {
    for (const FieldSpec& field : fields)
        if (field.name == name) return field.kind;
    const CustomFieldDefinition* definition = find_custom_field(custom, name);
    if (!definition) return std::nullopt;
    switch (definition->type) {
        case CustomFieldType::text:
            return FieldKind::text;
        case CustomFieldType::number:
            return FieldKind::number;
        case CustomFieldType::checkbox:
            return FieldKind::boolean;
        case CustomFieldType::dropdown:
            return FieldKind::dropdown;
        default:
            return std::nullopt;
    }
}

using Comparison = SearchCondition::Comparison;
using Kind = SearchValue::Kind;

// Checks one condition's value against its field; false when the query is malformed.
bool check_condition(const SearchCondition& condition, FieldKind kind, ValidationErrors& errors) {
    const SearchValue& value = condition.value;
    const bool ordered = condition.comparison != Comparison::equal;
    switch (kind) {
        case FieldKind::status:
        case FieldKind::priority: {
            const bool status = kind == FieldKind::status;
            const std::int64_t low = status ? 2 : 1, high = status ? 5 : 4;
            if (value.kind != Kind::integer || value.integer < low || value.integer > high)
                errors.add(condition.field, not_included_message(status ? "2,3,4,5" : "1,2,3,4"), code::invalid_value);
            return true;
        }
        case FieldKind::id:
            if (value.kind == Kind::null && !ordered) return true;
            if (value.kind != Kind::integer || value.integer <= 0)
                errors.add(condition.field, std::string(message::positive_integer), code::datatype_mismatch);
            return true;
        case FieldKind::ticket_type:
            if (ordered) return false;
            if (value.kind == Kind::null) return true;
            if (value.kind != Kind::text || !is_ticket_type(value.text))
                errors.add(condition.field, not_included_message(kTicketTypeList), code::invalid_value);
            return true;
        case FieldKind::text:
        case FieldKind::tag:
            if (ordered) return false;
            if (value.kind == Kind::null && kind == FieldKind::text) return true;
            if (value.kind != Kind::text)
                errors.add(condition.field, datatype_mismatch_message("Integer", "String"), code::datatype_mismatch);
            return true;
        case FieldKind::date:
            if (value.kind == Kind::null && !ordered) return true;
            if (value.kind != Kind::text || !parse_date(value.text))
                errors.add(condition.field, "It should be a valid date in the 'yyyy-mm-dd' format",
                           code::invalid_value);
            return true;
        case FieldKind::boolean:
            if (ordered) return false;
            if (value.kind != Kind::boolean)
                errors.add(condition.field, datatype_mismatch_message("String", "Boolean"), code::datatype_mismatch);
            return true;
        case FieldKind::number:
            if (value.kind != Kind::integer && (value.kind != Kind::null || ordered))
                errors.add(condition.field, "It should be a/an Integer", code::datatype_mismatch);
            return true;
        case FieldKind::dropdown:
            return !ordered && (value.kind == Kind::text || value.kind == Kind::null);
    }
    return false;
}

// A custom dropdown's value must be one of its choices.
void check_choice(const SearchCondition& condition, const CustomFieldDefinition* field, ValidationErrors& errors) {
    if (!field || field->type != CustomFieldType::dropdown || condition.value.kind != Kind::text) return;
    if (std::find(field->choices.begin(), field->choices.end(), condition.value.text) == field->choices.end())
        errors.add(condition.field, not_included_message(choice_list(*field)), code::invalid_value);
}

bool compare_number(std::int64_t actual, const SearchCondition& condition) {
    switch (condition.comparison) {
        case Comparison::equal:
            return actual == condition.value.integer;
        case Comparison::at_least:
            return actual >= condition.value.integer;
        case Comparison::at_most:
            return actual <= condition.value.integer;
    }
    return false;
}

bool match_optional_id(const std::optional<std::int64_t>& actual, const SearchCondition& condition) {
    if (condition.value.kind == Kind::null) return !actual;
    return actual && compare_number(*actual, condition);
}

// Dates compare by UTC day: ':' the same day, ':>' from its start, ':<' to its end.
bool match_date(const std::optional<UnixSeconds>& actual, const SearchCondition& condition) {
    if (condition.value.kind == Kind::null) return !actual;
    if (!actual) return false;
    const UnixSeconds day = *parse_date(condition.value.text);
    switch (condition.comparison) {
        case Comparison::equal:
            return start_of_utc_day(*actual) == day;
        case Comparison::at_least:
            return *actual >= day;
        case Comparison::at_most:
            return *actual < day + kSecondsPerDay;
    }
    return false;
}

bool match_text(const OptionalText& actual, const SearchCondition& condition) {
    if (condition.value.kind == Kind::null) return !actual;
    return actual && to_lower(*actual) == to_lower(condition.value.text);
}

bool has_tag(const std::vector<std::string>& tags, const SearchCondition& condition) {
    const std::string wanted = to_lower(condition.value.text);
    return std::any_of(tags.begin(), tags.end(), [&](const std::string& tag) { return to_lower(tag) == wanted; });
}

// A custom field's stored value (absent: unset) against the condition.
bool match_custom(const boost::json::object& stored, const SearchCondition& condition) {
    const json::value* value = stored.if_contains(condition.field);
    switch (condition.value.kind) {
        case Kind::null:
            return !value;
        case Kind::boolean:
            return (value && value->is_bool() && value->get_bool()) == condition.value.boolean;
        case Kind::integer:
            return value && value->is_int64() && compare_number(value->get_int64(), condition);
        case Kind::text:
            return value && value->is_string() && to_lower(value->get_string()) == to_lower(condition.value.text);
    }
    return false;
}

bool match_ticket(const Ticket& ticket, const SearchCondition& condition) {
    const std::string_view field = condition.field;
    if (field == "status") return compare_number(ticket.status, condition);
    if (field == "priority") return compare_number(ticket.priority, condition);
    if (field == "group_id") return match_optional_id(ticket.group_id, condition);
    if (field == "agent_id") return match_optional_id(ticket.responder_id, condition);
    if (field == "type") return match_text(ticket.type, condition);
    if (field == "tag") return has_tag(ticket.tags, condition);
    if (field == "created_at") return match_date(ticket.created_at, condition);
    if (field == "updated_at") return match_date(ticket.updated_at, condition);
    if (field == "due_by") return match_date(ticket.due_by, condition);
    if (field == "fr_due_by") return match_date(ticket.fr_due_by, condition);
    if (field == "nr_due_by") return match_date(std::nullopt, condition);  // next-response SLA is off
    return match_custom(ticket.custom_fields, condition);
}

bool match_contact(const Contact& contact, const SearchCondition& condition) {
    const std::string_view field = condition.field;
    if (field == "active") return contact.active == condition.value.boolean;
    if (field == "company_id") return match_optional_id(contact.company_id, condition);
    if (field == "email") {
        if (condition.value.kind == Kind::null) return !contact.email;
        const std::string wanted = to_lower(condition.value.text);
        return contact.email == wanted || std::find(contact.other_emails.begin(), contact.other_emails.end(), wanted) !=
                                              contact.other_emails.end();
    }
    if (field == "phone") return match_text(contact.phone, condition);
    if (field == "mobile") return match_text(contact.mobile, condition);
    if (field == "twitter_id") return match_text(contact.twitter_id, condition);
    if (field == "language") return match_text(contact.language, condition);
    if (field == "time_zone") return match_text(contact.time_zone, condition);
    if (field == "tag") return has_tag(contact.tags, condition);
    if (field == "created_at") return match_date(contact.created_at, condition);
    if (field == "updated_at") return match_date(contact.updated_at, condition);
    return match_custom(contact.custom_fields, condition);
}

template <class Item>
bool evaluate(const SearchNode& node, const Item& item, bool (*match)(const Item&, const SearchCondition&)) {
    switch (node.kind) {
        case SearchNode::Kind::condition:
            return match(item, node.condition);
        case SearchNode::Kind::all_of:
            return std::all_of(node.children.begin(), node.children.end(),
                               [&](const SearchNode& child) { return evaluate(child, item, match); });
        case SearchNode::Kind::any_of:
            return std::any_of(node.children.begin(), node.children.end(),
                               [&](const SearchNode& child) { return evaluate(child, item, match); });
    }
    return false;
}

struct ParsedSearch {
    std::optional<SearchNode> tree;
    std::int64_t page = 1;
};

// The request checks shared by both searches; errors end up in `errors`.
template <std::size_t N>
ParsedSearch read_search(const ResourceRequest& request, const FieldSpec (&fields)[N],
                         std::span<const CustomFieldDefinition> custom, ValidationErrors& errors) {
    ParsedSearch parsed;
    for (const std::string& key : request.query.unknown_keys({"query", "page"}))
        errors.add(key, std::string(message::invalid_field), code::invalid_field);
    if (!errors.empty()) return parsed;

    if (const std::string* page = request.query.find("page")) {
        const std::optional<std::int64_t> number = parse_integer(*page);
        if (!number)
            errors.add("page", per_page_message(kMaxPage), code::datatype_mismatch);
        else if (*number < 1 || *number > kMaxPage)
            errors.add("page", per_page_message(kMaxPage), code::invalid_value);
        else
            parsed.page = *number;
    }
    const std::string* query = request.query.find("query");
    if (!query) {
        errors.add("query", "It should be a/an String", code::missing_field);
        return parsed;
    }
    if (query->size() < 2 || query->front() != '"' || query->back() != '"') {
        errors.add("query", std::string(message::query_format_invalid), code::invalid_value);
        return parsed;
    }
    const std::string_view inner = std::string_view(*query).substr(1, query->size() - 2);
    if (inner.size() > kMaxQueryLength) {
        errors.add("query", too_long_message(inner.size(), kMaxQueryLength), code::invalid_value);
        return parsed;
    }
    std::optional<SearchNode> tree = parse_search_query(inner);
    if (!tree) {
        errors.add("query", std::string(message::query_format_invalid), code::invalid_value);
        return parsed;
    }
    std::vector<const SearchCondition*> conditions;
    collect_conditions(*tree, conditions);
    for (const SearchCondition* condition : conditions) {
        const std::optional<FieldKind> kind = find_field(fields, custom, condition->field);
        if (!kind) {
            errors.add(condition->field, std::string(message::invalid_field), code::invalid_field);
        } else if (!check_condition(*condition, *kind, errors)) {
            errors.add("query", std::string(message::query_format_invalid), code::invalid_value);
            return parsed;
        }
        check_choice(*condition, find_custom_field(custom, condition->field), errors);
    }
    if (errors.empty()) parsed.tree = std::move(tree);
    return parsed;
}

// Newest first, as created.
template <class Item>
Reply results_page(std::vector<const Item*>& matches, std::int64_t page,
                   const std::function<json::object(const Item&)>& to_json) {
    std::stable_sort(matches.begin(), matches.end(), [](const Item* a, const Item* b) {
        if (a->created_at != b->created_at) return a->created_at > b->created_at;
        return a->id > b->id;
    });
    json::array results;
    const std::size_t first = static_cast<std::size_t>((page - 1) * kResultsPerPage);
    for (std::size_t i = first; i < matches.size() && i < first + kResultsPerPage; ++i)
        results.push_back(to_json(*matches[i]));
    return json_reply(
        200, json::object{{"results", std::move(results)}, {"total", static_cast<std::int64_t>(matches.size())}});
}

}  // namespace

Reply search_tickets(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    const ParsedSearch search = read_search(request, kTicketFields, ticket_custom_fields(), errors);
    if (!errors.empty()) return errors.reply();
    std::vector<const Ticket*> matches;
    for (const Ticket& ticket : account.tickets)
        if (!ticket.deleted && !ticket.spam && evaluate(*search.tree, ticket, match_ticket)) matches.push_back(&ticket);
    return results_page<Ticket>(matches, search.page,
                                [&](const Ticket& ticket) { return ticket_json(ticket, account, TicketView::search); });
}

Reply search_contacts(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    const ParsedSearch search = read_search(request, kContactFields, contact_custom_fields(), errors);
    if (!errors.empty()) return errors.reply();
    std::vector<const Contact*> matches;
    for (const auto& [id, contact] : account.contacts)
        if (!contact.deleted && evaluate(*search.tree, contact, match_contact)) matches.push_back(&contact);
    return results_page<Contact>(matches, search.page,
                                 [](const Contact& contact) { return contact_json(contact, ContactView::list); });
}

}  // namespace fdsandbox
