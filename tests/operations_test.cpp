// The ten operations for real: the plugin loaded through its C ABI, talking HTTPS to the
// Freshdesk sandbox. Each case asserts the envelope and what the sandbox received.
#include "plugin_fixture.hpp"

#include <gtest/gtest.h>
#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <chrono>
#include <set>

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using Result = fdtest::Invocation;

fdsandbox::Sandbox& sandbox() {
    static const std::unique_ptr<fdsandbox::Sandbox> instance = fdtest::started_sandbox("operations-test-key");
    return *instance;
}

json::object credentials(std::int64_t timeout_ms = 10000) {
    return fdtest::credentials_for(sandbox(), timeout_ms);
}

Result invoke(const std::string& node, const std::string& input, const json::object& creds = credentials()) {
    return fdtest::invoke(node, input, creds);
}

std::map<std::string, std::string> query_of(const fdsandbox::RecordedRequest& request) {
    std::map<std::string, std::string> out;
    const std::string target = "/?" + request.query;
    const auto url = boost::urls::parse_origin_form(target);
    for (const auto& param : url->params())
        out[param.key] = param.value;
    return out;
}

std::vector<fdsandbox::RecordedRequest> requests_to(std::string_view method, std::string_view path_prefix) {
    std::vector<fdsandbox::RecordedRequest> out;
    for (const auto& request : sandbox().requests()) {
        if (request.method == method && request.path.starts_with(path_prefix)) out.push_back(request);
    }
    return out;
}

std::string header_of(const fdsandbox::RecordedRequest& request, std::string_view name) {
    for (const auto& [key, value] : request.headers) {
        if (boost::beast::iequals(key, name)) return value;
    }
    return "";
}

class Operations : public ::testing::Test {
  protected:
    void SetUp() override { sandbox().reset(); }

