// A Freshdesk operation: which request(s) a node sends and how the answers become the node's
// outputs. Pure data in, data out, no I/O: the engine sends the requests, and
// envelope_mapping.hpp turns every answer the operation does not take, and every failure, into
// the envelope.
#pragma once

#include "core/node_catalog.hpp"
#include "freshdesk/node_mapping.hpp"
#include "transport/http_types.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace fd::freshdesk {

// What an answer leads to: another request, or the outputs (and, rarely, a business error found
// in a successful answer, such as a page beyond what search can reach).
struct Step {
    Step() = default;
    // Outputs that live in `storage` (assigning an object later would keep the heap's).
    explicit Step(boost::json::storage_ptr storage) : outputs(std::move(storage)) {}

    std::optional<transport::HttpRequest> next;
    boost::json::object outputs;
    std::string business_error;
    int original_status = 0;  // the status to report, when not the last answer's own
    // The output that is the answer's body as it came (checked to be a JSON object, not parsed):
    // the envelope's text gets the body's bytes for it (envelope_text in core/envelope.hpp).
    std::string verbatim_output;
    // The input is refused after all (a custom field the account does not have): StatusCode -1,
    // and the node's own request is not sent.
    std::string invalid_input;

    static Step send(transport::HttpRequest request) {
        Step step;
        step.next = std::move(request);
        return step;
    }
    static Step refuse(std::string problem) {
        Step step;
        step.invalid_input = std::move(problem);
        return step;
    }
};

class FieldCache;

// What an operation may use besides its params: which account it talks to, and the account's
// field definitions remembered across runs.
struct OperationContext {
    std::string account;
    FieldCache* fields = nullptr;
    // Where the answer's JSON lives: the run's arena (it outlives the operation), or the heap.
    boost::json::storage_ptr storage;
};

// How far a run that reads many pages has got.
struct ItemCount {
    std::uint64_t so_far = 0;
    std::int64_t total = -1;  // -1: unknown
};

class Operation {
  public:
    virtual ~Operation() = default;
    virtual transport::HttpRequest first_request() = 0;
    // The first thing to do: usually first_request(); an operation that checks something first
    // may refuse the input without sending its own request.
    virtual Step first_step() {
        Step step;
        step.next = first_request();
        return step;
    }
    // A 2xx answer.
    virtual Step on_success(const transport::HttpResponse& response) = 0;
    // Any other answer that arrived whole (after the transport's retries): a step that
    // recovers from it (an upsert whose create lost a race reads the winner), or nullopt to
    // report it as it is.
    virtual std::optional<Step> on_refusal(const transport::HttpResponse&) { return std::nullopt; }
    // Outputs an answer the operation does not take still fills (a 409's existing contact id),
    // laid over the envelope that reports it.
    virtual boost::json::object refusal_outputs(const transport::HttpResponse&) const { return {}; }
    // What the node is about, for messages: "ticket 6", "contact 42", "tickets".
    virtual std::string subject() const = 0;
    // Items read so far, for progress reports; nullopt for operations that read no list.
    virtual std::optional<ItemCount> items_read() const { return std::nullopt; }
};

// The operation of `node` for validated, normalised `params`. Options the user left out take
// the defaults their schema declares.
std::unique_ptr<Operation> make_operation(const NodeSpec& node, const NodeMapping& mapping, boost::json::object params,
                                          const OperationContext& context = {});

}  // namespace fd::freshdesk
