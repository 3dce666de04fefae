// The checks of POST and PUT /api/v2/contacts, in Freshdesk's passes, each reporting every
// problem it finds: unknown fields (top level and inside custom_fields), then values, then the
// 409 duplicates (e-mail, twitter_id, unique_external_id), then references (company, dropdown
// choices). A later pass runs only when the earlier ones found nothing (docs/sandbox.md,
// "Validation passes").
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"

#include <boost/json/object.hpp>

namespace fdsandbox {

// `existing` is the contact being updated, nullptr on create. Touches nothing.
void validate_contact_request(Account& account, const boost::json::object& fields, const Contact* existing,
                              ValidationErrors& errors);

}  // namespace fdsandbox
