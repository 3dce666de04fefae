// Contacts (docs/freshdesk.md, "Contacts"): create with the name and one-of rules, 409 duplicates, get,
// list with filters/ordering/pagination, update, soft delete, hard delete, restore, 405 on
// deleted contacts.
#include "sandbox_fixture.hpp"

#include <regex>

namespace sandbox_test {
namespace {

using fdtest::Response;

const std::regex kTimestamp(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");

class Contacts : public SandboxTest {
  protected:
    std::string path(std::int64_t id) { return "/api/v2/contacts/" + std::to_string(id); }
};

TEST_F(Contacts, CreateAnswers201WithLocationAndEveryField) {
    const Response response =
        post("/api/v2/contacts",
             R"({"name":"Ann Lee","email":"Ann@Example.com","phone":"+1 555 0100","address":"1 Main St",)"
             R"("twitter_id":"annlee","unique_external_id":"CRM-1","job_title":"CTO","tags":["vip"],)"
             R"("other_emails":["ann.lee@example.org"],"custom_fields":{"tier":"Gold"}})");
    ASSERT_EQ(response.status, 201) << response.body;
    const json::object contact = parse_json(response.body).as_object();
    const std::int64_t id = contact.at("id").as_int64();
    EXPECT_GE(id, 10000000000) << "a realistic 11-digit id";
    EXPECT_EQ(response.header("Location"), "https://127.0.0.1:" + std::to_string(sandbox->port()) + path(id));
    EXPECT_EQ(contact.at("name"), "Ann Lee");
    EXPECT_EQ(contact.at("email"), "ann@example.com") << "stored lower-cased";
    EXPECT_EQ(contact.at("phone"), "+1 555 0100");
    EXPECT_EQ(contact.at("address"), "1 Main St");
    EXPECT_EQ(contact.at("twitter_id"), "annlee");
    EXPECT_EQ(contact.at("unique_external_id"), "CRM-1");
    EXPECT_EQ(contact.at("job_title"), "CTO");
    EXPECT_EQ(contact.at("active"), false);
    EXPECT_EQ(contact.at("deleted"), false) << "always in the create answer";
    EXPECT_EQ(contact.at("view_all_tickets"), false);
    EXPECT_EQ(contact.at("language"), "en");
    EXPECT_TRUE(contact.at("time_zone").is_string());
    EXPECT_TRUE(contact.at("company_id").is_null());
    EXPECT_TRUE(contact.at("mobile").is_null());
    EXPECT_TRUE(contact.at("description").is_null());
    EXPECT_TRUE(contact.at("facebook_id").is_null());
    EXPECT_TRUE(contact.at("avatar").is_null());
    EXPECT_TRUE(contact.at("csat_rating").is_null());
    EXPECT_TRUE(contact.at("preferred_source").is_null());
    EXPECT_EQ(contact.at("first_name"), "Ann");
    EXPECT_EQ(contact.at("last_name"), "Lee");
    EXPECT_TRUE(contact.at("visitor_id").is_string());
    EXPECT_TRUE(contact.at("org_contact_id").is_int64());
    EXPECT_EQ(contact.at("other_emails"), parse_json(R"(["ann.lee@example.org"])"));
    EXPECT_EQ(contact.at("tags"), parse_json(R"(["vip"])"));
    EXPECT_EQ(contact.at("custom_fields"),
              parse_json(R"({"loyalty_id":null,"notes":null,"lifetime_orders":null,"newsletter":false,)"
                         R"("customer_since":null,"tier":"Gold"})"));
    EXPECT_TRUE(std::regex_match(std::string(contact.at("created_at").as_string()), kTimestamp));
    EXPECT_TRUE(std::regex_match(std::string(contact.at("updated_at").as_string()), kTimestamp));
}

TEST_F(Contacts, IdsGrow) {
    const std::int64_t first = create_contact(R"({"name":"A","email":"a@example.com"})");
    const std::int64_t second = create_contact(R"({"name":"B","phone":"123"})");
    EXPECT_EQ(second, first + 1);
}

TEST_F(Contacts, TheNameIsRequired) {
    expect_error(post("/api/v2/contacts", R"({"email":"a@example.com"})"), 400, "name", "missing_field",
                 "Mandatory attribute missing");
    expect_error(post("/api/v2/contacts", R"({"name":"  ","email":"a@example.com"})"), 400, "name", "invalid_value",
                 "It should not be blank as this is a mandatory field");
    expect_error(post("/api/v2/contacts", R"({"name":5,"email":"a@example.com"})"), 400, "name", "datatype_mismatch",
                 "Value set is of type Integer.It should be a/an String");
}

TEST_F(Contacts, OneContactDetailIsRequired) {
    expect_error(post("/api/v2/contacts", R"({"name":"A"})"), 400, "email", "missing_field",
                 "Please fill at least 1 of email, mobile, phone, twitter_id fields");
    expect_error(post("/api/v2/contacts", R"({"name":"A","phone":""})"), 400, "phone", "invalid_value");
    EXPECT_EQ(post("/api/v2/contacts", R"({"name":"A","mobile":"555"})").status, 201);
    EXPECT_EQ(post("/api/v2/contacts", R"({"name":"B","twitter_id":"bee"})").status, 201);
    EXPECT_EQ(post("/api/v2/contacts", R"({"name":"C","unique_external_id":"X-1"})").status, 201);
}

TEST_F(Contacts, AnEmptyBodyListsBothMissingRules) {
    const Response response = post("/api/v2/contacts", "{}");
    expect_error(response, 400, "name", "missing_field", "Mandatory attribute missing", 0);
    expect_error(response, 400, "email", "missing_field", "", 1);
}

TEST_F(Contacts, FieldValuesAreValidated) {
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"not-an-email"})"), 400, "email", "invalid_value",
                 "It should be in the 'valid email address' format");
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","customer_id":1})"), 400,
                 "customer_id", "invalid_field", "Unexpected/invalid field in request");
    expect_error(post("/api/v2/contacts", R"({"name":")" + std::string(256, 'n') + R"(","email":"a@example.com"})"),
                 400, "name", "invalid_value", "Has 256 characters, it can have maximum of 255 characters");
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","tags":"vip"})"), 400, "tags",
                 "datatype_mismatch", "Value set is of type String.It should be a/an Array");
    expect_error(
        post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","tags":[")" + std::string(33, 't') + R"("]})"),
        400, "tags", "invalid_value", "It should only contain elements that have maximum of 32 characters");
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","active":false})"), 400, "active",
                 "invalid_value", "Active field can only be set to true");
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","company_id":5})"), 400, "company_id",
                 "invalid_value", "There is no company matching the given company_id");
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","view_all_tickets":true})"), 400,
                 "company_id", "invalid_value", "Company ID is required for a contact to view all tickets");
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","language":"xx"})"), 400, "language",
                 "invalid_value");
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","other_emails":["bad"]})"), 400,
                 "other_emails", "invalid_value",
                 "It should contain elements that are in the 'valid email address' format");
    expect_error(post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","other_companies":[]})"), 400,
                 "other_companies", "inaccessible_field");
    const Response active = post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","active":true})");
    EXPECT_EQ(parse_json(active.body).at("active"), true);
}

