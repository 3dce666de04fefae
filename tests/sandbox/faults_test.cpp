// Fault injection: every kind, its filters and counts, the order faults are used
// in, whether the request was carried out, and that faulted requests are still recorded.
#include "sandbox_fixture.hpp"

#include <functional>
#include <thread>

namespace sandbox_test {
namespace {

using fdsandbox::Fault;
using fdsandbox::FaultKind;
using fdtest::ClientError;
using fdtest::Response;
using namespace std::chrono_literals;

constexpr const char* kTicket = R"({"subject":"S","description":"D","email":"a@example.com","status":2,"priority":1})";

Fault fault(FaultKind kind) {
    Fault made;
    made.kind = kind;
    return made;
}

class Faults : public SandboxTest {
  protected:
    void SetUp() override {
        SandboxTest::SetUp();
        sandbox->seed({.contacts = 2, .tickets = 3, .days_back = 5});
        plain_ticket = get("/api/v2/tickets/1").body;
    }

    // The failure a request ends in; fails the test when it succeeds.
    ClientError failure_of(const std::function<Response()>& call) {
        try {
            const Response response = call();
            ADD_FAILURE() << "expected a failure, got " << response.status;
        } catch (const ClientError& error) {
            return error;
        }
        return ClientError(ClientError::Stage::read, {}, 0, "none");
    }

