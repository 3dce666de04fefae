// HTTPS on loopback (own CA, keep-alive) and the cross-cutting behaviour of docs/freshdesk.md
// ("Accounts, base URL and authentication", "Errors"): hosts, authentication, the check order,
// request-level errors, the common response headers; robustness against hostile clients; the
// request log.
#include "sandbox_fixture.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace sandbox_test {
namespace {

using fdtest::ClientError;
using fdtest::HttpsClient;
using fdtest::Response;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class Protocol : public SandboxTest {
  protected:
    HttpsClient anonymous() { return HttpsClient(client_options(*sandbox, false)); }

    Response with_host(const std::string& host, const std::string& target = "/api/v2/tickets") {
        return client->request("GET", target, {}, {{"Host", host}});
    }
};

// ---- HTTPS with its own CA -------------------------------------------------------------------

TEST_F(Protocol, StartsOnAnEphemeralLoopbackPortAndWritesTheCaFile) {
    EXPECT_NE(sandbox->port(), 0);
    EXPECT_EQ(sandbox->base_url(), "https://127.0.0.1:" + std::to_string(sandbox->port()));
    EXPECT_EQ(sandbox->api_key(), "sandbox-api-key");
    EXPECT_EQ(sandbox->domain(), "sandbox");
    EXPECT_EQ(sandbox->control_port(), 0);
    EXPECT_EQ(sandbox->control_url(), "");
    const std::string ca = read_file(sandbox->ca_file());
    EXPECT_NE(ca.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_EQ(ca.find("PRIVATE KEY"), std::string::npos) << "only the CA certificate goes to disk";
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
}

TEST_F(Protocol, CertificateIsValidForLocalhostToo) {
    fdtest::ClientOptions options = client_options(*sandbox);
    options.server_name = "localhost";
    HttpsClient by_name(options);
    EXPECT_EQ(by_name.get("/api/v2/tickets").status, 200);
}

TEST_F(Protocol, ClientsThatDoNotTrustTheCaAreRefused) {
    fdtest::ClientOptions options = client_options(*sandbox);
    options.ca_file.clear();  // the system's CAs only
    HttpsClient stranger(options);
    try {
        stranger.get("/api/v2/tickets");
        FAIL() << "the handshake should fail";
    } catch (const ClientError& error) {
        EXPECT_EQ(error.stage(), ClientError::Stage::handshake);
    }
    EXPECT_EQ(get("/api/v2/tickets").status, 200) << "still serving";
}

TEST_F(Protocol, HostNameVerificationFailsForNamesOutsideTheSan) {
    fdtest::ClientOptions options = client_options(*sandbox);
    options.server_name = "acme.freshdesk.com";
    HttpsClient wrong_name(options);
    EXPECT_THROW(wrong_name.get("/api/v2/tickets"), ClientError);
}

TEST_F(Protocol, RefusesTlsBelow12) {
    fdtest::ClientOptions options = client_options(*sandbox);
    options.max_tls_version = 0x0302;  // TLS 1.1
    HttpsClient old(options);
    EXPECT_THROW(old.get("/api/v2/tickets"), ClientError);
    options.max_tls_version = 0x0303;  // TLS 1.2
    HttpsClient tls12(options);
    EXPECT_EQ(tls12.get("/api/v2/tickets").status, 200);
}

TEST_F(Protocol, KeepAliveCarriesManyRequestsOnOneConnection) {
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(get("/api/v2/tickets").status, 200);
    const fdsandbox::Counters counters = sandbox->counters();
    EXPECT_EQ(counters.connections_accepted, 1u);
    EXPECT_EQ(counters.tls_handshakes, 1u);
    EXPECT_EQ(counters.requests, 5u);
    EXPECT_GT(counters.bytes_received, 5u * 20);
    EXPECT_GT(counters.bytes_sent, 5u * 100);
    const std::vector<fdsandbox::RecordedRequest> log = sandbox->requests();
    ASSERT_EQ(log.size(), 5u);
    for (const auto& request : log)
        EXPECT_EQ(request.connection_id, log.front().connection_id);
    EXPECT_EQ(client->connections_opened(), 1u);
}

TEST_F(Protocol, ConnectionCloseIsHonoured) {
    fdtest::ClientOptions options = client_options(*sandbox);
    options.keep_alive = false;
    HttpsClient closing(options);
    for (int i = 0; i < 3; ++i) {
        const Response response = closing.get("/api/v2/tickets");
        EXPECT_EQ(response.status, 200);
        EXPECT_FALSE(response.keep_alive);
        EXPECT_EQ(response.header("Connection"), "close");
    }
    EXPECT_EQ(sandbox->counters().connections_accepted, 3u);
    EXPECT_EQ(sandbox->counters().tls_handshakes, 3u);
}

class CustomCertificate : public SandboxTest {
  protected:
    fdsandbox::Config make_config() override {
        fdsandbox::Config config;
        config.certificate_hosts = {"127.0.0.1", "sandbox.test"};
        config.ca_file =
            std::filesystem::temp_directory_path() / ("fd-sandbox-test-ca-" + std::to_string(::getpid()) + ".pem");
        return config;
    }
    void TearDown() override {
        SandboxTest::TearDown();
        std::filesystem::remove(sandbox->ca_file());
    }
};

TEST_F(CustomCertificate, UsesTheChosenSanAndCaPath) {
    EXPECT_EQ(sandbox->ca_file(), make_config().ca_file);
    EXPECT_TRUE(std::filesystem::exists(sandbox->ca_file()));
    fdtest::ClientOptions options = client_options(*sandbox);
    options.server_name = "sandbox.test";
    HttpsClient named(options);
    EXPECT_EQ(named.get("/api/v2/tickets").status, 200);
    options.server_name = "localhost";  // not in this certificate
    HttpsClient unnamed(options);
    EXPECT_THROW(unnamed.get("/api/v2/tickets"), ClientError);
}

// ---- hosts (the check order's first step) ---------------------------------------------------

TEST_F(Protocol, AcceptsLoopbackAndTheAccountHost) {
    const std::string port = std::to_string(sandbox->port());
    EXPECT_EQ(with_host("127.0.0.1:" + port).status, 200);
    EXPECT_EQ(with_host("127.0.0.1").status, 200);
    EXPECT_EQ(with_host("localhost:" + port).status, 200);
    EXPECT_EQ(with_host("sandbox.freshdesk.com").status, 200);
    EXPECT_EQ(with_host("SANDBOX.freshdesk.com:443").status, 200);
}

TEST_F(Protocol, AnUnknownAccountIsABare404BeforeTheRateLimit) {
    const Response before = get("/api/v2/tickets");
    const Response response = with_host("nosuch.freshdesk.com");
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.body, " ");
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    EXPECT_FALSE(response.has_header("X-Freshdesk-API-Version"));
    EXPECT_FALSE(response.has_header("X-RateLimit-Remaining"));
    EXPECT_TRUE(response.has_header("X-Request-Id"));
    const Response after = get("/api/v2/tickets");
    EXPECT_EQ(std::stoll(before.header("X-RateLimit-Remaining")) - 1, std::stoll(after.header("X-RateLimit-Remaining")))
        << "the unknown account's request is not counted";
    EXPECT_EQ(with_host("example.com").status, 404);
    EXPECT_EQ(with_host("example.com").body, " ");
}

TEST_F(Protocol, LocationAndLinkPointBackAtTheRequestsHost) {
    const Response created = client->post_json("/api/v2/contacts", R"({"name":"Ann","email":"ann@example.com"})",
                                               {{"Host", "sandbox.freshdesk.com"}});
    ASSERT_EQ(created.status, 201);
    const std::int64_t id = parse_json(created.body).at("id").as_int64();
    EXPECT_EQ(created.header("Location"), "https://sandbox.freshdesk.com/api/v2/contacts/" + std::to_string(id));
    const std::string host = "127.0.0.1:" + std::to_string(sandbox->port());
    const Response created_again =
        client->post_json("/api/v2/contacts", R"({"name":"Bob","email":"bob@example.com"})", {{"Host", host}});
    EXPECT_EQ(created_again.header("Location"), "https://" + host + "/api/v2/contacts/" + std::to_string(id + 1));
}

// ---- authentication ---------------------------------------------------------------------------

TEST_F(Protocol, MissingCredentialsAre401) {
    HttpsClient nobody = anonymous();
    expect_request_error(nobody.get("/api/v2/tickets"), 401, "invalid_credentials",
                         "You have to be logged in to perform this action.");
}

TEST_F(Protocol, AWrongKeyIs401AndThePasswordIsIgnored) {
    HttpsClient nobody = anonymous();
    expect_request_error(
        nobody.get("/api/v2/tickets", {{"Authorization", fdtest::basic_authorization("not-the-key", "X")}}), 401,
        "invalid_credentials", "You have to be logged in to perform this action.");
    EXPECT_EQ(nobody.get("/api/v2/tickets", {{"Authorization", fdtest::basic_authorization(sandbox->api_key(), "any")}})
                  .status,
              200);
    EXPECT_EQ(
        nobody.get("/api/v2/tickets", {{"Authorization", fdtest::basic_authorization(sandbox->api_key(), "")}}).status,
        200);
}

TEST_F(Protocol, EmailLoginsAndMalformedHeadersAre401) {
    HttpsClient nobody = anonymous();
    EXPECT_EQ(nobody.get("/api/v2/tickets", {{"Authorization", fdtest::basic_authorization("agent@example.com", "pw")}})
                  .status,
              401);
    EXPECT_EQ(nobody.get("/api/v2/tickets", {{"Authorization", "Basic %%%%"}}).status, 401);
    EXPECT_EQ(nobody.get("/api/v2/tickets", {{"Authorization", "Bearer " + sandbox->api_key()}}).status, 401);
}

// ---- routes and the check order ---------------------------------------------------------------

TEST_F(Protocol, UnknownRoutesAreABare404WithRateLimitHeaders) {
    for (const char* target :
         {"/api/v2/nothing", "/api/v2/tickets/1/nothing", "/", "/api/tickets", "/api/v2/contacts/1/make_agent"}) {
        const Response response = get(target);
        EXPECT_EQ(response.status, 404) << target;
        EXPECT_EQ(response.body, " ") << target;
        EXPECT_TRUE(response.has_header("X-RateLimit-Remaining")) << target;
        EXPECT_FALSE(response.has_header("X-Freshdesk-API-Version")) << target;
    }
}

TEST_F(Protocol, AWrongVerbIs405WithAllowAndNeedsNoAuthentication) {
    HttpsClient nobody = anonymous();
    const Response item = nobody.request("PATCH", "/api/v2/tickets/1");
    EXPECT_EQ(item.status, 405);
    EXPECT_EQ(item.header("Allow"), "GET, PUT, DELETE");
    EXPECT_EQ(
        parse_json(item.body),
        parse_json(
            R"({"message":"PATCH method is not allowed. It should be one of these method(s): GET, PUT, DELETE"})"));
    const Response collection = nobody.request("DELETE", "/api/v2/contacts");
    EXPECT_EQ(collection.status, 405);
    EXPECT_EQ(collection.header("Allow"), "GET, POST");
    EXPECT_EQ(nobody.request("GET", "/api/v2/tickets/1/restore").header("Allow"), "PUT");
    EXPECT_EQ(nobody.request("GET", "/api/v2/contacts/1/hard_delete").header("Allow"), "DELETE");
    EXPECT_EQ(nobody.request("POST", "/api/v2/search/tickets").header("Allow"), "GET");
}

TEST_F(Protocol, AJsonSuffixIsAcceptedOtherSuffixesAreNot) {
    sandbox->seed({.contacts = 1, .tickets = 1});
    EXPECT_EQ(get("/api/v2/tickets/1.json").status, 200);
    EXPECT_EQ(get("/api/v2/tickets.json").status, 200);
    EXPECT_EQ(get("/api/v2/tickets/1.js").status, 404);
}

TEST_F(Protocol, AuthenticationComesBeforeLoadingTheObject) {
    HttpsClient nobody = anonymous();
    EXPECT_EQ(nobody.get("/api/v2/tickets/999").status, 401);
    EXPECT_EQ(get("/api/v2/tickets/999").status, 404);
    EXPECT_EQ(get("/api/v2/tickets/999").body, " ");
    EXPECT_EQ(get("/api/v2/tickets/abc").status, 404);
}

TEST_F(Protocol, ABodyThatIsNotJsonIs415BeforeAuthentication) {
    HttpsClient nobody = anonymous();
    expect_request_error(nobody.request("POST", "/api/v2/tickets", "subject=x", {{"Content-Type", "text/plain"}}), 415,
                         "invalid_content_type",
                         "Content-Type header is set to text/plain. It should be set to application/json");
}

TEST_F(Protocol, MiddlewareErrorsSayPlainApplicationJson) {
    EXPECT_EQ(post("/api/v2/tickets", "{bad").header("Content-Type"), "application/json");
    EXPECT_EQ(client->get("/api/v2/tickets", {{"Accept", "text/xml"}}).header("Content-Type"), "application/json");
    EXPECT_EQ(get("/api/v2/tickets?x=%G0").header("Content-Type"), "application/json");
    EXPECT_EQ(client->request("GET", "/api/v2/tickets", {}, {{"Authorization", "Basic eA=="}}).header("Content-Type"),
              "application/json; charset=utf-8")
        << "the application's own errors carry the charset";
}

TEST_F(Protocol, ExpectContinueGetsAnInterimAnswer) {
    const std::string body = R"({"name":"Ann","email":"ann@example.com"})";
    const std::string request = "POST /api/v2/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " +
                                fdtest::basic_authorization(sandbox->api_key(), "X") +
                                "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nConnection: close\r\n"
                                "Content-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    const std::string answer = client->send_raw(request, std::chrono::milliseconds(3000));
    EXPECT_EQ(answer.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n", 0), 0u) << answer;
}

TEST_F(Protocol, CreateAndUpdateWantJson) {
    expect_request_error(client->request("POST", "/api/v2/contacts"), 415, "invalid_content_type",
                         "Content-Type header is set to . It should be set to application/json");
    expect_request_error(client->request("PUT", "/api/v2/tickets/1", "status=2",
                                         {{"Content-Type", "application/x-www-form-urlencoded"}}),
                         415, "invalid_content_type",
                         "Content-Type header is set to application/x-www-form-urlencoded. It should be set to "
                         "application/json");
}

TEST_F(Protocol, AnUnacceptableAcceptIs406) {
    HttpsClient nobody = anonymous();
    expect_request_error(nobody.get("/api/v2/tickets", {{"Accept", "application/xml"}}), 406, "invalid_accept_header",
                         "Accept header is set to application/xml. It should have application/json or */*");
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
    EXPECT_EQ(client->get("/api/v2/tickets", {{"Accept", "*/*"}}).status, 200);
    EXPECT_EQ(client->get("/api/v2/tickets", {{"Accept", "application/vnd.freshdesk.v2"}}).status, 200);
    EXPECT_EQ(client->get("/api/v2/tickets", {{"Accept", "text/html, application/json;q=0.9"}}).status, 200);
}

TEST_F(Protocol, ContentTypeIsCheckedBeforeAccept) {
    const Response response = client->request("POST", "/api/v2/tickets", "x",
                                              {{"Content-Type", "text/plain"}, {"Accept", "application/xml"}});
    EXPECT_EQ(response.status, 415);
}

TEST_F(Protocol, UnparsableJsonIs400BeforeAuthentication) {
    HttpsClient nobody = anonymous();
    expect_request_error(nobody.post_json("/api/v2/contacts", "{\"name\": "), 400, "invalid_json",
                         "Request body has invalid json format");
    expect_request_error(post("/api/v2/tickets", "not json"), 400, "invalid_json",
                         "Request body has invalid json format");
}

TEST_F(Protocol, AJsonBodyThatIsNotAnObjectIsAnInvalidField) {
    expect_error(post("/api/v2/contacts", "[1,2]"), 400, "_json", "invalid_field",
                 "Unexpected/invalid field in request");
}

TEST_F(Protocol, BadPercentEncodingIs400InvalidEncoding) {
    expect_request_error(get("/api/v2/tickets?email=%ZZ"), 400, "invalid_encoding",
                         "Url query string received is email=%ZZ. It should be properly encoded.");
}

TEST_F(Protocol, AnEmptyUpdateIs400MissingParams) {
    sandbox->seed({.contacts = 1, .tickets = 1});
    const std::string message = "Your update call does not have any parameter. Atleast one parameter is required.";
    expect_request_error(put("/api/v2/tickets/1", "{}"), 400, "missing_params", message);
    expect_request_error(client->request("PUT", "/api/v2/tickets/1", "", {{"Content-Type", "application/json"}}), 400,
                         "missing_params", message);
    const std::int64_t contact = create_contact(R"({"name":"Ann","email":"ann@example.com"})");
    expect_request_error(put("/api/v2/contacts/" + std::to_string(contact), "{}"), 400, "missing_params", message);
}

// ---- response headers -------------------------------------------------------------------------

TEST_F(Protocol, EveryAnswerCarriesTheFreshdeskHeaders) {
    const Response response = get("/api/v2/tickets");
    EXPECT_EQ(response.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_TRUE(std::regex_match(response.header("X-Request-Id"), std::regex("[0-9a-f]{32}")))
        << response.header("X-Request-Id");
    EXPECT_NE(response.header("X-Request-Id"), get("/api/v2/tickets").header("X-Request-Id"));
    EXPECT_EQ(response.header("X-RateLimit-Total"), "1000000");
    EXPECT_EQ(response.header("X-RateLimit-Remaining"), "999999");
    EXPECT_EQ(response.header("X-RateLimit-Used-CurrentRequest"), "1");
    EXPECT_EQ(response.header("X-Freshdesk-API-Version"), "latest=v2; requested=v2");
    EXPECT_EQ(response.header("Cache-Control"), "no-cache, no-store, max-age=0, must-revalidate");
    EXPECT_EQ(response.header("Pragma"), "no-cache");
    EXPECT_EQ(response.header("Expires"), "Wed, 13 Oct 2010 00:00:00 UTC");

    const Response error = post("/api/v2/tickets", "{}");  // 400 carries them too
    EXPECT_EQ(error.status, 400);
    EXPECT_TRUE(error.has_header("X-RateLimit-Remaining"));
    EXPECT_EQ(error.header("X-Freshdesk-API-Version"), "latest=v2; requested=v2");
}

TEST_F(Protocol, A204HasNoBodyAndNoContentType) {
    sandbox->seed({.contacts = 1, .tickets = 1});
    const Response response = del("/api/v2/tickets/1");
    EXPECT_EQ(response.status, 204);
    EXPECT_EQ(response.body, "");
    EXPECT_FALSE(response.has_header("Content-Type"));
    EXPECT_TRUE(response.has_header("X-RateLimit-Remaining"));
}

// ---- robustness -----------------------------------------------------------------------------

TEST_F(Protocol, GarbageOverTlsGetsA400AndTheServerCarriesOn) {
    const std::string answer = client->send_raw("\x01\x02 NOT HTTP\r\n\r\n", std::chrono::milliseconds(2000));
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
}

TEST_F(Protocol, PlainHttpOnTheTlsPortIsDroppedAndTheServerCarriesOn) {
    fdtest::ClientOptions options = client_options(*sandbox);
    options.tls = false;
    HttpsClient plain(options);
    EXPECT_THROW(plain.get("/api/v2/tickets"), ClientError);
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
}

TEST_F(Protocol, AHalfSentRequestThenCloseIsHarmless) {
    client->send_raw("GET /api/v2/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n{\"a\"",
                     std::chrono::milliseconds(50));
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
}

class SmallLimits : public SandboxTest {
  protected:
    fdsandbox::Config make_config() override {
        fdsandbox::Config config;
        config.max_request_body_bytes = 1024;
        config.idle_timeout = std::chrono::milliseconds(300);
        return config;
    }
};

TEST_F(SmallLimits, ABodyOverTheLimitIs413) {
    const std::string big = R"({"name":")" + std::string(2000, 'x') + R"("})";
    try {
        const Response response = post("/api/v2/contacts", big);
        EXPECT_EQ(response.status, 413);
        EXPECT_FALSE(response.keep_alive);
    } catch (const ClientError& error) {
        // The server may close before the whole body was written.
        EXPECT_EQ(error.status_received(), 0) << error.what();
    }
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
}

TEST_F(SmallLimits, AnIdleOrStalledConnectionIsClosedAfterTheIdleTimeout) {
    const auto started = std::chrono::steady_clock::now();
    const std::string answer =
        client->send_raw("GET /api/v2/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n", std::chrono::milliseconds(5000));
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(answer, "");
    EXPECT_LT(waited, std::chrono::milliseconds(4000)) << "the server, not the client's 5 s, ended the wait";
}

TEST_F(Protocol, StopClosesConnectionsAndIsIdempotent) {
    ASSERT_EQ(get("/api/v2/tickets").status, 200);
    sandbox->stop();
    EXPECT_THROW(get("/api/v2/tickets"), ClientError);
    sandbox->stop();
    HttpsClient late(client_options(*sandbox));
    EXPECT_THROW(late.get("/api/v2/tickets"), ClientError);
}

TEST_F(Protocol, ManyConcurrentClientsAreServed) {
    sandbox->seed({.contacts = 2, .tickets = 3});
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            HttpsClient own(client_options(*sandbox));
            for (int i = 0; i < 20; ++i)
                ok += own.get("/api/v2/tickets/1").status == 200 ? 1 : 0;
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    EXPECT_EQ(ok.load(), 160);
    EXPECT_EQ(sandbox->counters().connections_accepted, 8u);
}

// ---- the request log ------------------------------------------------------------------------

TEST_F(Protocol, RequestsRecordsEverythingReadInOrder) {
    HttpsClient nobody = anonymous();
    nobody.get("/api/v2/tickets?updated_since=2024-01-01T00%3A00%3A00Z&per_page=5");
    post("/api/v2/contacts", R"({"name":"Ann","email":"ann@example.com"})");
    client->request("GET", "/api/v2/tickets", {}, {{"Host", "nosuch.freshdesk.com"}});
    const std::vector<fdsandbox::RecordedRequest> log = sandbox->requests();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].method, "GET");
    EXPECT_EQ(log[0].path, "/api/v2/tickets");
    EXPECT_EQ(log[0].query, "updated_since=2024-01-01T00%3A00%3A00Z&per_page=5");
    EXPECT_EQ(log[0].target, "/api/v2/tickets?updated_since=2024-01-01T00%3A00%3A00Z&per_page=5");
    EXPECT_EQ(log[1].method, "POST");
    EXPECT_EQ(log[1].body, R"({"name":"Ann","email":"ann@example.com"})");
    bool saw_authorization = false;
    for (const auto& [name, value] : log[1].headers)
        saw_authorization = saw_authorization || (name == "Authorization" && value.rfind("Basic ", 0) == 0);
    EXPECT_TRUE(saw_authorization);
    EXPECT_EQ(log[2].path, "/api/v2/tickets") << "rejected requests are recorded too";
    sandbox->clear_requests();
    EXPECT_TRUE(sandbox->requests().empty());
}

TEST_F(Protocol, ResetEmptiesDataCountersAndTheLog) {
    const std::int64_t first = create_contact(R"({"name":"Ann","email":"ann@example.com"})");
    create_ticket(R"({"subject":"S","description":"D","email":"ann@example.com","status":2,"priority":1})");
    sandbox->reset();
    EXPECT_EQ(sandbox->counters().requests, 0u);
    EXPECT_TRUE(sandbox->requests().empty());
    EXPECT_EQ(get("/api/v2/contacts").body, "[]");
    EXPECT_EQ(create_contact(R"({"name":"Ann","email":"ann@example.com"})"), first) << "ids start again";
    EXPECT_EQ(create_ticket(R"({"subject":"S","description":"D","email":"ann@example.com","status":2,"priority":1})"),
              1);
}

}  // namespace
}  // namespace sandbox_test