    std::int64_t create_contact(const std::string& email) {
        const Result r = invoke("freshdesk.contact.create", R"({"Name":"Pat Doe","Email":")" + email + R"("})");
        EXPECT_EQ(r.status_code(), 200) << r.message();
        return r.envelope.at("Contact").at("id").as_int64();
    }
    std::int64_t create_ticket(const std::string& subject = "Printer on fire") {
        const Result r =
            invoke("freshdesk.ticket.create",
                   R"({"Subject":")" + subject + R"(","Description":"<p>Help</p>","Email":"req@example.com"})");
        EXPECT_EQ(r.status_code(), 200) << r.message();
        return r.envelope.at("TicketId").as_int64();
    }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Success, per node, with what Freshdesk received

TEST_F(Operations, CreateAContact) {
    const Result r = invoke(
        "freshdesk.contact.create",
        R"({"Name":"Ann Lee","Email":"ann@example.com","Phone":"+1-555-0100","TwitterId":"@ann_lee","UniqueExternalId":"CRM-1"})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.original(), 201);
    EXPECT_EQ(r.message(), "");
    const json::object& contact = r.envelope.at("Contact").as_object();
    EXPECT_GT(contact.at("id").as_int64(), 0);
    EXPECT_EQ(contact.at("name"), "Ann Lee");
    EXPECT_EQ(contact.at("twitter_id"), "ann_lee");
    const auto posts = requests_to("POST", "/api/v2/contacts");
    ASSERT_EQ(posts.size(), 1u);
    EXPECT_EQ(
        json::parse(posts[0].body),
        json::parse(
            R"({"name":"Ann Lee","email":"ann@example.com","phone":"+1-555-0100","twitter_id":"ann_lee","unique_external_id":"CRM-1"})"));
    EXPECT_EQ(header_of(posts[0], "Content-Type"), "application/json");
    EXPECT_EQ(header_of(posts[0], "Authorization").rfind("Basic ", 0), 0u);
    EXPECT_NE(header_of(posts[0], "User-Agent").find("freshdesk-nodes/"), std::string::npos);
}

TEST_F(Operations, GetUpdateAndPermanentlyDeleteAContact) {
    const std::int64_t id = create_contact("bo@example.com");
    Result r = invoke("freshdesk.contact.get", R"({"ContactId":")" + std::to_string(id) + R"("})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.original(), 200);
    EXPECT_EQ(r.envelope.at("Contact").at("email"), "bo@example.com");

    r = invoke("freshdesk.contact.update",
               R"({"ContactId":)" + std::to_string(id) + R"(,"Address":"1 Main St","Phone":"","TwitterId":"  "})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.envelope.at("Updated"), true);
    EXPECT_EQ(r.envelope.at("Contact").at("address"), "1 Main St");
    const auto puts = requests_to("PUT", "/api/v2/contacts/");
    ASSERT_EQ(puts.size(), 1u);
    EXPECT_EQ(json::parse(puts[0].body), json::parse(R"({"address":"1 Main St"})"))
        << "only the fields given, blanks kept";

    r = invoke("freshdesk.contact.delete", R"({"ContactId":)" + std::to_string(id) + "}");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.original(), 204);
    EXPECT_EQ(r.envelope.at("Deleted"), true);
    const auto deletes = requests_to("DELETE", "/api/v2/contacts/");
    ASSERT_EQ(deletes.size(), 1u);
    EXPECT_EQ(deletes[0].path, "/api/v2/contacts/" + std::to_string(id) + "/hard_delete");
    EXPECT_EQ(query_of(deletes[0]).at("force"), "true");

    // Permanent: the contact is gone, not soft-deleted.
    r = invoke("freshdesk.contact.get", R"({"ContactId":)" + std::to_string(id) + "}");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 404);
    EXPECT_EQ(r.envelope.at("Contact"), json::object());
    // Deleting again is safe: a business error, nothing else.
    r = invoke("freshdesk.contact.delete", R"({"ContactId":)" + std::to_string(id) + "}");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 404);
    EXPECT_EQ(r.envelope.at("Deleted"), false);
}

TEST_F(Operations, GetManyContactsPages) {
    for (int i = 0; i < 5; ++i)
        create_contact("c" + std::to_string(i) + "@example.com");
    Result r = invoke("freshdesk.contact.get_many", R"({"Page":1,"PerPage":2})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.envelope.at("Results").as_array().size(), 2u);
    for (const json::value& contact : r.envelope.at("Results").as_array()) {
        EXPECT_EQ(contact.at("company_id"), 0) << "the documented 0 for no company, where Freshdesk sends null";
    }
    EXPECT_EQ(
        r.envelope.at("Pagination"),
        json::parse(
            R"({"current_page":1,"per_page":2,"total_count":2,"has_more":true,"pages_read":1,"limit_reached":false})"));
    const auto lists = requests_to("GET", "/api/v2/contacts");
    ASSERT_FALSE(lists.empty());
    EXPECT_EQ(query_of(lists.back()), (std::map<std::string, std::string>{{"page", "1"}, {"per_page", "2"}}));
    r = invoke("freshdesk.contact.get_many", R"({"Page":3,"PerPage":2})");
    EXPECT_EQ(
        r.envelope.at("Pagination"),
        json::parse(
            R"({"current_page":3,"per_page":2,"total_count":1,"has_more":false,"pages_read":1,"limit_reached":false})"));
    r = invoke("freshdesk.contact.get_many", R"({})");
    EXPECT_EQ(r.envelope.at("Pagination").at("per_page"), 30);
    EXPECT_EQ(r.envelope.at("Pagination").at("has_more"), false);
}

TEST_F(Operations, CreateGetUpdateDeleteATicket) {
    Result r = invoke("freshdesk.ticket.create",
                      R"({"Subject":"Printer on fire","Description":"<p>Help</p>","Email":"new.person@example.com"})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.original(), 201);
    const std::int64_t id = r.envelope.at("TicketId").as_int64();
    EXPECT_GT(id, 0);
    const auto posts = requests_to("POST", "/api/v2/tickets");
    ASSERT_EQ(posts.size(), 1u);
    EXPECT_EQ(
        json::parse(posts[0].body),
        json::parse(
            R"({"source":2,"email":"new.person@example.com","subject":"Printer on fire","description":"<p>Help</p>","priority":2,"status":2})"));

    r = invoke("freshdesk.ticket.get", R"({"TicketId":")" + std::to_string(id) + R"("})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    const json::object& ticket = r.envelope.at("Ticket").as_object();
    EXPECT_EQ(ticket.at("subject"), "Printer on fire");
    EXPECT_EQ(ticket.at("priority"), 2);
    EXPECT_EQ(ticket.at("status"), 2);
    EXPECT_EQ(ticket.at("source"), 2);

    r = invoke(
        "freshdesk.ticket.update",
        R"({"TicketId":)" + std::to_string(id) +
            R"(,"Subject":"","Priority":3,"AdditionalFields":{"priority":1,"tags":["billing"],"type":"Incident"}})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.original(), 200);
    EXPECT_EQ(r.envelope.at("Ticket").at("priority"), 3) << "explicit parameters win";
    EXPECT_EQ(r.envelope.at("Ticket").at("subject"), "Printer on fire") << "empty means keep";
    EXPECT_EQ(r.envelope.at("Ticket").at("tags"), json::parse(R"(["billing"])"));
    const auto puts = requests_to("PUT", "/api/v2/tickets/");
    ASSERT_EQ(puts.size(), 1u);
    EXPECT_EQ(json::parse(puts[0].body), json::parse(R"({"priority":3,"tags":["billing"],"type":"Incident"})"));

    r = invoke("freshdesk.ticket.delete", R"({"TicketId":)" + std::to_string(id) + "}");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.original(), 204);
    EXPECT_EQ(r.envelope.at("Deleted"), true);

    // 405 after delete.
    r = invoke("freshdesk.ticket.update", R"({"TicketId":)" + std::to_string(id) + R"(,"Status":4})");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 405);
    EXPECT_EQ(r.envelope.at("Ticket"), json::object());
    EXPECT_NE(r.message().find("deleted"), std::string::npos) << r.message();
    // Deleting it again: Freshdesk refuses (405), the node reads the ticket, finds it deleted
    // and says so.
    r = invoke("freshdesk.ticket.delete", R"({"TicketId":)" + std::to_string(id) + "}");
    EXPECT_EQ(r.status_code(), 200) << r.text;
    EXPECT_EQ(r.original(), 405);
    EXPECT_EQ(r.message(), "");
    EXPECT_EQ(r.envelope.at("Deleted"), true);
    EXPECT_EQ(r.envelope.at("AlreadyDeleted"), true);
}

TEST_F(Operations, GetManyTicketsFromTheListEndpoint) {
    for (int i = 0; i < 3; ++i)
        create_ticket("T" + std::to_string(i));
    Result r = invoke("freshdesk.ticket.get_many", R"({"PerPage":2})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    ASSERT_EQ(r.envelope.at("Tickets").as_array().size(), 2u);
    EXPECT_TRUE(r.envelope.at("Tickets").as_array()[0].as_object().contains("description"))
        << "Get Many Tickets documents it";
    EXPECT_EQ(
        r.envelope.at("Pagination"),
        json::parse(
            R"({"current_page":1,"per_page":2,"returned_count":2,"has_next_page":true,"total_pages":null,"pages_read":1,"limit_reached":false})"));
    const auto lists = requests_to("GET", "/api/v2/tickets");
    ASSERT_FALSE(lists.empty());
    EXPECT_EQ(query_of(lists.back()),
              (std::map<std::string, std::string>{{"include", "description"}, {"page", "1"}, {"per_page", "2"}}));

    r = invoke("freshdesk.ticket.get_many", R"({"UpdatedSince":"2000-01-01T00:00:00+02:00","Page":2,"PerPage":2})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.envelope.at("Tickets").as_array().size(), 1u);
    EXPECT_EQ(r.envelope.at("Pagination").at("has_next_page"), false);
    EXPECT_EQ(query_of(requests_to("GET", "/api/v2/tickets").back()).at("updated_since"), "1999-12-31T22:00:00Z");
}

// ---------------------------------------------------------------------------------------------
// Freshdesk's refusals

TEST_F(Operations, ValidationErrorsListFieldMessageAndCode) {
    const std::int64_t id = create_ticket();
    const Result r = invoke("freshdesk.ticket.update",
                            R"({"TicketId":)" + std::to_string(id) + R"(,"AdditionalFields":{"no_such_field":1}})");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 400);
    EXPECT_NE(r.message().find("no_such_field"), std::string::npos) << r.message();
    EXPECT_NE(r.message().find("invalid_field"), std::string::npos) << r.message();
}

TEST_F(Operations, WrongKeyIsA401WithAdvice) {
    json::object creds = credentials();
    creds["api_key"] = "wrong-key";
    const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":1})", creds);
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 401);
    EXPECT_NE(r.message().find("API key"), std::string::npos) << r.message();
    EXPECT_EQ(r.message().find("wrong-key"), std::string::npos) << "never the key";
}

TEST_F(Operations, UnknownIdIsA404) {
    const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":999999})");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 404);
    EXPECT_NE(r.message().find("ticket 999999"), std::string::npos) << r.message();
    EXPECT_EQ(r.envelope.at("Ticket"), json::object());
}

