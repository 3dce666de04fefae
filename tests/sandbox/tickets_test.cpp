// Tickets (docs/freshdesk.md, "Tickets"): create with the required fields, requester by e-mail, 201
// with Location, SLA due dates; get with includes; list with its allowed parameters, default
// one-month window, ordering, page cap and Link; update; soft delete; restore; 405 after delete.
#include "sandbox/timestamps.hpp"
#include "sandbox_fixture.hpp"

#include <regex>
#include <set>

namespace sandbox_test {
namespace {

using fdtest::Response;

constexpr const char* kValidTicket =
    R"({"subject":"Printer on fire","description":"<div>It <b>burns</b> &amp; smokes</div>",)"
    R"("email":"Customer@Example.com","status":2,"priority":1})";

fdsandbox::UnixSeconds time_of(const json::value& text) {
    return *fdsandbox::parse_iso8601(std::string(text.as_string()));
}

class Tickets : public SandboxTest {
  protected:
    std::string path(std::int64_t id) { return "/api/v2/tickets/" + std::to_string(id); }
};

TEST_F(Tickets, CreateAnswers201WithLocationAndEveryField) {
    const Response response = post("/api/v2/tickets", kValidTicket);
    ASSERT_EQ(response.status, 201) << response.body;
    const json::object ticket = parse_json(response.body).as_object();
    EXPECT_EQ(ticket.at("id"), 1) << "display ids start at 1";
    EXPECT_EQ(response.header("Location"), "https://127.0.0.1:" + std::to_string(sandbox->port()) + path(1));
    EXPECT_EQ(ticket.at("subject"), "Printer on fire");
    EXPECT_EQ(ticket.at("description"), "<div>It <b>burns</b> &amp; smokes</div>");
    EXPECT_EQ(ticket.at("description_text"), "It burns & smokes");
    EXPECT_EQ(ticket.at("status"), 2);
    EXPECT_EQ(ticket.at("priority"), 1);
    EXPECT_EQ(ticket.at("source"), 2);
    EXPECT_TRUE(ticket.at("type").is_null());
    for (const char* key :
         {"cc_emails", "fwd_emails", "reply_cc_emails", "ticket_cc_emails", "ticket_bcc_emails", "tags", "attachments"})
        EXPECT_EQ(ticket.at(key), json::array()) << key;
    for (const char* key :
         {"responder_id", "group_id", "company_id", "product_id", "email_config_id", "to_emails", "association_type",
          "support_email", "source_additional_info", "nr_due_by", "structured_description"})
        EXPECT_TRUE(ticket.at(key).is_null()) << key;
    for (const char* key : {"fr_escalated", "is_escalated", "spam", "nr_escalated"})
        EXPECT_EQ(ticket.at(key), false) << key;
    EXPECT_EQ(ticket.at("custom_fields"),
              parse_json(R"({"cf_order_number":null,"cf_steps_to_reproduce":null,"cf_units_affected":null,)"
                         R"("cf_refund_requested":false,"cf_purchase_date":null,"cf_product_line":null})"))
        << "every custom field of the account, unset ones empty";
    EXPECT_TRUE(ticket.at("form_id").is_int64());
    EXPECT_FALSE(ticket.contains("deleted"));
    EXPECT_FALSE(ticket.contains("requester"));
    EXPECT_FALSE(ticket.contains("associated_tickets_count"));
    const std::regex timestamp(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
    for (const char* key : {"created_at", "updated_at", "due_by", "fr_due_by"})
        EXPECT_TRUE(std::regex_match(std::string(ticket.at(key).as_string()), timestamp)) << key;

    // The unknown e-mail became a contact, the ticket's requester.
    const std::int64_t requester = ticket.at("requester_id").as_int64();
    const json::value contact = parse_json(get("/api/v2/contacts/" + std::to_string(requester)).body);
    EXPECT_EQ(contact.at("email"), "customer@example.com");
    EXPECT_EQ(contact.at("name"), "customer");
    EXPECT_EQ(create_ticket(kValidTicket), 2) << "ids grow";
}

TEST_F(Tickets, DueDatesFollowTheDefaultSlaPolicy) {
    const int first_response_hours[] = {24, 8, 4, 1};
    const int resolution_hours[] = {72, 24, 12, 4};
    for (int priority = 1; priority <= 4; ++priority) {
        const Response response = post("/api/v2/tickets", R"({"subject":"S","description":"D","email":"a@example.com",)"
                                                          R"("status":2,"priority":)" +
                                                              std::to_string(priority) + "}");
        const json::value ticket = parse_json(response.body);
        const fdsandbox::UnixSeconds created = time_of(ticket.at("created_at"));
        EXPECT_EQ(time_of(ticket.at("fr_due_by")) - created, first_response_hours[priority - 1] * 3600) << priority;
        EXPECT_EQ(time_of(ticket.at("due_by")) - created, resolution_hours[priority - 1] * 3600) << priority;
    }
}

TEST_F(Tickets, ExplicitDueDatesAreValidatedAndKept) {
    const std::string future_due = fdsandbox::format_timestamp(fdsandbox::now_unix_seconds() + 10 * 86400);
    const std::string future_first = fdsandbox::format_timestamp(fdsandbox::now_unix_seconds() + 86400);
    const std::string base = R"({"subject":"S","description":"D","email":"a@example.com","status":2,"priority":1,)";
    const Response ok =
        post("/api/v2/tickets", base + R"("due_by":")" + future_due + R"(","fr_due_by":")" + future_first + R"("})");
    ASSERT_EQ(ok.status, 201) << ok.body;
    EXPECT_EQ(parse_json(ok.body).at("due_by"), future_due.c_str());
    EXPECT_EQ(parse_json(ok.body).at("fr_due_by"), future_first.c_str());
    expect_error(post("/api/v2/tickets", base + R"("due_by":")" + future_due + R"("})"), 400, "fr_due_by",
                 "missing_field", "It should not be blank if due_by is given");
    expect_error(
        post("/api/v2/tickets", base + R"("due_by":"2001-01-01T00:00:00Z","fr_due_by":"2000-01-01T00:00:00Z"})"), 400,
        "due_by", "invalid_value", "Has to be greater than ticket creation time");
    expect_error(
        post("/api/v2/tickets", base + R"("due_by":")" + future_first + R"(","fr_due_by":")" + future_due + R"("})"),
        400, "fr_due_by", "invalid_value", "fr_due_by should be lesser than the ticket's due_by");
    expect_error(post("/api/v2/tickets", base + R"("due_by":"soon","fr_due_by":")" + future_first + R"("})"), 400,
                 "due_by", "invalid_value", "It should be a valid date in the 'combined date and time ISO8601' format");
}

TEST_F(Tickets, TheDefaultAccountRequiresSubjectDescriptionStatusPriorityAndARequester) {
    const Response response = post("/api/v2/tickets", "{}");
    EXPECT_EQ(response.status, 400);
    std::map<std::string, std::pair<std::string, std::string>> errors;
    const json::value body = parse_json(response.body);
    for (const json::value& error : body.at("errors").as_array())
        errors[std::string(error.at("field").as_string())] = {std::string(error.at("code").as_string()),
                                                              std::string(error.at("message").as_string())};
    ASSERT_EQ(errors.size(), 5u) << response.body;
    EXPECT_EQ(errors["requester_id"].first, "missing_field");
    EXPECT_EQ(errors["requester_id"].second,
              "Please fill at least 1 of requester_id, phone, email, twitter_id, facebook_id fields");
    EXPECT_EQ(errors["subject"], std::make_pair(std::string("missing_field"), std::string("It should be a/an String")));
    EXPECT_EQ(errors["description"],
              std::make_pair(std::string("missing_field"), std::string("It should be a/an String")));
    EXPECT_EQ(errors["status"],
              std::make_pair(std::string("missing_field"), std::string("It should be one of these values: '2,3,4,5'")));
    EXPECT_EQ(errors["priority"],
              std::make_pair(std::string("missing_field"), std::string("It should be one of these values: '1,2,3,4'")));
    expect_error(post("/api/v2/tickets", R"({"description":"D","email":"a@example.com","status":2,"priority":1})"), 400,
                 "subject", "missing_field", "It should be a/an String");
}

class RelaxedTickets : public SandboxTest {
  protected:
    fdsandbox::Config make_config() override {
        fdsandbox::Config config;
        config.relaxed_ticket_fields = true;
        return config;
    }
};

TEST_F(RelaxedTickets, RelaxedModeAppliesTheDocumentedDefaults) {
    const Response response = post("/api/v2/tickets", R"({"email":"a@example.com"})");
    ASSERT_EQ(response.status, 201) << response.body;
    const json::value ticket = parse_json(response.body);
    EXPECT_EQ(ticket.at("status"), 2);
    EXPECT_EQ(ticket.at("priority"), 1);
    EXPECT_EQ(ticket.at("source"), 2);
    EXPECT_EQ(ticket.at("subject"), "");
    expect_error(post("/api/v2/tickets", "{}"), 400, "requester_id", "missing_field");
}

TEST_F(Tickets, TheRequesterIsResolvedOrCreated) {
    const std::int64_t ann = create_contact(R"({"name":"Ann","email":"ann@example.com","twitter_id":"ann_t"})");
    auto requester_of = [&](const std::string& identity) {
        const Response response =
            post("/api/v2/tickets", R"({"subject":"S","description":"D","status":2,"priority":1,)" + identity + "}");
        EXPECT_EQ(response.status, 201) << response.body;
        return parse_json(response.body).at("requester_id").as_int64();
    };
    EXPECT_EQ(requester_of(R"("email":"ANN@example.com")"), ann) << "reused, case-insensitively";
    EXPECT_EQ(requester_of(R"("requester_id":)" + std::to_string(ann)), ann);
    EXPECT_EQ(requester_of(R"("twitter_id":"ann_t")"), ann);
    const std::int64_t by_phone = requester_of(R"("phone":"+44 20 7946 0000","name":"Caller")");
    EXPECT_NE(by_phone, ann);
    EXPECT_EQ(parse_json(get("/api/v2/contacts/" + std::to_string(by_phone)).body).at("name"), "Caller");
    EXPECT_EQ(requester_of(R"("phone":"+44 20 7946 0000","name":"Caller")"), by_phone);

    expect_error(post("/api/v2/tickets", R"({"subject":"S","description":"D","status":2,"priority":1,"phone":"1"})"),
                 400, "name", "missing_field", "It should not be blank if phone is only given");
    expect_error(
        post("/api/v2/tickets", R"({"subject":"S","description":"D","status":2,"priority":1,"requester_id":42})"), 400,
        "requester_id", "invalid_value", "There is no contact matching the given requester_id");
}

TEST_F(Tickets, FieldValuesAreValidated) {
    const std::string base = R"({"subject":"S","description":"D","email":"a@example.com",)";
    expect_error(post("/api/v2/tickets", base + R"("status":"2","priority":1})"), 400, "status", "datatype_mismatch",
                 "Value set is of type String.It should be one of these values: '2,3,4,5'");
    expect_error(post("/api/v2/tickets", base + R"("status":9,"priority":1})"), 400, "status", "invalid_value",
                 "It should be one of these values: '2,3,4,5'");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":7})"), 400, "priority", "invalid_value",
                 "It should be one of these values: '1,2,3,4'");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":1,"source":4})"), 400, "source",
                 "invalid_value", "It should be one of these values: '1,2,3,5,6,7,8,9,11,10'");
    expect_error(post("/api/v2/tickets", R"({"subject":")" + std::string(300, 's') +
                                             R"(","description":"D","email":"a@example.com","status":2,"priority":1})"),
                 400, "subject", "invalid_value", "Has 300 characters, it can have maximum of 255 characters");
    expect_error(post("/api/v2/tickets", R"({"subject":"S","description":"D","email":"nope","status":2,"priority":1})"),
                 400, "email", "invalid_value", "It should be in the 'valid email address' format");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":1,"cc_emails":["x"]})"), 400, "cc_emails",
                 "invalid_value", "It should contain elements that are in the 'valid email address' format");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":1,"description_html":"<b>x</b>"})"), 400,
                 "description_html", "invalid_field", "Unexpected/invalid field in request");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":1,"type":"Bogus"})"), 400, "type",
                 "invalid_value", "It should be one of these values: 'Question,Incident,Problem,Feature Request'");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":1,"responder_id":5})"), 400, "responder_id",
                 "invalid_value", "There is no agent matching the given responder_id");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":1,"group_id":"x"})"), 400, "group_id",
                 "datatype_mismatch", "Value set is of type String.It should be a/an Positive Integer");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":1,"tags":["a,b"]})"), 400, "tags",
                 "invalid_value");
    expect_error(post("/api/v2/tickets", base + R"("status":2,"priority":1,"parent_id":1})"), 400, "parent_id",
                 "inaccessible_field");

    const Response full = post("/api/v2/tickets", base + R"("status":3,"priority":4,"source":7,"type":"Incident",)"
                                                         R"("tags":["vip"],"cc_emails":["c@example.com"],)"
                                                         R"("custom_fields":{"cf_product_line":"Hardware"}})");
    ASSERT_EQ(full.status, 201) << full.body;
    const json::value ticket = parse_json(full.body);
    EXPECT_EQ(ticket.at("type"), "Incident");
    EXPECT_EQ(ticket.at("source"), 7);
    EXPECT_EQ(ticket.at("tags"), parse_json(R"(["vip"])"));
    EXPECT_EQ(ticket.at("cc_emails"), parse_json(R"(["c@example.com"])"));
    EXPECT_EQ(ticket.at("custom_fields").at("cf_product_line"), "Hardware");
}

