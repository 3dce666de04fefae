#include "sandbox/ticket_listing.hpp"

#include "sandbox/field_rules.hpp"
#include "sandbox/list_reply.hpp"
#include "sandbox/tickets.hpp"

#include <algorithm>

namespace fdsandbox {

namespace {

constexpr std::string_view kListIncludes = "requester, stats, company, description";
constexpr std::string_view kOrderByList = "due_by,created_at,updated_at,priority,status";
constexpr std::string_view kFilterList = "new_and_my_open,watching,spam,deleted";
constexpr std::int64_t kTicketListPageCap = 300;

struct TicketListQuery {
    std::string filter;  // "" for none
    std::optional<std::int64_t> requester_id, company_id;
    std::optional<UnixSeconds> updated_since;
    bool windowed = true;  // only the last month's tickets: no filter narrows the list
    std::string order_by = "created_at";
    bool ascending = false;
    std::vector<std::string> include;
    Page page;
};

// A positive id naming something of the account (`exists`), else the list's errors.
std::optional<std::int64_t> read_reference(const QueryParams& query, std::string_view key, std::string_view resource,
                                           bool exists(Account&, std::int64_t), Account& account,
                                           ValidationErrors& errors) {
    const std::string* text = query.find(key);
    if (!text) return std::nullopt;
    const std::optional<std::int64_t> id = parse_id(*text);
    if (!id || *id == 0)
        errors.add(key, std::string(message::positive_integer), code::datatype_mismatch);
    else if (!exists(account, *id))
        errors.add(key, absent_in_db_message(resource, key), code::invalid_value);
    return id;
}

void read_filters(Account& account, const QueryParams& query, TicketListQuery& list, ValidationErrors& errors) {
    if (const std::string* filter = query.find("filter")) {
        list.filter = *filter;
        if (*filter != "new_and_my_open" && *filter != "watching" && *filter != "spam" && *filter != "deleted")
            errors.add("filter", not_included_message(kFilterList), code::invalid_value);
    }
    list.requester_id = read_reference(
        query, "requester_id", "contact", [](Account& a, std::int64_t id) { return a.find_contact(id) != nullptr; },
        account, errors);
    if (const std::string* email = query.find("email")) {
        if (const Contact* contact = account.find_contact_by_email(to_lower(*email)))
            list.requester_id = contact->id;  // combined with requester_id, both must match
        else
            errors.add("email", absent_in_db_message("contact", "email"), code::invalid_value);
    }
    list.company_id = read_reference(
        query, "company_id", "company", [](Account& a, std::int64_t id) { return a.find_company(id) != nullptr; },
        account, errors);
    if (const std::string* since = query.find("updated_since")) {
        list.updated_since = parse_iso8601(*since);
        if (!list.updated_since) errors.add("updated_since", std::string(message::invalid_date), code::invalid_value);
    }
    list.windowed = !query.has("filter") && !query.has("requester_id") && !query.has("email") &&
                    !query.has("company_id") && !query.has("updated_since");
}

void read_ordering(const QueryParams& query, TicketListQuery& list, ValidationErrors& errors) {
    if (const std::string* order_by = query.find("order_by")) list.order_by = *order_by;
    const std::string& by = list.order_by;
    if (by != "due_by" && by != "created_at" && by != "updated_at" && by != "priority" && by != "status")
        errors.add("order_by", not_included_message(kOrderByList), code::invalid_value);
    const std::string* order_type = query.find("order_type");
    if (order_type && *order_type != "asc" && *order_type != "desc")
        errors.add("order_type", not_included_message("asc,desc"), code::invalid_value);
    list.ascending = order_type && *order_type == "asc";
    if (const std::string* include_text = query.find("include")) {
        if (auto items = read_includes(*include_text, kListIncludes))
            list.include = std::move(*items);
        else
            errors.add("include", not_included_message(kListIncludes), code::invalid_value);
    }
    PageLimits limits;
    limits.max_page = kTicketListPageCap;
    limits.page_cap_message = "You cannot access tickets beyond the 300th page. Please provide a smaller page number.";
    list.page = read_page(query, limits, errors);
}

bool listed(const Ticket& ticket, const TicketListQuery& list, std::int64_t api_agent, UnixSeconds window_start) {
    const std::string& filter = list.filter;
    if (filter == "deleted") {
        if (!ticket.deleted) return false;
    } else if (ticket.deleted || ticket.spam != (filter == "spam")) {
        return false;
    }
    if (filter == "watching") return false;  // the API agent watches no ticket
    if (filter == "new_and_my_open" &&
        (ticket.status != 2 || (ticket.responder_id && *ticket.responder_id != api_agent)))
        return false;
    if (list.requester_id && ticket.requester_id != *list.requester_id) return false;
    if (list.company_id && ticket.company_id != *list.company_id) return false;
    if (list.updated_since && ticket.updated_at < *list.updated_since) return false;  // updated_since is inclusive
    return !list.windowed || ticket.created_at > window_start;
}

std::int64_t sort_key(const Ticket& ticket, const std::string& order_by) {
    if (order_by == "updated_at") return ticket.updated_at;
    if (order_by == "due_by") return ticket.due_by;
    if (order_by == "priority") return ticket.priority;
    if (order_by == "status") return ticket.status;
    return ticket.created_at;
}

}  // namespace

Reply list_tickets(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    if (!check_query_keys(request.query,
                          {"filter", "requester_id", "email", "company_id", "updated_since", "order_by", "order_type",
                           "include", "page", "per_page"},
                          errors))
        return errors.reply();
    TicketListQuery list;
    read_filters(account, request.query, list, errors);
    read_ordering(request.query, list, errors);
    if (!errors.empty()) return errors.reply();

    const UnixSeconds window_start = one_month_earlier(start_of_utc_day(request.now));
    std::vector<const Ticket*> matches;
    for (const Ticket& ticket : account.tickets)
        if (listed(ticket, list, account.api_agent_id(), window_start)) matches.push_back(&ticket);
    // Ties (the same second, the same status...) keep id order: ascending with asc, descending with desc.
    std::sort(matches.begin(), matches.end(), [&](const Ticket* a, const Ticket* b) {
        const std::int64_t left = sort_key(*a, list.order_by), right = sort_key(*b, list.order_by);
        if (left != right) return list.ascending ? left < right : left > right;
        return list.ascending ? a->id < b->id : a->id > b->id;
    });
    Reply reply = list_reply(
        matches, list.page, request,
        [&](const Ticket* ticket) { return ticket_json(*ticket, account, TicketView::list, list.include); },
        kTicketListPageCap);
    reply.extra_credits = 2 * static_cast<int>(list.include.size());
    return reply;
}

}  // namespace fdsandbox