TEST_F(Contacts, ADuplicateEmailIs409WithTheExistingUserId) {
    const std::int64_t existing = create_contact(R"({"name":"Ann","email":"ann@example.com"})");
    const Response response = post("/api/v2/contacts", R"({"name":"Other Ann","email":"ANN@example.com"})");
    EXPECT_EQ(response.status, 409);
    EXPECT_EQ(response.body, R"({"description":"Validation failed","errors":[{"field":"email","additional_info":)"
                             R"({"user_id":)" +
                                 std::to_string(existing) +
                                 R"(},"message":"It should be a unique value","code":"duplicate_value"}]})")
        << "exact keys, in Freshdesk's order";
}

TEST_F(Contacts, TwitterIdAndUniqueExternalIdAreUniqueToo) {
    const std::int64_t first = create_contact(R"({"name":"A","twitter_id":"same","unique_external_id":"EXT-1"})");
    const Response twitter = post("/api/v2/contacts", R"({"name":"B","twitter_id":"same"})");
    expect_error(twitter, 409, "twitter_id", "duplicate_value", "It should be a unique value");
    EXPECT_EQ(parse_json(twitter.body).at("errors").at(0).at("additional_info").at("user_id"), first);
    expect_error(post("/api/v2/contacts", R"({"name":"B","unique_external_id":"EXT-1"})"), 409, "unique_external_id",
                 "duplicate_value");
    EXPECT_EQ(post("/api/v2/contacts", R"({"name":"C","phone":"1","mobile":"1"})").status, 201);
    EXPECT_EQ(post("/api/v2/contacts", R"({"name":"D","phone":"1"})").status, 201) << "phones are not unique";
}