TEST_F(Tickets, GetShowsTheTicketWithIncludesAtTheirCredits) {
    create_ticket(kValidTicket);
    const Response plain = get(path(1));
    ASSERT_EQ(plain.status, 200);
    EXPECT_EQ(plain.header("X-RateLimit-Used-CurrentRequest"), "1");
    EXPECT_TRUE(parse_json(plain.body).as_object().contains("description"));

    const Response included = get(path(1) + "?include=requester,stats,company,conversations,sla_policy");
    ASSERT_EQ(included.status, 200) << included.body;
    EXPECT_EQ(included.header("X-RateLimit-Used-CurrentRequest"), "6");
    const json::object ticket = parse_json(included.body).as_object();
    EXPECT_EQ(ticket.at("requester").at("email"), "customer@example.com");
    for (const char* key : {"id", "name", "email", "mobile", "phone"})
        EXPECT_TRUE(ticket.at("requester").as_object().contains(key)) << key;
    for (const char* key : {"agent_responded_at", "requester_responded_at", "first_responded_at", "status_updated_at",
                            "reopened_at", "resolved_at", "closed_at", "pending_since"})
        EXPECT_TRUE(ticket.at("stats").as_object().contains(key)) << key;
    EXPECT_EQ(ticket.at("company"), json::object());
    EXPECT_EQ(ticket.at("conversations"), json::array());
    EXPECT_TRUE(ticket.at("sla_policy").is_object());

    expect_error(get(path(1) + "?include=everything"), 400, "include", "invalid_value",
                 "It should be one of these values: 'conversations, requester, company, stats, sla_policy'");
    expect_error(get(path(1) + "?fields=subject"), 400, "fields", "invalid_field");
    EXPECT_EQ(get(path(99)).status, 404);
    EXPECT_EQ(get(path(99)).body, " ");
}

