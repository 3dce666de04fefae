// The client side's decisions, without any I/O: which request each node sends, how a page of
// Get Many Tickets maps onto search pages, when to retry, how credentials become an endpoint,
// and what every kind of answer turns into.
#include "core/envelope.hpp"
#include "core/input_validation.hpp"
#include "core/node_catalog.hpp"
#include "core/timestamps.hpp"
#include "freshdesk/connection_settings.hpp"
#include "freshdesk/envelope_mapping.hpp"
#include "freshdesk/field_definitions.hpp"
#include "freshdesk/node_mapping.hpp"
#include "freshdesk/operation.hpp"
#include "freshdesk/response_reading.hpp"
#include "transport/connection_pool.hpp"
#include "transport/handshake_gate.hpp"
#include "transport/rate_pacer.hpp"
#include "transport/retry_policy.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <functional>
#include <map>

namespace {
namespace json = boost::json;
using namespace fd;
using namespace fd::freshdesk;
using namespace fd::transport;
using namespace std::chrono_literals;

const NodeCatalog& catalog() {
    static const NodeCatalog instance(embedded_node_files());
    return instance;
}

const NodeMappings& mappings() {
    static const NodeMappings instance(catalog());
    return instance;
}

std::unique_ptr<Operation> operation(const std::string& node_id, const std::string& input) {
    const NodeSpec& node = *catalog().find(node_id);
    const ValidatedInput validated = InputValidator(node).validate(input);
    EXPECT_TRUE(validated.ok) << validated.error;
    return make_operation(node, mappings().of(node), validated.params);
}

HttpResponse response(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpResponse out;
    out.status = status;
    out.body = std::move(body);
    for (const auto& [name, value] : headers)
        out.headers.add(name, value);
    return out;
}

std::map<std::string, std::string> query_of(const std::string& target) {
    std::map<std::string, std::string> out;
    const auto url = boost::urls::parse_origin_form(target);
    for (const auto& param : url->params())
        out[param.key] = param.value;
    return out;
}

std::string path_of(const std::string& target) {
    return std::string(boost::urls::parse_origin_form(target)->path());
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Requests per node

struct RequestCase {
    std::string node;
    std::string input;
    std::string method;
    std::string target;
    std::string body;  // "" for none
};

class NodeRequest : public ::testing::TestWithParam<RequestCase> {};

TEST_P(NodeRequest, IsWhatFreshdeskExpects) {
    const RequestCase& c = GetParam();
    const HttpRequest request = operation(c.node, c.input)->first_request();
    EXPECT_EQ(request.method, c.method);
    EXPECT_EQ(request.target, c.target);
    if (c.body.empty()) {
        EXPECT_TRUE(request.body.empty()) << request.body;
    } else {
        EXPECT_EQ(json::parse(request.body), json::parse(c.body));
    }
}

INSTANTIATE_TEST_SUITE_P(
    ExactRequests, NodeRequest,
    ::testing::Values(
        RequestCase{"freshdesk.contact.create", R"({"Name":"Ann","Email":"ann@example.com","TwitterId":"@ann_x"})",
                    "POST", "/contacts", R"({"name":"Ann","email":"ann@example.com","twitter_id":"ann_x"})"},
        RequestCase{"freshdesk.contact.create",
                    R"({"Name":"Ann","Phone":"+1-555","Address":"","UniqueExternalId":"CRM-1"})", "POST", "/contacts",
                    R"({"name":"Ann","phone":"+1-555","unique_external_id":"CRM-1"})"},
        RequestCase{"freshdesk.contact.delete", R"({"ContactId":"0042"})", "DELETE",
                    "/contacts/42/hard_delete?force=true", ""},
        RequestCase{"freshdesk.contact.get", R"({"ContactId":42})", "GET", "/contacts/42", ""},
        RequestCase{"freshdesk.contact.get_many", R"({})", "GET", "/contacts?page=1&per_page=30", ""},
        RequestCase{"freshdesk.contact.get_many", R"({"Page":3,"PerPage":100})", "GET", "/contacts?page=3&per_page=100",
                    ""},
        RequestCase{"freshdesk.contact.update", R"({"ContactId":"7","Address":"1 Main St","Name":""})", "PUT",
                    "/contacts/7", R"({"address":"1 Main St"})"},
        RequestCase{"freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com"})", "POST",
                    "/tickets",
                    R"({"source":2,"email":"a@example.com","subject":"S","description":"D","priority":2,"status":2})"},
        RequestCase{"freshdesk.ticket.create",
                    R"({"Subject":"S","Description":"D","Email":"a@example.com","Priority":4,"Status":3})", "POST",
                    "/tickets",
                    R"({"source":2,"email":"a@example.com","subject":"S","description":"D","priority":4,"status":3})"},
        RequestCase{"freshdesk.ticket.delete", R"({"TicketId":"6"})", "DELETE", "/tickets/6", ""},
        RequestCase{"freshdesk.ticket.get", R"({"TicketId":158003421681})", "GET", "/tickets/158003421681", ""},
        RequestCase{
            "freshdesk.ticket.update",
            R"({"TicketId":6,"Subject":"","Status":4,"AdditionalFields":{"status":2,"tags":["billing"],"type":"Incident"}})",
            "PUT", "/tickets/6", R"({"status":4,"tags":["billing"],"type":"Incident"})"},
        RequestCase{"freshdesk.ticket.get_many", R"({})", "GET", "/tickets?include=description&page=1&per_page=30", ""},
        RequestCase{"freshdesk.ticket.get_many",
                    R"({"UpdatedSince":"2025-01-01T08:00:00.5+08:00","Page":2,"PerPage":5})", "GET",
                    "/tickets?include=description&updated_since=2025-01-01T00:00:01Z&page=2&per_page=5", ""}));

// The outputs as they reach the envelope: an output the step names verbatim is the answer's
// body as it came, spliced into the text.
json::value outputs_as_sent(const fd::freshdesk::Step& step, const std::string& body) {
    json::object outputs = step.outputs;
    if (step.verbatim_output.empty()) return outputs;
    outputs[step.verbatim_output] = json::object();
    return json::parse(fd::envelope_text(outputs, step.verbatim_output, body));
}