TEST_F(Contacts, DuplicatesAreCheckedInOrderEmailTwitterExternalId) {
    const std::int64_t by_email = create_contact(R"({"name":"A","email":"a@example.com"})");
    create_contact(R"({"name":"B","twitter_id":"bee"})");
    const Response response = post("/api/v2/contacts", R"({"name":"C","twitter_id":"bee","email":"a@example.com"})");
    expect_error(response, 409, "email", "duplicate_value");
    EXPECT_EQ(parse_json(response.body).at("errors").as_array().size(), 1u) << "the first hit wins";
    EXPECT_EQ(parse_json(response.body).at("errors").at(0).at("additional_info").at("user_id"), by_email);
}

TEST_F(Contacts, SoftDeletedContactsStillBlockDuplicates) {
    const std::int64_t gone = create_contact(R"({"name":"A","email":"a@example.com"})");
    ASSERT_EQ(del(path(gone)).status, 204);
    const Response response = post("/api/v2/contacts", R"({"name":"B","email":"a@example.com"})");
    expect_error(response, 409, "email", "duplicate_value");
    EXPECT_EQ(parse_json(response.body).at("errors").at(0).at("additional_info").at("user_id"), gone);
}

TEST_F(Contacts, GetShowsTheContactAndDeletedOnlyWhenTrue) {
    const std::int64_t id = create_contact(R"({"name":"A","email":"a@example.com"})");
    const Response response = get(path(id));
    ASSERT_EQ(response.status, 200);
    const json::object contact = parse_json(response.body).as_object();
    EXPECT_EQ(contact.at("id"), id);
    EXPECT_FALSE(contact.contains("deleted"));
    EXPECT_TRUE(contact.contains("other_emails"));
    EXPECT_TRUE(contact.contains("tags"));
    EXPECT_TRUE(contact.contains("avatar"));
    EXPECT_TRUE(contact.contains("view_all_tickets"));
    ASSERT_EQ(del(path(id)).status, 204);
    EXPECT_EQ(parse_json(get(path(id)).body).at("deleted"), true);
}

TEST_F(Contacts, AnUnknownContactIsABare404) {
    EXPECT_EQ(get(path(123)).status, 404);
    EXPECT_EQ(get(path(123)).body, " ");
    EXPECT_EQ(put(path(123), R"({"name":"x"})").status, 404);
    EXPECT_EQ(del(path(123)).status, 404);
    EXPECT_EQ(del(path(123) + "/hard_delete?force=true").status, 404);
    EXPECT_EQ(client->request("PUT", path(123) + "/restore").status, 404);
}