TEST_F(Tickets, ListItemsCarryNoDescriptionUnlessIncluded) {
    create_ticket(kValidTicket);
    const Response plain = get("/api/v2/tickets");
    const json::object item = parse_json(plain.body).at(0).as_object();
    EXPECT_FALSE(item.contains("description"));
    EXPECT_FALSE(item.contains("description_text"));
    EXPECT_FALSE(item.contains("attachments"));
    EXPECT_TRUE(item.contains("associated_tickets_count"));
    EXPECT_EQ(plain.header("X-RateLimit-Used-CurrentRequest"), "1");

    const Response described = get("/api/v2/tickets?include=description,requester");
    const json::object with = parse_json(described.body).at(0).as_object();
    EXPECT_EQ(with.at("description_text"), "It burns & smokes");
    EXPECT_TRUE(with.contains("requester"));
    EXPECT_EQ(described.header("X-RateLimit-Used-CurrentRequest"), "5") << "2 credits per include";
    expect_error(get("/api/v2/tickets?include=conversations"), 400, "include", "invalid_value",
                 "It should be one of these values: 'requester, stats, company, description'");
}

TEST_F(Tickets, StatusAndPriorityAreNotListFilters) {
    const Response response = get("/api/v2/tickets?status=2&priority=1");
    expect_error(response, 400, "status", "invalid_field", "Unexpected/invalid field in request", 0);
    expect_error(response, 400, "priority", "invalid_field", "Unexpected/invalid field in request", 1);
    expect_error(get("/api/v2/tickets?filter_name=all"), 400, "filter_name", "invalid_field");
}