TEST(NodeOutputs, TwoXxAnswersFillTheSpecOutputs) {
    auto created = operation("freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com"})");
    const std::string ticket = R"({"id":17,"subject":"S"})";
    EXPECT_EQ(outputs_as_sent(created->on_success(response(201, ticket)), ticket),
              json::parse(R"({"TicketId":17,"Ticket":{"id":17,"subject":"S"}})"));

    auto deleted = operation("freshdesk.contact.delete", R"({"ContactId":5})");
    EXPECT_EQ(deleted->on_success(response(204, "")).outputs, json::parse(R"({"Deleted":true})"));

    auto updated = operation("freshdesk.contact.update", R"({"ContactId":5,"Name":"N"})");
    const std::string contact = R"({"id":5,"name":"N"})";
    EXPECT_EQ(outputs_as_sent(updated->on_success(response(200, contact)), contact),
              json::parse(R"({"Contact":{"id":5,"name":"N"},"Updated":true})"));

    auto contacts = operation("freshdesk.contact.get_many", R"({"PerPage":2})");
    EXPECT_EQ(
        contacts->on_success(response(200, R"([{"id":1},{"id":2}])")).outputs.at("Pagination"),
        json::parse(
            R"({"current_page":1,"per_page":2,"total_count":2,"has_more":true,"pages_read":1,"limit_reached":false})"));
    EXPECT_EQ(
        operation("freshdesk.contact.get_many", R"({"PerPage":2})")
            ->on_success(response(200, R"([{"id":1}])"))
            .outputs.at("Pagination"),
        json::parse(
            R"({"current_page":1,"per_page":2,"total_count":1,"has_more":false,"pages_read":1,"limit_reached":false})"));
    EXPECT_EQ(operation("freshdesk.contact.get_many", R"({"PerPage":5})")
                  ->on_success(
                      response(200, R"([{"id":1}])", {{"link", R"(<https://x/api/v2/contacts?page=2>; rel="next")"}}))
                  .outputs.at("Pagination")
                  .at("has_more"),
              true);

    auto tickets = operation("freshdesk.ticket.get_many", R"({"PerPage":2})");
    const json::object out = tickets
                                 ->on_success(response(200, R"([{"id":1},{"id":2}])",
                                                       {{"Link", R"(<https://x/api/v2/tickets?page=2>; rel="next")"}}))
                                 .outputs;
    EXPECT_EQ(
        out.at("Pagination"),
        json::parse(
            R"({"current_page":1,"per_page":2,"returned_count":2,"has_next_page":true,"total_pages":null,"pages_read":1,"limit_reached":false})"));
    EXPECT_EQ(operation("freshdesk.ticket.get_many", R"({"PerPage":2})")
                  ->on_success(response(200, R"([{"id":1},{"id":2}])"))
                  .outputs.at("Pagination")
                  .at("has_next_page"),
              false);

    auto get = operation("freshdesk.ticket.get", R"({"TicketId":1})");
    EXPECT_THROW(get->on_success(response(200, "{not json")), MalformedAnswer);
    EXPECT_THROW(get->on_success(response(200, "[1]")), MalformedAnswer);
    EXPECT_THROW(created->on_success(response(201, R"({"subject":"no id"})")), MalformedAnswer);
}

// ---------------------------------------------------------------------------------------------
// Get Many Tickets through search: pages of the user's size over search's 30-per-page pages

namespace {

// A search engine over `total` tickets (ids 1..total, the id also its position), answering
// like /search/tickets: 30 per page, pages 1 to 10, {results,total}.
struct FakeSearch {
    std::int64_t total;
    std::int64_t requests = 0;

    HttpResponse answer(const HttpRequest& request) {
        ++requests;
        EXPECT_EQ(path_of(request.target), "/search/tickets");
        const std::int64_t page = std::stoll(query_of(request.target).at("page"));
        EXPECT_GE(page, 1);
        EXPECT_LE(page, 10) << "search has no page beyond 10";
        json::array results;
        for (std::int64_t i = (page - 1) * 30 + 1; i <= std::min(page * 30, total); ++i) {
            results.push_back(json::object{{"id", i}, {"status", 2}, {"updated_at", "2025-02-01T00:00:00Z"}});
        }
        return response(200, json::serialize(json::object{{"results", results}, {"total", total}}));
    }
};

Step run_listing(Operation& listing, FakeSearch& search) {
    HttpRequest request = listing.first_request();
    for (int guard = 0; guard < 20; ++guard) {
        Step step = listing.on_success(search.answer(request));
        if (!step.next) return step;
        request = *step.next;
    }
    ADD_FAILURE() << "too many requests";
    return {};
}

}  // namespace