TEST_F(Contacts, ListIsOrderedByNameAndLeavesOutDeletedOnes) {
    create_contact(R"({"name":"carol","email":"c@example.com"})");
    create_contact(R"({"name":"Alice","email":"a@example.com"})");
    const std::int64_t bob = create_contact(R"({"name":"Bob","email":"b@example.com"})");
    const std::int64_t dave = create_contact(R"({"name":"Dave","email":"d@example.com"})");
    ASSERT_EQ(del(path(dave)).status, 204);
    const Response response = get("/api/v2/contacts");
    ASSERT_EQ(response.status, 200);
    const json::array list = parse_json(response.body).as_array();
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].at("name"), "Alice");
    EXPECT_EQ(list[1].at("name"), "Bob");
    EXPECT_EQ(list[2].at("name"), "carol");
    EXPECT_FALSE(response.has_header("Link"));
    const json::object& item = list[1].as_object();
    EXPECT_EQ(item.at("id"), bob);
    for (const char* absent : {"other_emails", "tags", "avatar", "view_all_tickets", "deleted"})
        EXPECT_FALSE(item.contains(absent)) << absent;
    EXPECT_TRUE(item.contains("company_id"));

    const json::array deleted = parse_json(get("/api/v2/contacts?state=deleted").body).as_array();
    ASSERT_EQ(deleted.size(), 1u);
    EXPECT_EQ(deleted[0].at("id"), dave);
    EXPECT_EQ(deleted[0].at("deleted"), true);
}

TEST_F(Contacts, ListFilters) {
    const std::int64_t ann =
        create_contact(R"({"name":"Ann","email":"ann@example.com","other_emails":["ann@work.example"],"phone":"111",)"
                       R"("mobile":"999","unique_external_id":"E-1","tags":["vip"]})");
    const std::int64_t bob = create_contact(R"({"name":"Bob","email":"bob@example.com","active":true})");
    auto ids = [&](const std::string& query) {
        const Response response = get("/api/v2/contacts?" + query);
        EXPECT_EQ(response.status, 200) << query << ": " << response.body;
        std::vector<std::int64_t> found;
        const json::value list = parse_json(response.body);
        for (const json::value& item : list.as_array())
            found.push_back(item.at("id").as_int64());
        return found;
    };
    EXPECT_EQ(ids("email=ann%40example.com"), std::vector<std::int64_t>{ann});
    EXPECT_EQ(ids("email=ANN@work.example"), std::vector<std::int64_t>{ann}) << "any of the contact's e-mails";
    EXPECT_EQ(ids("phone=111"), std::vector<std::int64_t>{ann});
    EXPECT_EQ(ids("mobile=999"), std::vector<std::int64_t>{ann});
    EXPECT_EQ(ids("unique_external_id=E-1"), std::vector<std::int64_t>{ann});
    EXPECT_EQ(ids("tag=vip"), std::vector<std::int64_t>{ann});
    EXPECT_EQ(ids("state=verified"), std::vector<std::int64_t>{bob});
    EXPECT_EQ(ids("state=unverified"), std::vector<std::int64_t>{ann});
    EXPECT_EQ(ids("state=blocked"), std::vector<std::int64_t>{});
    EXPECT_EQ(ids("email=ann%40example.com&phone=000"), std::vector<std::int64_t>{}) << "filters combine with AND";
    EXPECT_EQ(ids("_updated_since=2000-01-01T00:00:00Z"), (std::vector<std::int64_t>{ann, bob}));
    EXPECT_EQ(ids("_updated_since=2999-01-01"), std::vector<std::int64_t>{});
    EXPECT_EQ(ids("include=company").size(), 2u);
}

TEST_F(Contacts, ListParametersAreValidated) {
    expect_error(get("/api/v2/contacts?customer_id=1"), 400, "customer_id", "invalid_field",
                 "Unexpected/invalid field in request");
    expect_error(get("/api/v2/contacts?updated_since=2020-01-01"), 400, "updated_since", "invalid_field");
    expect_error(get("/api/v2/contacts?state=gone"), 400, "state", "invalid_value",
                 "It should be one of these values: 'verified,unverified,deleted,blocked'");
    expect_error(get("/api/v2/contacts?_updated_since=yesterday"), 400, "_updated_since", "invalid_value",
                 "It should be a valid date in the 'combined date and time ISO8601' format");
    expect_error(get("/api/v2/contacts?company_id=abc"), 400, "company_id", "datatype_mismatch",
                 "It should be a/an Positive Integer");
    expect_error(get("/api/v2/contacts?company_id=7"), 400, "company_id", "invalid_value",
                 "There is no company matching the given company_id");
    expect_error(get("/api/v2/contacts?include=tickets"), 400, "include", "invalid_value");
}