namespace sandbox_test {
namespace {

class MultiThreaded : public SandboxTest {
  protected:
    fdsandbox::Config make_config() override {
        fdsandbox::Config config;
        config.threads = 3;
        config.rate_limit_budget = 1000000;
        return config;
    }
};

TEST_F(MultiThreaded, ConcurrentWritesAndReadsStayConsistent) {
    std::vector<std::thread> threads;
    std::atomic<int> created{0};
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            fdtest::HttpsClient own(client_options(*sandbox));
            for (int i = 0; i < 15; ++i) {
                const std::string email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
                const fdtest::Response response = own.post_json(
                    "/api/v2/tickets",
                    R"({"subject":"S","description":"D","status":2,"priority":1,"email":")" + email + R"("})");
                created += response.status == 201 ? 1 : 0;
                own.get("/api/v2/tickets?per_page=5");
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    EXPECT_EQ(created.load(), 90);
    const fdtest::Response last = get("/api/v2/tickets/90");
    EXPECT_EQ(last.status, 200);
    EXPECT_EQ(get("/api/v2/tickets/91").status, 404) << "ids are dense: no id was handed out twice";
    EXPECT_EQ(sandbox->counters().requests, 182u);
    EXPECT_EQ(sandbox->requests().size(), 182u);
}

}  // namespace
}  // namespace sandbox_test