TEST(TicketSearchPaging, ConsecutivePagesNeitherSkipNorRepeat) {
    for (const std::int64_t total : {0, 1, 29, 30, 31, 95, 299, 300, 301, 650}) {
        for (const std::int64_t per_page : {1, 7, 30, 31, 45, 100}) {
            std::vector<std::int64_t> seen;
            for (std::int64_t page = 1; page <= 400 / per_page + 2; ++page) {
                FakeSearch search{total};
                auto listing =
                    operation("freshdesk.ticket.get_many", R"({"Status":2,"Page":)" + std::to_string(page) +
                                                               R"(,"PerPage":)" + std::to_string(per_page) + "}");
                const Step step = run_listing(*listing, search);
                const std::int64_t first = (page - 1) * per_page;
                const std::int64_t last = std::min(page * per_page, total);  // one past
                const json::object& pagination = step.outputs.at("Pagination").as_object();
                if (first < total && last > 300) {
                    const json::array& tickets = step.outputs.at("Tickets").as_array();
                    // Past search's window: the page says so, and nothing follows it.
                    EXPECT_TRUE(pagination.at("limit_reached").as_bool()) << total << "/" << per_page << "/" << page;
                    EXPECT_FALSE(pagination.at("has_next_page").as_bool());
                    EXPECT_EQ(pagination.at("total_pages").as_int64(), (300 + per_page - 1) / per_page);
                    if (first >= 300) {
                        // Entirely beyond: an error that says why, and no tickets.
                        EXPECT_NE(step.business_error.find("300"), std::string::npos) << step.business_error;
                        EXPECT_TRUE(tickets.empty());
                        continue;
                    }
                    // The last reachable page: what it reaches, as a normal page.
                    EXPECT_TRUE(step.business_error.empty()) << step.business_error;
                    EXPECT_EQ(static_cast<std::int64_t>(tickets.size()), 300 - first);
                    for (const json::value& ticket : tickets)
                        seen.push_back(ticket.at("id").as_int64());
                    continue;
                }
                ASSERT_TRUE(step.business_error.empty()) << step.business_error;
                for (const json::value& ticket : step.outputs.at("Tickets").as_array()) {
                    seen.push_back(ticket.at("id").as_int64());
                }
                EXPECT_EQ(pagination.at("returned_count").as_int64(), std::max<std::int64_t>(0, last - first));
                EXPECT_EQ(pagination.at("has_next_page").as_bool(),
                          page * per_page < std::min<std::int64_t>(total, 300));
                EXPECT_EQ(pagination.at("total_pages").as_int64(),
                          (std::min<std::int64_t>(total, 300) + per_page - 1) / per_page);
                EXPECT_EQ(pagination.at("limit_reached").as_bool(), total > 300 && page * per_page >= 300);
                EXPECT_EQ(pagination.at("per_page").as_int64(), per_page);
                EXPECT_EQ(pagination.at("current_page").as_int64(), page);
                EXPECT_LE(search.requests, (per_page + 29) / 30 + 1) << "only the search pages the page needs";
            }
            // Every reachable ticket exactly once, in order.
            ASSERT_EQ(static_cast<std::int64_t>(seen.size()), std::min<std::int64_t>(total, 300))
                << total << "/" << per_page;
            for (std::size_t i = 0; i < seen.size(); ++i)
                ASSERT_EQ(seen[i], static_cast<std::int64_t>(i) + 1);
        }
    }
}

TEST(TicketSearchPaging, QueryCarriesEveryFilter) {
    auto listing =
        operation("freshdesk.ticket.get_many", R"({"Status":3,"Priority":4,"UpdatedSince":"2025-01-15T00:00:00Z"})");
    const HttpRequest request = listing->first_request();
    EXPECT_EQ(path_of(request.target), "/search/tickets");
    const auto query = query_of(request.target);
    EXPECT_EQ(query.at("query"), "\"status:3 AND priority:4 AND updated_at:>'2025-01-15'\"");
    EXPECT_EQ(query.at("page"), "1");
    EXPECT_FALSE(query.contains("per_page")) << "search refuses per_page";
}

TEST(TicketSearchPaging, UpdatedSinceWithinADayIsFilteredToTheSecond) {
    // 2025-01-15T10:00:00+02:00 is 08:00:00Z; search can only say "on or after the 15th".
    auto listing = operation("freshdesk.ticket.get_many",
                             R"({"Priority":2,"UpdatedSince":"2025-01-15T10:00:00+02:00","PerPage":2,"Page":1})");
    HttpRequest request = listing->first_request();
    EXPECT_EQ(query_of(request.target).at("query"), "\"priority:2 AND updated_at:>'2025-01-15'\"");
    const char* stamps[] = {"2025-01-15T07:59:59Z", "2025-01-15T08:00:00Z", "2025-01-15T00:00:00Z",
                            "2025-01-16T01:00:00Z", "2025-01-15T09:30:00Z"};
    json::array results;
    for (int i = 0; i < 5; ++i)
        results.push_back(json::object{{"id", i + 1}, {"updated_at", stamps[i]}});
    const Step step =
        listing->on_success(response(200, json::serialize(json::object{{"results", results}, {"total", 5}})));
    ASSERT_FALSE(step.next);
    EXPECT_EQ(
        step.outputs.at("Tickets"),
        json::parse(R"([{"id":2,"updated_at":"2025-01-15T08:00:00Z"},{"id":4,"updated_at":"2025-01-16T01:00:00Z"}])"));
    EXPECT_EQ(
        step.outputs.at("Pagination"),
        json::parse(
            R"({"current_page":1,"per_page":2,"returned_count":2,"has_next_page":true,"total_pages":2,"pages_read":1,"limit_reached":false})"));
}

TEST(Rfc3339, ParsesOffsetsAndRoundsFractionsUp) {
    EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_rfc3339("2025-01-01T08:00:00+08:00"), parse_rfc3339("2025-01-01T00:00:00Z"));
    EXPECT_EQ(parse_rfc3339("2024-12-31T19:00:00-05:00"), parse_rfc3339("2025-01-01T00:00:00Z"));
    EXPECT_EQ(*parse_rfc3339("2025-01-01T00:00:00.000Z"), *parse_rfc3339("2025-01-01T00:00:00Z"));
    EXPECT_EQ(*parse_rfc3339("2025-01-01T00:00:00.001Z"), *parse_rfc3339("2025-01-01T00:00:00Z") + 1);
    // Fractions of several digits: a second that has begun counts as the next one.
    for (const char* fraction : {".5", ".50", ".500", ".05", ".123456789"}) {
        EXPECT_EQ(*parse_rfc3339(std::string("2025-01-01T00:00:00") + fraction + "Z"),
                  *parse_rfc3339("2025-01-01T00:00:01Z"))
            << fraction;
    }
    EXPECT_EQ(format_utc(*parse_rfc3339("2024-02-29T23:59:59Z")), "2024-02-29T23:59:59Z");
    EXPECT_EQ(format_utc(*parse_rfc3339("2025-03-01T01:02:03+01:00")), "2025-03-01T00:02:03Z");
    for (const char* bad : {"2025-01-01", "2025-01-01T00:00Z", "2025-13-01T00:00:00Z", "2025-01-01T00:00:00",
                            "2025-01-01T00:00:00+0800", "2025-01-01T24:00:00Z", "2025-01-01T00:00:00.Z"}) {
        EXPECT_FALSE(parse_rfc3339(bad)) << bad;
    }
}

