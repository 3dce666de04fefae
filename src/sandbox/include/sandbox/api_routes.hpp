// The API's routes: which resource a path names, the verbs it has (in Allow order), which
// create/update routes take a JSON or multipart body, and the handler each request goes to.
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/custom_fields.hpp"
#include "sandbox/resource_request.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fdsandbox {

struct Route {
    enum class Resource {
        contacts,
        contact,
        contact_hard_delete,
        contact_restore,
        tickets,
        ticket,
        ticket_restore,
        ticket_notes,
        ticket_reply,
        ticket_conversations,
        search_tickets,
        search_contacts,
        agents,
        current_agent,
        groups,
        company,
        companies,
        ticket_fields,
        contact_fields,
    };
    Resource resource;
    std::vector<std::string_view> verbs;
    std::string id;
};

// "/api/v2/..." (a trailing '/' or ".json" allowed); nullopt for an unknown path.
std::optional<Route> find_route(std::string_view path);

// Create, update, notes and replies take JSON or multipart/form-data bodies.
bool takes_form_body(const Route& route, std::string_view method);
// The custom fields a form body on this route may carry.
std::span<const CustomFieldDefinition> form_custom_fields(const Route& route);

Reply dispatch(const Route& route, Account& account, const ResourceRequest& request);

}  // namespace fdsandbox
