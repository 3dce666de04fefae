// Validation as Freshdesk does it on create and update: every unknown field (top level and
// inside custom_fields) in one errors array; the value errors together; references that name
// nothing together with Freshdesk's "There is no ... matching the given ..." messages; the
// new ticket and contact fields; the ticket list's page cap and filters.
#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

using fdtest::Response;
using Error = std::tuple<std::string, std::string, std::string>;

constexpr const char* kTicketBase =
    R"({"subject":"S","description":"D","email":"a@example.com","status":2,"priority":1)";

class Validation : public SandboxTest {};

TEST_F(Validation, EveryUnknownFieldIsListedInOneArray) {
    const Response response = post(
        "/api/v2/tickets", std::string(kTicketBase) +
                               R"(,"description_html":"x","colour":"red","custom_fields":{"cf_nope":1,"cf_no":2}})");
    ASSERT_EQ(response.status, 400) << response.body;
    const std::string unexpected = "Unexpected/invalid field in request";
    EXPECT_EQ(errors_of(response), (std::vector<Error>{{"description_html", "invalid_field", unexpected},
                                                       {"colour", "invalid_field", unexpected},
                                                       {"cf_nope", "invalid_field", unexpected},
                                                       {"cf_no", "invalid_field", unexpected}}));
    const Response contact = post("/api/v2/contacts", R"({"name":"A","email":"a@example.com","nick":"x","age":3})");
    EXPECT_EQ(errors_of(contact).size(), 2u) << contact.body;
}

TEST_F(Validation, ReferencesThatNameNothingAreReportedTogether) {
    const Response response = post("/api/v2/tickets", R"({"subject":"S","description":"D","status":2,"priority":1,)"
                                                      R"("requester_id":99,"group_id":98,"responder_id":97,)"
                                                      R"("company_id":96,"custom_fields":{"cf_product_line":"Toys"}})");
    ASSERT_EQ(response.status, 400) << response.body;
    EXPECT_EQ(
        errors_of(response),
        (std::vector<Error>{{"requester_id", "invalid_value", "There is no contact matching the given requester_id"},
                            {"responder_id", "invalid_value", "There is no agent matching the given responder_id"},
                            {"group_id", "invalid_value", "There is no group matching the given group_id"},
                            {"company_id", "invalid_value", "There is no company matching the given company_id"},
                            {"custom_fields.cf_product_line", "invalid_value",
                             "It should be one of these values: 'Hardware,Software,Services'"}}));
    // A value error is reported first, alone with the other value errors.
    const Response typed = post("/api/v2/tickets", R"({"subject":"S","description":"D","email":"a@example.com",)"
                                                   R"("status":2,"priority":9,"group_id":98})");
    EXPECT_EQ(errors_of(typed),
              (std::vector<Error>{{"priority", "invalid_value", "It should be one of these values: '1,2,3,4'"}}));
    expect_error(put("/api/v2/tickets/" + std::to_string(create_ticket(std::string(kTicketBase) + "}")),
                     R"({"responder_id":12345})"),
                 400, "responder_id", "invalid_value", "There is no agent matching the given responder_id");
}

TEST_F(Validation, NewTicketFieldsAreStored) {
    const Response created =
        post("/api/v2/tickets", std::string(kTicketBase) +
                                    R"(,"type":"Problem","tags":["hw","vip"],"cc_emails":["c@example.com"],)"
                                    R"("group_id":47000000202,"responder_id":46000000001,)"
                                    R"("company_id":48000000001})");
    ASSERT_EQ(created.status, 201) << created.body;
    const json::value ticket = parse_json(created.body);
    EXPECT_EQ(ticket.at("tags"), parse_json(R"(["hw","vip"])"));
    EXPECT_EQ(ticket.at("cc_emails"), parse_json(R"(["c@example.com"])"));
    EXPECT_EQ(ticket.at("company_id"), 48000000001);
    const Response updated = put("/api/v2/tickets/1", R"({"group_id":null,"type":"Question","tags":[]})");
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_TRUE(parse_json(updated.body).at("group_id").is_null());
    EXPECT_EQ(parse_json(updated.body).at("tags"), json::array());
    expect_error(post("/api/v2/tickets", std::string(kTicketBase) + R"(,"cc_emails":["nope"]})"), 400, "cc_emails",
                 "invalid_value", "It should contain elements that are in the 'valid email address' format");
    expect_error(put("/api/v2/tickets/1", R"({"cc_emails":["c@example.com"]})"), 400, "cc_emails", "invalid_field");
}

TEST_F(Validation, NewContactFieldsAreStoredAndChecked) {
    const Response created = post("/api/v2/contacts", R"({"name":"Ann","email":"ann@example.com",)"
                                                      R"("company_id":48000000002,"job_title":"CTO",)"
                                                      R"("mobile":"+44 7700 900000","tags":["vip"],)"
                                                      R"("description":"Met at a fair","language":"fr",)"
                                                      R"("time_zone":"Paris"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const json::value contact = parse_json(created.body);
    EXPECT_EQ(contact.at("company_id"), 48000000002);
    EXPECT_EQ(contact.at("job_title"), "CTO");
    EXPECT_EQ(contact.at("mobile"), "+44 7700 900000");
    EXPECT_EQ(contact.at("tags"), parse_json(R"(["vip"])"));
    EXPECT_EQ(contact.at("language"), "fr");
    EXPECT_EQ(contact.at("time_zone"), "Paris");
    expect_error(post("/api/v2/contacts", R"({"name":"Bo","email":"bo@example.com","company_id":5})"), 400,
                 "company_id", "invalid_value", "There is no company matching the given company_id");
    expect_error(post("/api/v2/contacts", R"({"name":"Bo","email":"bo@example.com","language":"xx"})"), 400, "language",
                 "invalid_value");
    expect_error(post("/api/v2/contacts", R"({"name":"Bo","email":"bo@example.com","job_title":5})"), 400, "job_title",
                 "datatype_mismatch");
}

TEST_F(Validation, TheTicketListCapsPagesAndKnowsItsFilters) {
    expect_error(get("/api/v2/tickets?page=301"), 400, "page", "invalid_value",
                 "You cannot access tickets beyond the 300th page. Please provide a smaller page number.");
    EXPECT_EQ(get("/api/v2/tickets?page=300").status, 200);
    expect_error(get("/api/v2/tickets?filter=all"), 400, "filter", "invalid_value",
                 "It should be one of these values: 'new_and_my_open,watching,spam,deleted'");
    for (const char* filter : {"new_and_my_open", "watching", "spam", "deleted"})
        EXPECT_EQ(get(std::string("/api/v2/tickets?filter=") + filter).status, 200) << filter;
    expect_error(get("/api/v2/tickets?company_id=5"), 400, "company_id", "invalid_value",
                 "There is no company matching the given company_id");
}

}  // namespace
}  // namespace sandbox_test
