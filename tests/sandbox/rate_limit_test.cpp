// The rate limit (docs/freshdesk.md, "Rate limits"): a budget per fixed window, X-RateLimit-* on every
// non-429 answer, 429 with Retry-After once spent, failed requests counted, include credits.
#include "sandbox_fixture.hpp"

#include <thread>

namespace sandbox_test {
namespace {

using fdtest::Response;

class RateLimit : public SandboxTest {
  protected:
    fdsandbox::Config make_config() override {
        fdsandbox::Config config;
        config.rate_limit_budget = 3;
        config.rate_limit_window = std::chrono::seconds(60);
        return config;
    }
};

void expect_throttled(const Response& response, const std::string& message, int window_seconds = 60) {
    EXPECT_EQ(response.status, 429);
    EXPECT_EQ(response.body, R"({"message":")" + message + R"("})");
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    const int retry_after = std::stoi(response.header("Retry-After"));
    EXPECT_GE(retry_after, 1);
    EXPECT_LE(retry_after, window_seconds);
    for (const char* absent :
         {"X-RateLimit-Total", "X-RateLimit-Remaining", "X-RateLimit-Used-CurrentRequest", "X-Freshdesk-API-Version"})
        EXPECT_FALSE(response.has_header(absent)) << absent;
}

TEST(RateLimitDefaults, ThreeThousandAMinute) {
    fdsandbox::Sandbox sandbox;
    sandbox.start();
    fdtest::HttpsClient client(client_options(sandbox));
    const Response response = client.get("/api/v2/tickets");
    EXPECT_EQ(response.header("X-RateLimit-Total"), "3000");
    EXPECT_EQ(response.header("X-RateLimit-Remaining"), "2999");
    EXPECT_EQ(response.header("X-RateLimit-Used-CurrentRequest"), "1");
}

TEST_F(RateLimit, TheBudgetIsSpentThen429WithRetryAfter) {
    for (int remaining : {2, 1, 0}) {
        const Response response = get("/api/v2/tickets");
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(response.header("X-RateLimit-Total"), "3");
        EXPECT_EQ(response.header("X-RateLimit-Remaining"), std::to_string(remaining));
    }
    expect_throttled(get("/api/v2/tickets"), "You have exceeded the limit of requests per minute");
    // The limit comes before every other check.
    expect_throttled(post("/api/v2/tickets", "not even json"), "You have exceeded the limit of requests per minute");
}

TEST_F(RateLimit, FailedRequestsCountToo) {
    fdtest::HttpsClient nobody(client_options(*sandbox, false));
    EXPECT_EQ(nobody.get("/api/v2/tickets").status, 401);
    EXPECT_EQ(post("/api/v2/contacts", "{bad").status, 400);
    const Response third = get("/api/v2/nowhere");
    EXPECT_EQ(third.status, 404);
    EXPECT_EQ(third.header("X-RateLimit-Remaining"), "0");
    EXPECT_EQ(nobody.get("/api/v2/tickets").status, 429);
}

TEST_F(RateLimit, IncludesCostExtraCredits) {
    sandbox->set_rate_limit(10, std::chrono::seconds(60));
    sandbox->seed({.contacts = 1, .tickets = 1});
    const Response show = get("/api/v2/tickets/1?include=requester,stats");
    EXPECT_EQ(show.header("X-RateLimit-Used-CurrentRequest"), "3");
    EXPECT_EQ(show.header("X-RateLimit-Remaining"), "7");
    const Response list = get("/api/v2/tickets?include=requester");
    EXPECT_EQ(list.header("X-RateLimit-Used-CurrentRequest"), "3");
    EXPECT_EQ(list.header("X-RateLimit-Remaining"), "4");
    const Response refused = get("/api/v2/tickets?include=nonsense");
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.header("X-RateLimit-Used-CurrentRequest"), "1") << "a failed request pays the base credit";
}

TEST_F(RateLimit, AnHourlyWindowSaysSo) {
    sandbox->set_rate_limit(1, std::chrono::hours(1));
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
    const Response response = get("/api/v2/tickets");
    expect_throttled(response, "You have exceeded the limit of requests per hour", 3600);
    EXPECT_GT(std::stoi(response.header("Retry-After")), 3000);
}

TEST_F(RateLimit, TheWindowResetsAfterItsLength) {
    sandbox->set_rate_limit(2, std::chrono::seconds(1));
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
    const Response throttled = get("/api/v2/tickets");
    ASSERT_EQ(throttled.status, 429);
    EXPECT_EQ(throttled.header("Retry-After"), "1");
    std::this_thread::sleep_for(std::chrono::milliseconds(1050));
    const Response again = get("/api/v2/tickets");
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.header("X-RateLimit-Remaining"), "1");
}

TEST_F(RateLimit, ResetAndSetRateLimitStartANewWindow) {
    for (int i = 0; i < 3; ++i)
        get("/api/v2/tickets");
    ASSERT_EQ(get("/api/v2/tickets").status, 429);
    sandbox->reset();
    EXPECT_EQ(get("/api/v2/tickets").header("X-RateLimit-Remaining"), "2");
    sandbox->set_rate_limit(100, std::chrono::seconds(60));
    EXPECT_EQ(get("/api/v2/tickets").header("X-RateLimit-Remaining"), "99");
    EXPECT_THROW(sandbox->set_rate_limit(5, std::chrono::seconds(0)), std::invalid_argument);
}

}  // namespace
}  // namespace sandbox_test