// ---------------------------------------------------------------------------------------------
// Retries

TEST(RetryPolicy, FollowsTheRules) {
    const RetryLimits limits;
    auto decide = [&](AttemptResult r, std::chrono::milliseconds left = 10s) {
        return decide_retry(r, limits, left, 0.5);
    };
    AttemptResult rate_limited{"POST", 1, 429, std::chrono::seconds(2), std::nullopt, true, false};
    EXPECT_TRUE(decide(rate_limited).retry) << "429: Freshdesk did not process it, any method goes again";
    EXPECT_EQ(decide(rate_limited).wait, 2000ms);
    EXPECT_FALSE(decide(rate_limited, 1500ms).retry) << "a wait past the deadline is not taken";

    EXPECT_TRUE(decide({"GET", 1, 503, std::nullopt, std::nullopt, true, false}).retry);
    EXPECT_TRUE(decide({"PUT", 2, 502, std::nullopt, std::nullopt, true, false}).retry);
    EXPECT_TRUE(decide({"DELETE", 1, 504, std::nullopt, std::nullopt, true, false}).retry);
    EXPECT_FALSE(decide({"POST", 1, 503, std::nullopt, std::nullopt, true, false}).retry) << "a POST may have landed";
    EXPECT_FALSE(decide({"GET", 1, 500, std::nullopt, std::nullopt, true, false}).retry);
    EXPECT_FALSE(decide({"GET", 1, 404, std::nullopt, std::nullopt, true, false}).retry);
    EXPECT_FALSE(decide({"GET", 5, 503, std::nullopt, std::nullopt, true, false}).retry) << "attempts are bounded";

    EXPECT_TRUE(decide({"POST", 1, std::nullopt, std::nullopt, FailureKind::connect, false, false}).retry);
    EXPECT_TRUE(decide({"POST", 1, std::nullopt, std::nullopt, FailureKind::send, false, false}).retry);
    EXPECT_FALSE(decide({"POST", 1, std::nullopt, std::nullopt, FailureKind::send, true, false}).retry);
    EXPECT_TRUE(decide({"PUT", 1, std::nullopt, std::nullopt, FailureKind::send, true, false}).retry);
    EXPECT_FALSE(decide({"GET", 1, std::nullopt, std::nullopt, FailureKind::receive, true, false}).retry);
    EXPECT_FALSE(decide({"GET", 1, std::nullopt, std::nullopt, FailureKind::timeout, true, false}).retry);
    EXPECT_FALSE(decide({"GET", 1, std::nullopt, std::nullopt, FailureKind::tls, false, true}).retry)
        << "a refused certificate stays refused";

    // Backoff grows, with jitter, within a cap.
    const auto first = decide({"GET", 1, 503, std::nullopt, std::nullopt, true, false}).wait;
    const auto third = decide({"GET", 3, 503, std::nullopt, std::nullopt, true, false}).wait;
    EXPECT_LT(first, third);
    EXPECT_LE(decide({"GET", 4, 503, std::nullopt, std::nullopt, true, false}).wait, limits.backoff_cap);
}

TEST(RetryPolicy, ReadsRetryAfter) {
    const auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    EXPECT_EQ(parse_retry_after("1", now), std::chrono::seconds(1));
    EXPECT_EQ(parse_retry_after(" 120 ", now), std::chrono::seconds(120));
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), std::chrono::seconds(30));
    EXPECT_FALSE(parse_retry_after("", now));
    EXPECT_FALSE(parse_retry_after("soon", now));
    EXPECT_FALSE(parse_retry_after("-5", now));
}

// ---------------------------------------------------------------------------------------------
// Credentials

namespace {
SettingsResult settings(const std::string& credentials) {
    return ConnectionSettingsReader(catalog()).read(credentials);
}
}  // namespace

TEST(ConnectionSettings, DomainBecomesTheFreshdeskHost) {
    SettingsResult s = settings(R"({"domain":"Acme-2","api_key":"abc"})");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.settings->endpoint.host, "acme-2.freshdesk.com");
    EXPECT_EQ(s.settings->endpoint.port, 443);
    EXPECT_EQ(s.settings->endpoint.base_path, "/api/v2");
    EXPECT_EQ(s.settings->endpoint.authorization, "Basic YWJjOlg=");  // "abc:X"
    EXPECT_EQ(s.settings->timeout, 30000ms);
    s = settings(R"({"domain":"acme.freshdesk.com","api_key":"abc","timeout_ms":500})");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.settings->endpoint.host, "acme.freshdesk.com");
    EXPECT_EQ(s.settings->timeout, 500ms);
    EXPECT_EQ(s.settings->endpoint.max_connections, kDefaultMaxConnections);
    s = settings(R"({"domain":"acme","api_key":"abc","max_connections":2})");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.settings->endpoint.max_connections, 2u);
    for (const char* refused : {R"({"domain":"acme","api_key":"abc","max_connections":0})",
                                R"({"domain":"acme","api_key":"abc","max_connections":65})",
                                R"({"domain":"acme","api_key":"abc","max_connections":"many"})"}) {
        s = settings(refused);
        EXPECT_FALSE(s.ok) << refused;
        EXPECT_NE(s.error.find("max_connections"), std::string::npos) << s.error;
    }
}