TEST_F(Tickets, WithoutFiltersOnlyTheLastMonthIsListed) {
    sandbox->seed({.contacts = 3, .tickets = 91, .days_back = 90});
    const Response all = get("/api/v2/tickets?updated_since=2000-01-01&per_page=100");
    ASSERT_EQ(ids_of(all).size(), 91u) << "updated_since lifts the window";
    const fdsandbox::UnixSeconds window_start =
        fdsandbox::one_month_earlier(fdsandbox::start_of_utc_day(fdsandbox::now_unix_seconds()));
    std::set<std::int64_t> recent;
    const json::value all_items = parse_json(all.body);
    for (const json::value& ticket : all_items.as_array())
        if (time_of(ticket.at("created_at")) > window_start) recent.insert(ticket.at("id").as_int64());
    ASSERT_GT(recent.size(), 20u);
    ASSERT_LT(recent.size(), 40u);

    const std::vector<std::int64_t> listed = ids_of(get("/api/v2/tickets?per_page=100"));
    EXPECT_EQ(std::set<std::int64_t>(listed.begin(), listed.end()), recent);
    const std::int64_t requester = parse_json(get(path(1)).body).at("requester_id").as_int64();
    EXPECT_EQ(ids_of(get("/api/v2/tickets?per_page=100&requester_id=" + std::to_string(requester))).size(), 31u)
        << "a requester filter lifts the window too (91 tickets over 3 requesters)";
}

