#include "sandbox/api_router.hpp"

#include "sandbox/api_reply.hpp"
#include "sandbox/contacts.hpp"
#include "sandbox/field_rules.hpp"
#include "sandbox/resource_request.hpp"
#include "sandbox/search.hpp"
#include "sandbox/tickets.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <random>

namespace fdsandbox {

namespace json = boost::json;

namespace {

constexpr std::string_view kApiPrefix = "/api/v2/";

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

std::string lower_copy(std::string_view text) {
    return to_lower(text);
}

// "Host: name[:port]" without the port, lower-cased.
std::string host_name(std::string_view host) {
    std::string name = lower_copy(host);
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
    return contains(lower_copy(content_type), "application/json");
}

bool is_multipart(std::string_view content_type) {
    return contains(lower_copy(content_type), "multipart/form-data");
}

// The Accept values Freshdesk takes: application/json, */*, application/vnd.freshdesk.v<N>.
bool acceptable(std::string_view accept) {
    const std::string lower = lower_copy(accept);
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

// Basic credentials whose user name is the API key (any password). A user name with '@' is
// an e-mail/password login, which this account has none of.
bool authenticated(const HttpRequest& request, const std::string& api_key) {
    const std::string* header = find_header(request.headers, "Authorization");
    if (!header || header->size() < 6 || !iequals(std::string_view(*header).substr(0, 6), "Basic ")) return false;
    std::string_view encoded = std::string_view(*header).substr(6);
    while (!encoded.empty() && encoded.front() == ' ')
        encoded.remove_prefix(1);
    while (!encoded.empty() && encoded.back() == ' ')
        encoded.remove_suffix(1);
    if (encoded.empty() || encoded.size() % 4 != 0 || encoded.size() > 4096) return false;
    std::string decoded(encoded.size() / 4 * 3, '\0');
    const int length =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                        reinterpret_cast<const unsigned char*>(encoded.data()), static_cast<int>(encoded.size()));
    if (length < 0) return false;
    std::size_t padding = 0;
    if (encoded.back() == '=') ++padding;
    if (encoded.size() >= 2 && encoded[encoded.size() - 2] == '=') ++padding;
    decoded.resize(static_cast<std::size_t>(length) - padding);
    const std::string user = decoded.substr(0, decoded.find(':'));
    return !contains(user, "@") && !api_key.empty() && user == api_key;
}

// The route a path names, with the verbs it has (in Allow order).
struct Route {
    enum class Resource {
        contacts,
        contact,
        contact_hard_delete,
        contact_restore,
        tickets,
        ticket,
        ticket_restore,
        search_tickets,
        search_contacts,
    };
    Resource resource;
    std::vector<std::string_view> verbs;
    std::string id;
};

std::optional<Route> find_route(std::string_view path) {
    if (!path.starts_with(kApiPrefix)) return std::nullopt;
    path.remove_prefix(kApiPrefix.size());
    if (path.ends_with('/')) path.remove_suffix(1);
    if (path.ends_with(".json")) path.remove_suffix(5);
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        const std::size_t slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    if (parts.empty() || std::any_of(parts.begin(), parts.end(), [](std::string_view p) { return p.empty(); }))
        return std::nullopt;
    using R = Route::Resource;
    const std::string_view collection = parts[0];
    if (collection == "search" && parts.size() == 2) {
        if (parts[1] == "tickets") return Route{R::search_tickets, {"GET"}, {}};
        if (parts[1] == "contacts") return Route{R::search_contacts, {"GET"}, {}};
        return std::nullopt;
    }
    if (collection != "contacts" && collection != "tickets") return std::nullopt;
    const bool contacts = collection == "contacts";
    if (parts.size() == 1) return Route{contacts ? R::contacts : R::tickets, {"GET", "POST"}, {}};
    const std::string id(parts[1]);
    if (parts.size() == 2) return Route{contacts ? R::contact : R::ticket, {"GET", "PUT", "DELETE"}, id};
    if (parts.size() == 3 && parts[2] == "restore")
        return Route{contacts ? R::contact_restore : R::ticket_restore, {"PUT"}, id};
    if (parts.size() == 3 && parts[2] == "hard_delete" && contacts)
        return Route{R::contact_hard_delete, {"DELETE"}, id};
    return std::nullopt;
}

bool is_create_or_update(const Route& route, std::string_view method) {
    using R = Route::Resource;
    return (method == "POST" && (route.resource == R::contacts || route.resource == R::tickets)) ||
           (method == "PUT" && (route.resource == R::contact || route.resource == R::ticket));
}

Reply dispatch(const Route& route, Account& account, const ResourceRequest& request) {
    using R = Route::Resource;
    const std::string_view method = request.method;
    switch (route.resource) {
        case R::contacts:
            return method == "POST" ? create_contact(account, request) : list_contacts(account, request);
        case R::contact:
            if (method == "GET") return show_contact(account, route.id);
            if (method == "PUT") return update_contact(account, route.id, request);
            return delete_contact(account, route.id, request);
        case R::contact_hard_delete:
            return hard_delete_contact(account, route.id, request);
        case R::contact_restore:
            return restore_contact(account, route.id, request);
        case R::tickets:
            return method == "POST" ? create_ticket(account, request) : list_tickets(account, request);
        case R::ticket:
            if (method == "GET") return show_ticket(account, route.id, request);
            if (method == "PUT") return update_ticket(account, route.id, request);
            return delete_ticket(account, route.id, request);
        case R::ticket_restore:
            return restore_ticket(account, route.id, request);
        case R::search_tickets:
            return search_tickets(account, request);
        case R::search_contacts:
            return search_contacts(account, request);
    }
    return bare_reply(404);
}

std::string invalid_content_type_message(const std::string* content_type) {
    return "Content-Type header is set to " + (content_type ? *content_type : std::string()) +
           ". It should be set to application/json";
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

HttpResponse route_api_request(const HttpRequest& request, const RequestTarget& target, Account& account,
                               RateLimiter& limiter, const RouterSettings& settings, UnixSeconds now,
                               RateLimiter::Clock::time_point steady_now) {
    HttpResponse response;
    // 1. An unknown account (any other host) is a bare 404, before anything else.
    const std::string* host = find_header(request.headers, "Host");
    const std::string name = host ? host_name(*host) : std::string();
    const bool known_host =
        name == settings.domain + ".freshdesk.com" ||
        std::find(settings.local_hosts.begin(), settings.local_hosts.end(), name) != settings.local_hosts.end();
    if (!known_host) {
        response.status = 404;
        response.headers = {{"Content-Type", "application/json"}, {"X-Request-Id", make_request_id()}};
        response.body = " ";
        return response;
    }

    // 2. The rate limit counts every request to the account, failed ones too.
    const RateLimiter::Admission admission = limiter.admit(steady_now);
    if (!admission.allowed) {
        response.status = 429;
        response.headers = {{"Content-Type", "application/json"},
                            {"Retry-After", std::to_string(admission.retry_after_seconds)},
                            {"X-Request-Id", make_request_id()}};
        response.body = json::serialize(json::object{{"message", limiter.exceeded_message()}});
        return response;
    }

    const Reply reply = [&]() -> Reply {
        // 3. Middleware: content type of a sent body, Accept, %-encoding, JSON.
        const std::string* content_type = find_header(request.headers, "Content-Type");
        const bool writes = request.method == "POST" || request.method == "PUT";
        if (writes && !request.body.empty()) {
            const std::string type = content_type ? lower_copy(*content_type) : std::string();
            if (!contains(type, "application/json") && !contains(type, "multipart/form-data") &&
                !contains(type, "application/x-www-form-urlencoded"))
                return middleware_error_reply(415, "invalid_content_type", invalid_content_type_message(content_type));
        }
        if (const std::string* accept = find_header(request.headers, "Accept"); accept && !acceptable(*accept))
            return middleware_error_reply(
                406, "invalid_accept_header",
                "Accept header is set to " + *accept + ". It should have application/json or */*");
        std::optional<QueryParams> query = target.valid ? QueryParams::parse(target.raw_query) : std::nullopt;
        if (!query)
            return middleware_error_reply(
                400, "invalid_encoding",
                "Url query string received is " + target.raw_query + ". It should be properly encoded.");
        json::value body;
        const bool json_body = writes && !request.body.empty() && content_type && is_json_type(*content_type);
        if (json_body) {
            boost::system::error_code error;
            body = json::parse(request.body, error);
            if (error) return middleware_error_reply(400, "invalid_json", message::invalid_json);
        }

        // 4. Route and verb; neither needs authentication.
        const std::optional<Route> route = find_route(target.path);
        if (!route) return bare_reply(404);
        if (std::find(route->verbs.begin(), route->verbs.end(), request.method) == route->verbs.end())
            return method_not_allowed_reply(request.method, route->verbs);

        // 5. The controller wants JSON for create and update (multipart too, which the
        // sandbox does not parse: it asks for JSON).
        if (is_create_or_update(*route, request.method) &&
            (!content_type || !is_json_type(*content_type) || is_multipart(*content_type)))
            return request_error_reply(415, "invalid_content_type", invalid_content_type_message(content_type));

        // 6. Authentication.
        if (!authenticated(request, settings.api_key))
            return request_error_reply(401, "invalid_credentials", message::invalid_credentials);

        // 7-9. The resource: load, state, parameters, validation.
        const ResourceRequest resource{request.method,
                                       host ? std::string_view(*host) : std::string_view(),
                                       target.path,
                                       *query,
                                       json_body ? &body : nullptr,
                                       !request.body.empty(),
                                       now,
                                       settings.relaxed_ticket_fields};
        return dispatch(*route, account, resource);
    }();

    const bool success = reply.status >= 200 && reply.status < 300;
    if (success && reply.extra_credits > 0) limiter.charge(reply.extra_credits);
    const int used = 1 + (success ? reply.extra_credits : 0);

    response.status = reply.status;
    response.body = reply.body;
    if (reply.status != 204) response.headers.emplace_back("Content-Type", reply.content_type);
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

}  // namespace fdsandbox
