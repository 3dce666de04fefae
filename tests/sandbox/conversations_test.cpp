// Conversations: notes (private unless told, notify_emails), replies (cc/bcc, from_email
// among the account's support e-mails), the list oldest first with paging and Link, 404 for
// an unknown ticket, the conversation object's fields, and the ticket they touch.
#include "sandbox/timestamps.hpp"
#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

using fdtest::Response;

constexpr const char* kTicket =
    R"({"subject":"S","description":"D","email":"Customer@Example.com","status":2,"priority":1})";

class Conversations : public SandboxTest {
  protected:
    void SetUp() override {
        SandboxTest::SetUp();
        ticket = create_ticket(kTicket);
    }
    std::string path(const std::string& tail) { return "/api/v2/tickets/" + std::to_string(ticket) + tail; }
    std::int64_t ticket = 0;
};

TEST_F(Conversations, ANoteIsPrivateUnlessToldAndHasFreshdesksFields) {
    const Response note =
        post(path("/notes"), R"({"body":"<b>Checked</b> the logs","notify_emails":["agent2@sandbox.example.com"]})");
    ASSERT_EQ(note.status, 201) << note.body;
    const json::object body = parse_json(note.body).as_object();
    for (const char* key : {"body", "body_text", "id", "incoming", "private", "user_id", "support_email", "ticket_id",
                            "to_emails", "attachments", "created_at", "updated_at"})
        EXPECT_TRUE(body.contains(key)) << key;
    EXPECT_EQ(body.at("private"), true);
    EXPECT_EQ(body.at("incoming"), false);
    EXPECT_EQ(body.at("body_text"), "Checked the logs");
    EXPECT_EQ(body.at("ticket_id"), ticket);
    EXPECT_EQ(body.at("user_id"), 47000000000) << "the API key's agent";
    EXPECT_EQ(body.at("to_emails"), parse_json(R"(["agent2@sandbox.example.com"])"));
    EXPECT_EQ(note.header("Location"), "https://127.0.0.1:" + std::to_string(sandbox->port()) +
                                           "/api/v2/conversations/" + std::to_string(body.at("id").as_int64()));
    const Response open = post(path("/notes"), R"({"body":"Public","private":false,"incoming":true})");
    ASSERT_EQ(open.status, 201) << open.body;
    EXPECT_EQ(parse_json(open.body).at("private"), false);
    EXPECT_EQ(parse_json(open.body).at("incoming"), true);
}

TEST_F(Conversations, NotesAndRepliesAreValidated) {
    expect_error(post(path("/notes"), "{}"), 400, "body", "missing_field", "It should be a/an String");
    expect_error(post(path("/notes"), R"({"body":"  "})"), 400, "body", "invalid_value");
    expect_error(post(path("/notes"), R"({"body":"x","private":"yes"})"), 400, "private", "datatype_mismatch");
    expect_error(post(path("/notes"), R"({"body":"x","notify_emails":["x"]})"), 400, "notify_emails", "invalid_value");
    expect_error(post(path("/notes"), R"({"body":"x","cc_emails":[]})"), 400, "cc_emails", "invalid_field");
    expect_error(post(path("/notes"), R"({"body":"x","notify_emails":["customer@example.com"]})"), 400, "notify_emails",
                 "invalid_value", "Accepts only emails of agents");
    std::string fifty = "[";
    for (int i = 0; i < 50; ++i)
        fifty += (i ? "," : "") + std::string("\"c") + std::to_string(i) + "@example.com\"";
    expect_error(post(path("/reply"), R"({"body":"x","cc_emails":)" + fifty + "]}"), 400, "cc_emails", "invalid_value",
                 "Has 50 values, it can have maximum of 49 values");
    expect_error(post(path("/notes"), R"({"body":"x","user_id":12})"), 400, "user_id", "invalid_value",
                 "There is no contact matching the given user_id");
    expect_error(post(path("/reply"), R"({"body":"x","private":true})"), 400, "private", "invalid_field");
    expect_error(post(path("/reply"), R"({"body":"x","bcc_emails":["no"]})"), 400, "bcc_emails", "invalid_value");
    expect_error(post(path("/reply"), R"({"body":"x","from_email":"someone@example.com"})"), 400, "from_email",
                 "invalid_value", "There is no active email_config matching the given from_email");
    EXPECT_EQ(post("/api/v2/tickets/999/notes", R"({"body":"x"})").status, 404);
    EXPECT_EQ(post("/api/v2/tickets/999/reply", R"({"body":"x"})").status, 404);
    EXPECT_EQ(get("/api/v2/tickets/999/conversations").status, 404);
    EXPECT_EQ(get(path("/notes")).status, 405);
}