TEST_F(Tickets, ListOrderingDefaultsToNewestFirst) {
    sandbox->seed({.contacts = 2, .tickets = 8, .days_back = 7});
    EXPECT_EQ(ids_of(get("/api/v2/tickets")), (std::vector<std::int64_t>{8, 7, 6, 5, 4, 3, 2, 1}));
    EXPECT_EQ(ids_of(get("/api/v2/tickets?order_type=asc")), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
    // Statuses cycle 2,3,4,5; priorities 1 for the first four, 2 for the next four.
    EXPECT_EQ(ids_of(get("/api/v2/tickets?order_by=status&order_type=asc")),
              (std::vector<std::int64_t>{1, 5, 2, 6, 3, 7, 4, 8}));
    EXPECT_EQ(ids_of(get("/api/v2/tickets?order_by=priority")), (std::vector<std::int64_t>{8, 7, 6, 5, 4, 3, 2, 1}));
    expect_error(get("/api/v2/tickets?order_by=subject"), 400, "order_by", "invalid_value",
                 "It should be one of these values: 'due_by,created_at,updated_at,priority,status'");
    expect_error(get("/api/v2/tickets?order_type=up"), 400, "order_type", "invalid_value",
                 "It should be one of these values: 'asc,desc'");
    EXPECT_EQ(get("/api/v2/tickets?order_by=updated_at").status, 200);
    EXPECT_EQ(get("/api/v2/tickets?order_by=due_by").status, 200);
}

TEST_F(Tickets, ListFilters) {
    sandbox->seed({.contacts = 2, .tickets = 8, .days_back = 7});
    ASSERT_EQ(del(path(2)).status, 204);
    EXPECT_EQ(ids_of(get("/api/v2/tickets?filter=deleted")), std::vector<std::int64_t>{2});
    EXPECT_EQ(ids_of(get("/api/v2/tickets")).size(), 7u) << "deleted tickets are left out";
    EXPECT_EQ(ids_of(get("/api/v2/tickets?filter=spam")), std::vector<std::int64_t>{});
    EXPECT_EQ(ids_of(get("/api/v2/tickets?filter=watching")), std::vector<std::int64_t>{});
    for (std::int64_t id : ids_of(get("/api/v2/tickets?filter=new_and_my_open"))) {
        const json::value ticket = parse_json(get(path(id)).body);
        EXPECT_EQ(ticket.at("status"), 2);
        EXPECT_TRUE(ticket.at("responder_id").is_null() || ticket.at("responder_id") == 47000000000);
    }
    expect_error(get("/api/v2/tickets?filter=mine"), 400, "filter", "invalid_value",
                 "It should be one of these values: 'new_and_my_open,watching,spam,deleted'");

    const json::value first = parse_json(get(path(1)).body);
    const std::int64_t requester = first.at("requester_id").as_int64();
    const std::string email(
        parse_json(get("/api/v2/contacts/" + std::to_string(requester)).body).at("email").as_string());
    EXPECT_EQ(ids_of(get("/api/v2/tickets?email=" + email)).size(), 4u);
    EXPECT_EQ(ids_of(get("/api/v2/tickets?requester_id=" + std::to_string(requester))).size(), 4u);
    expect_error(get("/api/v2/tickets?email=nobody@example.com"), 400, "email", "invalid_value",
                 "There is no contact matching the given email");
    expect_error(get("/api/v2/tickets?requester_id=x"), 400, "requester_id", "datatype_mismatch",
                 "It should be a/an Positive Integer");
    expect_error(get("/api/v2/tickets?requester_id=5"), 400, "requester_id", "invalid_value",
                 "There is no contact matching the given requester_id");
    expect_error(get("/api/v2/tickets?company_id=5"), 400, "company_id", "invalid_value",
                 "There is no company matching the given company_id");
    expect_error(get("/api/v2/tickets?updated_since=last-week"), 400, "updated_since", "invalid_value",
                 "It should be a valid date in the 'combined date and time ISO8601' format");
    EXPECT_EQ(ids_of(get("/api/v2/tickets?updated_since=2999-01-01T00:00:00%2B05:30")).size(), 0u);
}

TEST_F(Tickets, PaginationIsCappedAt300PagesAndLinksTheNextPage) {
    sandbox->seed({.contacts = 1, .tickets = 5, .days_back = 3});
    const Response first = get("/api/v2/tickets?per_page=2");
    EXPECT_EQ(ids_of(first), (std::vector<std::int64_t>{5, 4}));
    EXPECT_EQ(first.header("Link"), "<https://127.0.0.1:" + std::to_string(sandbox->port()) +
                                        "/api/v2/tickets?per_page=2&page=2>; rel=\"next\"");
    EXPECT_FALSE(get("/api/v2/tickets?per_page=2&page=3").has_header("Link"));
    expect_error(get("/api/v2/tickets?page=301"), 400, "page", "invalid_value",
                 "You cannot access tickets beyond the 300th page. Please provide a smaller page number.");
    EXPECT_EQ(get("/api/v2/tickets?page=300").body, "[]");
    expect_error(get("/api/v2/tickets?per_page=101"), 400, "per_page", "invalid_value",
                 "It should be a Positive Integer less than or equal to 100");
}

TEST_F(Tickets, UpdateChangesTheTicket) {
    create_ticket(kValidTicket);
    const json::value before = parse_json(get(path(1)).body);
    const Response response =
        put(path(1), R"({"subject":"Printer fixed","description":"<p>Done</p>","status":4,"priority":4,)"
                     R"("type":"Problem","tags":["hw"],"group_id":47000000201,"responder_id":46000000001})");
    ASSERT_EQ(response.status, 200) << response.body;
    const json::object ticket = parse_json(response.body).as_object();
    EXPECT_EQ(ticket.at("subject"), "Printer fixed");
    EXPECT_EQ(ticket.at("description_text"), "Done");
    EXPECT_EQ(ticket.at("status"), 4);
    EXPECT_EQ(ticket.at("priority"), 4);
    EXPECT_EQ(ticket.at("type"), "Problem");
    EXPECT_EQ(ticket.at("group_id"), 47000000201);
    EXPECT_EQ(ticket.at("responder_id"), 46000000001);
    EXPECT_TRUE(ticket.contains("attachments"));
    EXPECT_FALSE(ticket.contains("requester"));
    EXPECT_EQ(time_of(ticket.at("due_by")) - time_of(before.at("created_at")), 4 * 3600)
        << "an urgent ticket's SLA after the priority change";
    const json::value stats = parse_json(get(path(1) + "?include=stats").body).at("stats");
    EXPECT_FALSE(stats.at("resolved_at").is_null());
    EXPECT_FALSE(stats.at("status_updated_at").is_null());

    const std::int64_t other = create_contact(R"({"name":"Zed","email":"zed@example.com"})");
    EXPECT_EQ(parse_json(put(path(1), R"({"email":"zed@example.com"})").body).at("requester_id"), other)
        << "a new e-mail re-resolves the requester";
}

TEST_F(Tickets, UpdateValidates) {
    create_ticket(kValidTicket);
    expect_error(put(path(1), R"({"status":1})"), 400, "status", "invalid_value",
                 "It should be one of these values: '2,3,4,5'");
    expect_error(put(path(1), R"({"cc_emails":["a@example.com"]})"), 400, "cc_emails", "invalid_field");
    expect_error(put(path(1), R"({"source":13})"), 400, "source", "invalid_value",
                 "It should be one of these values: '1,2,3,5,6,7,8,9,11,10,12'");
    EXPECT_EQ(put(path(1), R"({"source":12})").status, 200);
    EXPECT_EQ(put(path(9), R"({"status":3})").status, 404);
}

TEST_F(Tickets, DeleteIsSoftAndADeletedTicketRefusesChanges) {
    create_ticket(kValidTicket);
    EXPECT_EQ(del(path(1)).status, 204);
    const Response shown = get(path(1));
    EXPECT_EQ(shown.status, 200);
    EXPECT_EQ(parse_json(shown.body).at("deleted"), true);
    const Response update = put(path(1), R"({"status":3})");
    EXPECT_EQ(update.status, 405);
    EXPECT_EQ(update.header("Allow"), "GET");
    EXPECT_EQ(parse_json(update.body),
              parse_json(R"({"message":"PUT method is not allowed. It should be one of these method(s): GET"})"));
    const Response again = del(path(1));
    EXPECT_EQ(again.status, 405);
    EXPECT_EQ(parse_json(again.body),
              parse_json(R"({"message":"DELETE method is not allowed. It should be one of these method(s): GET"})"));
    EXPECT_EQ(del(path(2)).status, 404);
}

TEST_F(Tickets, RestoreUndeletes) {
    create_ticket(kValidTicket);
    EXPECT_EQ(client->request("PUT", path(1) + "/restore").status, 404) << "not deleted";
    ASSERT_EQ(del(path(1)).status, 204);
    expect_request_error(put(path(1) + "/restore", R"({"status":2})"), 400, "no_content_required",
                         "Content should not be sent in the request");
    EXPECT_EQ(client->request("PUT", path(1) + "/restore").status, 204);
    EXPECT_FALSE(parse_json(get(path(1)).body).as_object().contains("deleted"));
    EXPECT_EQ(put(path(1), R"({"status":3})").status, 200);
    EXPECT_EQ(client->request("PUT", path(7) + "/restore").status, 404);
}

}  // namespace
}  // namespace sandbox_test
