// The account's directory: agents (with the email/phone/mobile/state filters and /agents/me),
// groups and companies, in Freshdesk's shapes, ordered by name and paged with Link headers;
// the defaults every account starts with and what SeedSpec adds.
#include "sandbox_fixture.hpp"

#include <set>

namespace sandbox_test {
namespace {

using fdtest::Response;

class Directory : public SandboxTest {};

TEST_F(Directory, AgentsHaveFreshdesksShapeAndMeIsTheKeysOwner) {
    const Response list = get("/api/v2/agents");
    ASSERT_EQ(list.status, 200) << list.body;
    const json::array agents = parse_json(list.body).as_array();
    ASSERT_EQ(agents.size(), 4u) << "every account starts with four agents";
    for (const json::value& agent : agents) {
        for (const char* key : {"available", "occasional", "id", "signature", "ticket_scope", "group_ids", "role_ids",
                                "created_at", "updated_at", "last_active_at", "available_since", "type", "contact"})
            EXPECT_TRUE(agent.as_object().contains(key)) << key;
        for (const char* key : {"active", "email", "job_title", "language", "last_login_at", "mobile", "name", "phone",
                                "time_zone", "created_at", "updated_at"})
            EXPECT_TRUE(agent.at("contact").as_object().contains(key)) << key;
    }
    const Response me = get("/api/v2/agents/me");
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(parse_json(me.body).at("id"), 47000000000) << "the agent whose API key is used";
    EXPECT_EQ(get("/api/v2/agents/me?page=2").status, 400) << "me takes no parameters";
}

TEST_F(Directory, AgentsFilterByEmailAndStateAndRefuseABadEmail) {
    const json::value me = parse_json(get("/api/v2/agents/me").body);
    const std::string email(me.at("contact").at("email").as_string());
    std::string upper = email;
    for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const Response found = get("/api/v2/agents?email=" + upper);
    ASSERT_EQ(found.status, 200) << found.body;
    ASSERT_EQ(parse_json(found.body).as_array().size(), 1u) << "e-mail matches ignore case";
    EXPECT_EQ(parse_json(found.body).at(0).at("id"), me.at("id"));
    EXPECT_EQ(parse_json(get("/api/v2/agents?email=nobody%40example.com").body).as_array().size(), 0u);
    expect_error(get("/api/v2/agents?email=not-an-email"), 400, "email", "invalid_value",
                 "It should be in the 'valid email address' format");
    const json::array occasional = parse_json(get("/api/v2/agents?state=occasional").body).as_array();
    const json::array fulltime = parse_json(get("/api/v2/agents?state=fulltime").body).as_array();
    EXPECT_EQ(occasional.size() + fulltime.size(), 4u);
    for (const json::value& agent : occasional)
        EXPECT_EQ(agent.at("occasional"), true);
    expect_error(get("/api/v2/agents?state=sometimes"), 400, "state", "invalid_value",
                 "It should be one of these values: 'occasional,fulltime'");
    expect_error(get("/api/v2/agents?role=admin"), 400, "role", "invalid_field");
}

TEST_F(Directory, GroupsAndCompaniesAreOrderedByNameWithTheirFields) {
    const Response groups = get("/api/v2/groups");
    ASSERT_EQ(groups.status, 200) << groups.body;
    EXPECT_EQ(names_of(groups), (std::vector<std::string>{"Billing", "Escalations", "Sales"}));
    for (const char* key : {"id", "name", "description", "escalate_to", "unassigned_for", "business_hour_id",
                            "created_at", "updated_at", "agent_ids"})
        EXPECT_TRUE(parse_json(groups.body).at(0).as_object().contains(key)) << key;
    const Response companies = get("/api/v2/companies");
    ASSERT_EQ(companies.status, 200) << companies.body;
    EXPECT_EQ(names_of(companies), (std::vector<std::string>{"Acme Corp", "Globex", "Initech"}));
    const json::object company = parse_json(companies.body).at(0).as_object();
    for (const char* key : {"id", "name", "description", "note", "domains", "created_at", "updated_at", "custom_fields",
                            "health_score", "account_tier", "industry", "renewal_date"})
        EXPECT_TRUE(company.contains(key)) << key;
    EXPECT_EQ(company.at("domains"), parse_json(R"(["acmecorp.example.com"])"));
    expect_error(get("/api/v2/groups?name=x"), 400, "name", "invalid_field");
    EXPECT_EQ(post("/api/v2/groups", "{}").status, 405);
}

TEST_F(Directory, SeededEntriesPageWithLinkHeaders) {
    fdsandbox::SeedSpec spec;
    spec.agents = 3;
    spec.groups = 4;
    spec.companies = 5;
    sandbox->seed(spec);
    const Response first = get("/api/v2/companies?per_page=5");
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(parse_json(first.body).as_array().size(), 5u);
    EXPECT_EQ(first.header("Link"), "<https://127.0.0.1:" + std::to_string(sandbox->port()) +
                                        "/api/v2/companies?per_page=5&page=2>; rel=\"next\"");
    const Response last = get("/api/v2/companies?per_page=5&page=2");
    EXPECT_EQ(parse_json(last.body).as_array().size(), 3u);
    EXPECT_FALSE(last.has_header("Link"));
    EXPECT_EQ(parse_json(get("/api/v2/agents?per_page=100").body).as_array().size(), 7u);
    EXPECT_EQ(parse_json(get("/api/v2/groups").body).as_array().size(), 7u);
    std::set<std::int64_t> ids;
    const json::value agents = parse_json(get("/api/v2/agents").body);
    for (const json::value& agent : agents.as_array())
        ids.insert(agent.at("id").as_int64());
    EXPECT_EQ(ids.size(), 7u) << "unique ids";
    expect_error(get("/api/v2/agents?per_page=101"), 400, "per_page", "invalid_value");
}

TEST_F(Directory, TicketsMayReferenceOnlyTheDirectorysEntries) {
    const json::value group = parse_json(get("/api/v2/groups").body).at(0);
    const json::value agent = parse_json(get("/api/v2/agents").body).at(1);
    const json::value company = parse_json(get("/api/v2/companies").body).at(2);
    const Response created = post("/api/v2/tickets", R"({"subject":"S","description":"D","email":"a@example.com",)"
                                                     R"("status":2,"priority":1,"group_id":)" +
                                                         json::serialize(group.at("id")) + R"(,"responder_id":)" +
                                                         json::serialize(agent.at("id")) + R"(,"company_id":)" +
                                                         json::serialize(company.at("id")) + "}");
    ASSERT_EQ(created.status, 201) << created.body;
    const json::value ticket = parse_json(created.body);
    EXPECT_EQ(ticket.at("group_id"), group.at("id"));
    EXPECT_EQ(ticket.at("responder_id"), agent.at("id"));
    EXPECT_EQ(ticket.at("company_id"), company.at("id"));
    const json::value shown = parse_json(get("/api/v2/tickets/1?include=company").body);
    EXPECT_EQ(shown.at("company").at("name"), company.at("name"));
}

}  // namespace
}  // namespace sandbox_test