TEST(ConnectionSettings, BaseUrlOverridesTheHost) {
    SettingsResult s = settings(R"({"api_key":"abc","base_url":"https://127.0.0.1:8443"})");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.settings->endpoint.host, "127.0.0.1");
    EXPECT_EQ(s.settings->endpoint.port, 8443);
    EXPECT_EQ(s.settings->endpoint.host_header, "127.0.0.1:8443");
    EXPECT_EQ(s.settings->endpoint.base_path, "/api/v2");
    s = settings(R"({"api_key":"abc","base_url":"https://[::1]:9000/proxy/api/v2/"})");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.settings->endpoint.host, "::1");
    EXPECT_EQ(s.settings->endpoint.host_header, "[::1]:9000");
    EXPECT_EQ(s.settings->endpoint.base_path, "/proxy/api/v2");
}

TEST(ConnectionSettings, RefusesWhatWouldSendTheKeyElsewhere) {
    for (const char* credentials : {
             R"({"api_key":"abc","domain":"acme.evil.com"})",
             R"({"api_key":"abc","domain":"acme.freshdesk.com.evil.com"})",
             R"({"api_key":"abc","domain":"acme:8443"})",
             R"({"api_key":"abc","domain":"user@acme"})",
             R"({"api_key":"abc","domain":"acme."})",
             R"({"api_key":"abc","domain":"-acme"})",
             R"({"api_key":"abc","domain":"127.0.0.1"})",
             R"({"api_key":"abc","base_url":"http://127.0.0.1:8443"})",
             R"({"api_key":"abc","base_url":"https://u:p@127.0.0.1"})",
             R"({"api_key":"abc","base_url":"https://127.0.0.1/?x=1"})",
             R"({"api_key":"abc","base_url":"ftp://127.0.0.1"})",
             R"({"api_key":"abc","base_url":"127.0.0.1:8443"})",
             // Percent-encoded hosts that decode to a NUL, CR/LF or a space (found by the fuzzer).
             R"({"api_key":"abc","base_url":"https://254.%00.1'8443"})",
             R"({"api_key":"abc","base_url":"https://acme%0d%0aX-Injected:%201.example.com"})",
             R"({"api_key":"abc","base_url":"https://acme%20.example.com"})",
             R"({"api_key":"abc","base_url":"https://[v1.fe80::a+en1]"})",
             R"({"api_key":"a:b","domain":"acme"})",
             R"({"api_key":"a\nb","domain":"acme"})",
             R"({"domain":"acme"})",
             R"({"api_key":"abc"})",
             R"({"api_key":"abc","domain":"acme","extra":1})",
         }) {
        const SettingsResult s = settings(credentials);
        EXPECT_FALSE(s.ok) << credentials;
        EXPECT_TRUE(s.error.starts_with("Credentials: ")) << s.error;
        EXPECT_EQ(s.error.find("a:b"), std::string::npos) << "the key is never echoed: " << s.error;
    }
}

// ---------------------------------------------------------------------------------------------
// Envelopes for every kind of answer

namespace {

struct Facts {
    Facts(const std::string& node_id, const std::string& input)
        : node(*catalog().find(node_id)),
          connection(*settings(R"({"domain":"acme","api_key":"k3y"})").settings),
          op(operation(node_id, input)),
          method(op->first_request().method) {}
    RunFacts facts(int attempts = 1) const { return {node, connection, *op, attempts, method}; }
    const NodeSpec& node;
    ConnectionSettings connection;
    std::unique_ptr<Operation> op;
    std::string method;
};

std::string message_of(const json::object& envelope) {
    return std::string(envelope.at("ErrorMessage").as_string());
}

}  // namespace

TEST(EnvelopeMapping, ClientErrorsAreBusinessErrors) {
    const Facts get("freshdesk.ticket.get", R"({"TicketId":6})");
    json::object e = response_envelope(get.facts(), response(404, " "));
    EXPECT_EQ(e.at("StatusCode"), 200);
    EXPECT_EQ(e.at("OriginalStatusCode"), 404);
    EXPECT_EQ(e.at("Ticket"), json::object());
    EXPECT_NE(message_of(e).find("ticket 6"), std::string::npos) << message_of(e);
    EXPECT_NE(message_of(e).find("domain \"acme\" may be wrong"), std::string::npos) << message_of(e);

    e = response_envelope(
        get.facts(),
        response(401,
                 R"({"code":"invalid_credentials","message":"You have to be logged in to perform this action."})"));
    EXPECT_EQ(e.at("StatusCode"), 200);
    EXPECT_EQ(e.at("OriginalStatusCode"), 401);
    EXPECT_NE(message_of(e).find("You have to be logged in"), std::string::npos);
    EXPECT_NE(message_of(e).find("Check the API key"), std::string::npos);
    EXPECT_NE(message_of(e).find("yourcompany"), std::string::npos);

    const Facts create("freshdesk.contact.create", R"({"Name":"A","Email":"a@example.com"})");
    e = response_envelope(create.facts(), response(400, R"({"description":"Validation failed","errors":[
        {"field":"email","message":"It should be in the 'valid email address' format","code":"invalid_value"},
        {"field":"name","message":"Mandatory attribute missing","code":"missing_field"}]})"));
    EXPECT_EQ(e.at("StatusCode"), 200);
    EXPECT_EQ(
        message_of(e).find(
            "Freshdesk refused the request (HTTP 400). Freshdesk said: Validation failed: email: It should be in the "
            "'valid email address' format (invalid_value); name: Mandatory attribute missing (missing_field)."),
        0u)
        << message_of(e);

    e = response_envelope(
        create.facts(),
        response(
            409,
            R"({"description":"Validation failed","errors":[{"field":"email","additional_info":{"user_id":2001},"message":"It should be a unique value","code":"duplicate_value"}]})"));
    EXPECT_EQ(e.at("StatusCode"), 200);
    EXPECT_EQ(e.at("OriginalStatusCode"), 409);
    EXPECT_NE(message_of(e).find("same email already exists (contact id 2001)"), std::string::npos) << message_of(e);
    EXPECT_NE(message_of(e).find("duplicate_value"), std::string::npos);

    const Facts update("freshdesk.contact.update", R"({"ContactId":5,"Name":"x"})");
    e = response_envelope(
        update.facts(),
        response(405, R"({"message":"PUT method is not allowed. It should be one of these method(s): GET"})",
                 {{"Allow", "GET"}}));
    EXPECT_EQ(e.at("Updated"), false);
    EXPECT_NE(message_of(e).find("PUT method is not allowed"), std::string::npos);
}

TEST(EnvelopeMapping, ServerTroubleIsASystemError) {
    const Facts get("freshdesk.ticket.get", R"({"TicketId":6})");
    json::object e = response_envelope(
        get.facts(3),
        response(429, R"({"message":"You have exceeded the limit of requests per hour"})", {{"Retry-After", "60"}}));
    EXPECT_EQ(e.at("StatusCode"), 500);
    EXPECT_EQ(e.at("OriginalStatusCode"), 429);
    EXPECT_NE(message_of(e).find("retry after 60 s"), std::string::npos) << message_of(e);
    EXPECT_NE(message_of(e).find("may be retried"), std::string::npos);

    e = response_envelope(get.facts(4), response(503, "<html>Service Unavailable</html>"));
    EXPECT_EQ(e.at("StatusCode"), 500);
    EXPECT_EQ(e.at("OriginalStatusCode"), 503);
    EXPECT_NE(message_of(e).find("4 attempts"), std::string::npos) << message_of(e);

    e = response_envelope(get.facts(), response(302, "", {{"Location", "https://elsewhere.example.com/x"}}));
    EXPECT_EQ(e.at("StatusCode"), 500);
    EXPECT_EQ(e.at("OriginalStatusCode"), 302);
    EXPECT_NE(message_of(e).find("elsewhere.example.com"), std::string::npos);
    EXPECT_NE(message_of(e).find("not followed"), std::string::npos);
    // A redirect's host is named only when it is a plain host name without the key in it.
    e = response_envelope(get.facts(), response(301, "", {{"Location", "https://k3y.evil.example/"}}));
    EXPECT_EQ(message_of(e).find("k3y"), std::string::npos) << message_of(e);
    e = response_envelope(get.facts(), response(315, "", {{"Location", "h4.Pps://e))1)(x)"}}));
    EXPECT_EQ(message_of(e).find("e))"), std::string::npos) << message_of(e);
    EXPECT_NE(message_of(e).find("redirect (HTTP 315)"), std::string::npos) << message_of(e);

    const Facts create("freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com"})");
    e = failure_envelope(
        create.facts(),
        Failure{FailureKind::receive, "reading the response from acme.freshdesk.com failed: the connection was reset",
                0, true, false});
    EXPECT_EQ(e.at("StatusCode"), 500);
    EXPECT_EQ(e.at("OriginalStatusCode"), 0);
    EXPECT_EQ(e.at("TicketId"), 0);
    EXPECT_NE(message_of(e).find("may or may not have been created"), std::string::npos) << message_of(e);

    e = failure_envelope(
        get.facts(),
        Failure{FailureKind::timeout, "the deadline passed while waiting for the response from acme.freshdesk.com", 200,
                true, false});
    EXPECT_EQ(e.at("OriginalStatusCode"), 200);
    EXPECT_NE(message_of(e).find("30000 ms"), std::string::npos) << message_of(e);
    EXPECT_NE(message_of(e).find("may be retried"), std::string::npos);

    // Settings that retrying cannot fix say so.
    e = failure_envelope(
        get.facts(), Failure{FailureKind::tls, "the certificate of acme.freshdesk.com is not trusted", 0, false, true});
    EXPECT_NE(message_of(e).find("Retrying will not help"), std::string::npos) << message_of(e);
    EXPECT_EQ(message_of(e).find("may be retried"), std::string::npos) << message_of(e);

    // A proxy's HTML error page: its text, briefly, not its markup.
    e = response_envelope(get.facts(), response(502,
                                                "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
                                                "<body><h1>Bad   Gateway</h1>" +
                                                    std::string(5000, 'x') + "</body></html>"));
    EXPECT_NE(message_of(e).find("Freshdesk said: Bad Gateway xxx"), std::string::npos) << message_of(e);
    EXPECT_EQ(message_of(e).find('<'), std::string::npos) << message_of(e);
    EXPECT_LT(message_of(e).size(), 1000u);

    // Said once: the page's <title> repeats its heading, and a message's own full stop stays single.
    e = response_envelope(get.facts(4), response(503,
                                                 "<html><head><title>503 Service Temporarily Unavailable</title>"
                                                 "</head><body><center><h1>503 Service Temporarily Unavailable"
                                                 "</h1></center><hr><center>nginx</center></body></html>"));
    EXPECT_NE(message_of(e).find("Freshdesk said: 503 Service Temporarily Unavailable nginx. "), std::string::npos)
        << message_of(e);
    EXPECT_EQ(message_of(e).find("Unavailable 503"), std::string::npos) << message_of(e);
    e = response_envelope(
        get.facts(),
        response(401,
                 R"({"code":"invalid_credentials","message":"You have to be logged in to perform this action."})"));
    EXPECT_EQ(message_of(e).find(".."), std::string::npos) << message_of(e);
    EXPECT_NE(message_of(e).find("this action. (invalid_credentials). Check"), std::string::npos) << message_of(e);

    e = malformed_envelope(get.facts(), 200, "its body is not valid JSON");
    EXPECT_EQ(e.at("StatusCode"), 500);
    EXPECT_EQ(e.at("OriginalStatusCode"), 200);
}