TEST_F(Contacts, PaginationWithLinkToTheNextPage) {
    for (int i = 0; i < 5; ++i)
        create_contact(R"({"name":"Person )" + std::to_string(i) + R"(","email":"p)" + std::to_string(i) +
                       R"(@example.com"})");
    const Response first = get("/api/v2/contacts?per_page=2");
    ASSERT_EQ(parse_json(first.body).as_array().size(), 2u);
    const std::string base = "https://127.0.0.1:" + std::to_string(sandbox->port());
    EXPECT_EQ(first.header("Link"), "<" + base + "/api/v2/contacts?per_page=2&page=2>; rel=\"next\"");
    const Response second = get("/api/v2/contacts?page=2&per_page=2");
    EXPECT_EQ(second.header("Link"), "<" + base + "/api/v2/contacts?page=3&per_page=2>; rel=\"next\"")
        << "existing parameters keep their order, page is replaced";
    EXPECT_EQ(parse_json(second.body).at(0).at("name"), "Person 2");
    const Response last = get("/api/v2/contacts?page=3&per_page=2");
    EXPECT_EQ(parse_json(last.body).as_array().size(), 1u);
    EXPECT_FALSE(last.has_header("Link"));
    const Response beyond = get("/api/v2/contacts?page=1000");
    EXPECT_EQ(beyond.status, 200);
    EXPECT_EQ(beyond.body, "[]");
    EXPECT_FALSE(beyond.has_header("Link"));
}

TEST_F(Contacts, FollowingLinkReachesTheSandboxAgain) {
    for (int i = 0; i < 7; ++i)
        create_contact(R"({"name":"P)" + std::to_string(i) + R"(","email":"p)" + std::to_string(i) +
                       R"(@example.com"})");
    std::string target = "/api/v2/contacts?per_page=3";
    std::size_t seen = 0;
    for (int pages = 0; pages < 10; ++pages) {
        const Response page = get(target);
        seen += parse_json(page.body).as_array().size();
        const std::string link = page.header("Link");
        if (link.empty()) break;
        const std::string url = link.substr(1, link.find('>') - 1);
        target = url.substr(url.find("/api/v2/"));
    }
    EXPECT_EQ(seen, 7u);
}

TEST_F(Contacts, PerPageAndPageAreValidated) {
    expect_error(get("/api/v2/contacts?per_page=101"), 400, "per_page", "invalid_value",
                 "It should be a Positive Integer less than or equal to 100");
    expect_error(get("/api/v2/contacts?per_page=0"), 400, "per_page", "invalid_value");
    expect_error(get("/api/v2/contacts?per_page=abc"), 400, "per_page", "datatype_mismatch",
                 "It should be a Positive Integer less than or equal to 100");
    expect_error(get("/api/v2/contacts?page=0"), 400, "page", "invalid_value", "It should be a/an Positive Integer");
    expect_error(get("/api/v2/contacts?page=x"), 400, "page", "datatype_mismatch",
                 "It should be a/an Positive Integer");
    expect_error(get("/api/v2/contacts?page=99999999999999999999"), 400, "page", "invalid_value",
                 "Has exceeded maximum limit");
    EXPECT_EQ(get("/api/v2/contacts?per_page=100").status, 200);
}

TEST_F(Contacts, UpdateChangesFieldsAndAnswersTheContact) {
    const std::int64_t id = create_contact(R"({"name":"A","email":"a@example.com"})");
    const Response response = put(path(id), R"({"name":"Ann B","email":"NEW@example.com","job_title":"Lead"})");
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object contact = parse_json(response.body).as_object();
    EXPECT_EQ(contact.at("name"), "Ann B");
    EXPECT_EQ(contact.at("email"), "new@example.com");
    EXPECT_EQ(contact.at("job_title"), "Lead");
    EXPECT_FALSE(contact.contains("deleted"));
    EXPECT_TRUE(contact.contains("other_emails"));
    EXPECT_EQ(parse_json(get(path(id)).body).at("name"), "Ann B");
}

