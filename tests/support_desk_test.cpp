// What support teams do every day, against the sandbox: the new ticket and contact options,
// custom fields (checked before sending when asked), attachments as multipart, notes and
// replies, conversations, the account's fields and directory, and the credential test.
#include "plugin_fixture.hpp"

#include <gtest/gtest.h>
#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>

namespace {
namespace json = boost::json;
using Result = fdtest::Invocation;

fdsandbox::Sandbox& sandbox() {
    static const std::unique_ptr<fdsandbox::Sandbox> instance = fdtest::started_sandbox("support-desk-key");
    return *instance;
}

Result invoke(const std::string& node, const std::string& input) {
    return fdtest::invoke(node, input, fdtest::credentials_for(sandbox()));
}

std::vector<fdsandbox::RecordedRequest> requests_to(std::string_view method, std::string_view path) {
    std::vector<fdsandbox::RecordedRequest> out;
    for (const auto& request : sandbox().requests()) {
        if (request.method == method && request.path == path) out.push_back(request);
    }
    return out;
}

std::string content_type_of(const fdsandbox::RecordedRequest& request) {
    for (const auto& [key, value] : request.headers) {
        if (boost::beast::iequals(key, "Content-Type")) return value;
    }
    return "";
}

// "hello, world" and a second file, in base64.
const std::string kAttachments =
    R"([{"Name":"hello.txt","ContentType":"text/plain","ContentBase64":"aGVsbG8sIHdvcmxk"},)"
    R"({"Name":"data.bin","ContentType":"application/octet-stream","ContentBase64":"AAEC/w=="}])";

class SupportDesk : public ::testing::Test {
  protected:
    void SetUp() override { fdtest::seed_default(sandbox()); }
};

}  // namespace

TEST_F(SupportDesk, CreateATicketWithEveryNewOption) {
    const Result r = invoke("freshdesk.ticket.create", R"({"Subject":"Broken export","Description":"<p>x</p>",
        "Email":"ana@example.com","Type":"Incident","Tags":["billing","export"],"CcEmails":["boss@example.com"],
        "GroupId":"47000000201","ResponderId":46000000001,"CompanyId":48000000001,
        "DueBy":"2030-01-20T17:00:00Z","FrDueBy":"2030-01-16T17:00:00Z",
        "CustomFields":{"cf_order_number":"A-1","cf_units_affected":3,"cf_product_line":"Software"}})");
    ASSERT_EQ(r.status_code(), 200) << r.text;
    EXPECT_EQ(r.original(), 201);
    const json::object& ticket = r.envelope.at("Ticket").as_object();
    EXPECT_EQ(ticket.at("id"), r.envelope.at("TicketId"));
    EXPECT_EQ(ticket.at("type"), "Incident");
    EXPECT_EQ(ticket.at("group_id"), 47000000201);
    EXPECT_EQ(ticket.at("responder_id"), 46000000001);
    EXPECT_EQ(ticket.at("tags"), json::parse(R"(["billing","export"])"));
    EXPECT_EQ(ticket.at("custom_fields").at("cf_product_line"), "Software");
    const json::value sent = json::parse(requests_to("POST", "/api/v2/tickets").at(0).body);
    EXPECT_EQ(sent.at("cc_emails"), json::parse(R"(["boss@example.com"])"));
    EXPECT_EQ(sent.at("due_by"), "2030-01-20T17:00:00Z");
    EXPECT_EQ(sent.at("company_id"), 48000000001);
}

TEST_F(SupportDesk, FreshdeskRefusalsNameEveryBadField) {
    const Result r = invoke("freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com",
        "GroupId":999,"ResponderId":998,"CustomFields":{"cf_product_line":"Gadgets"}})");
    EXPECT_EQ(r.status_code(), 200);
    EXPECT_EQ(r.original(), 400);
    EXPECT_NE(r.message().find("group_id"), std::string::npos) << r.message();
    EXPECT_NE(r.message().find("responder_id"), std::string::npos) << r.message();
    EXPECT_NE(r.message().find("invalid_value"), std::string::npos) << r.message();
    const Result unknown = invoke("freshdesk.ticket.update", R"({"TicketId":3,"CustomFields":{"cf_nope":1}})");
    EXPECT_EQ(unknown.original(), 400);
    EXPECT_NE(unknown.message().find("cf_nope"), std::string::npos) << unknown.message();
}

