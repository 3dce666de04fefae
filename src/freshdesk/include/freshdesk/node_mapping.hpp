// How a node maps to Freshdesk, read from its record ("strategy", "request", "answer"; see
// docs/nodes.md) once, when the plugin starts. Most nodes are one request whose answer becomes
// the outputs ("request" strategy, walked by request_operation.cpp); a few need a named
// strategy of their own (strategies.hpp).
#pragma once

#include "core/node_catalog.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <vector>

namespace fd::freshdesk {

// A Freshdesk field filled from an input.
struct FieldMap {
    std::string field;      // Freshdesk's name, e.g. "twitter_id"
    std::string input;      // the node's, e.g. "TwitterId"
    std::string transform;  // "" or "strip_at" (a Twitter handle without its '@')
};

struct RequestMap {
    std::string method;                   // GET, POST, PUT, DELETE
    std::string path;                     // below /api/v2, with {Input} placeholders
    std::vector<std::string> path_inputs;  // the placeholders' inputs, in order
    std::vector<FieldMap> query;
    boost::json::object query_fixed;  // always sent, e.g. {"force": "true"}
    std::vector<FieldMap> body;
    boost::json::object body_fixed;  // always sent, e.g. {"source": 2}
    std::string body_merge;          // an object input laid under the body: explicit fields win
    std::string custom_fields;       // an object input sent as "custom_fields"
    std::string attachments;         // an array input of files: the body goes as multipart
    // A check before sending, switched on by a boolean option: {"ValidateCustomFields":
    // "ticket_fields"} checks custom fields against the account's ticket fields.
    std::string check_option;
    std::string check_fields;  // "ticket_fields" or "contact_fields"
};

enum class AnswerKind {
    object,          // the answer's object under `output`
    updated_object,  // the same, and Updated: true
    created_id,      // the new object's id under `output`
    deleted,         // Deleted: true (a 405 on a record already deleted: true, AlreadyDeleted)
    list,            // the answer's array under `output`, and Pagination; ReturnAll pages on
    array,           // the answer's array under `output`, whole (Freshdesk does not page it)
    connection_check,  // Ok: true, the Agent the key belongs to, and the rate-limit headers
};

struct AnswerMap {
    AnswerKind kind = AnswerKind::object;
    std::string output;
    std::string object_output;     // created_id: the created object too, under this output
    std::string duplicate_output;  // a 409 naming an existing record: its id, under this output
    std::vector<std::string> item_transforms;  // "null_company_id_to_zero", "field_summary"
    std::string confirm_path;                  // deleted: where a 405 is checked, e.g. "/tickets/{TicketId}"
};

// A search node: each typed option becomes a term of Freshdesk's query.
struct SearchTerm {
    std::string input;  // e.g. "CreatedAfter"
    std::string field;  // e.g. "created_at"
    std::string kind;   // "number", "boolean", "text", "after" (on or after), "before" (strictly before)
};

struct SearchMap {
    std::string path;  // "/search/tickets"
    std::vector<SearchTerm> terms;
    std::string custom_fields;  // an object input whose entries become terms by their own names
    std::string raw_query;      // the expert's own query, alone
};

// Find-or-create: the inputs that find an existing record, tried in order, each with the list
// filter that finds it.
struct MatchKey {
    std::string input;   // e.g. "Email"
    std::string filter;  // e.g. "email", as in GET /contacts?email=...
};

// A polling trigger: the list it reads, by the time records last changed.
struct WatchMap {
    std::string path;         // "/tickets"
    std::string since_param;  // "updated_since" (inclusive), or "_updated_since" for contacts
    bool ordered = false;     // the list can be ordered by updated_at (query_fixed says how)
    boost::json::object query_fixed;
    std::string noun;  // "tickets", for messages
};

struct NodeMapping {
    std::string strategy = "request";
    RequestMap request;
    AnswerMap answer;
    SearchMap search;
    std::vector<MatchKey> match;
    WatchMap watch;
};

// Every node's mapping, checked against its record: the strategy exists, every field the
// mapping names is an input or option, every input and option is used, every output is made.
// Throws std::runtime_error naming the node's record.
class NodeMappings {
  public:
    explicit NodeMappings(const NodeCatalog& catalog);
    const NodeMapping& of(const NodeSpec& node) const { return by_id_.at(node.id); }

  private:
    std::map<std::string, NodeMapping, std::less<>> by_id_;
};

}  // namespace fd::freshdesk