TEST_F(Operations, DuplicateContactIsA409NamingTheExistingContact) {
    const std::int64_t id = create_contact("dup@example.com");
    const Result r = invoke("freshdesk.contact.create", R"({"Name":"Other","Email":"dup@example.com"})");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 409);
    EXPECT_NE(r.message().find("email"), std::string::npos) << r.message();
    EXPECT_NE(r.message().find(std::to_string(id)), std::string::npos) << r.message();
    EXPECT_EQ(r.envelope.at("Contact"), json::object());
}

// ---------------------------------------------------------------------------------------------
// Transport: retries, limits, failures

TEST_F(Operations, RateLimitedThenSuccess) {
    const std::int64_t id = create_ticket();
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::rate_limited;
    fault.retry_after_seconds = 1;
    fault.path_prefix = "/api/v2/tickets/";
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":)" + std::to_string(id) + "}");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.original(), 200);
    EXPECT_GE(r.took, 900ms) << "it waited for Retry-After";
    EXPECT_EQ(requests_to("GET", "/api/v2/tickets/").size(), 2u);
}

TEST_F(Operations, RateLimitExhaustedWithinTheDeadline) {
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::rate_limited;
    fault.retry_after_seconds = 1;
    fault.count = 100;
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com"})",
                            credentials(2500));
    EXPECT_EQ(r.status_code(), 500);
    EXPECT_EQ(r.original(), 429);
    EXPECT_NE(r.message().find("rate limit"), std::string::npos) << r.message();
    EXPECT_LT(r.took, 3500ms);
    EXPECT_GE(requests_to("POST", "/api/v2/tickets").size(), 2u) << "a 429 is retried even for POST";
    sandbox().clear_faults();
}

