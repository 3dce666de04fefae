// What a person reads about each step on stderr: one line with the step, its node, StatusCode,
// OriginalStatusCode, the record it created or touched and the ErrorMessage when there is one;
// a line per unmet expectation; the whole envelope (customers' personal data) only on request.
#pragma once

#include "flowrun/workflow.hpp"

#include <ostream>
#include <string>

namespace flowrun {

// `step "create" (freshdesk.ticket.create): StatusCode 200, OriginalStatusCode 201, TicketId 11`
std::string step_line(const StepOutcome& outcome);

struct StepPrinter {
    std::ostream& out;
    bool successes = true;   // print the steps that succeeded (not with --quiet)
    bool failures = true;    // print the steps that failed and their unmet expectations
    bool envelopes = false;  // print every whole envelope (--verbose)

    void operator()(const StepOutcome& outcome) const;
};

}  // namespace flowrun
