// Hostile input, refused before any I/O: domains that try to leave freshdesk.com, ids with
// path or query syntax, CR/LF and NUL in string fields, huge strings and numbers, wrong JSON
// types, deep nesting. Every value must give StatusCode -1 and OriginalStatusCode 0, and the
// sandbox the plugin is pointed at must see no connection at all.
#include "plugin_fixture.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace {
namespace json = boost::json;

fdsandbox::Sandbox& sandbox() {
    static const std::unique_ptr<fdsandbox::Sandbox> instance = fdtest::started_sandbox("hostile-secret-key-7d41");
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

// Credentials that try to send the key somewhere else, on the first node's example.
void add_credential_cases(std::vector<Hostile>& table) {
    const fdtest::NodeCase first = fdtest::node_cases().front();
    const std::string get = first.id;
    const std::string ok_input = first.input;

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
}

// What a field accepts, read from its served schema (alternatives included).
struct FieldShape {
    std::set<std::string> types;
    bool required = false;
    bool id = false;
    bool single_line = false;  // a pattern keeps CR and LF out
    std::string format;
    std::int64_t max_length = 0;
    bool has_maximum = false;
};

void collect_types(const json::object& schema, FieldShape& shape) {
    if (const json::value* type = schema.if_contains("type")) {
        if (type->is_string()) shape.types.emplace(type->get_string());
        if (type->is_array()) {
            for (const json::value& item : type->get_array())
                shape.types.emplace(item.as_string());
        }
    }
    if (const json::value* pattern = schema.if_contains("pattern")) {
        const std::string_view text = pattern->as_string();
        shape.single_line = shape.single_line || text.find("\\r\\n") != std::string_view::npos ||
                            text.find("\r\n") != std::string_view::npos;
    }
    if (const json::value* format = schema.if_contains("format")) shape.format = std::string(format->as_string());
    if (const json::value* length = schema.if_contains("maxLength")) shape.max_length = length->as_int64();
    shape.has_maximum = shape.has_maximum || schema.contains("maximum");
    for (std::string_view key : {"anyOf", "oneOf", "allOf"}) {
        if (const json::value* list = schema.if_contains(key)) {
            for (const json::value& branch : list->as_array())
                collect_types(branch.as_object(), shape);
        }
    }
    for (std::string_view key : {"then", "else"}) {
        if (const json::value* branch = schema.if_contains(key)) collect_types(branch->as_object(), shape);
    }
}

// The values no field of this shape accepts, each refused by the plugin and by the schema.
std::vector<std::pair<std::string, json::value>> hostile_values(const FieldShape& shape) {
    std::vector<std::pair<std::string, json::value>> values;
    const auto has = [&](const char* type) { return shape.types.contains(type); };
    if (!has("object")) values.emplace_back("an object", json::object{{"a", 1}});
    if (!has("array")) values.emplace_back("a list", json::array{1});
    if (!has("boolean") && !has("string")) values.emplace_back("true", true);
    if (has("integer")) {
        for (const char* text : {"1.5", "-1", "1e400", "12abc", "0x10", "1/2", "1?x=1", "../1", "\uff11", "1\r\nX: y"})
            values.emplace_back(std::string("text ") + text, json::string(text));
        values.emplace_back("1.5", 1.5);
        values.emplace_back("-1", -1);
        values.emplace_back("99999999999999999999", json::string("99999999999999999999"));
        if (shape.has_maximum) values.emplace_back("1e20", 1e20);
    }
    if (has("boolean")) {
        values.emplace_back("yes", json::string("yes"));
        values.emplace_back("2", 2);
    }
    if (has("string") && !has("integer") && !has("boolean")) {
        values.emplace_back("NUL", json::string(std::string_view("a\0b", 3)));
        values.emplace_back("a number", 5);
        if (shape.single_line) {
            for (const char* text : {"a\r\nX-Injected: 1", "a\nb", "a\rb"})
                values.emplace_back("CR/LF", json::string(text));
        }
        if (shape.max_length > 0) {
            values.emplace_back("too long",
                                json::string(std::string(static_cast<std::size_t>(shape.max_length + 1), 'x')));
            values.emplace_back("100k", json::string(std::string(100000, 'x')));
        }
        if (shape.format == "date-time") {
            for (const char* text :
                 {"2025-13-01T00:00:00Z", "tomorrow", "2025-01-01T00:00:00Z&page=5", "99999-01-01T00:00:00Z"})
                values.emplace_back(text, json::string(text));
        }
        if (shape.format == "email") {
            for (const char* text : {"not-an-email", "a b@example.com", "a@b"})
                values.emplace_back(text, json::string(text));
        }
    }
    return values;
}

// Every field of every node: each hostile value in place of its example's value; every required
// field left out; an unknown field; input that is not one object.
void add_field_cases(std::vector<Hostile>& table) {
    for (const fdtest::NodeCase& node : fdtest::node_cases()) {
        const json::object example = json::parse(node.input).as_object();
        for (const auto& [part_name, part] : fdtest::node_schemas(node.id)) {
            if (part_name == "outputs") continue;
            const json::value* required = part.if_contains("required");
            for (const auto& [name, schema] : part.at("properties").as_object()) {
                FieldShape shape;
                collect_types(schema.as_object(), shape);
                for (const auto& [label, value] : hostile_values(shape)) {
                    json::object input = example;
                    input[name] = value;
                    table.push_back(
                        {node.id + " " + std::string(name) + " " + label, node.id, json::serialize(input), ""});
                }
                const bool is_required = required && std::find(required->as_array().begin(), required->as_array().end(),
                                                               json::value(name)) != required->as_array().end();
                if (is_required) {
                    json::object input = example;
                    input.erase(name);
                    table.push_back({node.id + " without " + std::string(name), node.id, json::serialize(input), ""});
                }
            }
        }
        json::object unknown = example;
        unknown["NoSuchField"] = 1;
        table.push_back({node.id + " unknown field", node.id, json::serialize(unknown), ""});
        for (const char* input : {"[]", "1", "\"x\"", "null", "{", ""})
            table.push_back({node.id + " input " + input, node.id, input, ""});
        table.push_back({node.id + " duplicate key", node.id,
                         "{" + node.input.substr(1, node.input.size() - 2) + ",\"NoSuchField \":6}", ""});
    }
}

// What no schema's size can say: the input as a whole too large, or nested too deep.
void add_size_cases(std::vector<Hostile>& table) {
    const fdtest::NodeCase first = fdtest::node_cases().front();
    table.push_back({"input of 33 MB", first.id, R"({"NoSuchField":")" + std::string(33u << 20, 'd') + "\"}", ""});
    table.push_back({"nested 100000 deep", first.id, R"({"NoSuchField":)" + nested(100000) + "}", ""});
}

