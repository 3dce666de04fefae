// A step's "expect": output paths and the values its envelope must hold there
// ({"StatusCode": 200, "Ticket.status": 2}), checked after the step ran.
#pragma once

#include "flowrun/templates.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flowrun {

struct UnmetExpectation {
    std::string path;
    boost::json::value expected;
    std::optional<boost::json::value> got;  // nullopt: nothing at that path

    std::string describe() const;  // "expected Ticket.status = 2, got 3"
};

// The expectations `envelope` does not meet. Expected values may hold {{node.path}} references,
// rendered against `outputs` (what earlier nodes produced).
std::vector<UnmetExpectation> unmet_expectations(const boost::json::object& expect, const boost::json::value& envelope,
                                                 const Outputs& outputs);

// Whether the expectations, not the envelope, decide that a step failed: they name one of the
// envelope's outcome fields, so a workflow can expect a failure on purpose ({"StatusCode": -1}).
bool expectations_decide(const boost::json::object& expect);

}  // namespace flowrun
