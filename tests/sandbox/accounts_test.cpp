// Several accounts in one sandbox (each its own data, key and rate-limit window, chosen by the
// Host header or, on a local host name, by the API key), and the latency added to every answer,
// waited on timers: answers in flight at once all wait it together, even on one thread.
#include "sandbox_fixture.hpp"

#include <future>
#include <thread>

namespace sandbox_test {
namespace {

using namespace std::chrono_literals;
using fdtest::Response;

constexpr const char* kTicket = R"({"subject":"S","description":"D","email":"a@example.com","status":2,"priority":1})";

class Accounts : public SandboxTest {
  protected:
    fdsandbox::Config make_config() override {
        fdsandbox::Config config = SandboxTest::make_config();
        config.extra_accounts.push_back({"acme", "acme-key", {.contacts = 2}});
        return config;
    }

    std::unique_ptr<fdtest::HttpsClient> client_for(const std::string& key, const std::string& host = "") {
        fdtest::ClientOptions options = client_options(*sandbox, false);
        options.default_headers.emplace_back("Authorization", fdtest::basic_authorization(key, "X"));
        options.host_header = host;
        return std::make_unique<fdtest::HttpsClient>(options);
    }
};

TEST_F(Accounts, EachAccountHasItsOwnDataChosenByKeyOrHost) {
    auto acme = client_for("acme-key");
    ASSERT_EQ(acme->post_json("/api/v2/tickets", kTicket).status, 201);
    EXPECT_EQ(parse_json(acme->get("/api/v2/contacts").body).as_array().size(), 3u) << "2 seeded, 1 requester";
    EXPECT_EQ(parse_json(get("/api/v2/contacts").body).as_array().size(), 0u) << "the primary account is untouched";
    EXPECT_EQ(get("/api/v2/tickets/1").status, 404);
    auto by_host = client_for("acme-key", "acme.freshdesk.com");
    EXPECT_EQ(by_host->get("/api/v2/tickets/1").status, 200);
    auto wrong_key = client_for("sandbox-api-key", "acme.freshdesk.com");
    EXPECT_EQ(wrong_key->get("/api/v2/tickets/1").status, 401) << "the host names the account; its key is needed";
    auto unknown = client_for("acme-key", "nosuch.freshdesk.com");
    EXPECT_EQ(unknown->get("/api/v2/tickets/1").body, " ");
    EXPECT_EQ(sandbox->account_domains(), (std::vector<std::string>{"sandbox", "acme"}));
    const json::value me = parse_json(acme->get("/api/v2/agents/me").body);
    EXPECT_EQ(me.at("contact").at("email"), "agent1@acme.example.com");
}

TEST_F(Accounts, EachAccountHasItsOwnRateLimitWindow) {
    sandbox->set_rate_limit(3, std::chrono::seconds(60));
    auto acme = client_for("acme-key");
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(get("/api/v2/groups").status, 200);
    EXPECT_EQ(get("/api/v2/groups").status, 429);
    const Response other = acme->get("/api/v2/groups");
    EXPECT_EQ(other.status, 200);
    EXPECT_EQ(other.header("X-RateLimit-Remaining"), "2");
}

TEST_F(Accounts, AccountsAreAddedAndSeededAtRunTime) {
    sandbox->add_account({"globex", "globex-key", {.tickets = 3}});
    EXPECT_THROW(sandbox->add_account({"globex", "other", {}}), std::invalid_argument);
    EXPECT_THROW(sandbox->add_account({"other", "acme-key", {}}), std::invalid_argument);
    auto globex = client_for("globex-key");
    EXPECT_EQ(parse_json(globex->get("/api/v2/tickets?updated_since=2000-01-01").body).as_array().size(), 3u);
    sandbox->seed("globex", {.companies = 2});
    EXPECT_EQ(parse_json(globex->get("/api/v2/companies").body).as_array().size(), 5u);
    sandbox->reset();
    EXPECT_EQ(parse_json(globex->get("/api/v2/tickets?updated_since=2000-01-01").body).as_array().size(), 0u);
    EXPECT_EQ(parse_json(globex->get("/api/v2/companies").body).as_array().size(), 3u) << "back to the defaults";
}

TEST_F(Accounts, LatencyIsWaitedOnTimersNotThreads) {
    sandbox->set_response_latency(200ms);
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::future<int>> answers;
    for (int i = 0; i < 8; ++i)
        answers.push_back(std::async(std::launch::async, [&] {
            fdtest::HttpsClient own(client_options(*sandbox));
            return own.get("/api/v2/groups").status;
        }));
    for (auto& answer : answers)
        EXPECT_EQ(answer.get(), 200);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GE(elapsed, 200ms);
    EXPECT_LT(elapsed, 1000ms) << "eight answers on one server thread waited together, not one after another";
    EXPECT_EQ(sandbox->response_latency(), 200ms);
    EXPECT_THROW(sandbox->set_response_latency(-1ms), std::invalid_argument);
    sandbox->set_response_latency(0ms);
}

}  // namespace
}  // namespace sandbox_test