TEST_F(Operations, ServiceUnavailableThenSuccess) {
    const std::int64_t id = create_ticket();
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::status;
    fault.status = 503;
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":)" + std::to_string(id) + "}");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.original(), 200);
    EXPECT_EQ(requests_to("GET", "/api/v2/tickets/").size(), 2u);
}

TEST_F(Operations, ServiceUnavailableOnCreateIsNotRetried) {
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::status;
    fault.status = 503;
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com"})");
    EXPECT_EQ(r.status_code(), 500);
    EXPECT_EQ(r.original(), 503);
    EXPECT_EQ(requests_to("POST", "/api/v2/tickets").size(), 1u);
    EXPECT_NE(r.message().find("may or may not have been created"), std::string::npos) << r.message();
}

TEST_F(Operations, TimeoutEndsTheCallAtTheDeadline) {
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::delay_before_headers;
    fault.delay = 3s;
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":1})", credentials(400));
    EXPECT_EQ(r.status_code(), 500);
    EXPECT_EQ(r.original(), 0);
    EXPECT_NE(r.message().find("400 ms"), std::string::npos) << r.message();
    EXPECT_LT(r.took, 1500ms);
    sandbox().clear_faults();
}

TEST_F(Operations, ResetMidBodyOnCreateIsReportedNotRepeated) {
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::reset_mid_body;
    fault.path_prefix = "/api/v2/tickets";
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com"})");
    EXPECT_EQ(r.status_code(), 500);
    EXPECT_NE(r.message().find("may or may not have been created"), std::string::npos) << r.message();
    EXPECT_EQ(requests_to("POST", "/api/v2/tickets").size(), 1u) << "a POST that may have landed is never repeated";
}

TEST_F(Operations, MalformedJsonIsASystemError) {
    const std::int64_t id = create_ticket();
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::malformed_json;
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":)" + std::to_string(id) + "}");
    EXPECT_EQ(r.status_code(), 500);
    EXPECT_EQ(r.original(), 200);
    EXPECT_NE(r.message().find("could not be read"), std::string::npos) << r.message();
    EXPECT_EQ(r.envelope.at("Ticket"), json::object());
}

