// /api/v2/contacts: create, show, list, update, soft delete, hard delete, restore
// (docs/freshdesk.md, "Contacts"), and the contact's JSON views.
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

#include <boost/json/object.hpp>

namespace fdsandbox {

enum class ContactView {
    show,    // GET one, PUT: every field, `deleted` only when true
    create,  // POST: as show, `deleted` always
    list,    // list and search items: no other_emails, tags, avatar, view_all_tickets
};

boost::json::object contact_json(const Contact& contact, ContactView view);

Reply create_contact(Account& account, const ResourceRequest& request);
Reply show_contact(Account& account, std::string_view id);
Reply list_contacts(Account& account, const ResourceRequest& request);
Reply update_contact(Account& account, std::string_view id, const ResourceRequest& request);
Reply delete_contact(Account& account, std::string_view id, const ResourceRequest& request);
Reply hard_delete_contact(Account& account, std::string_view id, const ResourceRequest& request);
Reply restore_contact(Account& account, std::string_view id, const ResourceRequest& request);

}  // namespace fdsandbox