TEST(EnvelopeMapping, SuccessCarriesTheOutputsAndTheRealStatus) {
    const Facts del("freshdesk.ticket.delete", R"({"TicketId":6})");
    Step step;
    step.outputs["Deleted"] = true;
    const json::object e = success_envelope(del.facts(), 204, step);
    EXPECT_EQ(
        e,
        json::parse(
            R"({"Deleted":true,"AlreadyDeleted":false,"OriginalStatusCode":204,"StatusCode":200,"ErrorMessage":""})"));
}

// ---------------------------------------------------------------------------------------------
// Pacing from the rate-limit answers

TEST(RatePacer, HoldsAfterA429AndLearnsTheWindow) {
    RatePacer pacer;
    const auto t0 = RatePacer::Clock::now();
    EXPECT_EQ(pacer.delay("acme", t0), 0ms);
    pacer.observe("acme", 200, "2", "", t0);  // a window opens
    pacer.observe("acme", 200, "1", "", t0 + 100ms);
    pacer.observe("acme", 200, "0", "", t0 + 200ms);  // used up; length not known yet
    EXPECT_EQ(pacer.delay("acme", t0 + 200ms), 0ms) << "nothing to go by before the first 429";
    pacer.observe("acme", 429, "", "10", t0 + 300ms);  // the window ends at t0 + 10.3 s
    EXPECT_EQ(pacer.delay("acme", t0 + 300ms), 10000ms);
    EXPECT_EQ(pacer.delay("other", t0 + 300ms), 0ms) << "per account";
    EXPECT_EQ(pacer.delay("acme", t0 + 10400ms), 0ms);

    // The next window: when it is used up, the pacer holds until it ends, with no 429.
    const auto t1 = t0 + 10400ms;
    pacer.observe("acme", 200, "2", "", t1);
    pacer.observe("acme", 200, "0", "", t1 + 50ms);
    const auto hold = pacer.delay("acme", t1 + 50ms);
    EXPECT_GE(hold, 10200ms);
    EXPECT_LE(hold, 10400ms);
}