// A record's answer goes into the envelope as Freshdesk wrote it: a decimal keeps its digits
// (not 1.25E1) and an integer too large for 64 bits is not rounded to a double; the same answer
// not being a JSON object is still refused.
TEST_F(Operations, AGetAnswerPassesIntoTheEnvelopeAsFreshdeskWroteIt) {
    const std::string body =
        R"({"id":7,"subject":"D\u00e9j\u00e0 vu","custom_fields":{"cf_amount":12.50,"cf_ref":123456789012345678901}})";
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::status;
    fault.status = 200;
    fault.body = body;
    fault.path_prefix = "/api/v2/tickets/7";
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":7})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_NE(r.text.find(R"("Ticket":)" + body), std::string::npos) << r.text;
    EXPECT_EQ(r.envelope.at("Ticket").at("id"), 7);
    EXPECT_EQ(r.envelope.at("Ticket").at("subject"), "D\u00e9j\u00e0 vu");

    fault.body = R"([{"id":7}])";
    sandbox().inject(fault);
    const Result array = invoke("freshdesk.ticket.get", R"({"TicketId":7})");
    EXPECT_EQ(array.status_code(), 500);
    EXPECT_NE(array.message().find("could not be read"), std::string::npos) << array.message();
    EXPECT_EQ(array.envelope.at("Ticket"), json::object());
}

TEST_F(Operations, OversizedBodyIsRefused) {
    fdsandbox::Fault fault;
    fault.kind = fdsandbox::FaultKind::oversized_body;
    fault.size_bytes = (32u << 20) + 1024;
    sandbox().inject(fault);
    const Result r = invoke("freshdesk.ticket.get_many", R"({})");
    EXPECT_EQ(r.status_code(), 500);
    EXPECT_NE(r.message().find("larger than the limit"), std::string::npos) << r.message();
    EXPECT_EQ(r.envelope.at("Tickets"), json::array());
}

TEST_F(Operations, UntrustedCertificateIsRefused) {
    json::object creds = credentials();
    creds.erase("ca_file");
    const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":1})", creds);
    EXPECT_EQ(r.status_code(), 500);
    EXPECT_EQ(r.original(), 0);
    EXPECT_NE(r.message().find("not trusted"), std::string::npos) << r.message();
    EXPECT_NE(r.message().find("Retrying will not help"), std::string::npos) << r.message();
    EXPECT_TRUE(sandbox().requests().empty()) << "no request was sent";
}

TEST_F(Operations, KeepAliveReusesOneConnection) {
    const std::int64_t id = create_ticket();
    const auto before = sandbox().counters();
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(invoke("freshdesk.ticket.get", R"({"TicketId":)" + std::to_string(id) + "}").status_code(), 200);
    }
    const auto after = sandbox().counters();
    EXPECT_LE(after.tls_handshakes - before.tls_handshakes, 1u);
    EXPECT_EQ(after.requests - before.requests, 20u);
}

// ---------------------------------------------------------------------------------------------
// Get Many Tickets with Status/Priority: search, mapped exactly onto the user's pages

TEST_F(Operations, SearchPagesAreExactAcrossAFewHundredTickets) {
    fdsandbox::SeedSpec seed;
    seed.tickets = 400;
    seed.contacts = 20;
    sandbox().reset();
    sandbox().seed(seed);
    for (const auto& [filter, per_page] : std::vector<std::pair<std::string, int>>{
             {R"("Status":2)", 25}, {R"("Priority":3)", 40}, {R"("Status":3,"Priority":1)", 7}}) {
        std::set<std::int64_t> seen;
        std::int64_t total_pages = -1;
        bool beyond = false;
        for (int page = 1; page <= 60; ++page) {
            const Result r = invoke("freshdesk.ticket.get_many", "{" + filter + R"(,"Page":)" + std::to_string(page) +
                                                                     R"(,"PerPage":)" + std::to_string(per_page) + "}");
            ASSERT_EQ(r.status_code(), 200) << r.message();
            if (!r.message().empty()) {
                EXPECT_NE(r.message().find("300"), std::string::npos) << r.message();
                beyond = true;
                break;
            }
            const json::object& pagination = r.envelope.at("Pagination").as_object();
            total_pages = pagination.at("total_pages").as_int64();
            for (const json::value& ticket : r.envelope.at("Tickets").as_array()) {
                const json::object& t = ticket.as_object();
                EXPECT_TRUE(seen.insert(t.at("id").as_int64()).second) << "repeated ticket " << t.at("id");
                if (filter.find("Status") != std::string::npos) {
                    EXPECT_EQ(t.at("status"), filter.find("Status\":2") != std::string::npos ? 2 : 3);
                }
                if (filter.find("Priority\":3") != std::string::npos) {
                    EXPECT_EQ(t.at("priority"), 3);
                }
                if (filter.find("Priority\":1") != std::string::npos) {
                    EXPECT_EQ(t.at("priority"), 1);
                }
            }
            if (!pagination.at("has_next_page").as_bool()) break;
        }
        // Every match was returned once, or the listing stopped exactly at search's window.
        const std::int64_t reachable = static_cast<std::int64_t>(seen.size());
        if (beyond) {
            EXPECT_EQ(reachable, 300 / per_page * per_page) << filter;
        } else {
            EXPECT_EQ(total_pages, (reachable + per_page - 1) / per_page) << filter;
        }
        for (const auto& request : requests_to("GET", "/api/v2/search/tickets")) {
            EXPECT_FALSE(query_of(request).contains("per_page"));
            EXPECT_LE(std::stoi(query_of(request).at("page")), 10);
        }
    }
}

