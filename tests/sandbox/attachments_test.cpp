// Multipart bodies: the strict parser against well-formed and hostile input, and the API over
// it: tickets, updates, notes and replies with attachments[] files (stored with name, size and
// content type, served back at attachment_url), tags[] and custom_fields[x] fields, numbers
// and booleans sent as text, and Freshdesk's 20 MB limit per request.
#include "sandbox/attachments.hpp"
#include "sandbox/multipart.hpp"
#include "sandbox_fixture.hpp"

#include <random>

namespace sandbox_test {
namespace {

using fdtest::Response;

TEST(MultipartParser, ReadsFieldsAndFiles) {
    const std::string body = multipart_body({{"subject", "Hi"}, {"attachments[]", "a\r\nb", "x.txt", "text/plain"}});
    const auto parts = fdsandbox::parse_multipart(body, kFormBoundary);
    ASSERT_TRUE(parts);
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ(parts->at(0).name, "subject");
    EXPECT_EQ(parts->at(0).data, "Hi");
    EXPECT_FALSE(parts->at(0).filename);
    EXPECT_EQ(parts->at(1).filename, "x.txt");
    EXPECT_EQ(parts->at(1).data, "a\r\nb") << "line breaks inside a part are data";
    EXPECT_EQ(fdsandbox::multipart_boundary("multipart/form-data; boundary=\"q b\""), "q b");
    EXPECT_EQ(fdsandbox::multipart_boundary("multipart/form-data; charset=utf-8; boundary=abc"), "abc");
    EXPECT_FALSE(fdsandbox::multipart_boundary("multipart/form-data"));
    EXPECT_FALSE(fdsandbox::multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')));
}

TEST(MultipartParser, RefusesMalformedBodies) {
    const std::string good = multipart_body({{"a", "1"}});
    for (const std::string& bad :
         {std::string(""), std::string("garbage"), good.substr(0, good.size() - 10),
          std::string("--") + kFormBoundary + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + kFormBoundary + "--",
          std::string("--") + kFormBoundary + "\r\nno colon here\r\n\r\nx\r\n--" + kFormBoundary + "--",
          std::string("--") + kFormBoundary + "\r\nContent-Disposition: form-data; name=\"unterminated\r\n\r\nx\r\n--" +
              kFormBoundary + "--"})
        EXPECT_FALSE(fdsandbox::parse_multipart(bad, kFormBoundary)) << bad;
    fdsandbox::MultipartLimits limits;
    limits.max_parts = 3;
    EXPECT_FALSE(fdsandbox::parse_multipart(multipart_body({{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}}),
                                            kFormBoundary, limits));
}

TEST(MultipartParser, SurvivesRandomBytes) {
    std::mt19937 random(7);
    const std::string good = multipart_body({{"a", "1"}, {"attachments[]", "zz", "f.bin", "application/octet-stream"}});
    for (int round = 0; round < 2000; ++round) {
        std::string body = good;
        for (int flips = 0; flips < 3; ++flips)
            body[random() % body.size()] = static_cast<char>(random() % 256);
        body.resize(random() % (body.size() + 1));
        (void)fdsandbox::parse_multipart(body, kFormBoundary);  // must not crash or hang
    }
}

class Attachments : public SandboxTest {};

TEST_F(Attachments, ATicketCreatedWithFilesServesThemBack) {
    const std::string bytes("PNG\0\x01\x02 binary", 14);
    const Response created = post_form("/api/v2/tickets", {{"subject", "With files"},
                                                           {"description", "See attached"},
                                                           {"email", "a@example.com"},
                                                           {"status", "2"},
                                                           {"priority", "3"},
                                                           {"tags[]", "one"},
                                                           {"tags[]", "two"},
                                                           {"cc_emails[]", "c@example.com"},
                                                           {"custom_fields[cf_units_affected]", "4"},
                                                           {"custom_fields[cf_refund_requested]", "true"},
                                                           {"attachments[]", bytes, "shot.png", "image/png"},
                                                           {"attachments[]", "hello", "notes.txt", "text/plain"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const json::value ticket = parse_json(created.body);
    EXPECT_EQ(ticket.at("priority"), 3) << "numbers sent as text";
    EXPECT_EQ(ticket.at("tags"), parse_json(R"(["one","two"])"));
    EXPECT_EQ(ticket.at("cc_emails"), parse_json(R"(["c@example.com"])"));
    EXPECT_EQ(ticket.at("custom_fields").at("cf_units_affected"), 4);
    EXPECT_EQ(ticket.at("custom_fields").at("cf_refund_requested"), true);
    const json::array attachments = ticket.at("attachments").as_array();
    ASSERT_EQ(attachments.size(), 2u);
    const json::object& shot = attachments.at(0).as_object();
    EXPECT_EQ(shot.at("name"), "shot.png");
    EXPECT_EQ(shot.at("content_type"), "image/png");
    EXPECT_EQ(shot.at("size"), 14);
    for (const char* key : {"id", "attachment_url", "created_at", "updated_at"})
        EXPECT_TRUE(shot.contains(key)) << key;
    const std::string url(shot.at("attachment_url").as_string());
    const std::string prefix = "https://127.0.0.1:" + std::to_string(sandbox->port());
    ASSERT_TRUE(url.starts_with(prefix)) << url;
    fdtest::HttpsClient anonymous(client_options(*sandbox, false));
    const Response download = anonymous.get(url.substr(prefix.size()));
    EXPECT_EQ(download.status, 200);
    EXPECT_EQ(download.body, bytes) << "the bytes, with no credentials, as a signed URL serves them";
    EXPECT_EQ(download.header("Content-Type"), "image/png");
    const std::string wrong_token = url.substr(prefix.size(), url.size() - prefix.size() - 1) + (url.back() == '0' ? "1" : "0");
    EXPECT_EQ(anonymous.get(wrong_token).status, 404) << "a wrong token";
    EXPECT_EQ(parse_json(get("/api/v2/tickets/1").body).at("attachments"), ticket.at("attachments"));
}

TEST_F(Attachments, UpdatesNotesAndRepliesTakeFilesToo) {
    create_ticket(R"({"subject":"S","description":"D","email":"a@example.com","status":2,"priority":1})");
    const Response updated = put_form("/api/v2/tickets/1", {{"status", "3"}, {"attachments[]", "x", "a.txt"}});
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(parse_json(updated.body).at("status"), 3);
    EXPECT_EQ(parse_json(updated.body).at("attachments").as_array().size(), 1u);
    const Response note = post_form("/api/v2/tickets/1/notes",
                                    {{"body", "log"}, {"private", "false"}, {"attachments[]", "log", "log.txt"}});
    ASSERT_EQ(note.status, 201) << note.body;
    EXPECT_EQ(parse_json(note.body).at("private"), false) << "booleans sent as text";
    EXPECT_EQ(parse_json(note.body).at("attachments").at(0).at("name"), "log.txt");
    const Response reply =
        post_form("/api/v2/tickets/1/reply",
                  {{"body", "here"}, {"cc_emails[]", "c@example.com"}, {"attachments[]", "y", "y.txt"}});
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(parse_json(reply.body).at("cc_emails"), parse_json(R"(["c@example.com"])"));
    const json::array listed = parse_json(get("/api/v2/tickets/1/conversations").body).as_array();
    EXPECT_EQ(listed.at(1).at("attachments").at(0).at("size"), 1);
}

// Checked without sending 20 MB over the loopback (a second of the suite's time).
TEST(AttachmentLimit, FreshdesksTotalSizePerRequest) {
    std::vector<fdsandbox::UploadedFile> files = {{"a.bin", "application/octet-stream", std::string(1 << 20, 'x')}};
    fdsandbox::ValidationErrors none;
    fdsandbox::check_attachments({}, &files, 19 << 20, none);
    EXPECT_TRUE(none.empty()) << "exactly 20 MB is allowed";
    fdsandbox::ValidationErrors errors;
    fdsandbox::check_attachments({}, &files, 21 << 20, errors);  // the files already on the record count too
    const json::value body = parse_json(errors.reply().body);
    EXPECT_EQ(body.at("errors"), parse_json(R"([{"field":"attachments","message":)"
                                            R"("Total attachment(s) size is 22 MB, it should not exceed 20 MB",)"
                                            R"("code":"invalid_size"}])"));
    EXPECT_EQ(fdsandbox::human_size(512), "512 Bytes");
    EXPECT_EQ(fdsandbox::human_size(21 * 1024 * 1024 + 512 * 1024), "21.5 MB");
    EXPECT_EQ(fdsandbox::human_size(1023 * 1024), "1023 KB");
}

TEST_F(Attachments, MalformedBodiesAndFilesInJson) {
    const Response broken = client->request("POST", "/api/v2/tickets", "--nope\r\n", multipart_headers());
    expect_request_error(broken, 400, "invalid_multipart", "Multipart data is not properly formatted.");
    expect_error(post("/api/v2/tickets", R"({"subject":"S","description":"D","email":"a@example.com","status":2,)"
                                         R"("priority":1,"attachments":["x"]})"),
                 400, "attachments", "datatype_mismatch", "It should contain elements of type valid file format only");
    expect_error(post("/api/v2/tickets", R"({"subject":"S","description":"D","email":"a@example.com","status":2,)"
                                         R"("priority":1,"attachments":[]})"),
                 400, "attachments", "invalid_value", "It should not be blank as this is a mandatory field");
    EXPECT_EQ(post_form("/api/v2/tickets/1/restore", {{"a", "b"}}).status, 405);
    EXPECT_EQ(client->request("PUT", "/api/v2/contacts/1", "x=1", {{"Content-Type", "text/plain"}}).status, 415);
}

}  // namespace
}  // namespace sandbox_test