TEST_F(SupportDesk, DueDatesGoTogetherAndInOrder) {
    const std::string base = R"({"Subject":"S","Description":"D","Email":"a@example.com",)";
    EXPECT_EQ(invoke("freshdesk.ticket.create", base + R"("DueBy":"2030-01-20T17:00:00Z"})").status_code(), -1);
    const Result backwards =
        invoke("freshdesk.ticket.create", base + R"("DueBy":"2030-01-20T17:00:00Z","FrDueBy":"2030-01-21T17:00:00Z"})");
    EXPECT_EQ(backwards.status_code(), -1);
    EXPECT_NE(backwards.message().find("earlier"), std::string::npos) << backwards.message();
    EXPECT_TRUE(requests_to("POST", "/api/v2/tickets").empty()) << "nothing was sent";
}

TEST_F(SupportDesk, CustomFieldsAreCheckedBeforeSendingWhenAsked) {
    const std::string base = R"({"TicketId":3,"ValidateCustomFields":true,"CustomFields":)";
    const std::pair<std::string, std::string> refused[] = {
        {R"({"cf_nope":1})", "cf_nope"},
        {R"({"cf_product_line":"Gadgets"})", "Hardware, Software, Services"},
        {R"({"cf_units_affected":"three"})", "whole number"},
        {R"({"cf_refund_requested":"yes"})", "true or false"},
        {R"({"cf_purchase_date":"2025-02-30"})", "yyyy-mm-dd"},
    };
    for (const auto& [fields, says] : refused) {
        const Result r = invoke("freshdesk.ticket.update", base + fields + "}");
        EXPECT_EQ(r.status_code(), -1) << fields << ": " << r.text;
        EXPECT_EQ(r.original(), 0);
        EXPECT_NE(r.message().find(says), std::string::npos) << r.message();
    }
    const Result type =
        invoke("freshdesk.ticket.update", R"({"TicketId":3,"ValidateCustomFields":true,"Type":"Gripe"})");
    EXPECT_EQ(type.status_code(), -1);
    EXPECT_NE(type.message().find("Question, Incident, Problem, Feature Request"), std::string::npos) << type.message();
    EXPECT_TRUE(requests_to("PUT", "/api/v2/tickets/3").empty()) << "nothing refused was sent";
    EXPECT_EQ(requests_to("GET", "/api/v2/ticket_fields").size(), 1u) << "the fields were read once, then remembered";

    const Result ok =
        invoke("freshdesk.ticket.update", base + R"({"cf_product_line":"Hardware","cf_purchase_date":"2025-01-31"}})");
    EXPECT_EQ(ok.status_code(), 200) << ok.text;
    EXPECT_EQ(ok.envelope.at("Ticket").at("custom_fields").at("cf_purchase_date"), "2025-01-31");
    const Result contact =
        invoke("freshdesk.contact.update",
               R"({"ContactId":47000000002,"ValidateCustomFields":true,"CustomFields":{"tier":"Platinum"}})");
    EXPECT_EQ(contact.status_code(), -1);
    EXPECT_NE(contact.message().find("Bronze, Silver, Gold"), std::string::npos) << contact.message();
}

TEST_F(SupportDesk, AttachmentsGoAsMultipartWithTheirArraysAndCustomFields) {
    const Result r = invoke("freshdesk.ticket.create",
                            R"({"Subject":"Logs","Description":"See files","Email":"a@example.com","Tags":["logs"],)"
                            R"("CustomFields":{"cf_units_affected":2},"Attachments":)" +
                                kAttachments + "}");
    ASSERT_EQ(r.status_code(), 200) << r.text;
    const fdsandbox::RecordedRequest sent = requests_to("POST", "/api/v2/tickets").at(0);
    EXPECT_TRUE(content_type_of(sent).starts_with("multipart/form-data; boundary=")) << content_type_of(sent);
    for (const char* part :
         {"name=\"tags[]\"", "name=\"custom_fields[cf_units_affected]\"", "filename=\"hello.txt\"", "hello, world"}) {
        EXPECT_NE(sent.body.find(part), std::string::npos) << part;
    }
    const json::array& files = r.envelope.at("Ticket").at("attachments").as_array();
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].at("name"), "hello.txt");
    EXPECT_EQ(files[0].at("size"), 12);
    EXPECT_EQ(files[1].at("size"), 4);
    EXPECT_EQ(r.envelope.at("Ticket").at("custom_fields").at("cf_units_affected"), 2);
}

