// Shared by the sandbox suite: a started sandbox per test and a plain Beast client pointed at
// it, with the account's credentials, plus JSON helpers for asserting bodies.
#pragma once

#include "sandbox/sandbox.hpp"
#include "support/https_client.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace sandbox_test {

namespace json = boost::json;

inline json::value parse_json(const std::string& text) {
    return json::parse(text);
}

// Percent-encodes everything but letters, digits and "-_.".
inline std::string url_encode(const std::string& text) {
    std::string encoded;
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 15];
        }
    }
    return encoded;
}

// One part of a multipart body: a text field, or a file when `filename` is set.
struct FormField {
    std::string name;
    std::string value;
    std::optional<std::string> filename = std::nullopt;
    std::string content_type = "text/plain";
};

// The client options for `sandbox`, authenticated with its key unless told otherwise.
inline fdtest::ClientOptions client_options(const fdsandbox::Sandbox& sandbox, bool authenticated = true) {
    fdtest::ClientOptions options = fdtest::options_for_url(sandbox.base_url());
    options.ca_file = sandbox.ca_file().string();
    options.timeout = std::chrono::milliseconds(5000);
    if (authenticated)
        options.default_headers.emplace_back("Authorization", fdtest::basic_authorization(sandbox.api_key(), "X"));
    return options;
}

class SandboxTest : public ::testing::Test {
  protected:
    // Tests that need another configuration override this.
    virtual fdsandbox::Config make_config() {
        fdsandbox::Config config;
        config.rate_limit_budget = 1000000;
        return config;
    }

    void SetUp() override {
        sandbox = std::make_unique<fdsandbox::Sandbox>(make_config());
        sandbox->start();
        client = std::make_unique<fdtest::HttpsClient>(client_options(*sandbox));
    }

    void TearDown() override {
        client.reset();
        sandbox->stop();
    }

    fdtest::Response get(const std::string& target) { return client->get(target); }
    fdtest::Response post(const std::string& target, const std::string& body) {
        return client->post_json(target, body);
    }
    fdtest::Response put(const std::string& target, const std::string& body) { return client->put_json(target, body); }
    fdtest::Response del(const std::string& target) { return client->del(target); }
    // multipart/form-data, as a client sending attachments does.
    fdtest::Response post_form(const std::string& target, const std::vector<FormField>& fields);
    fdtest::Response put_form(const std::string& target, const std::vector<FormField>& fields);

    // Creates a contact and returns its id.
    std::int64_t create_contact(const std::string& body) {
        const fdtest::Response response = post("/api/v2/contacts", body);
        EXPECT_EQ(response.status, 201) << response.body;
        return parse_json(response.body).at("id").as_int64();
    }

    std::int64_t create_ticket(const std::string& body) {
        const fdtest::Response response = post("/api/v2/tickets", body);
        EXPECT_EQ(response.status, 201) << response.body;
        return parse_json(response.body).at("id").as_int64();
    }

    std::unique_ptr<fdsandbox::Sandbox> sandbox;
    std::unique_ptr<fdtest::HttpsClient> client;
};

inline constexpr const char* kFormBoundary = "sandbox-test-boundary-7d1f";

inline std::string multipart_body(const std::vector<FormField>& fields) {
    std::string body;
    for (const FormField& field : fields) {
        body += std::string("--") + kFormBoundary + "\r\nContent-Disposition: form-data; name=\"" + field.name + "\"";
        if (field.filename) body += "; filename=\"" + *field.filename + "\"\r\nContent-Type: " + field.content_type;
        body += "\r\n\r\n" + field.value + "\r\n";
    }
    return body + "--" + kFormBoundary + "--\r\n";
}

inline fdtest::Headers multipart_headers() {
    return {{"Content-Type", std::string("multipart/form-data; boundary=") + kFormBoundary}};
}

inline fdtest::Response SandboxTest::post_form(const std::string& target, const std::vector<FormField>& fields) {
    return client->request("POST", target, multipart_body(fields), multipart_headers());
}

inline fdtest::Response SandboxTest::put_form(const std::string& target, const std::vector<FormField>& fields) {
    return client->request("PUT", target, multipart_body(fields), multipart_headers());
}

// The items of a list answer, or of a search answer's "results".
inline json::array items_of(const fdtest::Response& response) {
    json::value body = parse_json(response.body);
    return body.is_object() ? body.at("results").as_array() : body.as_array();
}

inline std::vector<std::int64_t> ids_of(const fdtest::Response& response) {
    std::vector<std::int64_t> ids;
    for (const json::value& item : items_of(response))
        ids.push_back(item.at("id").as_int64());
    return ids;
}

inline std::vector<std::string> names_of(const fdtest::Response& response) {
    std::vector<std::string> names;
    for (const json::value& item : items_of(response))
        names.emplace_back(item.at("name").as_string());
    return names;
}

// A validation body's errors as (field, code, message), in order.
inline std::vector<std::tuple<std::string, std::string, std::string>> errors_of(const fdtest::Response& response) {
    std::vector<std::tuple<std::string, std::string, std::string>> errors;
    const json::value body = parse_json(response.body);
    for (const json::value& error : body.at("errors").as_array())
        errors.emplace_back(std::string(error.at("field").as_string()), std::string(error.at("code").as_string()),
                            std::string(error.at("message").as_string()));
    return errors;
}

// Asserts a validation body's only (or `index`th) error: field, code and, when given, message.
inline void expect_error(const fdtest::Response& response, int status, const std::string& field,
                         const std::string& code, const std::string& message = {}, std::size_t index = 0) {
    EXPECT_EQ(response.status, status) << response.body;
    const json::value body = parse_json(response.body);
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_EQ(body.at("description"), "Validation failed") << response.body;
    const json::array& errors = body.at("errors").as_array();
    ASSERT_GT(errors.size(), index) << response.body;
    const json::object& error = errors.at(index).as_object();
    EXPECT_EQ(error.at("field"), field.c_str()) << response.body;
    EXPECT_EQ(error.at("code"), code.c_str()) << response.body;
    if (!message.empty()) {
        EXPECT_EQ(error.at("message"), message.c_str()) << response.body;
    }
}

// Asserts a request-error body {"code","message"}.
inline void expect_request_error(const fdtest::Response& response, int status, const std::string& code,
                                 const std::string& message = {}) {
    EXPECT_EQ(response.status, status) << response.body;
    const json::value body = parse_json(response.body);
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_EQ(body.at("code"), code.c_str()) << response.body;
    if (!message.empty()) {
        EXPECT_EQ(body.at("message"), message.c_str()) << response.body;
    }
    EXPECT_EQ(body.as_object().size(), 2u) << response.body;
}

}  // namespace sandbox_test