    std::string plain_ticket;
};

TEST_F(Faults, DelayBeforeHeadersThenANormalAnswer) {
    Fault delay = fault(FaultKind::delay_before_headers);
    delay.delay = 60ms;
    sandbox->inject(delay);
    const auto started = std::chrono::steady_clock::now();
    const Response response = get("/api/v2/tickets/1");
    EXPECT_GE(std::chrono::steady_clock::now() - started, 60ms);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(parse_json(response.body), parse_json(plain_ticket));
    EXPECT_EQ(sandbox->pending_faults(), 0u);
}

TEST_F(Faults, SlowBodyDripsTheWholeBody) {
    Fault slow = fault(FaultKind::slow_body);
    slow.chunk_bytes = 300;
    slow.delay = 5ms;
    sandbox->inject(slow);
    const auto started = std::chrono::steady_clock::now();
    const Response response = get("/api/v2/tickets/1");
    EXPECT_GE(std::chrono::steady_clock::now() - started, 5ms * (plain_ticket.size() / 300));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(parse_json(response.body), parse_json(plain_ticket));
    EXPECT_EQ(get("/api/v2/tickets/1").status, 200) << "the connection is still usable";
}

TEST_F(Faults, ASlowBodyTripsAShortClientTimeout) {
    Fault slow = fault(FaultKind::slow_body);
    slow.chunk_bytes = 1;
    slow.delay = 20ms;
    sandbox->inject(slow);
    fdtest::ClientOptions options = client_options(*sandbox);
    options.timeout = 150ms;
    fdtest::HttpsClient impatient(options);
    const ClientError error = failure_of([&] { return impatient.get("/api/v2/tickets/1"); });
    EXPECT_EQ(error.stage(), ClientError::Stage::read);
    EXPECT_EQ(error.status_received(), 200) << "the headers came";
}

TEST_F(Faults, ResetMidBodyAfterTheCreateWasCarriedOut) {
    Fault reset = fault(FaultKind::reset_mid_body);
    reset.method = "POST";
    reset.path_prefix = "/api/v2/tickets";
    sandbox->inject(reset);
    const ClientError error = failure_of([&] { return post("/api/v2/tickets", kTicket); });
    EXPECT_EQ(error.stage(), ClientError::Stage::read);
    EXPECT_EQ(error.status_received(), 201);
    EXPECT_EQ(get("/api/v2/tickets/4").status, 200) << "the ticket exists although the answer was lost";
    EXPECT_EQ(sandbox->requests().back().method, "GET");
    EXPECT_EQ(sandbox->requests()[sandbox->requests().size() - 2].body, kTicket) << "the faulted POST is recorded";
}

TEST_F(Faults, ResetMidBodyWithoutCarryingOutTheRequest) {
    Fault reset = fault(FaultKind::reset_mid_body);
    reset.process_request = 0;
    sandbox->inject(reset);
    EXPECT_THROW(post("/api/v2/tickets", kTicket), ClientError);
    EXPECT_EQ(get("/api/v2/tickets/4").status, 404);
}

TEST_F(Faults, ShortBodyAnnouncesMoreThanItSends) {
    Fault short_body = fault(FaultKind::short_body);
    short_body.size_bytes = 10;
    sandbox->inject(short_body);
    const ClientError error = failure_of([&] { return get("/api/v2/tickets/1"); });
    EXPECT_EQ(error.stage(), ClientError::Stage::read);
    EXPECT_EQ(error.status_received(), 200);
    EXPECT_EQ(get("/api/v2/tickets/1").status, 200);
}

TEST_F(Faults, MalformedJsonIsAnsweredAfterTheWorkIsDone) {
    sandbox->inject(fault(FaultKind::malformed_json));
    const Response response = post("/api/v2/tickets", kTicket);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_THROW(parse_json(response.body), std::exception) << response.body;
    EXPECT_EQ(get("/api/v2/tickets/4").status, 200);

    Fault custom = fault(FaultKind::malformed_json);
    custom.status = 201;
    custom.body = "{\"id\":";
    sandbox->inject(custom);
    const Response chosen = get("/api/v2/tickets/1");
    EXPECT_EQ(chosen.status, 201);
    EXPECT_EQ(chosen.body, "{\"id\":");
}

TEST_F(Faults, Status503OnceThenSuccessWithoutCarryingOutTheRequest) {
    Fault unavailable = fault(FaultKind::status);
    unavailable.status = 503;
    sandbox->inject(unavailable);
    const Response failed = post("/api/v2/tickets", kTicket);
    EXPECT_EQ(failed.status, 503);
    EXPECT_NE(failed.body.find("503 Service Temporarily Unavailable"), std::string::npos);
    EXPECT_EQ(failed.header("Content-Type"), "text/html");
    EXPECT_EQ(get("/api/v2/tickets/4").status, 404) << "the create never happened";
    EXPECT_EQ(post("/api/v2/tickets", kTicket).status, 201);
}

TEST_F(Faults, StatusDefaultsAndCustomBodies) {
    sandbox->inject(fault(FaultKind::status));
    const Response internal = get("/api/v2/tickets/1");
    EXPECT_EQ(internal.status, 500);
    EXPECT_EQ(parse_json(internal.body),
              parse_json(R"({"code":"internal_error","message":"We're sorry, but something went wrong."})"));
    Fault gateway = fault(FaultKind::status);
    gateway.status = 502;
    sandbox->inject(gateway);
    const Response bad_gateway = get("/api/v2/tickets/1");
    EXPECT_EQ(bad_gateway.status, 502);
    EXPECT_NE(bad_gateway.body.find("502 Bad Gateway"), std::string::npos);
    Fault custom = fault(FaultKind::status);
    custom.status = 500;
    custom.body = R"({"message":"boom"})";
    sandbox->inject(custom);
    const Response boom = get("/api/v2/tickets/1");
    EXPECT_EQ(boom.body, R"({"message":"boom"})");
    EXPECT_EQ(boom.header("Content-Type"), "application/json; charset=utf-8");

    Fault processed = fault(FaultKind::status);
    processed.status = 503;
    processed.process_request = 1;
    sandbox->inject(processed);
    EXPECT_EQ(post("/api/v2/tickets", kTicket).status, 503);
    EXPECT_EQ(get("/api/v2/tickets/4").status, 200) << "carried out, then answered 503";
}

TEST_F(Faults, RateLimitedWithAChosenRetryAfterThenSuccess) {
    Fault throttled = fault(FaultKind::rate_limited);
    throttled.retry_after_seconds = 1;
    sandbox->inject(throttled);
    const Response first = get("/api/v2/tickets/1");
    EXPECT_EQ(first.status, 429);
    EXPECT_EQ(first.header("Retry-After"), "1");
    EXPECT_EQ(first.body, R"({"message":"You have exceeded the limit of requests per minute"})");
    EXPECT_FALSE(first.has_header("X-RateLimit-Remaining"));
    EXPECT_EQ(get("/api/v2/tickets/1").status, 200);
}

TEST_F(Faults, CloseWithoutAResponse) {
    sandbox->inject(fault(FaultKind::close_without_response));
    const ClientError error = failure_of([&] { return post("/api/v2/tickets", kTicket); });
    EXPECT_EQ(error.stage(), ClientError::Stage::read);
    EXPECT_EQ(error.status_received(), 0);
    EXPECT_EQ(get("/api/v2/tickets/4").status, 404) << "not carried out by default";
    EXPECT_EQ(sandbox->counters().connections_accepted, 2u) << "the client reconnected";
}

TEST_F(Faults, AnOversizedValidJsonBody) {
    Fault oversized = fault(FaultKind::oversized_body);
    oversized.size_bytes = 3 * 1024 * 1024;
    sandbox->inject(oversized);
    const Response response = get("/api/v2/tickets/1");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body.size(), 3u * 1024 * 1024);
    EXPECT_TRUE(parse_json(response.body).is_object());

    sandbox->inject(oversized);
    fdtest::ClientOptions options = client_options(*sandbox);
    options.body_limit = 1024 * 1024;
    fdtest::HttpsClient limited(options);
    const ClientError error = failure_of([&] { return limited.get("/api/v2/tickets/1"); });
    EXPECT_EQ(error.status_received(), 200);
}

TEST_F(Faults, ARedirectToAnotherHost) {
    sandbox->inject(fault(FaultKind::redirect));
    const Response response = get("/api/v2/tickets/1?include=stats");
    EXPECT_EQ(response.status, 302);
    EXPECT_EQ(response.header("Location"), "https://redirected.example.com/api/v2/tickets/1?include=stats");
    Fault moved = fault(FaultKind::redirect);
    moved.status = 301;
    moved.location = "https://evil.example.net/steal";
    sandbox->inject(moved);
    const Response permanent = get("/api/v2/tickets/1");
    EXPECT_EQ(permanent.status, 301);
    EXPECT_EQ(permanent.header("Location"), "https://evil.example.net/steal");
}

TEST_F(Faults, CountPathAndMethodFiltersAndInjectionOrder) {
    Fault contacts_only = fault(FaultKind::status);
    contacts_only.status = 502;
    contacts_only.count = 2;
    contacts_only.path_prefix = "/api/v2/contacts";
    sandbox->inject(contacts_only);
    Fault puts_only = fault(FaultKind::status);
    puts_only.status = 504;
    puts_only.method = "PUT";
    sandbox->inject(puts_only);
    Fault any = fault(FaultKind::status);
    any.status = 503;
    sandbox->inject(any);
    EXPECT_EQ(sandbox->pending_faults(), 4u);

    EXPECT_EQ(get("/api/v2/tickets/1").status, 503) << "only the catch-all matches";
    EXPECT_EQ(get("/api/v2/tickets/1").status, 200);
    EXPECT_EQ(get("/api/v2/contacts").status, 502);
    EXPECT_EQ(put("/api/v2/contacts/1", R"({"name":"x"})").status, 502) << "the earlier fault wins";
    EXPECT_EQ(put("/api/v2/tickets/1", R"({"status":3})").status, 504);
    EXPECT_EQ(get("/api/v2/contacts").status, 200);
    EXPECT_EQ(put("/api/v2/tickets/1", R"({"status":3})").status, 200);
    EXPECT_EQ(sandbox->pending_faults(), 0u);
}

TEST_F(Faults, ClearFaultsDropsThemAll) {
    Fault many = fault(FaultKind::status);
    many.count = 50;
    sandbox->inject(many);
    EXPECT_EQ(sandbox->pending_faults(), 50u);
    sandbox->clear_faults();
    EXPECT_EQ(get("/api/v2/tickets/1").status, 200);
}

TEST_F(Faults, FaultedRequestsAreRecordedAndCounted) {
    sandbox->reset();
    sandbox->inject(fault(FaultKind::close_without_response));
    Fault unavailable = fault(FaultKind::status);
    unavailable.status = 503;
    sandbox->inject(unavailable);
    EXPECT_THROW(get("/api/v2/tickets?page=1"), ClientError);
    EXPECT_EQ(get("/api/v2/tickets?page=2").status, 503);
    EXPECT_EQ(sandbox->counters().requests, 2u);
    const auto log = sandbox->requests();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].query, "page=1");
    EXPECT_EQ(log[1].query, "page=2");
    EXPECT_NE(log[0].connection_id, log[1].connection_id);
}

TEST_F(Faults, FaultsThatCannotApplyAreRefused) {
    Fault none = fault(FaultKind::status);
    none.count = 0;
    EXPECT_THROW(sandbox->inject(none), std::invalid_argument);
    Fault still = fault(FaultKind::slow_body);
    still.chunk_bytes = 0;
    EXPECT_THROW(sandbox->inject(still), std::invalid_argument);
    Fault odd = fault(FaultKind::status);
    odd.status = 42;
    EXPECT_THROW(sandbox->inject(odd), std::invalid_argument);
    EXPECT_EQ(sandbox->pending_faults(), 0u);
}

TEST_F(Faults, StopDoesNotWaitForADelayedAnswer) {
    Fault slow = fault(FaultKind::delay_before_headers);
    slow.delay = 5s;
    slow.count = 10;
    sandbox->inject(slow);
    std::thread waiting([&] {
        fdtest::HttpsClient own(client_options(*sandbox));
        EXPECT_THROW(own.get("/api/v2/tickets/1"), ClientError);
    });
    while (sandbox->counters().requests == 0)
        std::this_thread::sleep_for(5ms);
    const auto started = std::chrono::steady_clock::now();
    sandbox->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    waiting.join();
}

}  // namespace
}  // namespace sandbox_test