TEST_F(Operations, SearchSaysSoPastItsThreeHundredResults) {
    fdsandbox::SeedSpec seed;
    seed.tickets = 350;
    seed.contacts = 5;
    seed.statuses = {2};
    sandbox().reset();
    sandbox().seed(seed);
    Result r = invoke("freshdesk.ticket.get_many", R"({"Status":2,"Page":3,"PerPage":100})");
    EXPECT_EQ(r.status_code(), 200) << r.message();
    EXPECT_EQ(r.message(), "");
    EXPECT_EQ(r.envelope.at("Tickets").as_array().size(), 100u);
    // The last page search reaches: nothing follows it, and more match than it reaches.
    EXPECT_EQ(r.envelope.at("Pagination").at("has_next_page"), false);
    EXPECT_EQ(r.envelope.at("Pagination").at("total_pages"), 3);
    EXPECT_EQ(r.envelope.at("Pagination").at("limit_reached"), true);

    r = invoke("freshdesk.ticket.get_many", R"({"Status":2,"Page":4,"PerPage":100})");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 200);
    EXPECT_NE(r.message().find("300"), std::string::npos) << r.message();
    EXPECT_NE(r.message().find("301 to 350"), std::string::npos) << r.message();
    EXPECT_EQ(r.envelope.at("Tickets"), json::array()) << "never a silently short page";

    // A page that straddles the window: its reachable part, the last page, the limit reached.
    r = invoke("freshdesk.ticket.get_many", R"({"Status":2,"Page":43,"PerPage":7})");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.message(), "");
    EXPECT_EQ(r.envelope.at("Tickets").as_array().size(), 6u) << "tickets 295 to 300";
    EXPECT_EQ(r.envelope.at("Pagination").at("returned_count"), 6);
    EXPECT_EQ(r.envelope.at("Pagination").at("has_next_page"), false);
    EXPECT_EQ(r.envelope.at("Pagination").at("limit_reached"), true);
}

TEST_F(Operations, PacesItselfToTheRateLimitInsteadOfLosingCalls) {
    const std::int64_t id = create_ticket();
    sandbox().set_rate_limit(4, std::chrono::seconds(1));
    sandbox().clear_requests();
    for (int i = 0; i < 10; ++i) {
        const Result r = invoke("freshdesk.ticket.get", R"({"TicketId":)" + std::to_string(id) + "}");
        EXPECT_EQ(r.status_code(), 200) << i << ": " << r.message();
    }
    // Only the first used-up window costs a 429 (retried, not lost): the pacer learns the window.
    EXPECT_LE(sandbox().requests().size(), 11u);
    sandbox().set_rate_limit(3000, std::chrono::seconds(60));
}

// ---------------------------------------------------------------------------------------------
// Every node of the catalogue, from its record's example: success, 401, 404 where an id is given,
// 429 then success, 503 then success (or, for a node that may create, no retry).

namespace {

void reseed() {
    fdtest::seed_default(sandbox());
}

}  // namespace

TEST(EveryNode, SucceedsAndReportsTheRealStatus) {
    for (const fdtest::NodeCase& c : fdtest::node_cases()) {
        reseed();
        const Result r = invoke(c.id, c.input);
        EXPECT_EQ(r.status_code(), 200) << c.id << ": " << r.text;
        EXPECT_EQ(r.message(), "") << c.id;
        EXPECT_GE(r.original(), 200) << c.id;
        EXPECT_LE(r.original(), 299) << c.id;
    }
}