TEST_F(Contacts, UpdateValidatesAndChecksDuplicatesAgainstOthersOnly) {
    const std::int64_t ann = create_contact(R"({"name":"Ann","email":"ann@example.com","twitter_id":"ann"})");
    create_contact(R"({"name":"Bob","email":"bob@example.com","twitter_id":"bob"})");
    EXPECT_EQ(put(path(ann), R"({"email":"ann@example.com","twitter_id":"ann"})").status, 200) << "its own values";
    expect_error(put(path(ann), R"({"twitter_id":"bob"})"), 409, "twitter_id", "duplicate_value");
    expect_error(put(path(ann), R"({"name":""})"), 400, "name", "invalid_value");
    expect_error(put(path(ann), R"({"foo":1})"), 400, "foo", "invalid_field");
    expect_error(put(path(ann), R"({"email":"","twitter_id":null})"), 400, "email", "invalid_value");
}

TEST_F(Contacts, UpdatingOrDeletingADeletedContactIs405) {
    const std::int64_t id = create_contact(R"({"name":"A","email":"a@example.com"})");
    ASSERT_EQ(del(path(id)).status, 204);
    const Response update = put(path(id), R"({"name":"B"})");
    EXPECT_EQ(update.status, 405);
    EXPECT_EQ(update.header("Allow"), "GET");
    EXPECT_EQ(parse_json(update.body),
              parse_json(R"({"message":"PUT method is not allowed. It should be one of these method(s): GET"})"));
    const Response again = del(path(id));
    EXPECT_EQ(again.status, 405);
    EXPECT_EQ(again.header("Allow"), "GET");
    EXPECT_EQ(parse_json(again.body),
              parse_json(R"({"message":"DELETE method is not allowed. It should be one of these method(s): GET"})"));
}

TEST_F(Contacts, HardDeleteNeedsForceUnlessSoftDeleted) {
    const std::int64_t kept = create_contact(R"({"name":"A","email":"a@example.com"})");
    const Response refused = del(path(kept) + "/hard_delete");
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.body, " ");
    EXPECT_EQ(get(path(kept)).status, 200);

    const Response forced = del(path(kept) + "/hard_delete?force=true");
    EXPECT_EQ(forced.status, 204);
    EXPECT_EQ(get(path(kept)).status, 404);

    const std::int64_t soft = create_contact(R"({"name":"B","email":"b@example.com"})");
    ASSERT_EQ(del(path(soft)).status, 204);
    EXPECT_EQ(del(path(soft) + "/hard_delete").status, 204);
    EXPECT_EQ(get(path(soft)).status, 404);
    EXPECT_EQ(post("/api/v2/contacts", R"({"name":"B","email":"b@example.com"})").status, 201)
        << "a purged contact no longer blocks its e-mail";
}

TEST_F(Contacts, RestoreBringsBackASoftDeletedContact) {
    const std::int64_t id = create_contact(R"({"name":"A","email":"a@example.com"})");
    EXPECT_EQ(client->request("PUT", path(id) + "/restore").status, 404) << "not deleted";
    ASSERT_EQ(del(path(id)).status, 204);
    expect_request_error(put(path(id) + "/restore", R"({"name":"x"})"), 400, "no_content_required",
                         "Content should not be sent in the request");
    const Response restored = client->request("PUT", path(id) + "/restore");
    EXPECT_EQ(restored.status, 204);
    EXPECT_FALSE(parse_json(get(path(id)).body).as_object().contains("deleted"));
    EXPECT_EQ(parse_json(get("/api/v2/contacts").body).as_array().size(), 1u);
    EXPECT_EQ(put(path(id), R"({"name":"B"})").status, 200);
}

TEST_F(Contacts, AMailerDaemonAddressIsCreatedDeleted) {
    const Response response = post("/api/v2/contacts", R"({"name":"Mailer","email":"MAILER-DAEMON@example.com"})");
    ASSERT_EQ(response.status, 201);
    EXPECT_EQ(parse_json(response.body).at("deleted"), true);
}

}  // namespace
}  // namespace sandbox_test
