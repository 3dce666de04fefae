// Ticket fields and contact fields as Freshdesk lists them (default fields with their choices,
// then one custom field of each type), and custom_fields on tickets and contacts: stored,
// returned with every field of the account, and checked as Freshdesk checks them.
#include "sandbox_fixture.hpp"

#include <map>

namespace sandbox_test {
namespace {

using fdtest::Response;

std::map<std::string, json::object> by_name(const Response& response) {
    std::map<std::string, json::object> fields;
    const json::value body = parse_json(response.body);
    for (const json::value& field : body.as_array())
        fields[std::string(field.at("name").as_string())] = field.as_object();
    return fields;
}

constexpr const char* kTicketBase =
    R"({"subject":"S","description":"D","email":"a@example.com","status":2,"priority":1,"custom_fields":)";

class Fields : public SandboxTest {};

TEST_F(Fields, TicketFieldsListTheDefaultsThenTheCustomFields) {
    const Response response = get("/api/v2/ticket_fields");
    ASSERT_EQ(response.status, 200) << response.body;
    std::map<std::string, json::object> fields = by_name(response);
    for (const char* name : {"requester", "subject", "ticket_type", "source", "status", "priority", "group", "agent",
                             "description", "company"}) {
        ASSERT_TRUE(fields.contains(name)) << name;
        EXPECT_EQ(fields[name].at("type"), ("default_" + std::string(name)).c_str());
        EXPECT_EQ(fields[name].at("default"), true);
        for (const char* key : {"id", "label", "description", "position", "required_for_closure", "required_for_agents",
                                "customers_can_edit", "label_for_customers", "required_for_customers",
                                "displayed_to_customers", "created_at", "updated_at"})
            EXPECT_TRUE(fields[name].contains(key)) << name << " " << key;
    }
    EXPECT_EQ(fields["ticket_type"].at("choices"),
              parse_json(R"(["Question","Incident","Problem","Feature Request"])"));
    EXPECT_EQ(fields["priority"].at("choices"), parse_json(R"({"Low":1,"Medium":2,"High":3,"Urgent":4})"));
    EXPECT_EQ(fields["status"].at("choices").at("2"), parse_json(R"(["Open","Being Processed"])"));
    EXPECT_EQ(fields["source"].at("choices").at("Email"), 1);
    EXPECT_EQ(fields["group"].at("choices").at("Billing"), 47000000201);
    EXPECT_EQ(fields["agent"].at("choices").as_object().size(), 4u);
    EXPECT_EQ(fields["requester"].at("portal_cc"), false);
    EXPECT_EQ(fields["subject"].at("required_for_agents"), true);
    const std::map<std::string, std::string> custom = {
        {"cf_order_number", "custom_text"},     {"cf_steps_to_reproduce", "custom_paragraph"},
        {"cf_units_affected", "custom_number"}, {"cf_refund_requested", "custom_checkbox"},
        {"cf_purchase_date", "custom_date"},    {"cf_product_line", "custom_dropdown"}};
    for (const auto& [name, type] : custom) {
        ASSERT_TRUE(fields.contains(name)) << name;
        EXPECT_EQ(fields[name].at("type"), type.c_str());
        EXPECT_EQ(fields[name].at("default"), false);
    }
    EXPECT_EQ(fields["cf_product_line"].at("choices"), parse_json(R"(["Hardware","Software","Services"])"));
    const json::array only_text = parse_json(get("/api/v2/ticket_fields?type=custom_text").body).as_array();
    ASSERT_EQ(only_text.size(), 1u);
    EXPECT_EQ(only_text.at(0).at("name"), "cf_order_number");
    EXPECT_FALSE(fields.contains("product")) << "left out while the account has no products";
    expect_error(get("/api/v2/ticket_fields?type=custom_colour"), 400, "type", "invalid_value");
    expect_error(get("/api/v2/ticket_fields?kind=x"), 400, "kind", "invalid_field");
}

TEST_F(Fields, ContactFieldsListTheDefaultsThenTheCustomFieldsWithoutPrefix) {
    const Response response = get("/api/v2/contact_fields");
    ASSERT_EQ(response.status, 200) << response.body;
    std::map<std::string, json::object> fields = by_name(response);
    for (const char* name : {"name", "email", "phone", "mobile", "twitter_id", "company_name", "address", "job_title",
                             "description", "language", "time_zone", "tag_names", "client_manager"}) {
        ASSERT_TRUE(fields.contains(name)) << name;
        EXPECT_EQ(fields[name].at("type"), ("default_" + std::string(name)).c_str());
        for (const char* key :
             {"editable_in_signup", "id", "label", "position", "required_for_agents", "default", "customers_can_edit",
              "label_for_customers", "required_for_customers", "displayed_for_customers", "created_at", "updated_at"})
            EXPECT_TRUE(fields[name].contains(key)) << name << " " << key;
    }
    EXPECT_EQ(fields["name"].at("required_for_agents"), true);
    EXPECT_EQ(fields["language"].at("choices").at("English"), "en");
    EXPECT_EQ(fields["tier"].at("type"), "custom_dropdown");
    EXPECT_EQ(fields["tier"].at("choices"), parse_json(R"(["Bronze","Silver","Gold"])"));
    for (const char* name : {"loyalty_id", "notes", "lifetime_orders", "newsletter", "customer_since"})
        EXPECT_TRUE(fields.contains(name)) << name;
}

TEST_F(Fields, TicketsStoreEveryCustomFieldTypeAndNullClearsOne) {
    const Response created = post(
        "/api/v2/tickets", std::string(kTicketBase) +
                               R"({"cf_order_number":"A-1","cf_steps_to_reproduce":"1. open","cf_units_affected":3,)"
                               R"("cf_refund_requested":true,"cf_purchase_date":"2024-02-29",)"
                               R"("cf_product_line":"Software"}})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(
        parse_json(created.body).at("custom_fields"),
        parse_json(R"({"cf_order_number":"A-1","cf_steps_to_reproduce":"1. open","cf_units_affected":3,)"
                   R"("cf_refund_requested":true,"cf_purchase_date":"2024-02-29","cf_product_line":"Software"})"));
    const Response updated = put("/api/v2/tickets/1", R"({"custom_fields":{"cf_order_number":null}})");
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_TRUE(parse_json(updated.body).at("custom_fields").at("cf_order_number").is_null());
    EXPECT_EQ(parse_json(updated.body).at("custom_fields").at("cf_units_affected"), 3) << "others kept";
    EXPECT_EQ(parse_json(get("/api/v2/tickets?include=description").body).at(0).at("custom_fields"),
              parse_json(updated.body).at("custom_fields"));
}

TEST_F(Fields, CustomFieldValuesAreCheckedAsFreshdeskChecksThem) {
    auto ticket_with = [&](const std::string& custom) { return post("/api/v2/tickets", kTicketBase + custom + "}"); };
    expect_error(ticket_with(R"({"cf_unknown":"x"})"), 400, "cf_unknown", "invalid_field",
                 "Unexpected/invalid field in request");
    expect_error(ticket_with(R"({"cf_product_line":"Toys"})"), 400, "custom_fields.cf_product_line", "invalid_value",
                 "It should be one of these values: 'Hardware,Software,Services'");
    expect_error(ticket_with(R"({"cf_units_affected":"three"})"), 400, "custom_fields.cf_units_affected",
                 "datatype_mismatch", "Value set is of type String.It should be a/an Integer");
    expect_error(ticket_with(R"({"cf_refund_requested":"yes"})"), 400, "custom_fields.cf_refund_requested",
                 "datatype_mismatch", "Value set is of type String.It should be a/an Boolean");
    expect_error(ticket_with(R"({"cf_purchase_date":"29/02/2024"})"), 400, "custom_fields.cf_purchase_date",
                 "invalid_value", "It should be a valid date in the 'yyyy-mm-dd' format");
    expect_error(ticket_with(R"({"cf_order_number":7})"), 400, "custom_fields.cf_order_number", "datatype_mismatch",
                 "Value set is of type Integer.It should be a/an String");
    expect_error(ticket_with(R"(["x"])"), 400, "custom_fields", "datatype_mismatch",
                 "Value set is of type Array.It should be a/an key/value pair");
    // The value errors all together; the dropdown waits for them, as references do.
    const Response several =
        ticket_with(R"({"cf_units_affected":"x","cf_refund_requested":1,"cf_product_line":"Toys"})");
    EXPECT_EQ(errors_of(several).size(), 2u) << several.body;
}

TEST_F(Fields, ContactsStoreAndCheckTheirCustomFields) {
    const Response created = post("/api/v2/contacts", R"({"name":"Ann","email":"ann@example.com","custom_fields":)"
                                                      R"({"lifetime_orders":12,"newsletter":true,)"
                                                      R"("customer_since":"2020-05-01","tier":"Silver"}})");
    ASSERT_EQ(created.status, 201) << created.body;
    const json::value custom = parse_json(created.body).at("custom_fields");
    EXPECT_EQ(custom.at("lifetime_orders"), 12);
    EXPECT_EQ(custom.at("tier"), "Silver");
    EXPECT_TRUE(custom.at("loyalty_id").is_null());
    const std::string base = R"({"name":"Bo","email":"bo@example.com","custom_fields":)";
    expect_error(post("/api/v2/contacts", base + R"({"cf_tier":"Gold"}})"), 400, "cf_tier", "invalid_field");
    expect_error(post("/api/v2/contacts", base + R"({"tier":"Platinum"}})"), 400, "custom_fields.tier", "invalid_value",
                 "It should be one of these values: 'Bronze,Silver,Gold'");
    expect_error(post("/api/v2/contacts", base + R"({"newsletter":"no"}})"), 400, "custom_fields.newsletter",
                 "datatype_mismatch");
}

TEST_F(Fields, TicketTypeMustBeOneOfTheTypeChoices) {
    const std::string base = R"({"subject":"S","description":"D","email":"a@example.com","status":2,"priority":1,)";
    expect_error(post("/api/v2/tickets", base + R"("type":"Lead"})"), 400, "type", "invalid_value",
                 "It should be one of these values: 'Question,Incident,Problem,Feature Request'");
    EXPECT_EQ(post("/api/v2/tickets", base + R"("type":"Feature Request"})").status, 201);
}

}  // namespace
}  // namespace sandbox_test
