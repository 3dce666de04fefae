// Hostile input, refused before any I/O: domains that try to leave freshdesk.com, ids with
// path or query syntax, CR/LF and NUL in string fields, huge strings and numbers, wrong JSON
// types, deep nesting. Every value must give StatusCode -1 and OriginalStatusCode 0, and the
// sandbox the plugin is pointed at must see no connection at all.
#include "plugin_fixture.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace {
namespace json = boost::json;

fdsandbox::Sandbox& sandbox() {
    static std::unique_ptr<fdsandbox::Sandbox> instance = [] {
        fdsandbox::Config config;
        config.api_key = "hostile-secret-key-7d41";
        auto started = std::make_unique<fdsandbox::Sandbox>(config);
        started->start();
        return started;
    }();
    return *instance;
}
struct Hostile {
    std::string label;
    std::string node;
    std::string input;        // the node's input JSON
    std::string credentials;  // "" for good credentials
};

std::string with(const std::string& text) {
    return json::serialize(json::string(text));
}

std::string nested(int depth) {
    std::string text;
    for (int i = 0; i < depth; ++i)
        text += R"({"a":)";
    text += "1";
    return text + std::string(static_cast<std::size_t>(depth), '}');
}

std::vector<Hostile> hostile_table() {
    std::vector<Hostile> table;
    const std::string get = "freshdesk.ticket.get";
    const std::string ok_input = R"({"TicketId":6})";

    // Domains and base URLs that try to send the key somewhere else.
    for (const std::string& domain : std::vector<std::string>{"acme.evil.com",
                                                              "acme.freshdesk.com.evil.com",
                                                              "evil.com/acme",
                                                              "acme/../evil",
                                                              "acme:8443",
                                                              "acme:443",
                                                              "user@acme",
                                                              "user:pw@acme",
                                                              "127.0.0.1",
                                                              "[::1]",
                                                              "acme.",
                                                              "acme.freshdesk.com.",
                                                              ".acme",
                                                              "acme..freshdesk.com",
                                                              " acme",
                                                              "acme ",
                                                              "ac me",
                                                              "acme\r\nHost: evil.com",
                                                              "acme\nX: y",
                                                              std::string("acme\0evil", 9),
                                                              "\u00e1cme",
                                                              "acme\u3002freshdesk.com",
                                                              "acme#x",
                                                              "acme?x=1",
                                                              "acme%2fevil",
                                                              "acme\\evil",
                                                              "-acme",
                                                              "acme-",
                                                              std::string(64, 'a'),
                                                              "",
                                                              "*",
                                                              "https://acme.freshdesk.com",
                                                              "acme.freshdesk.co",
                                                              "acme.freshdesk.com/api",
                                                              "acme\tx"}) {
        table.push_back({"domain " + with(domain), get, ok_input, R"({"api_key":"k","domain":)" + with(domain) + "}"});
    }
    for (const std::string& base_url : std::vector<std::string>{"http://127.0.0.1:1",
                                                                "https://user@127.0.0.1:1",
                                                                "https://u:p@127.0.0.1:1",
                                                                "https://127.0.0.1:1/?x=1",
                                                                "https://127.0.0.1:1/#f",
                                                                "file:///etc/passwd",
                                                                "ftp://127.0.0.1",
                                                                "javascript:alert(1)",
                                                                "//127.0.0.1:1",
                                                                "https://",
                                                                "https://[::1",
                                                                "https://127.0.0.1:99999",
                                                                "https://127.0.0.1:0",
                                                                "https://exa mple.com",
                                                                "https://127.0.0.1:1\r\nX: y",
                                                                "127.0.0.1:1",
                                                                "https://127.0.0.1:1/a b",
                                                                "https://254.%00.1:1",
                                                                "https://acme%0d%0aX-Injected:%201.example.com",
                                                                "https://acme%20.example.com:1"}) {
        table.push_back(
            {"base_url " + with(base_url), get, ok_input, R"({"api_key":"k","base_url":)" + with(base_url) + "}"});
    }
    for (const std::string& key : std::vector<std::string>{"", "a b", "a:b", "k\r\nX: y", std::string("k\0y", 3),
                                                           "\u00e9t\u00e9", std::string(300, 'k')}) {
        table.push_back({"api_key " + with(key), get, ok_input, R"({"domain":"acme","api_key":)" + with(key) + "}"});
    }
    table.push_back({"timeout_ms negative", get, ok_input, R"({"domain":"acme","api_key":"k","timeout_ms":-1})"});
    table.push_back({"timeout_ms huge", get, ok_input, R"({"domain":"acme","api_key":"k","timeout_ms":1e300})"});
    table.push_back({"timeout_ms text", get, ok_input, R"({"domain":"acme","api_key":"k","timeout_ms":"5"})"});
    table.push_back({"credentials not an object", get, ok_input, "[]"});

    // Ids with path or query syntax, and every wrong shape of an id.
    for (const std::string& id : std::vector<std::string>{"1/2",
                                                          "1?x=1",
                                                          "1#f",
                                                          "../1",
                                                          "1%2F2",
                                                          " 1",
                                                          "1 ",
                                                          "+1",
                                                          "-1",
                                                          "0",
                                                          "00",
                                                          "1e3",
                                                          "0x10",
                                                          "\uff11",
                                                          "1\n",
                                                          "1\r\nX: y",
                                                          std::string("1\0", 2),
                                                          "",
                                                          "99999999999999999999",
                                                          "9223372036854775808",
                                                          "1.0"}) {
        table.push_back({"TicketId " + with(id), get, R"({"TicketId":)" + with(id) + "}", ""});
        table.push_back({"ContactId " + with(id), "freshdesk.contact.delete", R"({"ContactId":)" + with(id) + "}", ""});
    }
    for (const std::string& id : std::vector<std::string>{"1.5", "true", "null", "[]", "{}", "9223372036854775808",
                                                          "-9223372036854775808", "0", "1e400"}) {
        table.push_back({"TicketId " + id, "freshdesk.ticket.delete", R"({"TicketId":)" + id + "}", ""});
    }

    // CR/LF in every one-line text field, NUL in every text field.
    const std::vector<std::tuple<std::string, std::string, std::string>> text_fields = {
        {"freshdesk.contact.create", R"("Email":"a@example.com")", "Name"},
        {"freshdesk.contact.create", R"("Name":"N")", "Email"},
        {"freshdesk.contact.create", R"("Name":"N")", "Phone"},
        {"freshdesk.contact.create", R"("Name":"N","Phone":"1")", "TwitterId"},
        {"freshdesk.contact.create", R"("Name":"N","Phone":"1")", "UniqueExternalId"},
        {"freshdesk.contact.update", R"("ContactId":5)", "Name"},
        {"freshdesk.contact.update", R"("ContactId":5)", "Email"},
        {"freshdesk.contact.update", R"("ContactId":5)", "Phone"},
        {"freshdesk.contact.update", R"("ContactId":5)", "TwitterId"},
        {"freshdesk.contact.update", R"("ContactId":5)", "UniqueExternalId"},
        {"freshdesk.ticket.create", R"("Description":"D","Email":"a@example.com")", "Subject"},
        {"freshdesk.ticket.create", R"("Subject":"S","Description":"D")", "Email"},
        {"freshdesk.ticket.update", R"("TicketId":5)", "Subject"},
        {"freshdesk.ticket.get_many", R"("Page":1)", "UpdatedSince"},
    };
    for (const auto& [node, others, field] : text_fields) {
        for (const std::string& bad :
             std::vector<std::string>{"a\r\nX-Injected: 1", "a\nb", "a\rb", std::string("a\0b", 3)}) {
            table.push_back({node + " " + field + " " + with(bad), node,
                             "{" + others + ",\"" + field + "\":" + with(bad) + "}", ""});
        }
    }
    for (const auto& [node, others, field] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"freshdesk.contact.create", R"("Name":"N","Phone":"1")", "Address"},
             {"freshdesk.ticket.create", R"("Subject":"S","Email":"a@example.com")", "Description"},
             {"freshdesk.ticket.update", R"("TicketId":5)", "Description"}}) {
        table.push_back({node + " " + field + " NUL", node, "{" + others + ",\"" + field + "\":\"a\\u0000b\"}", ""});
    }
    table.push_back({"NUL in AdditionalFields", "freshdesk.ticket.update",
                     R"({"TicketId":5,"AdditionalFields":{"tags":["a\u0000b"]}})", ""});
    table.push_back({"UpdatedSince with a query", "freshdesk.ticket.get_many",
                     R"({"UpdatedSince":"2025-01-01T00:00:00Z&page=5"})", ""});
    table.push_back(
        {"UpdatedSince year 99999", "freshdesk.ticket.get_many", R"({"UpdatedSince":"99999-01-01T00:00:00Z"})", ""});

    // Huge strings and numbers.
    table.push_back(
        {"Name of 256", "freshdesk.contact.create", R"({"Phone":"1","Name":")" + std::string(256, 'n') + "\"}", ""});
    table.push_back({"Subject of 100k", "freshdesk.ticket.create",
                     R"({"Description":"D","Email":"a@example.com","Subject":")" + std::string(100000, 's') + "\"}",
                     ""});
    table.push_back({"Description of 2 MB", "freshdesk.ticket.create",
                     R"({"Subject":"S","Email":"a@example.com","Description":")" + std::string(2000000, 'd') + "\"}",
                     ""});
    table.push_back({"Email of 300", "freshdesk.contact.create",
                     R"({"Name":"N","Email":")" + std::string(290, 'e') + "@example.com\"}", ""});
    table.push_back({"input of 9 MB", "freshdesk.ticket.create",
                     R"({"Subject":"S","Email":"a@example.com","Description":")" + std::string(9u << 20, 'd') + "\"}",
                     ""});
    for (const std::string& number :
         std::vector<std::string>{"1e308", "9223372036854775808", "18446744073709551616", "-1", "0", "1.5"}) {
        table.push_back({"PerPage " + number, "freshdesk.contact.get_many", R"({"PerPage":)" + number + "}", ""});
        table.push_back({"Page " + number, "freshdesk.ticket.get_many", R"({"Page":)" + number + "}", ""});
    }
    table.push_back({"PerPage 101", "freshdesk.ticket.get_many", R"({"PerPage":101})", ""});
    table.push_back({"Priority 1e20", "freshdesk.ticket.create",
                     R"({"Subject":"S","Description":"D","Email":"a@example.com","Priority":1e20})", ""});

    // Wrong JSON types.
    for (const auto& [node, input] : std::vector<std::pair<std::string, std::string>>{
             {"freshdesk.contact.create", R"({"Name":5,"Phone":"1"})"},
             {"freshdesk.contact.create", R"({"Name":"N","Email":true})"},
             {"freshdesk.contact.create", R"({"Name":["N"],"Phone":"1"})"},
             {"freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com","Priority":"2"})"},
             {"freshdesk.ticket.create", R"({"Subject":"S","Description":"D","Email":"a@example.com","Status":[2]})"},
             {"freshdesk.ticket.create", R"({"Subject":{"x":1},"Description":"D","Email":"a@example.com"})"},
             {"freshdesk.contact.get_many", R"({"PerPage":"30"})"},
             {"freshdesk.ticket.update", R"({"TicketId":5,"AdditionalFields":"x"})"},
             {"freshdesk.ticket.update", R"({"TicketId":5,"AdditionalFields":[1]})"},
             {"freshdesk.ticket.get_many", R"({"UpdatedSince":20250101})"},
             {"freshdesk.ticket.get", "[]"},
             {"freshdesk.ticket.get", "1"},
             {"freshdesk.ticket.get", R"("x")"},
             {"freshdesk.ticket.get", "null"},
             {"freshdesk.ticket.get", "{"},
             {"freshdesk.ticket.get", ""},
             {"freshdesk.ticket.get", R"({"TicketId":6,"TicketId ":6})"},
         }) {
        table.push_back({"wrong type " + input.substr(0, 40), node, input, ""});
    }

    // Deep nesting.
    table.push_back({"AdditionalFields nested 20 deep", "freshdesk.ticket.update",
                     R"({"TicketId":5,"AdditionalFields":)" + nested(20) + "}", ""});
    table.push_back({"AdditionalFields nested 100000 deep", "freshdesk.ticket.update",
                     R"({"TicketId":5,"AdditionalFields":)" + nested(100000) + "}", ""});
    table.push_back({"AdditionalFields with 100 keys", "freshdesk.ticket.update",
                     [] {
                         json::object fields;
                         for (int i = 0; i < 100; ++i)
                             fields["cf_" + std::to_string(i)] = i;
                         return R"({"TicketId":5,"AdditionalFields":)" + json::serialize(fields) + "}";
                     }(),
                     ""});
    return table;
}

}  // namespace

TEST(HostileInput, IsRefusedBeforeAnyIo) {
    const std::vector<Hostile> table = hostile_table();
    ASSERT_GE(table.size(), 100u);
    sandbox().reset();
    const std::string good = json::serialize(fdtest::credentials_for(sandbox(), 5000));
    for (const Hostile& h : table) {
        const fdtest::Invocation r = fdtest::invoke(h.node, h.input, h.credentials.empty() ? good : h.credentials);
        EXPECT_EQ(r.status_code(), -1) << h.label << " -> " << r.text.substr(0, 300);
        EXPECT_EQ(r.original(), 0) << h.label;
        EXPECT_FALSE(r.message().empty()) << h.label;
    }
    const fdsandbox::Counters counters = sandbox().counters();
    EXPECT_EQ(counters.connections_accepted, 0u);
    EXPECT_EQ(counters.requests, 0u);
    std::cout << "[ hostile  ] " << table.size() << " hostile values, all refused before any I/O\n";
}