TEST_F(SupportDesk, AttachmentsThatCannotBeSentAreRefusedFirst) {
    const std::string base = R"({"TicketId":2,"Body":"b","Attachments":[{"Name":"a.bin","ContentBase64":")";
    const Result bad = invoke("freshdesk.ticket.add_note", base + R"(not base64!"}]})");
    EXPECT_EQ(bad.status_code(), -1);
    EXPECT_NE(bad.message().find("base64"), std::string::npos) << bad.message();
    const std::string big(28u * 1024 * 1024, 'A');  // 21 MB once decoded
    const Result large = invoke("freshdesk.ticket.add_note", base + big + R"("}]})");
    EXPECT_EQ(large.status_code(), -1);
    EXPECT_NE(large.message().find("20 MB"), std::string::npos) << large.message();
    EXPECT_NE(large.message().find("22020096"), std::string::npos) << large.message();
    EXPECT_TRUE(requests_to("POST", "/api/v2/tickets/2/notes").empty());
}

// More than a socket takes at once: the request goes out in pieces as the socket drains.
TEST_F(SupportDesk, ALargeAttachmentIsWrittenWhole) {
    const std::string eight_mib(8u * 1024 * 1024 / 3 * 4, 'Q');  // base64 of 6 MiB of 0x41 0x04 0x10...
    const Result note = invoke(
        "freshdesk.ticket.add_note",
        R"({"TicketId":2,"Body":"b","Attachments":[{"Name":"big.bin","ContentBase64":")" + eight_mib + R"("}]})");
    ASSERT_EQ(note.status_code(), 200) << note.message();
    const auto sent = requests_to("POST", "/api/v2/tickets/2/notes");
    ASSERT_FALSE(sent.empty());
    EXPECT_GT(sent.back().body.size(), 6u * 1024 * 1024);
}

TEST_F(SupportDesk, NotesArePrivateUnlessSaidOtherwise) {
    const Result note = invoke("freshdesk.ticket.add_note", R"({"TicketId":2,"Body":"<p>Internal</p>"})");
    ASSERT_EQ(note.status_code(), 200) << note.text;
    EXPECT_EQ(note.original(), 201);
    EXPECT_EQ(note.envelope.at("Note").at("private"), true);
    EXPECT_EQ(json::parse(requests_to("POST", "/api/v2/tickets/2/notes").at(0).body).at("private"), true);
    const Result open =
        invoke("freshdesk.ticket.add_note",
               R"({"TicketId":2,"Body":"Public","Private":"false","NotifyEmails":["agent2@sandbox.example.com"]})");
    ASSERT_EQ(open.status_code(), 200) << open.text;
    EXPECT_EQ(open.envelope.at("Note").at("private"), false);
    const Result stranger =
        invoke("freshdesk.ticket.add_note", R"({"TicketId":2,"Body":"x","NotifyEmails":["customer@example.com"]})");
    EXPECT_EQ(stranger.original(), 400);
    EXPECT_NE(stranger.message().find("agents"), std::string::npos) << stranger.message();
    EXPECT_EQ(invoke("freshdesk.ticket.add_note", R"({"TicketId":9999,"Body":"x"})").original(), 404);
}