TEST_F(Conversations, AReplyGoesToTheRequesterFromTheSupportAddress) {
    const Response reply = post(path("/reply"), R"({"body":"Fixed","cc_emails":["boss@example.com"],)"
                                                R"("bcc_emails":["audit@example.com"],)"
                                                R"("from_email":"support@sandbox.freshdesk.com"})");
    ASSERT_EQ(reply.status, 201) << reply.body;
    const json::object body = parse_json(reply.body).as_object();
    for (const char* key : {"body", "body_text", "id", "user_id", "from_email", "cc_emails", "bcc_emails", "ticket_id",
                            "to_emails", "attachments", "source_additional_info", "created_at", "updated_at"})
        EXPECT_TRUE(body.contains(key)) << key;
    EXPECT_EQ(body.at("to_emails"), parse_json(R"(["customer@example.com"])"));
    EXPECT_EQ(body.at("cc_emails"), parse_json(R"(["boss@example.com"])"));
    EXPECT_EQ(body.at("from_email"), "support@sandbox.freshdesk.com");
    const json::value stats = parse_json(get(path("?include=stats")).body).at("stats");
    EXPECT_FALSE(stats.at("first_responded_at").is_null());
}

TEST_F(Conversations, TheListIsOldestFirstPagedWithLink) {
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(post(path(i % 2 ? "/reply" : "/notes"), R"({"body":"n)" + std::to_string(i) + R"("})").status, 201);
    const Response first = get(path("/conversations?per_page=2"));
    ASSERT_EQ(first.status, 200) << first.body;
    const json::array items = parse_json(first.body).as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items.at(0).at("body"), "n0");
    EXPECT_EQ(items.at(1).at("body"), "n1");
    EXPECT_EQ(items.at(0).at("source"), 2) << "a note";
    EXPECT_EQ(items.at(1).at("source"), 0) << "a reply";
    for (const char* key : {"incoming", "private", "support_email", "from_email", "cc_emails", "bcc_emails"})
        EXPECT_TRUE(items.at(0).as_object().contains(key)) << key;
    EXPECT_EQ(first.header("Link"), "<https://127.0.0.1:" + std::to_string(sandbox->port()) + path("/conversations") +
                                        "?per_page=2&page=2>; rel=\"next\"");
    const Response last = get(path("/conversations?per_page=2&page=3"));
    EXPECT_EQ(parse_json(last.body).as_array().size(), 1u);
    EXPECT_FALSE(last.has_header("Link"));
    expect_error(get(path("/conversations?order_type=asc")), 400, "order_type", "invalid_field");
    const json::value shown = parse_json(get(path("?include=conversations")).body);
    EXPECT_EQ(shown.at("conversations").as_array().size(), 5u);
}

TEST_F(Conversations, ANewConversationTouchesItsTicket) {
    const fdsandbox::UnixSeconds before = fdsandbox::now_unix_seconds();
    ASSERT_EQ(post(path("/notes"), R"({"body":"x"})").status, 201);
    const json::value shown = parse_json(get(path("")).body);
    EXPECT_GE(*fdsandbox::parse_iso8601(std::string(shown.at("updated_at").as_string())), before);
    ASSERT_EQ(del(path("")).status, 204);
    EXPECT_EQ(post(path("/notes"), R"({"body":"x"})").status, 404) << "not on a deleted ticket";
    EXPECT_EQ(get(path("/conversations")).status, 200) << "but still listed";
}

}  // namespace
}  // namespace sandbox_test
