#include "sandbox/faults.hpp"

#include "sandbox/api_router.hpp"

#include <algorithm>
#include <stdexcept>

namespace fdsandbox {

namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";
constexpr std::size_t kDefaultOversizedBytes = 16 * 1024 * 1024;
constexpr std::size_t kDefaultShortBy = 64;

struct KindName {
    FaultKind kind;
    std::string_view name;
};
constexpr KindName kKindNames[] = {
    {FaultKind::delay_before_headers, "delay_before_headers"},
    {FaultKind::slow_body, "slow_body"},
    {FaultKind::reset_mid_body, "reset_mid_body"},
    {FaultKind::short_body, "short_body"},
    {FaultKind::malformed_json, "malformed_json"},
    {FaultKind::status, "status"},
    {FaultKind::rate_limited, "rate_limited"},
    {FaultKind::close_without_response, "close_without_response"},
    {FaultKind::oversized_body, "oversized_body"},
    {FaultKind::redirect, "redirect"},
};

bool matches(const Fault& fault, std::string_view method, std::string_view path) {
    return (fault.method.empty() || iequals(fault.method, method)) && path.starts_with(fault.path_prefix);
}

std::string_view content_type_for(std::string_view body) {
    return !body.empty() && (body.front() == '{' || body.front() == '[') ? kJson : std::string_view("text/html");
}

// The answer a fault damages when the request was not carried out.
HttpResponse stand_in_response(const Fault& fault) {
    HttpResponse response;
    response.status = fault.status != 0 ? fault.status : 200;
    response.body =
        !fault.body.empty() ? fault.body : R"({"sandbox_fault":")" + std::string(fault_kind_name(fault.kind)) + R"("})";
    response.headers = {{"Content-Type", std::string(content_type_for(response.body))},
                        {"X-Request-Id", make_request_id()}};
    return response;
}

std::string default_status_body(int status) {
    switch (status) {
        case 500:
            return R"({"code":"internal_error","message":"We're sorry, but something went wrong."})";
        case 502:
            return "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad "
                   "Gateway</h1>"
                   "</center></body></html>";
        case 503:
            return "<html><head><title>503 Service Temporarily "
                   "Unavailable</title></head><body><center><h1>503 "
                   "Service Temporarily Unavailable</h1></center></body></html>";
        case 504:
            return "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 "
                   "Gateway "
                   "Time-out</h1></center></body></html>";
        default:
            return R"({"message":"We're sorry, but something went wrong."})";
    }
}

// Valid JSON of exactly `size` bytes (at least the 15 of the empty padding object).
std::string padded_json(std::size_t size) {
    const std::string open = R"({"padding":")", close = R"("})";
    const std::size_t filler = size > open.size() + close.size() ? size - open.size() - close.size() : 0;
    return open + std::string(filler, 'x') + close;
}

// Half of a JSON document (the real one when there is one) is never valid JSON.
HttpResponse malformed_response(const Fault& fault, HttpResponse base) {
    std::string body = fault.body;
    if (body.empty()) {
        const std::string& whole = base.body;
        body = whole.size() > 2 ? whole.substr(0, whole.size() / 2) : R"({"id": 1, "subject": "trunc)";
    }
    HttpResponse response = std::move(base);
    response.status = fault.status != 0 ? fault.status : 200;
    response.body = std::move(body);
    std::erase_if(response.headers, [](const auto& header) { return iequals(header.first, "Content-Type"); });
    response.headers.insert(response.headers.begin(), {"Content-Type", std::string(kJson)});
    return response;
}

HttpResponse status_response(const Fault& fault) {
    const int status = fault.status != 0 ? fault.status : 500;
    std::string body = !fault.body.empty() ? fault.body : default_status_body(status);
    return {status,
            {{"Content-Type", std::string(content_type_for(body))}, {"X-Request-Id", make_request_id()}},
            std::move(body)};
}

HttpResponse redirect_response(const Fault& fault, const FaultContext& context) {
    const std::string location = !fault.location.empty()
                                     ? fault.location
                                     : "https://redirected.example.com" + std::string(context.request_target);
    std::string body = !fault.body.empty()
                           ? fault.body
                           : "<html><body>You are being <a href=\"" + location + "\">redirected</a>.</body></html>";
    return {fault.status != 0 ? fault.status : 302,
            {{"Content-Type", "text/html; charset=utf-8"}, {"Location", location}, {"X-Request-Id", make_request_id()}},
            std::move(body)};
}

}  // namespace