std::vector<Hostile> hostile_table() {
    std::vector<Hostile> table;
    add_credential_cases(table);
    add_field_cases(table);
    add_size_cases(table);
    return table;
}

}  // namespace

TEST(HostileInput, EveryNodeRefusesBeforeAnyIo) {
    const std::vector<Hostile> table = hostile_table();
    ASSERT_GE(table.size(), 50u) << "the table covers the credentials and every field";
    sandbox().reset();
    const std::string good = json::serialize(fdtest::credentials_for(sandbox(), 5000));
    json::array corpus;
    for (const Hostile& h : table) {
        const fdtest::Invocation r = fdtest::invoke(h.node, h.input, h.credentials.empty() ? good : h.credentials);
        EXPECT_EQ(r.status_code(), -1) << h.label << " -> " << r.text.substr(0, 300);
        EXPECT_EQ(r.original(), 0) << h.label;
        EXPECT_FALSE(r.message().empty()) << h.label;
        if (h.credentials.empty() && h.input.size() < 200000) {
            corpus.push_back(fdtest::corpus_entry(h.label, h.node, h.input, r.status_code() == -1));
        }
    }
    const fdsandbox::Counters counters = sandbox().counters();
    EXPECT_EQ(counters.connections_accepted, 0u);
    EXPECT_EQ(counters.requests, 0u);
    fdtest::write_corpus("hostile", corpus);
    std::cout << "[ hostile  ] " << table.size() << " hostile values, all refused before any I/O\n";
}

namespace {

// Inputs every node must accept: its examples, and the same with numbers, booleans and ids
// written as people send them (text, spaces around), optional fields left blank.
std::vector<Hostile> valid_samples() {
    std::vector<Hostile> samples;
    for (const fdtest::NodeCase& node : fdtest::node_cases()) {
        const json::object example = json::parse(node.input).as_object();
        samples.push_back({node.id + " example", node.id, node.input, ""});
        json::object as_text = example;
        for (auto& [name, value] : as_text) {
            if (value.is_int64()) value = " " + std::to_string(value.get_int64()) + " ";
            if (value.is_bool()) value = value.get_bool() ? "true" : "false";
        }
        samples.push_back({node.id + " numbers as text", node.id, json::serialize(as_text), ""});
        for (const auto& [part_name, part] : fdtest::node_schemas(node.id)) {
            if (part_name != "options") continue;
            for (const auto& [name, schema] : part.at("properties").as_object()) {
                for (const json::value& blank : {json::value(nullptr), json::value(""), json::value("  ")}) {
                    json::object input = example;
                    if (input.contains(name)) continue;
                    input[name] = blank;
                    samples.push_back(
                        {node.id + " " + std::string(name) + " blank", node.id, json::serialize(input), ""});
                }
            }
        }
    }
    return samples;
}

}  // namespace

// The valid side of the corpus the canvas suite checks the schemas against: nothing here is
// refused before it reaches the sandbox (of its own, not the one that must see no I/O).
TEST(ValidSamples, EveryNodeAcceptsItsTextForms) {
    fdsandbox::Sandbox server;
    server.start();
    fdtest::seed_default(server);
    const std::string credentials = json::serialize(fdtest::credentials_for(server, 5000));
    json::array corpus;
    for (const Hostile& sample : valid_samples()) {
        const fdtest::Invocation r = fdtest::invoke(sample.node, sample.input, credentials);
        EXPECT_NE(r.status_code(), -1) << sample.label << " -> " << r.text.substr(0, 300);
        corpus.push_back(fdtest::corpus_entry(sample.label, sample.node, sample.input, r.status_code() == -1));
    }
    fdtest::write_corpus("samples", corpus);
    std::cout << "[ samples  ] " << corpus.size() << " valid inputs, all accepted\n";
}
