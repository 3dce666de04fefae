// What list and trigger nodes rely on: the ticket list's order_by/order_type with ties kept in
// id order, updated_since inclusive, include=description; the contact list's filters and name
// order; search over contacts and tickets with the newer fields and custom fields, the same
// 30 x 10 window and the 512-character query limit; whole-second timestamps.
#include "sandbox/timestamps.hpp"
#include "sandbox_fixture.hpp"

#include <regex>

namespace sandbox_test {
namespace {

using fdtest::Response;

constexpr const char* kTicket = R"({"subject":"S","description":"<p>D</p>","email":"a@example.com","status":2,)";

class Listing : public SandboxTest {
  protected:
    Response search(const std::string& resource, const std::string& query) {
        return get("/api/v2/search/" + resource + "?query=" + url_encode(query));
    }
};

TEST_F(Listing, TicketsOrderByAnyKeyWithTiesInIdOrder) {
    for (int priority : {2, 4, 2, 1})
        create_ticket(kTicket + std::string(R"("priority":)") + std::to_string(priority) + "}");
    EXPECT_EQ(ids_of(get("/api/v2/tickets?order_by=priority&order_type=asc")), (std::vector<std::int64_t>{4, 1, 3, 2}));
    EXPECT_EQ(ids_of(get("/api/v2/tickets?order_by=priority")), (std::vector<std::int64_t>{2, 3, 1, 4}))
        << "desc by default; ties descending by id";
    EXPECT_EQ(ids_of(get("/api/v2/tickets?order_by=created_at&order_type=asc")),
              (std::vector<std::int64_t>{1, 2, 3, 4}))
        << "all created in the same second or so: ties in id order";
    for (const char* key : {"due_by", "updated_at", "status"})
        EXPECT_EQ(get(std::string("/api/v2/tickets?order_by=") + key).status, 200) << key;
    expect_error(get("/api/v2/tickets?order_by=subject"), 400, "order_by", "invalid_value",
                 "It should be one of these values: 'due_by,created_at,updated_at,priority,status'");
    expect_error(get("/api/v2/tickets?order_type=up"), 400, "order_type", "invalid_value",
                 "It should be one of these values: 'asc,desc'");
    const json::value with = parse_json(get("/api/v2/tickets?include=description").body).at(0);
    EXPECT_EQ(with.at("description"), "<p>D</p>");
    EXPECT_EQ(with.at("description_text"), "D");
    EXPECT_FALSE(parse_json(get("/api/v2/tickets").body).at(0).as_object().contains("description"));
}

TEST_F(Listing, UpdatedSinceIsInclusiveAndTimestampsAreWholeSeconds) {
    const std::int64_t id = create_ticket(kTicket + std::string(R"("priority":1})"));
    const Response first = put("/api/v2/tickets/" + std::to_string(id), R"({"priority":2})");
    const Response second = put("/api/v2/tickets/" + std::to_string(id), R"({"priority":3})");
    const std::string stamp(parse_json(second.body).at("updated_at").as_string());
    EXPECT_TRUE(std::regex_match(stamp, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << stamp;
    EXPECT_EQ(ids_of(get("/api/v2/tickets?updated_since=" + stamp)), (std::vector<std::int64_t>{id}))
        << "a change at exactly updated_since is listed";
    const std::string next_second = fdsandbox::format_timestamp(*fdsandbox::parse_iso8601(stamp) + 1);
    EXPECT_TRUE(ids_of(get("/api/v2/tickets?updated_since=" + next_second)).empty());
    (void)first;
}

TEST_F(Listing, ContactsFilterAndComeInNameOrder) {
    const std::int64_t zoe = create_contact(R"({"name":"Zoe","email":"zoe@example.com","company_id":48000000001})");
    const std::int64_t adam = create_contact(R"({"name":"adam","phone":"+1 555","mobile":"+1 666"})");
    const std::int64_t mia = create_contact(R"({"name":"Mia","email":"mia@example.com","company_id":48000000001})");
    EXPECT_EQ(ids_of(get("/api/v2/contacts")), (std::vector<std::int64_t>{adam, mia, zoe})) << "name, ignoring case";
    EXPECT_EQ(ids_of(get("/api/v2/contacts?company_id=48000000001")), (std::vector<std::int64_t>{mia, zoe}));
    EXPECT_EQ(ids_of(get("/api/v2/contacts?email=ZOE%40example.com")), (std::vector<std::int64_t>{zoe}));
    EXPECT_EQ(ids_of(get("/api/v2/contacts?phone=%2B1%20555")), (std::vector<std::int64_t>{adam}));
    EXPECT_EQ(ids_of(get("/api/v2/contacts?mobile=%2B1%20666")), (std::vector<std::int64_t>{adam}));
    EXPECT_EQ(ids_of(get("/api/v2/contacts?state=unverified")).size(), 3u);
    EXPECT_EQ(ids_of(get("/api/v2/contacts?_updated_since=2000-01-01T00:00:00Z")).size(), 3u);
    EXPECT_TRUE(ids_of(get("/api/v2/contacts?_updated_since=2100-01-01")).empty());
    ASSERT_EQ(del("/api/v2/contacts/" + std::to_string(mia)).status, 204);
    EXPECT_EQ(ids_of(get("/api/v2/contacts?state=deleted")), (std::vector<std::int64_t>{mia}));
    expect_error(get("/api/v2/contacts?company_id=99"), 400, "company_id", "invalid_value",
                 "There is no company matching the given company_id");
}

TEST_F(Listing, SearchContactsByTheirFieldsAndCustomFields) {
    const std::int64_t ann = create_contact(R"({"name":"Ann","email":"ann@example.com","mobile":"07700",)"
                                            R"("company_id":48000000002,"custom_fields":{"tier":"Gold",)"
                                            R"("lifetime_orders":12,"newsletter":true,"loyalty_id":"L-1"}})");
    create_contact(R"({"name":"Bob","phone":"0200","custom_fields":{"tier":"Bronze"}})");
    auto found = [&](const std::string& query) { return ids_of(search("contacts", query)); };
    EXPECT_EQ(found("\"email:'ann@example.com'\""), (std::vector<std::int64_t>{ann}));
    EXPECT_EQ(found("\"mobile:'07700'\""), (std::vector<std::int64_t>{ann}));
    EXPECT_EQ(found("\"company_id:48000000002\""), (std::vector<std::int64_t>{ann}));
    EXPECT_EQ(found("\"tier:'Gold'\""), (std::vector<std::int64_t>{ann}));
    EXPECT_EQ(found("\"lifetime_orders:>10 AND newsletter:true\""), (std::vector<std::int64_t>{ann}));
    EXPECT_EQ(found("\"loyalty_id:'L-1'\""), (std::vector<std::int64_t>{ann}));
    EXPECT_EQ(found("\"active:false\"").size(), 2u);
    EXPECT_EQ(found("\"created_at:>'2000-01-01'\"").size(), 2u);
    expect_error(search("contacts", "\"tier:'Platinum'\""), 400, "tier", "invalid_value",
                 "It should be one of these values: 'Bronze,Silver,Gold'");
    expect_error(search("contacts", "\"customer_since:'2020-01-01'\""), 400, "customer_since", "invalid_field");
    expect_error(get("/api/v2/search/contacts?query=" + url_encode("\"email:'a@b.c'\"") + "&page=11"), 400, "page",
                 "invalid_value", "It should be a Positive Integer less than or equal to 10");
    expect_error(search("contacts", "\"" + std::string(513, 'x') + "\""), 400, "query", "invalid_value",
                 "Has 513 characters, it can have maximum of 512 characters");
}

TEST_F(Listing, SearchTicketsByTheNewerFieldsAndCustomFields) {
    create_ticket(kTicket +
                  std::string(R"("priority":1,"type":"Incident","tags":["vip"],"group_id":47000000202,)"
                              R"("responder_id":46000000002,"custom_fields":{"cf_product_line":"Software",)"
                              R"("cf_units_affected":5,"cf_refund_requested":true,"cf_order_number":"A-9"}})"));
    create_ticket(kTicket + std::string(R"("priority":1})"));
    auto found = [&](const std::string& query) { return ids_of(search("tickets", query)); };
    EXPECT_EQ(found("\"type:'Incident' AND tag:'vip'\""), (std::vector<std::int64_t>{1}));
    EXPECT_EQ(found("\"group_id:47000000202 AND agent_id:46000000002\""), (std::vector<std::int64_t>{1}));
    EXPECT_EQ(found("\"cf_product_line:'Software'\""), (std::vector<std::int64_t>{1}));
    EXPECT_EQ(found("\"cf_units_affected:<5 AND cf_refund_requested:true\""), (std::vector<std::int64_t>{1}));
    EXPECT_EQ(found("\"cf_order_number:'a-9'\""), (std::vector<std::int64_t>{1}));
    EXPECT_EQ(found("\"cf_product_line:null\""), (std::vector<std::int64_t>{2}));
    EXPECT_EQ(found("\"due_by:>'2000-01-01' AND fr_due_by:>'2000-01-01' AND created_at:>'2000-01-01'\"").size(), 2u);
    expect_error(search("tickets", "\"cf_purchase_date:'2024-01-01'\""), 400, "cf_purchase_date", "invalid_field");
    expect_error(search("tickets", "\"cf_product_line:'Toys'\""), 400, "cf_product_line", "invalid_value");
}

}  // namespace
}  // namespace sandbox_test
