#include "sandbox/api_router.hpp"

#include "sandbox/api_reply.hpp"
#include "sandbox/api_routes.hpp"
#include "sandbox/attachments.hpp"
#include "sandbox/basic_credentials.hpp"
#include "sandbox/field_rules.hpp"
#include "sandbox/form_body.hpp"
#include "sandbox/multipart.hpp"
#include "sandbox/resource_request.hpp"
#include "sandbox/timestamps.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <ctime>
#include <random>

namespace fdsandbox {

namespace json = boost::json;

namespace {

constexpr std::string_view kAccountHostSuffix = ".freshdesk.com";

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// "Host: name[:port]" without the port, lower-cased.
std::string host_name(std::string_view host) {
    std::string name = to_lower(host);
    if (!name.empty() && name.front() == '[') {
        const std::size_t close = name.find(']');
        return close == std::string::npos ? name : name.substr(0, close + 1);
    }
    const std::size_t colon = name.rfind(':');
    if (colon != std::string::npos && std::all_of(name.begin() + static_cast<std::ptrdiff_t>(colon) + 1, name.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; }))
        name.resize(colon);
    return name;
}

bool is_json_type(std::string_view content_type) {
    return contains(to_lower(content_type), "application/json");
}

bool is_multipart(std::string_view content_type) {
    return contains(to_lower(content_type), "multipart/form-data");
}

// The Accept values Freshdesk takes: application/json, */*, application/vnd.freshdesk.v<N>.
bool acceptable(std::string_view accept) {
    const std::string lower = to_lower(accept);
    if (contains(lower, "application/json") || contains(lower, "*/*")) return true;
    for (std::size_t at = lower.find("application/vnd"); at != std::string::npos;
         at = lower.find("application/vnd", at + 1)) {
        const std::string_view rest = std::string_view(lower).substr(at);
        // "application/vnd" 15, any character, "freshdesk" 16-24, any character, 'v' 26, digit 27
        if (rest.size() >= 28 && rest.substr(16, 9) == "freshdesk" && rest[26] == 'v' && rest[27] >= '0' &&
            rest[27] <= '9')
            return true;
    }
    return false;
}

std::string invalid_content_type_message(const std::string* content_type) {
    return "Content-Type header is set to " + (content_type ? *content_type : std::string()) +
           ". It should be set to application/json";
}

bool is_local_host(const std::string& name, const RouterSettings& settings) {
    return std::find(settings.local_hosts.begin(), settings.local_hosts.end(), name) != settings.local_hosts.end();
}

// The account a request is for: the one a "{domain}.freshdesk.com" host names, or on a local
// host name the one whose key the credentials carry (the primary one when none does).
HostedAccount* find_account(const std::string& host, const HttpRequest& request, AccountRegistry& accounts,
                            const RouterSettings& settings) {
    if (host.ends_with(kAccountHostSuffix))
        return accounts.find_by_domain(std::string_view(host).substr(0, host.size() - kAccountHostSuffix.size()));
    if (!is_local_host(host, settings)) return nullptr;
    const std::optional<std::string> user = basic_user_name(request);
    HostedAccount* keyed = user ? accounts.find_by_api_key(*user) : nullptr;
    return keyed ? keyed : &accounts.primary();
}

HttpResponse unknown_account_response() {
    return {404, {{"Content-Type", "application/json"}, {"X-Request-Id", make_request_id()}}, " "};
}

HttpResponse too_many_requests(const RateLimiter::Admission& admission, const RateLimiter& limiter) {
    return {429,
            {{"Content-Type", "application/json"},
             {"Retry-After", std::to_string(admission.retry_after_seconds)},
             {"X-Request-Id", make_request_id()}},
            json::serialize(json::object{{"message", limiter.exceeded_message()}})};
}

// GET /sandbox-files/{domain}/{id}/{token}: outside the API, like a storage URL.
HttpResponse download_response(std::string_view path, AccountRegistry& accounts) {
    path.remove_prefix(kDownloadPrefix.size());
    const std::size_t slash = path.find('/');
    HostedAccount* hosted = slash == std::string_view::npos ? nullptr : accounts.find_by_domain(path.substr(0, slash));
    if (!hosted) return unknown_account_response();
    std::lock_guard lock(hosted->mutex);
    const Reply reply = attachment_download(hosted->account, path.substr(slash + 1));
    return {reply.status, {{"Content-Type", reply.content_type}}, reply.body};
}

// The body as the handlers take it: JSON as parsed, multipart as the fields it carries.
struct RequestBody {
    bool present = false;  // a JSON or multipart body was read
    json::value json;
    std::optional<std::vector<FormPart>> parts;
    FormBody form;
};

// Step 3, the middleware: content type of a sent body, Accept, %-encoding, JSON, multipart.
std::optional<Reply> read_request(const HttpRequest& request, const RequestTarget& target,
                                  std::optional<QueryParams>& query, RequestBody& body) {
    const std::string* content_type = find_header(request.headers, "Content-Type");
    const bool writes = (request.method == "POST" || request.method == "PUT") && !request.body.empty();
    const std::string type = content_type ? to_lower(*content_type) : std::string();
    if (writes && !contains(type, "application/json") && !contains(type, "multipart/form-data") &&
        !contains(type, "application/x-www-form-urlencoded"))
        return middleware_error_reply(415, "invalid_content_type", invalid_content_type_message(content_type));
    if (const std::string* accept = find_header(request.headers, "Accept"); accept && !acceptable(*accept))
        return middleware_error_reply(
            406, "invalid_accept_header",
            "Accept header is set to " + *accept + ". It should have application/json or */*");
    query = target.valid ? QueryParams::parse(target.raw_query) : std::nullopt;
    if (!query)
        return middleware_error_reply(
            400, "invalid_encoding",
            "Url query string received is " + target.raw_query + ". It should be properly encoded.");
    if (writes && is_json_type(type)) {
        boost::system::error_code error;
        body.json = json::parse(request.body, error);
        if (error) return middleware_error_reply(400, "invalid_json", message::invalid_json);
        body.present = true;
    } else if (writes && is_multipart(type)) {
        const std::optional<std::string> boundary = multipart_boundary(*content_type);
        if (boundary) body.parts = parse_multipart(request.body, *boundary);
        if (!body.parts)
            return middleware_error_reply(400, "invalid_multipart", "Multipart data is not properly formatted.");
        body.present = true;
    }
    return std::nullopt;
}

// Steps 3 to 9 for an account's request.
Reply handle(const HttpRequest& request, const RequestTarget& target, HostedAccount& hosted,
             const RouterSettings& settings, UnixSeconds now) {
    std::optional<QueryParams> query;
    RequestBody body;
    if (std::optional<Reply> refused = read_request(request, target, query, body)) return *refused;

    // 4. Route and verb; neither needs authentication.
    const std::optional<Route> route = find_route(target.path);
    if (!route) return bare_reply(404);
    if (std::find(route->verbs.begin(), route->verbs.end(), request.method) == route->verbs.end())
        return method_not_allowed_reply(request.method, route->verbs);

    // 5. The controller takes JSON, or multipart where files may come (create, update, notes, replies).
    const std::string* content_type = find_header(request.headers, "Content-Type");
    const bool form_body = takes_form_body(*route, request.method);
    if (form_body && (!content_type || (!is_json_type(*content_type) && !is_multipart(*content_type))))
        return request_error_reply(415, "invalid_content_type", invalid_content_type_message(content_type));
    if (form_body && body.parts) {
        body.form = form_body_from_parts(std::move(*body.parts), form_custom_fields(*route));
        body.json = std::move(body.form.fields);
    }

    // 6. Authentication: the account's own key as the user name; a name with '@' is an
    // e-mail/password login, which no account here has.
    const std::optional<std::string> user = basic_user_name(request);
    if (!user || contains(*user, "@") || *user != hosted.api_key)
        return request_error_reply(401, "invalid_credentials", message::invalid_credentials);

    // 7-9. The resource: load, state, parameters, validation.
    const std::string* host = find_header(request.headers, "Host");
    ResourceRequest resource{request.method,
                             host ? std::string_view(*host) : std::string_view(),
                             target.path,
                             *query,
                             form_body && body.present ? &body.json : nullptr,
                             !request.body.empty(),
                             now,
                             settings.relaxed_ticket_fields};
    if (form_body && !body.form.files.empty()) resource.files = &body.form.files;
    return dispatch(*route, hosted.account, resource);
}

// "Wed, 02 Dec 2026 17:15:15 GMT", as every HTTP server dates its answers (RFC 9110).
std::string http_date(UnixSeconds time) {
    const std::time_t seconds = static_cast<std::time_t>(time);
    std::tm parts{};
    ::gmtime_r(&seconds, &parts);
    char text[40];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    return text;
}

// The common headers of every answer that reached the account.
HttpResponse finish(const Reply& reply, RateLimiter& limiter) {
    const bool success = reply.status >= 200 && reply.status < 300;
    if (success && reply.extra_credits > 0) limiter.charge(reply.extra_credits);
    const int used = 1 + (success ? reply.extra_credits : 0);
    HttpResponse response;
    response.status = reply.status;
    response.body = reply.body;
    if (reply.status != 204) response.headers.emplace_back("Content-Type", reply.content_type);
    response.headers.emplace_back("Date", http_date(now_unix_seconds()));
    response.headers.emplace_back("X-Request-Id", make_request_id());
    response.headers.emplace_back("X-RateLimit-Total", std::to_string(limiter.budget()));
    response.headers.emplace_back("X-RateLimit-Remaining", std::to_string(limiter.remaining()));
    response.headers.emplace_back("X-RateLimit-Used-CurrentRequest", std::to_string(used));
    if (reply.status != 404) response.headers.emplace_back("X-Freshdesk-API-Version", "latest=v2; requested=v2");
    response.headers.emplace_back("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
    response.headers.emplace_back("Pragma", "no-cache");
    response.headers.emplace_back("Expires", "Wed, 13 Oct 2010 00:00:00 UTC");
    for (const auto& header : reply.headers)
        response.headers.push_back(header);
    return response;
}

}  // namespace

std::string make_request_id() {
    thread_local std::mt19937_64 random(std::random_device{}());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (std::size_t i = 0; i < id.size(); i += 16) {
        std::uint64_t bits = random();
        for (std::size_t j = 0; j < 16; ++j, bits >>= 4)
            id[i + j] = kHex[bits & 0xf];
    }
    return id;
}

HttpResponse route_api_request(const HttpRequest& request, const RequestTarget& target, AccountRegistry& accounts,
                               const RouterSettings& settings, UnixSeconds now,
                               RateLimiter::Clock::time_point steady_now) {
    // 1. An unknown account (any other host) is a bare 404, before anything else.
    const std::string* host_header = find_header(request.headers, "Host");
    const std::string host = host_header ? host_name(*host_header) : std::string();
    HostedAccount* hosted = find_account(host, request, accounts, settings);
    if (!hosted) return unknown_account_response();
    if (request.method == "GET" && target.path.starts_with(kDownloadPrefix))
        return download_response(target.path, accounts);

    std::lock_guard lock(hosted->mutex);
    // 2. The rate limit counts every request to the account, failed ones too.
    const RateLimiter::Admission admission = hosted->limiter.admit(steady_now);
    if (!admission.allowed) return too_many_requests(admission, hosted->limiter);
    return finish(handle(request, target, *hosted, settings, now), hosted->limiter);
}

}  // namespace fdsandbox
