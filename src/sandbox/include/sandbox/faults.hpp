// Fault injection: a queue of faults, each for the next `count` requests matching its method
// and path prefix, used up in injection order; and the response a fault makes, handed to the
// wire as a ResponsePlan.
#pragma once

#include "sandbox/http_types.hpp"
#include "sandbox/sandbox.hpp"

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace fdsandbox {

std::string_view fault_kind_name(FaultKind kind);
std::optional<FaultKind> parse_fault_kind(std::string_view name);

// Whether the request is carried out before the fault shapes the answer (Fault::process_request).
bool fault_processes_request(const Fault& fault);

class FaultQueue {
  public:
    void add(const Fault& fault);  // throws std::invalid_argument for a fault that cannot apply
    void clear();
    std::size_t pending_uses() const;
    // The first fault matching the request, with one use taken; nullopt when none matches.
    std::optional<Fault> take(std::string_view method, std::string_view path);

  private:
    mutable std::mutex mutex_;
    std::deque<Fault> faults_;
};

struct FaultContext {
    std::string_view request_target;  // for the default redirect location
    std::string rate_limit_message;   // the 429 body's message
};

// The plan for a faulted request. `processed` is the real answer when the request was
// carried out (fault_processes_request), else nullopt.
ResponsePlan plan_fault(const Fault& fault, std::optional<HttpResponse> processed, const FaultContext& context);

}  // namespace fdsandbox