std::string_view fault_kind_name(FaultKind kind) {
    for (const KindName& entry : kKindNames)
        if (entry.kind == kind) return entry.name;
    return "status";
}

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
    for (const KindName& entry : kKindNames)
        if (entry.name == name) return entry.kind;
    return std::nullopt;
}

bool fault_processes_request(const Fault& fault) {
    if (fault.process_request >= 0) return fault.process_request != 0;
    switch (fault.kind) {
        case FaultKind::status:
        case FaultKind::rate_limited:
        case FaultKind::redirect:
        case FaultKind::close_without_response:
            return false;
        default:
            return true;
    }
}

void FaultQueue::add(const Fault& fault) {
    if (fault.count < 1) throw std::invalid_argument("a fault needs count >= 1");
    if (fault.delay.count() < 0) throw std::invalid_argument("a fault's delay cannot be negative");
    if (fault.kind == FaultKind::slow_body && fault.chunk_bytes == 0)
        throw std::invalid_argument("slow_body needs chunk_bytes >= 1");
    if (fault.retry_after_seconds < 0) throw std::invalid_argument("retry_after_seconds cannot be negative");
    if (fault.status != 0 && (fault.status < 100 || fault.status > 999))
        throw std::invalid_argument("a fault's status must be a 3-digit HTTP status");
    std::lock_guard lock(mutex_);
    faults_.push_back(fault);
}

void FaultQueue::clear() {
    std::lock_guard lock(mutex_);
    faults_.clear();
}

std::size_t FaultQueue::pending_uses() const {
    std::lock_guard lock(mutex_);
    std::size_t uses = 0;
    for (const Fault& fault : faults_)
        uses += static_cast<std::size_t>(fault.count);
    return uses;
}

std::optional<Fault> FaultQueue::take(std::string_view method, std::string_view path) {
    std::lock_guard lock(mutex_);
    const auto found =
        std::find_if(faults_.begin(), faults_.end(), [&](const Fault& fault) { return matches(fault, method, path); });
    if (found == faults_.end()) return std::nullopt;
    Fault taken = *found;
    if (--found->count == 0) faults_.erase(found);
    return taken;
}

ResponsePlan plan_fault(const Fault& fault, std::optional<HttpResponse> processed, const FaultContext& context) {
    ResponsePlan plan;
    plan.delay = fault.delay;
    HttpResponse base = processed ? std::move(*processed) : stand_in_response(fault);
    switch (fault.kind) {
        case FaultKind::delay_before_headers:
            plan.action = WireAction::delay_before_headers;
            plan.response = std::move(base);
            break;
        case FaultKind::slow_body:
            plan.action = WireAction::slow_body;
            plan.chunk_bytes = std::max<std::size_t>(1, fault.chunk_bytes);
            plan.response = std::move(base);
            break;
        case FaultKind::reset_mid_body:
            plan.action = WireAction::reset_mid_body;
            plan.response = std::move(base);
            break;
        case FaultKind::short_body:
            plan.action = WireAction::short_body;
            plan.extra_length = fault.size_bytes != 0 ? fault.size_bytes : kDefaultShortBy;
            plan.response = std::move(base);
            break;
        case FaultKind::close_without_response:
            plan.action = WireAction::close_without_response;
            break;
        case FaultKind::malformed_json:
            plan.response = malformed_response(fault, std::move(base));
            break;
        case FaultKind::status:
            plan.response = status_response(fault);
            break;
        case FaultKind::rate_limited: {
            plan.response.status = 429;
            plan.response.headers = {{"Content-Type", "application/json"},  // as the real 429
                                     {"Retry-After", std::to_string(fault.retry_after_seconds)},
                                     {"X-Request-Id", make_request_id()}};
            plan.response.body =
                !fault.body.empty() ? fault.body : R"({"message":")" + context.rate_limit_message + R"("})";
            break;
        }
        case FaultKind::oversized_body:
            plan.response.status = fault.status != 0 ? fault.status : 200;
            plan.response.headers = {{"Content-Type", std::string(kJson)}, {"X-Request-Id", make_request_id()}};
            plan.response.body = padded_json(fault.size_bytes != 0 ? fault.size_bytes : kDefaultOversizedBytes);
            break;
        case FaultKind::redirect:
            plan.response = redirect_response(fault, context);
            break;
    }
    return plan;
}

}  // namespace fdsandbox
