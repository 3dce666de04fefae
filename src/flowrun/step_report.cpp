#include "flowrun/step_report.hpp"

#include "flowrun/envelope_facts.hpp"

#include <boost/json/serialize.hpp>

namespace flowrun {
namespace json = boost::json;

namespace {

std::string field_text(const json::value& envelope, std::string_view key) {
    const json::value* value = envelope.is_object() ? envelope.get_object().if_contains(key) : nullptr;
    return value ? json::serialize(*value) : "none";
}

}  // namespace

std::string step_line(const StepOutcome& outcome) {
    std::string line = "step \"" + outcome.step->id + "\" (" + outcome.step->node + ")";
    if (outcome.failed) line += outcome.step->continue_on_error ? " failed (on_error: continue)" : " FAILED";
    if (!outcome.start_error.empty()) return line + ": the node could not be run: " + outcome.start_error;
    const json::value& envelope = outcome.envelope;
    line += ": StatusCode " + field_text(envelope, "StatusCode") + ", OriginalStatusCode " +
            field_text(envelope, "OriginalStatusCode");
    if (std::string records = touched_records(envelope, outcome.input); !records.empty()) line += ", " + records;
    const json::value* message = envelope.is_object() ? envelope.get_object().if_contains("ErrorMessage") : nullptr;
    if (message && (!message->is_string() || !message->get_string().empty())) {
        line += ", ErrorMessage " + json::serialize(*message);
    }
    return line;
}

void StepPrinter::operator()(const StepOutcome& outcome) const {
    if (!(outcome.failed ? failures : successes)) return;
    out << "flowrun: " << step_line(outcome) << "\n";
    for (const UnmetExpectation& unmet : outcome.unmet)
        out << "flowrun:   " << unmet.describe() << "\n";
    if (envelopes && !outcome.envelope.is_null())
        out << "flowrun:   envelope " << json::serialize(outcome.envelope) << "\n";
}

}  // namespace flowrun
