// search/tickets and search/contacts (docs/freshdesk.md, "Search"): the quoted query grammar,
// 30 results a page, pages 1 to 10, {results,total}, and the query errors.
#include "sandbox/timestamps.hpp"
#include "sandbox_fixture.hpp"

#include <functional>

namespace sandbox_test {
namespace {

using fdtest::Response;

class Search : public SandboxTest {
  protected:
    Response search(const std::string& resource, const std::string& query, const std::string& extra = "") {
        return get("/api/v2/search/" + resource + "?query=" + url_encode(query) + extra);
    }

    // Every live ticket (the list without its default window), to compute expectations.
    json::array all_tickets() {
        json::array tickets;
        for (int page = 1;; ++page) {
            const json::value batch = parse_json(
                get("/api/v2/tickets?updated_since=2000-01-01&per_page=100&page=" + std::to_string(page)).body);
            for (const json::value& ticket : batch.as_array())
                tickets.push_back(ticket);
            if (batch.as_array().size() < 100) return tickets;
        }
    }

    std::int64_t count_where(const std::function<bool(const json::object&)>& predicate) {
        std::int64_t count = 0;
        for (const json::value& ticket : all_tickets())
            count += predicate(ticket.as_object()) ? 1 : 0;
        return count;
    }

    std::int64_t total(const Response& response) {
        EXPECT_EQ(response.status, 200) << response.body;
        return parse_json(response.body).at("total").as_int64();
    }
};

TEST_F(Search, AnswersResultsAndTotalWithDescriptions) {
    sandbox->seed({.contacts = 4, .tickets = 40, .days_back = 60});
    const Response response = search("tickets", "\"status:2\"");
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object body = parse_json(response.body).as_object();
    ASSERT_EQ(body.size(), 2u);
    EXPECT_EQ(body.at("total"), 10) << "statuses cycle 2,3,4,5 over 40 tickets";
    const json::array& results = body.at("results").as_array();
    ASSERT_EQ(results.size(), 10u);
    for (const json::value& ticket : results) {
        EXPECT_EQ(ticket.at("status"), 2);
        EXPECT_TRUE(ticket.as_object().contains("description"));
        EXPECT_TRUE(ticket.as_object().contains("description_text"));
        EXPECT_TRUE(ticket.as_object().contains("associated_tickets_count"));
    }
    EXPECT_GE(results[0].at("id").as_int64(), results[1].at("id").as_int64()) << "newest first";
    EXPECT_FALSE(response.has_header("Link"));
    EXPECT_EQ(response.header("X-RateLimit-Used-CurrentRequest"), "1");
}

TEST_F(Search, ThirtyAPageTenPagesAtMost) {
    sandbox->seed({.contacts = 5, .tickets = 700, .days_back = 200, .statuses = {2, 3}});
    const Response first = search("tickets", "\"status:2\"");
    EXPECT_EQ(total(first), 350) << "total counts every match, beyond the 300 reachable";
    EXPECT_EQ(parse_json(first.body).at("results").as_array().size(), 30u);
    const Response tenth = search("tickets", "\"status:2\"", "&page=10");
    EXPECT_EQ(parse_json(tenth.body).at("results").as_array().size(), 30u);
    EXPECT_NE(parse_json(tenth.body).at("results").at(0).at("id"), parse_json(first.body).at("results").at(0).at("id"));
    const Response few = search("tickets", "\"status:2 AND priority:1\"", "&page=3");
    EXPECT_EQ(total(few), 88) << "350 Open tickets, priorities cycling every 2 tickets over 4 values";
    EXPECT_EQ(parse_json(few.body).at("results").as_array().size(), 28u);
    EXPECT_EQ(
        parse_json(search("tickets", "\"status:2 AND priority:1\"", "&page=4").body).at("results").as_array().size(),
        0u);
    expect_error(search("tickets", "\"status:2\"", "&page=11"), 400, "page", "invalid_value",
                 "It should be a Positive Integer less than or equal to 10");
    expect_error(search("tickets", "\"status:2\"", "&page=0"), 400, "page", "invalid_value",
                 "It should be a Positive Integer less than or equal to 10");
    expect_error(search("tickets", "\"status:2\"", "&per_page=50"), 400, "per_page", "invalid_field",
                 "Unexpected/invalid field in request");
}

TEST_F(Search, TheGrammarCombinesConditions) {
    sandbox->seed({.contacts = 4, .tickets = 60, .days_back = 60});
    auto status_in = [](const json::object& t, std::initializer_list<int> values) {
        for (int value : values)
            if (t.at("status") == value) return true;
        return false;
    };
    EXPECT_EQ(total(search("tickets", "\"(status:2 OR status:3) AND priority:1\"")),
              count_where([&](const json::object& t) {
                  return status_in(t, {2, 3}) && t.at("priority") == 1;
              }));
    EXPECT_EQ(total(search("tickets", "\"status:2 OR status:3 AND priority:1\"")),
              count_where([&](const json::object& t) {
                  return t.at("status") == 2 || (t.at("status") == 3 && t.at("priority") == 1);
              }))
        << "AND binds tighter than OR";
    EXPECT_EQ(total(search("tickets", "\"status:2 and priority:1\"")),
              total(search("tickets", "\"status:2 AND priority:1\"")))
        << "operators are case-insensitive";
    EXPECT_EQ(total(search("tickets", "\"priority:>3\"")),
              count_where([](const json::object& t) { return t.at("priority").as_int64() >= 3; }));
    EXPECT_EQ(total(search("tickets", "\"priority:<2\"")),
              count_where([](const json::object& t) { return t.at("priority").as_int64() <= 2; }));
    EXPECT_EQ(total(search("tickets", "\"type:'Incident'\"")),
              count_where([](const json::object& t) { return t.at("type") == "Incident"; }));
    EXPECT_EQ(total(search("tickets", "\"type:null\"")),
              count_where([](const json::object& t) { return t.at("type").is_null(); }));
    EXPECT_EQ(total(search("tickets", "\"tag:'billing'\"")), count_where([](const json::object& t) {
                  for (const json::value& tag : t.at("tags").as_array())
                      if (tag == "billing") return true;
                  return false;
              }));
    EXPECT_EQ(total(search("tickets", "\"group_id:null\"")),
              count_where([](const json::object& t) { return t.at("group_id").is_null(); }));
    EXPECT_EQ(total(search("tickets", "\"agent_id:46000000001\"")),
              count_where([](const json::object& t) { return t.at("responder_id") == 46000000001; }));
    EXPECT_EQ(total(search("tickets", "\"group_id:47000000202 AND (priority:1 OR priority:2)\"")),
              count_where([](const json::object& t) {
                  return t.at("group_id") == 47000000202 && t.at("priority").as_int64() <= 2;
              }));
}

TEST_F(Search, DatesCompareByDay) {
    sandbox->seed({.contacts = 2, .tickets = 30, .days_back = 29});
    const fdsandbox::UnixSeconds ten_days_ago = fdsandbox::now_unix_seconds() - 10 * 86400;
    const std::string day = fdsandbox::format_timestamp(ten_days_ago).substr(0, 10);
    const fdsandbox::UnixSeconds day_start = *fdsandbox::parse_date(day);
    auto created = [](const json::object& t) {
        return *fdsandbox::parse_iso8601(std::string(t.at("created_at").as_string()));
    };
    EXPECT_EQ(total(search("tickets", "\"created_at:>'" + day + "'\"")),
              count_where([&](const json::object& t) { return created(t) >= day_start; }));
    EXPECT_EQ(total(search("tickets", "\"created_at:<'" + day + "'\"")),
              count_where([&](const json::object& t) { return created(t) < day_start + 86400; }));
    EXPECT_EQ(total(search("tickets", "\"created_at:'" + day + "'\"")), count_where([&](const json::object& t) {
                  return created(t) >= day_start && created(t) < day_start + 86400;
              }));
    EXPECT_GT(total(search("tickets", "\"due_by:>'2000-01-01' AND updated_at:<'2999-12-31'\"")), 0);
    EXPECT_EQ(total(search("tickets", "\"fr_due_by:<'2000-01-01'\"")), 0);
    expect_error(search("tickets", "\"created_at:>'2020-13-01'\""), 400, "created_at", "invalid_value");
}

TEST_F(Search, DeletedTicketsAreNotFound) {
    sandbox->seed({.contacts = 1, .tickets = 4, .days_back = 3});
    ASSERT_EQ(del("/api/v2/tickets/1").status, 204);
    EXPECT_EQ(total(search("tickets", "\"status:2\"")), 0) << "ticket 1 was the only Open one";
}

TEST_F(Search, QueryErrors) {
    const std::string format_message =
        "Given query is invalid, expected format \"keyword:value  OPERATOR keyword:'string' "
        "OPERATOR "
        "keyword:>'yyyy-mm-dd' OPERATOR keyword:<integer\". Space is mandatory between key/value "
        "pair and operator. "
        "Please check the paranthesis if there are any.";
    expect_error(get("/api/v2/search/tickets"), 400, "query", "missing_field", "It should be a/an String");
    expect_error(search("tickets", "status:2"), 400, "query", "invalid_value", format_message);
    expect_error(search("tickets", "\"status:2AND priority:1\""), 400, "query", "invalid_value", format_message);
    expect_error(search("tickets", "\"(status:2 OR status:3\""), 400, "query", "invalid_value", format_message);
    expect_error(search("tickets", "\"status:2 AND\""), 400, "query", "invalid_value", format_message);
    expect_error(search("tickets", "\"type:Incident\""), 400, "query", "invalid_value", format_message);
    expect_error(search("tickets", "\"\""), 400, "query", "invalid_value", format_message);
    std::string long_query = "\"status:2";
    while (long_query.size() < 1 + 513 - 12)
        long_query += " OR status:2";
    long_query.resize(1 + 513, ' ');
    long_query += "\"";
    expect_error(search("tickets", long_query), 400, "query", "invalid_value",
                 "Has 513 characters, it can have maximum of 512 characters");
    expect_error(search("tickets", "\"requester_id:5\""), 400, "requester_id", "invalid_field",
                 "Unexpected/invalid field in request");
    expect_error(search("tickets", "\"priority:5\""), 400, "priority", "invalid_value",
                 "It should be one of these values: '1,2,3,4'");
    expect_error(search("tickets", "\"status:1\""), 400, "status", "invalid_value",
                 "It should be one of these values: '2,3,4,5'");
    expect_error(search("tickets", "\"type:'Bogus'\""), 400, "type", "invalid_value");
    expect_error(get("/api/v2/search/tickets?query=" + url_encode("\"status:2\"") + "&sort=asc"), 400, "sort",
                 "invalid_field");
}

TEST_F(Search, ContactsToo) {
    const std::int64_t ann =
        create_contact(R"({"name":"Ann","email":"ann@example.com","tags":["vip"],"phone":"111","active":true})");
    const std::int64_t bob = create_contact(R"({"name":"Bob","email":"bob@example.com","mobile":"222"})");
    const std::int64_t gone = create_contact(R"({"name":"Gone","email":"gone@example.com"})");
    ASSERT_EQ(del("/api/v2/contacts/" + std::to_string(gone)).status, 204);
    auto ids = [&](const std::string& query) {
        const Response response = search("contacts", query);
        EXPECT_EQ(response.status, 200) << query << ": " << response.body;
        std::vector<std::int64_t> found;
        const json::value body = parse_json(response.body);
        for (const json::value& item : body.at("results").as_array())
            found.push_back(item.at("id").as_int64());
        EXPECT_EQ(body.at("total"), static_cast<std::int64_t>(found.size()));
        return found;
    };
    EXPECT_EQ(ids("\"email:'ANN@example.com'\""), std::vector<std::int64_t>{ann});
    EXPECT_EQ(ids("\"active:true\""), std::vector<std::int64_t>{ann});
    EXPECT_EQ(ids("\"active:false\""), std::vector<std::int64_t>{bob});
    EXPECT_EQ(ids("\"tag:'vip' OR mobile:'222'\""), (std::vector<std::int64_t>{bob, ann}));
    EXPECT_EQ(ids("\"phone:null AND created_at:>'2000-01-01'\""), std::vector<std::int64_t>{bob});
    EXPECT_EQ(ids("\"email:'gone@example.com'\""), std::vector<std::int64_t>{}) << "deleted contacts are not found";
    const json::object item = parse_json(search("contacts", "\"active:true\"").body).at("results").at(0).as_object();
    EXPECT_FALSE(item.contains("other_emails")) << "list items";
    expect_error(search("contacts", "\"status:2\""), 400, "status", "invalid_field");
    expect_error(search("contacts", "\"email:'a'\"", "&page=11"), 400, "page", "invalid_value");
}

}  // namespace
}  // namespace sandbox_test