TEST_F(SupportDesk, ReplyWithAnAttachmentThenReadTheConversationInOrder) {
    const Result reply =
        invoke("freshdesk.ticket.reply", R"({"TicketId":4,"Body":"<p>Fixed</p>","CcEmails":["boss@example.com"],)"
                                         R"("Attachments":)" +
                                             kAttachments + "}");
    ASSERT_EQ(reply.status_code(), 200) << reply.text;
    EXPECT_EQ(reply.envelope.at("Reply").at("attachments").as_array().size(), 2u);
    const Result list = invoke("freshdesk.ticket.list_conversations", R"({"TicketId":4})");
    ASSERT_EQ(list.status_code(), 200) << list.text;
    const json::array& items = list.envelope.at("Conversations").as_array();
    ASSERT_EQ(items.size(), 4u) << "three seeded, then the reply";
    EXPECT_EQ(items.back().at("id"), reply.envelope.at("Reply").at("id")) << "oldest first";
    const Result page = invoke("freshdesk.ticket.list_conversations", R"({"TicketId":4,"Page":2,"PerPage":3})");
    EXPECT_EQ(page.envelope.at("Conversations").as_array().size(), 1u);
    EXPECT_EQ(page.envelope.at("Pagination").at("has_more"), false);
    const Result all = invoke("freshdesk.ticket.list_conversations", R"({"TicketId":4,"ReturnAll":true,"PerPage":1})");
    EXPECT_EQ(all.envelope.at("Conversations").as_array().size(), 4u);
}

TEST_F(SupportDesk, FieldListsGiveChoicesAsValueAndLabel) {
    const Result fields = invoke("freshdesk.ticket_field.list", "{}");
    ASSERT_EQ(fields.status_code(), 200) << fields.text;
    std::map<std::string, json::array> choices;
    for (const json::value& field : fields.envelope.at("Fields").as_array())
        choices[std::string(field.at("name").as_string())] = field.at("choices").as_array();
    EXPECT_EQ(choices.at("priority").at(0), json::parse(R"({"value":1,"label":"Low"})"));
    EXPECT_EQ(choices.at("status").at(0), json::parse(R"({"value":2,"label":"Open"})"));
    EXPECT_EQ(choices.at("ticket_type").at(1), json::parse(R"({"value":"Incident","label":"Incident"})"));
    EXPECT_EQ(choices.at("group").at(0), json::parse(R"({"value":47000000201,"label":"Billing"})"));
    EXPECT_EQ(choices.at("cf_product_line").size(), 3u);
    const Result contact_fields = invoke("freshdesk.contact_field.list", "{}");
    EXPECT_EQ(contact_fields.status_code(), 200) << contact_fields.text;
    EXPECT_FALSE(contact_fields.envelope.at("Fields").as_array().empty());
}

TEST_F(SupportDesk, DirectoryListsAndTheAgentEmailFilter) {
    EXPECT_EQ(invoke("freshdesk.group.list", "{}").envelope.at("Groups").as_array().size(), 3u);
    EXPECT_EQ(invoke("freshdesk.company.list", "{}").envelope.at("Companies").as_array().size(), 3u);
    EXPECT_EQ(invoke("freshdesk.agent.list", "{}").envelope.at("Agents").as_array().size(), 4u);
    const Result one = invoke("freshdesk.agent.list", R"({"Email":"agent3@sandbox.example.com"})");
    ASSERT_EQ(one.envelope.at("Agents").as_array().size(), 1u) << one.text;
    EXPECT_EQ(one.envelope.at("Agents").at(0).at("id"), 46000000002);
    const Result page = invoke("freshdesk.agent.list", R"({"PerPage":3})");
    EXPECT_EQ(page.envelope.at("Pagination").at("has_more"), true);
}

TEST_F(SupportDesk, TheCredentialTestSaysWhoTheKeyBelongsTo) {
    const Result ok = invoke("freshdesk.account.test_connection", "{}");
    ASSERT_EQ(ok.status_code(), 200) << ok.text;
    EXPECT_EQ(ok.envelope.at("Ok"), true);
    EXPECT_EQ(ok.envelope.at("Agent").at("email"), "agent1@sandbox.example.com");
    EXPECT_GT(ok.envelope.at("RateLimitTotal").as_int64(), 0);
    json::object wrong = fdtest::credentials_for(sandbox());
    wrong["api_key"] = "not-the-key";
    const Result refused = fdtest::invoke("freshdesk.account.test_connection", "{}", wrong);
    EXPECT_EQ(refused.envelope.at("Ok"), false);
    EXPECT_EQ(refused.original(), 401);
    EXPECT_NE(refused.message().find("API key"), std::string::npos);
}

