#include "sandbox/api_routes.hpp"

#include "sandbox/contacts.hpp"
#include "sandbox/conversations.hpp"
#include "sandbox/directory.hpp"
#include "sandbox/field_lists.hpp"
#include "sandbox/search.hpp"
#include "sandbox/ticket_listing.hpp"
#include "sandbox/tickets.hpp"

#include <algorithm>

namespace fdsandbox {
namespace {

using R = Route::Resource;

constexpr std::string_view kApiPrefix = "/api/v2/";

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        const std::size_t slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return parts;
}

// Paths of one segment, or two with a fixed second one.
std::optional<Route> find_collection_route(const std::vector<std::string_view>& parts) {
    const std::string_view first = parts[0];
    if (parts.size() == 2) {
        if (first == "search" && parts[1] == "tickets") return Route{R::search_tickets, {"GET"}, {}};
        if (first == "search" && parts[1] == "contacts") return Route{R::search_contacts, {"GET"}, {}};
        if (first == "agents" && parts[1] == "me") return Route{R::current_agent, {"GET"}, {}};
        return std::nullopt;
    }
    if (first == "contacts") return Route{R::contacts, {"GET", "POST"}, {}};
    if (first == "tickets") return Route{R::tickets, {"GET", "POST"}, {}};
    if (first == "agents") return Route{R::agents, {"GET"}, {}};
    if (first == "groups") return Route{R::groups, {"GET"}, {}};
    if (first == "companies") return Route{R::companies, {"GET"}, {}};
    if (first == "ticket_fields") return Route{R::ticket_fields, {"GET"}, {}};
    if (first == "contact_fields") return Route{R::contact_fields, {"GET"}, {}};
    return std::nullopt;
}

// /contacts/{id}[/...], /tickets/{id}[/...] and /companies/{id}
std::optional<Route> find_member_route(const std::vector<std::string_view>& parts) {
    if (parts[0] == "companies" && parts.size() == 2) return Route{R::company, {"GET"}, std::string(parts[1])};
    const bool contacts = parts[0] == "contacts";
    if (!contacts && parts[0] != "tickets") return std::nullopt;
    const std::string id(parts[1]);
    if (parts.size() == 2) return Route{contacts ? R::contact : R::ticket, {"GET", "PUT", "DELETE"}, id};
    if (parts.size() != 3) return std::nullopt;
    const std::string_view action = parts[2];
    if (action == "restore") return Route{contacts ? R::contact_restore : R::ticket_restore, {"PUT"}, id};
    if (contacts)
        return action == "hard_delete" ? std::optional(Route{R::contact_hard_delete, {"DELETE"}, id}) : std::nullopt;
    if (action == "notes") return Route{R::ticket_notes, {"POST"}, id};
    if (action == "reply") return Route{R::ticket_reply, {"POST"}, id};
    if (action == "conversations") return Route{R::ticket_conversations, {"GET"}, id};
    return std::nullopt;
}

Reply dispatch_contacts(const Route& route, Account& account, const ResourceRequest& request) {
    const std::string_view method = request.method;
    switch (route.resource) {
        case R::contacts:
            return method == "POST" ? create_contact(account, request) : list_contacts(account, request);
        case R::contact:
            if (method == "GET") return show_contact(account, route.id);
            if (method == "PUT") return update_contact(account, route.id, request);
            return delete_contact(account, route.id, request);
        case R::contact_hard_delete:
            return hard_delete_contact(account, route.id, request);
        default:
            return restore_contact(account, route.id, request);
    }
}

Reply dispatch_tickets(const Route& route, Account& account, const ResourceRequest& request) {
    const std::string_view method = request.method;
    switch (route.resource) {
        case R::tickets:
            return method == "POST" ? create_ticket(account, request) : list_tickets(account, request);
        case R::ticket:
            if (method == "GET") return show_ticket(account, route.id, request);
            if (method == "PUT") return update_ticket(account, route.id, request);
            return delete_ticket(account, route.id, request);
        case R::ticket_notes:
            return create_note(account, route.id, request);
        case R::ticket_reply:
            return create_reply(account, route.id, request);
        case R::ticket_conversations:
            return list_conversations(account, route.id, request);
        default:
            return restore_ticket(account, route.id, request);
    }
}

}  // namespace

std::optional<Route> find_route(std::string_view path) {
    if (!path.starts_with(kApiPrefix)) return std::nullopt;
    path.remove_prefix(kApiPrefix.size());
    if (path.ends_with('/')) path.remove_suffix(1);
    if (path.ends_with(".json")) path.remove_suffix(5);
    const std::vector<std::string_view> parts = split_path(path);
    if (parts.empty() || std::any_of(parts.begin(), parts.end(), [](std::string_view p) { return p.empty(); }))
        return std::nullopt;
    if (parts.size() == 1 || (parts.size() == 2 && (parts[0] == "search" || parts[0] == "agents")))
        return find_collection_route(parts);
    return find_member_route(parts);
}

bool takes_form_body(const Route& route, std::string_view method) {
    switch (route.resource) {
        case R::contacts:
        case R::tickets:
            return method == "POST";
        case R::contact:
        case R::ticket:
            return method == "PUT";
        case R::ticket_notes:
        case R::ticket_reply:
            return true;
        default:
            return false;
    }
}

std::span<const CustomFieldDefinition> form_custom_fields(const Route& route) {
    if (route.resource == R::contacts || route.resource == R::contact) return contact_custom_fields();
    return ticket_custom_fields();
}

Reply dispatch(const Route& route, Account& account, const ResourceRequest& request) {
    switch (route.resource) {
        case R::contacts:
        case R::contact:
        case R::contact_hard_delete:
        case R::contact_restore:
            return dispatch_contacts(route, account, request);
        case R::search_tickets:
            return search_tickets(account, request);
        case R::search_contacts:
            return search_contacts(account, request);
        case R::agents:
            return list_agents(account, request);
        case R::current_agent:
            return show_current_agent(account, request);
        case R::groups:
            return list_groups(account, request);
        case R::companies:
            return list_companies(account, request);
        case R::company:
            return show_company(account, route.id);
        case R::ticket_fields:
            return list_ticket_fields(account, request);
        case R::contact_fields:
            return list_contact_fields(account, request);
        default:
            return dispatch_tickets(route, account, request);
    }
}

}  // namespace fdsandbox
