// A Freshdesk operation: which request(s) a node sends and how the 2xx answers become the
// node's outputs. Pure data in, data out, no I/O: the engine sends the requests, and
// envelope_mapping.hpp turns every other answer or failure into the envelope.
#pragma once

#include "core/node_catalog.hpp"
#include "transport/http_types.hpp"

#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <string>

namespace fd::freshdesk {

// What a 2xx answer leads to: another request, or the outputs (and, rarely, a business error
// found in a successful answer, such as a page beyond what search can reach).
struct Progress {
    std::optional<transport::HttpRequest> next;
    boost::json::object outputs;
    std::string business_error;
};

class Operation {
  public:
    virtual ~Operation() = default;
    virtual transport::HttpRequest first_request() = 0;
    virtual Progress on_success(const transport::HttpResponse& response) = 0;
    // What the node is about, for messages: "ticket 6", "contact 42", "tickets".
    virtual std::string subject() const = 0;
    // Whether the node creates something (so a lost answer may mean a duplicate on retry).
    virtual bool creates() const { return false; }
};

// The operation of `node` for validated, normalised `params`. Options the user left out take
// the defaults their schema declares.
std::unique_ptr<Operation> make_operation(const NodeSpec& node, const boost::json::object& params);

}  // namespace fd::freshdesk