// A connection as the pool's tests see it: open or not, and counted while it exists.
struct FakeConnection final : PooledConnection {
    FakeConnection(const void* io_in, std::string account_in, std::unique_ptr<ConnectionLease> lease_in) {
        io = io_in;
        account = account_in;
        key = account_in + "|";
        lease = std::move(lease_in);
    }
    bool reusable() override { return open; }
    bool open = true;
};

struct PoolUser {
    const void* io;
    std::vector<Grant> turns;  // grants that came later
    GrantHandler later() {
        return [this](Grant grant) { turns.push_back(std::move(grant)); };
    }
};

std::unique_ptr<PooledConnection> opened(const void* io, Grant grant) {
    EXPECT_TRUE(grant.lease) << "a lease to open a connection";
    return std::make_unique<FakeConnection>(io, "acme", std::move(grant.lease));
}

TEST(HandshakeGate, HoldsAtMostItsLimitAndPassesSlotsOnInTurn) {
    fd::transport::HandshakeGate gate(2);
    std::vector<int> turns;
    std::uint64_t ticket = 0, second = 0, third = 0;
    EXPECT_TRUE(gate.enter([&] { turns.push_back(0); }, ticket));
    EXPECT_TRUE(gate.enter([&] { turns.push_back(0); }, ticket));
    EXPECT_FALSE(gate.enter([&] { turns.push_back(1); }, ticket));
    EXPECT_FALSE(gate.enter([&] { turns.push_back(2); }, second));
    EXPECT_FALSE(gate.enter([&] { turns.push_back(3); }, third));
    EXPECT_EQ(gate.inside(), 2u);
    EXPECT_EQ(gate.waiting(), 3u);

    EXPECT_TRUE(gate.forget(second));  // gave up before its turn: skipped
    gate.leave();
    gate.leave();
    EXPECT_EQ(turns, (std::vector<int>{1, 3})) << "first come, first served";
    EXPECT_EQ(gate.inside(), 2u) << "each slot went to a waiter";
    EXPECT_FALSE(gate.forget(third)) << "its turn came: it holds the slot and must leave";

    gate.leave();
    gate.leave();
    EXPECT_EQ(gate.inside(), 0u);
    EXPECT_TRUE(gate.enter([] {}, ticket));
}

TEST(ConnectionPool, AnAccountHoldsAtMostItsCapAndWaitersAreServedInTurn) {
    auto pool = std::make_shared<ConnectionPool>(PoolLimits{});
    int io = 0;
    PoolUser user{&io, {}};
    const Want want{"acme", "acme|", &io, 2, true};
    std::uint64_t ticket = 0;
    std::optional<Grant> a = pool->take(want, user.later(), ticket);
    std::optional<Grant> b = pool->take(want, user.later(), ticket);
    ASSERT_TRUE(a && b);
    auto first = opened(&io, std::move(*a));
    auto second = opened(&io, std::move(*b));
    EXPECT_EQ(pool->open_connections("acme"), 2u);
    EXPECT_EQ(pool->open_connections("other"), 0u) << "per account";

    std::uint64_t third_ticket = 0, fourth_ticket = 0;
    EXPECT_FALSE(pool->take(want, user.later(), third_ticket)) << "at the cap: waits";
    EXPECT_FALSE(pool->take(want, user.later(), fourth_ticket));
    EXPECT_NE(third_ticket, fourth_ticket);

    pool->give_back(std::move(first));  // to the first waiter, not to the idle list
    ASSERT_EQ(user.turns.size(), 1u);
    EXPECT_TRUE(user.turns[0].connection);
    second.reset();  // closed: its slot goes to the next waiter as a lease
    ASSERT_EQ(user.turns.size(), 2u);
    EXPECT_TRUE(user.turns[1].lease);
    EXPECT_EQ(pool->open_connections("acme"), 2u);
    EXPECT_FALSE(pool->forget("acme", fourth_ticket)) << "already served";

    user.turns.clear();  // both go: their connection closes, their lease frees
    EXPECT_EQ(pool->open_connections("acme"), 0u);
}