TEST_F(SupportDesk, ContactsTakeTheNewFields) {
    const Result r = invoke("freshdesk.contact.create", R"({"Name":"Bo","Mobile":"+1-555-0142","JobTitle":"CFO",
        "CompanyId":48000000002,"Tags":["vip"],"Description":"Big account","Language":"de","TimeZone":"Berlin",
        "CustomFields":{"tier":"Gold"}})");
    ASSERT_EQ(r.status_code(), 200) << r.text;
    const json::object& contact = r.envelope.at("Contact").as_object();
    EXPECT_EQ(contact.at("mobile"), "+1-555-0142");
    EXPECT_EQ(contact.at("job_title"), "CFO");
    EXPECT_EQ(contact.at("company_id"), 48000000002);
    EXPECT_EQ(contact.at("custom_fields").at("tier"), "Gold");
}

TEST_F(SupportDesk, ADuplicateContactNamesTheOneThatExists) {
    const Result first = invoke("freshdesk.contact.create", R"({"Name":"Cy","Email":"cy@example.com"})");
    ASSERT_EQ(first.status_code(), 200) << first.text;
    const Result again = invoke("freshdesk.contact.create", R"({"Name":"Cy again","Email":"cy@example.com"})");
    EXPECT_EQ(again.original(), 409);
    EXPECT_EQ(again.envelope.at("ExistingContactId"), first.envelope.at("Contact").at("id"));
    EXPECT_EQ(first.envelope.at("ExistingContactId"), 0);
}

namespace {

// An option source's path as wfp_plugin.h describes it: dot steps, each may end in a
// [key=text] selector; a step after an array is taken in each item and the results joined.
json::value follow_source_path(json::value current, std::string_view path) {
    while (!path.empty()) {
        const std::string_view step = path.substr(0, path.find('.'));
        path.remove_prefix(std::min(path.size(), step.size() + 1));
        const std::size_t bracket = step.find('[');
        const std::string key(step.substr(0, bracket));
        auto take = [&](const json::value& item, json::array& into) {
            const json::value* next = key.empty()        ? &item
                                      : item.is_object() ? item.as_object().if_contains(key)
                                                         : nullptr;
            if (next == nullptr) return;
            if (next->is_array() && current.is_array()) {
                into.insert(into.end(), next->as_array().begin(), next->as_array().end());
            } else {
                into.push_back(*next);
            }
        };
        json::array joined;
        if (current.is_array()) {
            for (const json::value& item : current.as_array())
                take(item, joined);
            current = joined;
        } else {
            take(current, joined);
            current = joined.empty() ? json::value() : joined.front();
        }
        if (bracket == std::string_view::npos || !current.is_array()) continue;
        const std::string_view selector = step.substr(bracket + 1, step.size() - bracket - 2);
        const std::string field(selector.substr(0, selector.find('=')));
        const std::string wanted(selector.substr(selector.find('=') + 1));
        json::array kept;
        for (const json::value& item : current.as_array()) {
            const json::value* value = item.is_object() ? item.as_object().if_contains(field) : nullptr;
            if (value == nullptr) continue;
            const std::string text = value->is_string() ? std::string(value->as_string()) : json::serialize(*value);
            if (text == wanted) kept.push_back(item);
        }
        current = kept;
    }
    return current;
}

}  // namespace

// Every option source of every node, run as a canvas would (its list node, then its path):
// each offers at least one choice with a value and a label.
TEST_F(SupportDesk, EveryOptionSourceOffersChoices) {
    std::size_t sources = 0;
    const json::object manifest = fdtest::plugin_manifest();
    for (const auto& entry : manifest.at("wfp").at("nodes").as_array()) {
        const json::object* declared =
            entry.as_object().if_contains("option_sources") ? &entry.at("option_sources").as_object() : nullptr;
        if (declared == nullptr) continue;
        for (const auto& [field, source] : *declared) {
            ++sources;
            const std::string label = std::string(entry.at("id").as_string()) + " " + std::string(field);
            const Result list = invoke(std::string(source.at("node").as_string()), "{}");
            ASSERT_EQ(list.status_code(), 200) << label << ": " << list.text;
            const json::value items = follow_source_path(list.envelope, source.at("items").as_string());
            ASSERT_TRUE(items.is_array() && !items.as_array().empty()) << label << ": " << list.text;
            for (const json::value& item : items.as_array()) {
                EXPECT_FALSE(follow_source_path(item, source.at("value").as_string()).is_null()) << label;
                EXPECT_FALSE(follow_source_path(item, source.at("label").as_string()).is_null()) << label;
            }
        }
    }
    EXPECT_GE(sources, 10u);
}