// Every node that only reads, all run together on this thread (ABI 1.3 run_here_many through
// the C++ helper, four in flight): each envelope is the one the node gives when run alone
// through run_start (but for the rate-limit budget left). A node that creates, changes or deletes is left out: run
// together, their order would decide what the others read.
TEST(EveryNode, ReadNodesRunTogetherOnTheCallersThreadAnswerAsAlone) {
    reseed();
    const std::string credentials = json::serialize(fdtest::credentials_for(sandbox(), 20000));
    std::vector<wfp::Plugin::Call> calls;
    std::vector<std::string> alone;
    std::vector<fdtest::NodeCase> cases;
    for (const fdtest::NodeCase& c : fdtest::node_cases()) {
        if (!(c.flags & WFP_NODE_READ_ONLY) || (c.flags & WFP_NODE_TRIGGER)) continue;
        cases.push_back(c);
    }
    ASSERT_FALSE(cases.empty());
    for (const fdtest::NodeCase& c : cases) {
        alone.push_back(fdtest::invoke(c.id, c.input, credentials).text);
        calls.push_back({c.id, c.input, credentials, {}});
    }
    for (int twice = 0; twice < 2; ++twice) {  // the second time over warm connections
        std::string error;
        ASSERT_TRUE(fdtest::plugin().invoke_many(calls, 4, error)) << error;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            json::object together = json::parse(calls[i].envelope).as_object();
            json::object by_itself = json::parse(alone[i]).as_object();
            EXPECT_EQ(together.at("StatusCode"), 200) << calls[i].envelope;
            for (json::object* envelope : {&together, &by_itself})
                envelope->erase("RateLimitRemaining");  // the account's budget, lower with each call
            EXPECT_EQ(together, by_itself) << cases[i].id;
        }
    }
}

TEST(EveryNode, WrongKeyIs401) {
    json::object creds = credentials();
    creds["api_key"] = "not-the-key";
    for (const fdtest::NodeCase& c : fdtest::node_cases()) {
        const Result r = invoke(c.id, c.input, creds);
        EXPECT_EQ(r.status_code(), 200) << c.id;
        EXPECT_EQ(r.original(), 401) << c.id << ": " << r.text;
        EXPECT_NE(r.message().find("subdomain"), std::string::npos) << r.message();
    }
}

TEST(EveryNode, UnknownIdIs404) {
    reseed();
    for (const fdtest::NodeCase& c : fdtest::node_cases()) {
        if (c.missing_input.empty()) continue;
        const Result r = invoke(c.id, c.missing_input);
        EXPECT_EQ(r.status_code(), 200) << c.id;
        EXPECT_EQ(r.original(), 404) << c.id << ": " << r.text;
        EXPECT_FALSE(r.message().empty());
    }
}

TEST(EveryNode, RateLimitedOnceThenSuccess) {
    for (const fdtest::NodeCase& c : fdtest::node_cases()) {
        reseed();
        fdsandbox::Fault fault;
        fault.kind = fdsandbox::FaultKind::rate_limited;
        fault.retry_after_seconds = 0;  // "now": no need to make the suite wait
        sandbox().inject(fault);
        const Result r = invoke(c.id, c.input);
        EXPECT_EQ(r.status_code(), 200) << c.id << ": " << r.text;
        EXPECT_GE(sandbox().requests().size(), 2u) << c.id;
    }
}

TEST(EveryNode, ServiceUnavailableOnceThenSuccessUnlessItCreates) {
    for (const fdtest::NodeCase& c : fdtest::node_cases()) {
        reseed();
        fdsandbox::Fault fault;
        fault.kind = fdsandbox::FaultKind::status;
        fault.status = 503;
        fault.method = c.creates() ? "POST" : "";
        sandbox().inject(fault);
        const Result r = invoke(c.id, c.input);
        if (c.creates()) {
            EXPECT_EQ(r.status_code(), 500) << c.id;
            EXPECT_EQ(r.original(), 503);
            std::size_t posts = 0;
            for (const auto& request : sandbox().requests())
                posts += request.method == "POST" ? 1 : 0;
            EXPECT_EQ(posts, 1u) << "a POST is not repeated";
        } else {
            EXPECT_EQ(r.status_code(), 200) << c.id << ": " << r.text;
            EXPECT_GE(sandbox().requests().size(), 2u) << c.id;
        }
    }
}