TEST(ConnectionPool, AGiveUpLeavesTheQueueAndIdleConnectionsOfAnotherIoMakeRoom) {
    auto pool = std::make_shared<ConnectionPool>(PoolLimits{});
    int engine_io = 0, lane_io = 0;
    PoolUser engine{&engine_io, {}}, lane{&lane_io, {}};
    std::uint64_t ticket = 0;
    std::optional<Grant> grant = pool->take({"acme", "acme|", &engine_io, 1, true}, engine.later(), ticket);
    ASSERT_TRUE(grant);
    auto connection = opened(&engine_io, std::move(*grant));

    // A waiter that gives up is never served.
    std::uint64_t gone = 0;
    EXPECT_FALSE(pool->take({"acme", "acme|", &lane_io, 1, true}, lane.later(), gone));
    EXPECT_TRUE(pool->forget("acme", gone));
    pool->give_back(std::move(connection));  // nobody waits: kept idle
    EXPECT_TRUE(lane.turns.empty());
    EXPECT_EQ(pool->open_connections("acme"), 1u);

    // The lane cannot use the engine's idle connection: it is closed and its slot passes on.
    grant = pool->take({"acme", "acme|", &lane_io, 1, true}, lane.later(), ticket);
    ASSERT_TRUE(grant);
    EXPECT_FALSE(grant->connection);
    auto lane_connection = opened(&lane_io, std::move(*grant));
    EXPECT_EQ(pool->open_connections("acme"), 1u);

    // A closed idle connection is not reused; the engine waits while the lane holds the slot.
    pool->give_back(std::move(lane_connection));
    pool->close_idle(&lane_io);
    EXPECT_EQ(pool->open_connections("acme"), 0u);
    grant = pool->take({"acme", "acme|", &engine_io, 1, true}, engine.later(), ticket);
    ASSERT_TRUE(grant);
    auto reopened = opened(&engine_io, std::move(*grant));
    static_cast<FakeConnection&>(*reopened).open = false;  // the server closed it while idle
    pool->give_back(std::move(reopened));
    grant = pool->take({"acme", "acme|", &engine_io, 1, true}, engine.later(), ticket);
    ASSERT_TRUE(grant);
    EXPECT_FALSE(grant->connection) << "a closed connection is dropped, a new one opened";
    EXPECT_TRUE(grant->lease);
}

// A run retrying after a stale connection asked for a new one: a connection given back is not
// handed to it; closing that connection gives it the slot instead.
TEST(ConnectionPool, AWaiterThatWantsANewConnectionGetsASlotNotAPooledOne) {
    auto pool = std::make_shared<ConnectionPool>(PoolLimits{});
    int io = 0;
    PoolUser user{&io, {}};
    std::uint64_t ticket = 0;
    std::optional<Grant> grant = pool->take({"acme", "acme|", &io, 1, true}, user.later(), ticket);
    ASSERT_TRUE(grant);
    auto connection = opened(&io, std::move(*grant));
    EXPECT_FALSE(pool->take({"acme", "acme|", &io, 1, false}, user.later(), ticket));
    pool->give_back(std::move(connection));
    ASSERT_EQ(user.turns.size(), 1u);
    EXPECT_FALSE(user.turns[0].connection);
    EXPECT_TRUE(user.turns[0].lease);
    EXPECT_EQ(pool->open_connections("acme"), 1u);
}

// The account's field list is remembered per account and kind, for five minutes.
TEST(FieldCache, RemembersPerAccountAndKindForFiveMinutes) {
    using fd::freshdesk::FieldCache;
    FieldCache cache;
    const FieldCache::Clock::time_point t0{};
    cache.put("acme", "ticket_fields", json::array{json::object{{"name", "cf_a"}}}, t0);
    ASSERT_TRUE(cache.get("acme", "ticket_fields", t0 + std::chrono::minutes(5)));
    EXPECT_EQ(cache.get("acme", "ticket_fields", t0)->at(0).at("name"), "cf_a");
    EXPECT_FALSE(cache.get("acme", "ticket_fields", t0 + std::chrono::minutes(5) + std::chrono::seconds(1)));
    EXPECT_FALSE(cache.get("acme", "contact_fields", t0)) << "another kind";
    EXPECT_FALSE(cache.get("globex", "ticket_fields", t0)) << "another account";
    for (std::size_t i = 0; i < FieldCache::kMaxAccounts + 10; ++i)
        cache.put("account" + std::to_string(i), "ticket_fields", json::array{}, t0 + std::chrono::seconds(i + 1));
    EXPECT_FALSE(cache.get("acme", "ticket_fields", t0 + std::chrono::seconds(1))) << "the oldest gives way";
    EXPECT_TRUE(cache.get("account265", "ticket_fields", t0 + std::chrono::seconds(300)));
}

namespace {

// The embedded files with one record's text changed by `edit`; "" when `edit` found nothing to change.
std::string refusal_of(const std::string& id, const std::function<void(json::object&)>& edit) {
    std::vector<fd::EmbeddedFile> files = fd::embedded_node_files();
    std::string doctored;
    for (fd::EmbeddedFile& file : files) {
        if (file.path != "nodes/" + id + ".json") continue;
        json::object record = json::parse(file.text).as_object();
        edit(record);
        doctored = json::serialize(record);
        file.text = doctored;
    }
    try {
        const fd::NodeCatalog catalog(files);
        const fd::freshdesk::NodeMappings mappings(catalog);
    } catch (const std::exception& error) {
        return error.what();
    }
    return "";
}

}  // namespace

// A record whose schemas and mapping disagree makes init fail, naming the record and the problem.
TEST(Catalogue, RefusesARecordWhoseSchemasAndMappingDisagree) {
    EXPECT_EQ(refusal_of("freshdesk.ticket.get", [](json::object&) {}), "") << "the records as they are load";
    const std::pair<std::function<void(json::object&)>, std::string> cases[] = {
        {[](json::object& r) {
             r["options"].as_object()["properties"].as_object()["Extra"] = json::object{{"type", "string"}};
         },
         "the field Extra is never sent to Freshdesk"},
        {[](json::object& r) {
             r["request"].as_object()["query"] = json::object{{"include", "Nowhere"}};
         },
         "the mapping names Nowhere, which is not an input or option"},
        {[](json::object& r) {
             r["outputs"].as_object()["properties"].as_object()["Extra"] = json::object{{"type", "string"}};
             r["outputs"].as_object()["required"].as_array().emplace_back("Extra");
         },
         "nothing fills the output Extra"},
        {[](json::object& r) { r["answer"].as_object()["kind"] = "sideways"; }, "unknown answer kind \"sideways\""},
        {[](json::object& r) { r["strategy"] = "telepathy"; }, "unknown strategy \"telepathy\""},
        {[](json::object& r) { r.erase("examples"); }, "a record needs at least one example input"},
    };
    for (const auto& [edit, says] : cases) {
        const std::string refusal = refusal_of("freshdesk.ticket.get", edit);
        EXPECT_NE(refusal.find("nodes/freshdesk.ticket.get.json"), std::string::npos) << refusal;
        EXPECT_NE(refusal.find(says), std::string::npos) << refusal;
    }
}
