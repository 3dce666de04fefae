#include "freshdesk/envelope_mapping.hpp"

#include "core/envelope.hpp"
#include "freshdesk/response_reading.hpp"
#include "transport/retry_policy.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::Failure;
using transport::FailureKind;
using transport::HttpResponse;

namespace {

constexpr std::size_t kMaxQuotedBody = 300;

std::string text_of(const json::value* value) {
    if (!value) return "";
    return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

// Where an HTML page's visible text starts: its <body> (the <title> in <head> usually repeats
// the heading), or the start when it has none.
std::size_t visible_start(const std::string& page) {
    for (std::size_t at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1)) {
        if (boost::algorithm::istarts_with(std::string_view(page).substr(at), "<body")) return at;
    }
    return 0;
}

// A body that is not JSON, shown briefly and on one line; of an HTML error page (a proxy's
// 502, a maintenance page) only its visible text.
std::string quote_body(const std::string& body) {
    const std::size_t first = body.find_first_not_of(" \t\r\n");
    const bool html = first != std::string::npos && body[first] == '<';
    std::string text;
    bool in_tag = false;
    for (char c : std::string_view(body).substr(html ? visible_start(body) : 0)) {
        if (html && (c == '<' || c == '>')) {
            in_tag = c == '<';
            c = ' ';
        } else if (in_tag) {
            continue;
        }
        if (c == '\r' || c == '\n' || c == '\t') c = ' ';
        if (c == ' ' && (text.empty() || text.back() == ' ')) continue;
        text += c;
        if (text.size() > kMaxQuotedBody) break;
    }
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    if (text.size() > kMaxQuotedBody) text = text.substr(0, kMaxQuotedBody) + "...";
    return text;
}

std::string account(const RunFacts& run) {
    return run.settings.domain.empty() ? run.settings.endpoint.host_header : run.settings.domain;
}

std::string domain_advice(const RunFacts& run) {
    if (run.settings.domain.empty()) return "check base_url";
    return "the domain \"" + run.settings.domain +
           "\" may be wrong: it is your Freshdesk subdomain alone, e.g. yourcompany for "
           "https://yourcompany.freshdesk.com";
}

std::string retry_advice(const RunFacts& run, bool may_have_reached) {
    if (run.method == "POST" && may_have_reached) {
        return "The " + run.operation.subject() +
               " may or may not have been created: check Freshdesk before running this again.";
    }
    return "The call may be retried.";
}

json::object status_only(const RunFacts& run, int status_code, int original, std::string message,
                         json::storage_ptr storage = {}) {
    return status_envelope(run.node, status_code, original, std::move(message), std::move(storage));
}

}  // namespace

std::string describe_error_body(const std::string& body) {
    boost::system::error_code error;
    const json::value parsed = json::parse(body, error);
    if (error || !parsed.is_object()) return quote_body(body);
    const json::object& object = parsed.get_object();
    if (const json::value* errors = object.if_contains("errors"); errors && errors->is_array()) {
        std::string out = text_of(object.if_contains("description"));
        if (out.empty()) out = "Validation failed";
        out += ":";
        bool first = true;
        for (const json::value& item : errors->get_array()) {
            if (!item.is_object()) continue;
            const json::object& e = item.get_object();
            std::string field = text_of(e.if_contains("field"));
            if (const json::value* nested = e.if_contains("nested_field")) field = text_of(nested);
            out += first ? " " : "; ";
            first = false;
            out += (field.empty() ? "" : field + ": ") + text_of(e.if_contains("message"));
            if (const json::value* code = e.if_contains("code")) out += " (" + text_of(code) + ")";
        }
        return out;
    }
    std::string out = text_of(object.if_contains("message"));
    if (const json::value* code = object.if_contains("code"))
        out += (out.empty() ? "" : " ") + ("(" + text_of(code) + ")");
    return out.empty() ? quote_body(body) : out;
}

std::string freshdesk_said(const std::string& body) {
    const std::string said = describe_error_body(body);
    if (said.empty()) return "";
    const bool closed = said.back() == '.' || said.back() == '!' || said.back() == '?';
    return " Freshdesk said: " + said + (closed ? "" : ".");
}

json::object success_envelope(const RunFacts& run, int status, Step step) {
    const int original = step.original_status != 0 ? step.original_status : status;
    // Built where the outputs live, so they move in without a copy.
    json::object envelope = status_only(run, 200, original, std::move(step.business_error), step.outputs.storage());
    for (auto& [key, value] : step.outputs)
        envelope[key] = std::move(value);
    return envelope;
}

namespace {

// " to HOST" for a redirect whose Location names a plain host (letters, digits, '.', '-'), else
// "". A server that puts the API key into the host it names gets no echo of it.
std::string redirect_target(const RunFacts& run, const HttpResponse& response) {
    const auto location = boost::urls::parse_uri_reference(response.header("Location"));
    if (!location || !location->has_authority()) return "";
    const std::string host(location->encoded_host());
    const bool plain = !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
    });
    const bool secret =
        std::any_of(run.settings.secrets.begin(), run.settings.secrets.end(),
                    [&](const std::string& s) { return !s.empty() && host.find(s) != std::string::npos; });
    return plain && !secret ? " to " + host : "";
}

