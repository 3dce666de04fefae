// Every outcome of a run as the envelope (docs/architecture.md, "The envelope"):
//   2xx                          -> StatusCode 200, the real status, "" (or a business error)
//   4xx other than 429           -> StatusCode 200, the real status, Freshdesk's errors in words
//   429/5xx after the retries    -> StatusCode 500, the real status, what happened, may retry
//   3xx and no usable answer     -> StatusCode 500, 0 or the status line's code, what failed
// Messages never carry a secret; the FAQ's advice goes where it helps (401, 404).
#pragma once

#include "core/node_catalog.hpp"
#include "freshdesk/connection_settings.hpp"
#include "freshdesk/operation.hpp"
#include "transport/http_types.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace fd::freshdesk {

// What the messages may say about the run.
struct RunFacts {
    const NodeSpec& node;
    const ConnectionSettings& settings;
    const Operation& operation;
    int attempts = 1;
    std::string_view method;  // of the last request: a POST may have created something
};

boost::json::object success_envelope(const RunFacts& run, int status, Step step);
boost::json::object response_envelope(const RunFacts& run, const transport::HttpResponse& response);
boost::json::object failure_envelope(const RunFacts& run, const transport::Failure& failure);
boost::json::object malformed_envelope(const RunFacts& run, int status, const std::string& what);

// Freshdesk's error body in words: for each error its field, message and code.
std::string describe_error_body(const std::string& body);
// The same as a sentence to append, " Freshdesk said: ...." (one full stop), or "" for no body.
std::string freshdesk_said(const std::string& body);

}  // namespace fd::freshdesk
