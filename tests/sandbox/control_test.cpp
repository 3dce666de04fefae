// The control channel: a plain-HTTP JSON API on its own loopback port mirroring the
// C++ control methods: faults, reset, seed, rate limit, counters, request log, shutdown.
#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

using fdtest::Response;

class Control : public SandboxTest {
  protected:
    fdsandbox::Config make_config() override {
        fdsandbox::Config config;
        config.control_port_enabled = true;
        return config;
    }

    void SetUp() override {
        SandboxTest::SetUp();
        control = std::make_unique<fdtest::HttpsClient>(fdtest::options_for_url(sandbox->control_url()));
    }

    void TearDown() override {
        control.reset();
        SandboxTest::TearDown();
    }

    std::unique_ptr<fdtest::HttpsClient> control;
};

TEST_F(Control, ListensOnItsOwnLoopbackPort) {
    EXPECT_NE(sandbox->control_port(), 0);
    EXPECT_NE(sandbox->control_port(), sandbox->port());
    EXPECT_EQ(sandbox->control_url(), "http://127.0.0.1:" + std::to_string(sandbox->control_port()));
    const Response info = control->get("/control");
    ASSERT_EQ(info.status, 200);
    const json::value body = parse_json(info.body);
    EXPECT_EQ(body.at("base_url"), sandbox->base_url().c_str());
    EXPECT_EQ(body.at("ca_file"), sandbox->ca_file().string().c_str());
    EXPECT_EQ(body.at("api_key"), sandbox->api_key().c_str());
    EXPECT_EQ(body.at("domain"), "sandbox");
    EXPECT_EQ(body.at("control_url"), sandbox->control_url().c_str());
    EXPECT_EQ(get("/control").status, 404) << "the API port knows no control paths";
    EXPECT_EQ(control->get("/api/v2/tickets").status, 404);
    EXPECT_EQ(control->request("DELETE", "/control").status, 405);
}

TEST_F(Control, InjectsAndClearsFaults) {
    const Response injected = control->post_json("/control/faults", R"({"kind":"status","status":503,"count":2})");
    EXPECT_EQ(injected.status, 201);
    EXPECT_EQ(parse_json(injected.body), parse_json(R"({"pending":2})"));
    EXPECT_EQ(get("/api/v2/tickets").status, 503);
    EXPECT_EQ(parse_json(control->get("/control/faults").body).at("pending"), 1);
    EXPECT_EQ(control->request("DELETE", "/control/faults").status, 204);
    EXPECT_EQ(get("/api/v2/tickets").status, 200);

    const Response several = control->post_json(
        "/control/faults",
        R"([{"kind":"rate_limited","retry_after_seconds":1,"path_prefix":"/api/v2/contacts","method":"GET"},)"
        R"({"kind":"delay_before_headers","delay_ms":20,"process_request":true},{"kind":"redirect","location":"https://x.example"}])");
    EXPECT_EQ(parse_json(several.body).at("pending"), 3);
    const Response throttled = get("/api/v2/contacts");
    EXPECT_EQ(throttled.status, 429);
    EXPECT_EQ(throttled.header("Retry-After"), "1");
    EXPECT_EQ(get("/api/v2/tickets").status, 200);
    EXPECT_EQ(get("/api/v2/tickets").header("Location"), "https://x.example");
}

TEST_F(Control, RefusesBadFaults) {
    EXPECT_EQ(control->post_json("/control/faults", R"({"kind":"meteor"})").status, 400);
    EXPECT_EQ(control->post_json("/control/faults", R"({"kind":"status","count":0})").status, 400);
    EXPECT_EQ(control->post_json("/control/faults", R"({"kind":"status","status":"503"})").status, 400);
    EXPECT_EQ(control->post_json("/control/faults", "not json").status, 400);
    const Response refused = control->post_json("/control/faults", "7");
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(parse_json(refused.body).at("error").is_string());
    EXPECT_EQ(sandbox->pending_faults(), 0u);
}

TEST_F(Control, SeedsResetsAndSetsTheRateLimit) {
    EXPECT_EQ(control->post_json("/control/seed", R"({"contacts":3,"tickets":5,"days_back":10,"statuses":[2]})").status,
              204);
    const json::value tickets = parse_json(get("/api/v2/tickets").body);
    ASSERT_EQ(tickets.as_array().size(), 5u);
    for (const json::value& ticket : tickets.as_array())
        EXPECT_EQ(ticket.at("status"), 2);
    EXPECT_EQ(parse_json(get("/api/v2/contacts").body).as_array().size(), 3u);
    EXPECT_EQ(control->post_json("/control/seed", R"({"statuses":[9],"tickets":1})").status, 400);

    EXPECT_EQ(control->request("POST", "/control/reset").status, 204);
    EXPECT_EQ(get("/api/v2/tickets").body, "[]");

    EXPECT_EQ(control->put_json("/control/rate_limit", R"({"budget":1,"window_seconds":60})").status, 204);
    EXPECT_EQ(get("/api/v2/tickets").header("X-RateLimit-Total"), "1");
    EXPECT_EQ(get("/api/v2/tickets").status, 429);
    EXPECT_EQ(control->put_json("/control/rate_limit", R"({"window_seconds":60})").status, 400) << "budget needed";
}

TEST_F(Control, ReportsCountersAndTheRequestLog) {
    get("/api/v2/tickets");
    post("/api/v2/contacts", R"({"name":"Ann","email":"ann@example.com"})");
    const json::value counters = parse_json(control->get("/control/counters").body);
    EXPECT_EQ(counters.at("requests"), 2);
    EXPECT_EQ(counters.at("connections_accepted"), 1);
    EXPECT_EQ(counters.at("tls_handshakes"), 1);
    EXPECT_GT(counters.at("bytes_received").as_int64(), 0);
    EXPECT_GT(counters.at("bytes_sent").as_int64(), 0);

    const json::value log = parse_json(control->get("/control/requests").body);
    ASSERT_EQ(log.as_array().size(), 2u);
    EXPECT_EQ(log.at(1).at("method"), "POST");
    EXPECT_EQ(log.at(1).at("path"), "/api/v2/contacts");
    EXPECT_EQ(log.at(1).at("body"), R"({"name":"Ann","email":"ann@example.com"})");
    EXPECT_TRUE(log.at(1).at("headers").at(0).is_array());
    EXPECT_EQ(parse_json(control->get("/control/requests?since=1").body).as_array().size(), 1u);
    EXPECT_EQ(control->request("DELETE", "/control/requests").status, 204);
    EXPECT_EQ(control->get("/control/requests").body, "[]");
    EXPECT_EQ(control->get("/control/nothing").status, 404);
}

TEST_F(Control, ShutdownIsAskedForNotForced) {
    EXPECT_FALSE(sandbox->wait_for_shutdown_request(std::chrono::milliseconds(0)));
    EXPECT_EQ(control->request("POST", "/control/shutdown").status, 202);
    EXPECT_TRUE(sandbox->wait_for_shutdown_request(std::chrono::milliseconds(1000)));
    EXPECT_EQ(get("/api/v2/tickets").status, 200) << "serving until stop()";
}

}  // namespace
}  // namespace sandbox_test