// The new options of the update nodes and of Reply reach Freshdesk under their API names.
TEST_F(SupportDesk, UpdatesAndRepliesSendEveryNewOption) {
    const Result ticket = invoke("freshdesk.ticket.update", R"({"TicketId":3,"Type":"Problem","Tags":["vip","late"],
        "GroupId":47000000202,"ResponderId":"46000000002","CustomFields":{"cf_order_number":"B-7"}})");
    ASSERT_EQ(ticket.status_code(), 200) << ticket.text;
    const json::value sent_ticket = json::parse(requests_to("PUT", "/api/v2/tickets/3").at(0).body);
    EXPECT_EQ(sent_ticket, json::parse(R"({"type":"Problem","tags":["vip","late"],"group_id":47000000202,
        "responder_id":46000000002,"custom_fields":{"cf_order_number":"B-7"}})"));
    EXPECT_EQ(ticket.envelope.at("Ticket").at("group_id"), 47000000202);

    const Result contact = invoke("freshdesk.contact.update", R"({"ContactId":47000000002,"Mobile":"+1-555-0100",
        "CompanyId":48000000003,"JobTitle":"CTO","Tags":["beta"],"Description":"Prefers email","Language":"fr",
        "TimeZone":"Paris","CustomFields":{"tier":"Silver"}})");
    ASSERT_EQ(contact.status_code(), 200) << contact.text;
    const json::value sent_contact = json::parse(requests_to("PUT", "/api/v2/contacts/47000000002").at(0).body);
    EXPECT_EQ(sent_contact, json::parse(R"({"mobile":"+1-555-0100","company_id":48000000003,"job_title":"CTO",
        "tags":["beta"],"description":"Prefers email","language":"fr","time_zone":"Paris","custom_fields":{"tier":"Silver"}})"));
    EXPECT_EQ(contact.envelope.at("Contact").at("time_zone"), "Paris");

    const Result reply =
        invoke("freshdesk.ticket.reply", R"({"TicketId":5,"Body":"Done","BccEmails":["audit@example.com"],
        "FromEmail":"support@sandbox.example.com"})");
    ASSERT_EQ(reply.status_code(), 200) << reply.text;
    const json::value sent_reply = json::parse(requests_to("POST", "/api/v2/tickets/5/reply").at(0).body);
    EXPECT_EQ(sent_reply.at("bcc_emails"), json::parse(R"(["audit@example.com"])"));
    EXPECT_EQ(sent_reply.at("from_email"), "support@sandbox.example.com");
}

// Validate Custom Fields on the create nodes: refused before anything is created.
TEST_F(SupportDesk, CreatesCheckCustomFieldsBeforeSendingWhenAsked) {
    const Result ticket = invoke("freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com",
        "ValidateCustomFields":true,"CustomFields":{"cf_product_line":"Gadgets"}})");
    EXPECT_EQ(ticket.status_code(), -1) << ticket.text;
    EXPECT_NE(ticket.message().find("Hardware, Software, Services"), std::string::npos) << ticket.message();
    EXPECT_TRUE(requests_to("POST", "/api/v2/tickets").empty()) << "nothing refused was sent";
    const Result contact = invoke("freshdesk.contact.create", R"({"Name":"Di","Email":"di@example.com",
        "ValidateCustomFields":true,"CustomFields":{"no_such_field":1}})");
    EXPECT_EQ(contact.status_code(), -1) << contact.text;
    EXPECT_NE(contact.message().find("no_such_field"), std::string::npos) << contact.message();
    EXPECT_TRUE(requests_to("POST", "/api/v2/contacts").empty()) << "nothing refused was sent";
    const Result ok = invoke("freshdesk.contact.create", R"({"Name":"Di","Email":"di@example.com",
        "ValidateCustomFields":true,"CustomFields":{"tier":"Gold"}})");
    EXPECT_EQ(ok.status_code(), 200) << ok.text;
}