// An answer that refuses nothing the user sent: the rate limit, a server error, a redirect or an
// odd status. StatusCode 500: the call did not happen and may be retried.
json::object unusable_answer_envelope(const RunFacts& run, const HttpResponse& response, const std::string& said) {
    const int status = response.status;
    if (status == 429) {
        // Only the parsed number of seconds is repeated: the header's text is the server's, not ours.
        const auto wait =
            transport::parse_retry_after(response.header("Retry-After"), std::chrono::system_clock::now());
        return status_only(run, 500, status,
                           "Freshdesk's API rate limit for this account is used up (HTTP 429" +
                               (wait ? ", retry after " + std::to_string(wait->count()) + " s" : std::string()) +
                               ") after " + std::to_string(run.attempts) + " attempt(s) within the timeout." + said +
                               " The call may be retried later.");
    }
    if (status >= 500) {
        const bool repeated = run.attempts > 1;
        return status_only(run, 500, status,
                           "Freshdesk answered HTTP " + std::to_string(status) + " (a server error)" +
                               (repeated ? " on each of " + std::to_string(run.attempts) + " attempts" : "") + "." +
                               said + " " + retry_advice(run, true));
    }
    if (status >= 300) {
        return status_only(run, 500, status,
                           "Freshdesk answered with a redirect (HTTP " + std::to_string(status) +
                               redirect_target(run, response) + "), which is not followed: " + domain_advice(run) +
                               ".");
    }
    return status_only(run, 500, status, "Freshdesk answered with an unexpected HTTP " + std::to_string(status) + ".");
}

// A 4xx other than 429: Freshdesk refused what was sent, and why.
std::string refusal_message(const RunFacts& run, const HttpResponse& response, const std::string& said) {
    const int status = response.status;
    const std::string subject = run.operation.subject();
    switch (status) {
        case 401:
            return "Freshdesk did not accept the API key (HTTP 401)." + said +
                   " Check the API key, and that the domain is your Freshdesk subdomain alone (e.g. "
                   "yourcompany, without https:// and .freshdesk.com).";
        case 403:
            return "Freshdesk refused access (HTTP 403)." + said +
                   " The API key's agent may lack the permission, or the plan the feature.";
        case 404:
            if (subject.find(' ') == std::string::npos) {
                return "Freshdesk answered HTTP 404 for the " + subject + ": " + domain_advice(run) + ".";
            }
            return "Freshdesk has no " + subject + " (HTTP 404) in the account " + account(run) +
                   ". If the id is right, " + domain_advice(run) + ".";
        case 405:
            return "Freshdesk does not allow this on the " + subject + " (HTTP 405); it may have been deleted." + said;
        case 409: {
            const std::optional<Duplicate> duplicate = read_duplicate(response.body);
            const std::string owner = duplicate ? ": a contact with the same " + duplicate->field +
                                                      " already exists (contact id " +
                                                      std::to_string(duplicate->contact_id) + ")"
                                                : "";
            return "Freshdesk refused a duplicate (HTTP 409)" + owner + "." + said;
        }
        default:
            return "Freshdesk refused the request (HTTP " + std::to_string(status) + ")." +
                   (said.empty() ? " It gave no reason." : said);
    }
}

}  // namespace

json::object response_envelope(const RunFacts& run, const HttpResponse& response) {
    const std::string said = freshdesk_said(response.body);
    if (response.status == 429 || response.status < 400 || response.status >= 500) {
        return unusable_answer_envelope(run, response, said);
    }
    return status_only(run, 200, response.status, refusal_message(run, response, said));
}

json::object failure_envelope(const RunFacts& run, const Failure& failure) {
    std::string message;
    switch (failure.kind) {
        case FailureKind::timeout:
            message = "No complete answer within the timeout of " + std::to_string(run.settings.timeout.count()) +
                      " ms (timeout_ms): " + failure.detail + ".";
            break;
        case FailureKind::cancelled:
            message = "The run was cancelled: " + failure.detail + ".";
            break;
        case FailureKind::rate_limited:
            message = failure.detail + ".";
            break;
        case FailureKind::too_large:
            message = "Freshdesk's answer was refused: " + failure.detail + ".";
            break;
        default:
            message = "No usable answer from Freshdesk: " + failure.detail +
                      (run.attempts > 1 ? " (after " + std::to_string(run.attempts) + " attempts)." : ".");
    }
    // An untrusted certificate or an unknown host stays so until the settings change.
    message += failure.permanent ? std::string(" Retrying will not help until this is fixed.")
                                 : " " + retry_advice(run, failure.may_have_reached);
    return status_only(run, 500, failure.status_line, std::move(message));
}

json::object malformed_envelope(const RunFacts& run, int status, const std::string& what) {
    return status_only(run, 500, status,
                       "Freshdesk's answer (HTTP " + std::to_string(status) + ") could not be read: " + what + ". " +
                           retry_advice(run, true));
}

}  // namespace fd::freshdesk
