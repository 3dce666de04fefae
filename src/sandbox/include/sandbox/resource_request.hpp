// What the router hands a resource handler once the request passed the checks in front of
// it (host, rate limit, content type, accept, JSON, route, authentication).
#pragma once

#include "sandbox/api_reply.hpp"
#include "sandbox/form_body.hpp"
#include "sandbox/query_params.hpp"
#include "sandbox/timestamps.hpp"

#include <boost/json/value.hpp>

#include <string_view>

namespace fdsandbox {

struct ResourceRequest {
    std::string_view method;
    std::string_view host;  // the Host header: Location and Link point back at it
    std::string_view path;  // as requested, e.g. "/api/v2/tickets" (Link reuses it)
    const QueryParams& query;
    const boost::json::value* body = nullptr;  // the JSON body (or the multipart fields as one); nullptr when none
    bool body_sent = false;                    // any body bytes at all, JSON or not
    UnixSeconds now = 0;
    bool relaxed_ticket_fields = false;
    // The attachments[] files of a multipart body (nullptr for a JSON body); handlers that keep
    // them move them out.
    std::vector<UploadedFile>* files = nullptr;
};

// The body's fields; `empty` for no body. A body that is JSON but not an object becomes
// Rails' `_json` parameter, which no endpoint permits: reported as invalid_field.
const boost::json::object* body_fields(const ResourceRequest& request, ValidationErrors& errors);

// "https://{host}/api/v2/{resource}/{id}"
std::string location_of(std::string_view host, std::string_view resource, std::int64_t id);

// A path id: digits only, else nullopt (which is a 404, as for an unknown id).
std::optional<std::int64_t> parse_id(std::string_view text);

// PUT .../restore of a contact or a ticket (nullptr when there is none): it takes no body, and
// only a record in Trash comes back; anything else is a 404, as Freshdesk answers.
template <class Record>
Reply restore_from_trash(Record* record, const ResourceRequest& request) {
    if (!record) return bare_reply(404);
    if (request.body_sent) return request_error_reply(400, "no_content_required", message::no_content_required);
    if (!record->deleted) return bare_reply(404);
    record->deleted = false;
    record->updated_at = request.now;
    return no_content_reply();
}

}  // namespace fdsandbox
